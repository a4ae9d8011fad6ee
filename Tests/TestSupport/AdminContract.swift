import Foundation
import Testing
import KafkaOpsCore

extension ClusterContract {
    /// The everyday admin calls (issue 25): CreatePartitions, DeleteGroups, DeleteTopics, with the same
    /// observable answers on every client. `addsPartitions` false: the cluster refuses CreatePartitions (tansu
    /// 0.6.0 answers UNSUPPORTED_FEATURE, docs/TEST-ENVIRONMENT.md), which must be a refusal that changed nothing.
    public static func runAdminChanges(_ client: any ClusterClient, prefix: String, addsPartitions: Bool) async throws {
        let topic = "\(prefix)-admin", group = "\(prefix)-admin-group"
        var d: Deadline { .after(deadline) }
        func partitions() async throws -> Int? {
            try await client.metadata(deadline: d).topics.first { $0.name == topic }?.partitions.count
        }
        try await client.createTopic(NewTopic(name: topic, partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)

        // CreatePartitions: only more than now
        if addsPartitions {
            try await client.createPartitions(topic, totalCount: 4, deadline: d)
            #expect(try await partitions() == 4)
            do {
                try await client.createPartitions(topic, totalCount: 3, deadline: d)
                Issue.record("fewer partitions than now must be refused")
            } catch let e as ClusterError {
                #expect(e.kind == .invalidRequest && LostAnswer.of(e) == nil, "\(e)")
            }
        } else {
            do {
                try await client.createPartitions(topic, totalCount: 4, deadline: d)
                Issue.record("this cluster was expected to refuse CreatePartitions")
            } catch let e as ClusterError {
                #expect(LostAnswer.of(e) == nil, "a refusal that changed nothing, not an unknown outcome: \(e)")
            }
            #expect(try await partitions() == 2)
        }

        // DeleteGroups: the group and its committed offsets go
        let tp = TopicPartition(topic, 0)
        #expect(try await client.alterGroupOffsets(group: group, offsets: [tp: 0], deadline: d).allSatisfy { $0.error == nil })
        #expect(try await client.committedOffsets(group: group, deadline: d) == [tp: 0])
        try await client.deleteGroup(group, deadline: d)
        #expect(try await client.committedOffsets(group: group, deadline: d).isEmpty)
        #expect(try await !client.listGroups(deadline: d).contains { $0.id == group })

        // DeleteTopics: gone from the metadata (Kafka deletes in the background: a few seconds at most)
        try await client.deleteTopic(topic, deadline: d)
        var gone = false
        for _ in 0..<50 where !gone {
            gone = try await partitions() == nil
            if !gone { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(gone, "the topic is still in the metadata 10 s after its deletion")
        do {
            try await client.deleteTopic(topic, deadline: d)
            Issue.record("deleting a topic that does not exist must fail")
        } catch let e as ClusterError {
            #expect(e.kind == .unknownTopic, "\(e)")
        }
    }
}
