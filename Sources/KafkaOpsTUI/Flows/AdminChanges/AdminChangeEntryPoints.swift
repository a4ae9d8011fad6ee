import Foundation
import KafkaOpsCore

/// Where the console opens the everyday admin changes: add partitions and delete the topic shown (topic
/// detail), delete the group shown (group detail). Their keys are not bound on a read-only connection.
extension ConsoleState {
    mutating func openAdminChange(_ kind: FixKind, _ snap: ClusterSnapshot) -> [Effect] {
        let protected = operations.protected
        switch (kind, current.screen) {
        case (.addPartitions, .topicDetail(let topic)):
            guard let t = snap.metadata.topics.first(where: { $0.name == topic }) else { return [] }
            if t.isInternalTopic {
                status = StatusMessage(text: "topic \(Fmt.safe(topic)) is internal: kafkaops does not add partitions to it", isError: true)
                return []
            }
            return push(PartitionCountPanel(topic: topic, current: t.partitions.count))
        case (.deleteTopic, .topicDetail(let topic)):
            if snap.metadata.topics.first(where: { $0.name == topic })?.isInternalTopic == true {
                status = StatusMessage(text: "topic \(Fmt.safe(topic)) is internal: kafkaops does not delete it", isError: true)
                return []
            }
            let confirm = protected ? topic : nil
            let (p, o) = ChangePanel.reading(title: "Delete topic", confirmName: confirm, nameKind: "topic name",
                                             read: ChangePanel.deleteTopicReadJob(topic, confirmation: confirm))
            return push(p, o)
        case (.deleteGroup, .groupDetail(let group)):
            let confirm = protected ? group : nil
            let (p, o) = ChangePanel.reading(title: "Delete group", confirmName: confirm, nameKind: "group name",
                                             read: ChangePanel.deleteGroupReadJob(group, confirmation: confirm))
            return push(p, o)
        default:
            return []
        }
    }
}
