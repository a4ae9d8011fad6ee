import Foundation
import KafkaOpsCore

/// Topic creation: the cluster work, run off the main actor; results come back as events.
extension CreateTopicPanel {
    static func validateJob(_ topic: NewTopic, ticket: JobTicket) -> Job {
        Job("validate", sending: Event.self) { jc in
            do {
                try await jc.client.createTopic(topic, validateOnly: true, deadline: jc.deadline)
                await jc.send(.validated(topic, ticket))
            } catch {
                await jc.send(.validateFailed(topic, "\(error)", ticket))
            }
        }
    }

    /// Opens the audit log (refusing, with nothing sent, when it cannot), creates, records the
    /// same entry as `kafkaops topic create`.
    static func createJob(_ topic: NewTopic, policy: String, verdict: String) -> Job {
        Job("create", sending: Event.self) { jc in
            guard let change = await jc.startChangeOrRefuse(
                action: TopicCreation.auditAction, target: topic.name, after: TopicCreation.auditAfter(topic),
                refusal: { .refused("the audit log cannot be written, so nothing was sent: \($0)") }) else { return }
            do {
                try await jc.client.createTopic(topic, validateOnly: false, deadline: jc.deadline)
            } catch {
                let unrecorded = change.finish(result: "failed: \(error)")
                await jc.send(.createFailed(topic, "\(error)" + (unrecorded.map { "; " + $0 } ?? "")))
                return
            }
            let unrecorded = change.finish(result: "ok", details: TopicCreation.auditDetails(policy: policy, verdict: verdict))
            await jc.send(.created(topic, auditPath: change.recorder.path, unrecorded: unrecorded))
        }
    }
}
