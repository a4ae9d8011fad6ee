import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsDemo
import TestSupport

/// The admin changes (issue 25) when the answer is lost after the request was sent: the cluster is read
/// back and the outcome is applied / not applied / unknown, never "failed"; a record without a delivery
/// report is unknown.
@Suite struct AdminLostAnswerTests {
    /// The demo cluster, whose admin calls are made (or not) and then answer with a timeout.
    struct LosingCluster: ForwardingCluster {
        let base: DemoCluster
        var makeIt = true
        var lost: ClusterError { ClusterError(.timeout, "no answer within the timeout") }
        func createPartitions(_ topic: String, totalCount: Int32, deadline: Deadline) async throws {
            if makeIt { try await base.createPartitions(topic, totalCount: totalCount, deadline: deadline) }
            throw lost
        }
        func deleteTopic(_ topic: String, deadline: Deadline) async throws {
            if makeIt { try await base.deleteTopic(topic, deadline: deadline) }
            throw lost
        }
        func deleteGroup(_ group: String, deadline: Deadline) async throws {
            if makeIt { try await base.deleteGroup(group, deadline: deadline) }
            throw lost
        }
        func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
            records.indices.map { DeliveryReport(index: $0, result: .failure(lost), outcomeUnknown: true) }
        }
    }

    static func pipeline(_ log: MemoryChangeLog) -> ChangePipeline {
        ChangePipeline(guardrails: ChangeGuard(readOnly: false, protected: false)) { log }
    }

    // Generous: the whole suite on two cores starves these reads for more than 15 s (seen); a lost answer
    // ends at once whatever the bound, and a read-back that finds its answer returns at once too.
    static let timeout = Duration.seconds(60)

    @Test(arguments: [true, false])
    func addPartitionsWithALostAnswerIsReadBack(made: Bool) async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let client = LosingCluster(base: demo, makeIt: made)
        let change = try AddPartitions.plan(try await demo.metadata(deadline: .after(Self.timeout)), topic: "orders", partitions: 14).get()
        let log = MemoryChangeLog()
        let done = try await Self.pipeline(log).run(change, client: client, timeout: Self.timeout)
        #expect(done.outcome == .readBack(applied: made, detail: "the topic has \(made ? 14 : 12) of 14 partition(s)"))
        #expect(log.outcomes.last?.result.hasPrefix("unknown: ") == true)
        #expect(log.outcomes.last?.result.contains(made ? "read back: applied" : "read back: not applied") == true)
    }

    @Test func deleteTopicWithALostAnswerIsReadBackAsApplied() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let preview = try await TopicDeletionPreview.load(topic: "payments", client: demo, deadline: .after(Self.timeout)).get()
        let log = MemoryChangeLog()
        let done = try await Self.pipeline(log).run(DeleteTopic(preview), client: LosingCluster(base: demo), timeout: Self.timeout)
        #expect(done.outcome.confirmation == .readBack(applied: true, detail: "the topic is gone from the metadata"))
        #expect(log.outcomes.last?.result.contains("read back: applied") == true)
    }

    /// Not made, the topic is still listed: Kafka deletes in the background, so that is unknown, not "not applied".
    @Test func deleteTopicWithALostAnswerStillListedIsUnknown() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let preview = try await TopicDeletionPreview.load(topic: "payments", client: demo, deadline: .after(Self.timeout)).get()
        let log = MemoryChangeLog()
        let done = try await Self.pipeline(log).run(DeleteTopic(preview), client: LosingCluster(base: demo, makeIt: false),
                                                   timeout: .milliseconds(600))
        #expect(done.outcome.confirmation.isApplied == nil)
        #expect(log.outcomes.last?.result.hasPrefix("unknown: ") == true)
        #expect(log.outcomes.last?.result.contains("failed") == false)
    }

    @Test func deleteGroupWithALostAnswerIsReadBackAsApplied() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let inputs = try await GroupDeletion.load(group: "billing-reconciler", topic: nil, client: demo, deadline: .after(Self.timeout),
                                                  secondSampleAfter: nil).get()
        let log = MemoryChangeLog()
        let done = try await Self.pipeline(log).run(DeleteGroup(group: "billing-reconciler", committed: inputs.committed),
                                                   client: LosingCluster(base: demo), timeout: Self.timeout)
        #expect(done.outcome.isApplied == true && !done.outcome.isAnswered)
        #expect(log.outcomes.last?.result.contains("read back: applied") == true)
    }

    @Test func aRecordWithoutADeliveryReportIsUnknownNeverFailed() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let log = MemoryChangeLog()
        let change = ProduceRecords(topic: "orders", records: [OutgoingRecord(topic: "orders", key: nil, value: Array("v".utf8))])
        let done = try await Self.pipeline(log).run(change, client: LosingCluster(base: demo), timeout: Self.timeout)
        #expect(done.result.hasPrefix("unknown: 1 of 1 record(s) have no delivery report"))
        #expect(ProduceRecords.line(done.outcome[0]).hasPrefix("record 1: unknown: "))
        #expect(log.outcomes.last?.result == done.result)
    }

    /// The pipeline's read-only guard refuses every admin change with nothing sent or recorded.
    @Test func readOnlyRefusesEveryAdminChange() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let log = MemoryChangeLog()
        let ro = ChangePipeline(guardrails: ChangeGuard(readOnly: true, protected: false)) { log }
        let md = try await demo.metadata(deadline: .after(Self.timeout))
        let before = demo.requestCount
        await #expect(throws: ChangeRefused.self) {
            _ = try await ro.run(try AddPartitions.plan(md, topic: "orders", partitions: 20).get(), client: demo, timeout: Self.timeout)
        }
        await #expect(throws: ChangeRefused.self) {
            _ = try await ro.run(DeleteGroup(group: "billing-reconciler", committed: [:]), client: demo, timeout: Self.timeout)
        }
        await #expect(throws: ChangeRefused.self) {
            _ = try await ro.run(ProduceRecords(topic: "orders", records: []), client: demo, timeout: Self.timeout)
        }
        #expect(demo.requestCount == before)
        #expect(log.entries.isEmpty)
    }
}
