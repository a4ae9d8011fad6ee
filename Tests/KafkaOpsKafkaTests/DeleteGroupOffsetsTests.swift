import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsKafka
import TestSupport

/// DeleteConsumerGroupOffsets (issue 10 point 12). tansu does not offer OffsetDelete (API key 47), and
/// librdkafka aborts the process on a broker without it (assertion eonce->refcnt, librdkafka #3663): the
/// client asks the broker's API versions first and refuses, with nothing sent and no crash. The deletion
/// itself is covered against the demo cluster and the console's fake.
@Suite(.serialized)
struct DeleteGroupOffsetsTests {
    @Test func withoutOffsetDeleteTheDeletionIsRefusedBeforeAnythingIsSent() async throws {
        try await KafkaClusterClientTests.withBroker { _, client in
            // A bound per call, not one for all five: the whole suite on two cores can take 10 s for them.
            var d: Deadline { .after(.seconds(30)) }
            try await client.createTopic(NewTopic(name: "t", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
            let tp0 = TopicPartition("t", 0), tp1 = TopicPartition("t", 1)
            _ = try await client.alterGroupOffsets(group: "g", offsets: [tp0: 0, tp1: 0], deadline: d)
            // The probe reads the broker's ApiVersions: tansu lists Metadata (3) and DeleteGroups (42), not OffsetDelete (47).
            let keys = try await client.supportedApiKeys(deadline: d)
            #expect(keys.contains(3) && keys.contains(42))
            #expect(!keys.contains(47))
            await #expect {
                _ = try await client.deleteGroupOffsets(group: "g", partitions: [tp0], deadline: d)
            } throws: { error in
                (error as? ClusterError)?.kind == .unsupported
                    && (error as? ClusterError)?.message.contains("does not support deleting a group's committed offsets") == true
            }
            #expect(try await client.committedOffsets(group: "g", deadline: d) == [tp0: 0, tp1: 0])
        }
    }
}
