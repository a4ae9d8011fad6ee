import Foundation
import Testing
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsKafka

/// librdkafka's group-coordinator requests whose own timeout expires while they wait for the coordinator
/// used to abort the process (`rd_kafka_enq_once_del_source_return: Assertion 'eonce->refcnt > 0'`;
/// seen with 2.8.0, and still in 2.14.2's code path: `AdminRuntime.requestTimeout`). 1,000 runs of the
/// calls `lag` makes, with deadlines of 1 to 8 ms on fresh clients: a crash would end the whole test
/// process, so getting to the end is the check; every call ends with an answer or a `ClusterError`.
@Suite(.serialized) struct TinyTimeoutTests {
    @Test func aThousandTinyTimeoutsOnCoordinatorRequestsNeverCrash() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let settings = ConnectionSettings(bootstrapServers: broker.bootstrap)
        let seed = try KafkaClusterClient(settings: settings)
        try await seed.createTopic(NewTopic(name: "tiny", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: .seconds(20))
        let tp = TopicPartition("tiny", 0)
        _ = try await seed.alterGroupOffsets(group: "tiny-group", offsets: [tp: 0], deadline: .seconds(20))
        var answered = 0, timedOut = 0
        for i in 0..<1_000 {
            let client = try KafkaClusterClient(settings: settings)
            let d: Deadline = .after(.milliseconds([1, 2, 4, 6, 8][i % 5]))
            async let offsets = capture { try await client.committedOffsets(group: "tiny-group", deadline: d) }
            async let described = capture { try await client.describeGroups(["tiny-group"], deadline: d) }
            async let listed = capture { try await client.listGroups(deadline: d) }
            for r in [await offsets.map { _ in () }, await described.map { _ in () }, await listed.map { _ in () }] {
                if case .success = r { answered += 1 } else { timedOut += 1 }
            }
        }
        #expect(answered + timedOut == 3_000)
        // With time to answer, the same calls work on the same broker.
        let client = try KafkaClusterClient(settings: settings)
        #expect(try await client.committedOffsets(group: "tiny-group", deadline: .seconds(20)) == [tp: 0])
        #expect(try await client.describeGroups(["tiny-group"], deadline: .seconds(20)).first?.id == "tiny-group")
    }
}
