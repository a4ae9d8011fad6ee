import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsDemo
import TestSupport

/// Issue 10 point 12 on the demo cluster (tansu has no OffsetDelete): a reset that gives a partition its
/// first commit, undone from its undo file, leaves that partition without a commit again.
@Suite struct ResetUndoDemoTests {
    @Test func theUndoFileRestoresCommitsAndNoCommit() async throws {
        let (c, _) = cluster(at: 5)
        // An inactive group with one commit inside the log (orders-0) and none on orders-1.
        let group = "undo-demo"
        let kept = TopicPartition("orders", 0), fresh = TopicPartition("orders", 1)
        let log0 = try #require(try await c.logOffsets([kept], deadline: deadline)[kept])
        _ = try await c.alterGroupOffsets(group: group, offsets: [kept: log0.start + 1], deadline: deadline)
        let before = try await c.committedOffsets(group: group, deadline: deadline)
        #expect(before == [kept: log0.start + 1])
        let log = MemoryChangeLog()

        let inputs = try await ResetInputs.load(group: group, client: c, deadline: deadline)
        let plan = try await ResetOperation.plan(inputs, scope: .topics([TopicScope("orders", partitions: [0, 1])]),
                                                 target: .toEarliest, client: c, deadline: deadline)
        let done = try await log.pipeline.run(ResetOffsetsChange(plan: plan, undoPath: "/u.csv", skipThreshold: .max),
                                                 client: c, timeout: .seconds(10)).outcome
        #expect(done.succeeded)
        #expect(try await c.committedOffsets(group: group, deadline: deadline)[fresh] != nil)

        // The undo file says "no commit" for orders-1; its plan deletes that commit and puts the others back.
        let file = ResetUndo.contents(plan)
        #expect(file.contains("orders,1,\n"))
        let again = try await ResetInputs.load(group: group, client: c, deadline: deadline)
        let undo = try await ResetOperation.plan(again, scope: nil, target: .fromFile(ResetCSV.entries(file, group: group)),
                                                 client: c, deadline: deadline)
        #expect(undo.deletions == [fresh])
        let undone = try await log.pipeline.run(ResetOffsetsChange(plan: undo, undoPath: "/u2.csv", skipThreshold: .max),
                                                 client: c, timeout: .seconds(10)).outcome
        #expect(undone.succeeded, "\(undone.rows.map(\.text))")
        #expect(try await c.committedOffsets(group: group, deadline: deadline) == before)
        #expect(log.results.filter { !$0.hasPrefix("started") } == ["ok", "ok"])
    }

    @Test func deletingOffsetsFollowsKafkasRules() async throws {
        let (c, _) = cluster(at: 5)
        await #expect { _ = try await c.deleteGroupOffsets(group: "order-service", partitions: [TopicPartition("orders", 0)], deadline: deadline) }
            throws: { ($0 as? ClusterError)?.code == "GROUP_SUBSCRIBED_TO_TOPIC" }
        await #expect { _ = try await c.deleteGroupOffsets(group: "no-such-group", partitions: [TopicPartition("orders", 0)], deadline: deadline) }
            throws: { ($0 as? ClusterError)?.code == "GROUP_ID_NOT_FOUND" }
        let ro = c.readOnly(true)
        await #expect { _ = try await ro.deleteGroupOffsets(group: "billing-reconciler", partitions: [TopicPartition("clickstream", 0)], deadline: deadline) }
            throws: { ($0 as? ClusterError)?.kind == .readOnly }
    }
}
