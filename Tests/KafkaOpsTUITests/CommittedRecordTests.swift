import Foundation
import KafkaOpsCore
import TestSupport
import Testing
@testable import KafkaOpsTUI

/// Issue 23 point 9: from a group's partition row, the record at the committed offset (the one the group reads
/// next), and from there the reset wizard that skips it (shift-by 1 on that partition only).
@Suite struct CommittedRecordTests {
    typealias W = ResetWizardPanelTests

    /// The group detail of `idle-svc` with the partition row `orders-2` selected (committed at 1000 = the log end)
    /// or `orders-0` (committed at 400).
    static func onPartitionRow(_ t: inout ResetWizardPanelTests.Setup, _ id: String) throws {
        t.state.open(.groupDetail("idle-svc"))
        for _ in 0..<10 where t.state.current.table?.selectedRow?.id != id { t.state.press(.down) }
        #expect(t.state.current.table?.selectedRow?.id == id, "\(t.state.screenLines().joined(separator: "\n"))")
    }

    @Test func cOpensTheRecordAtTheCommitAndSSkipsItOnThatPartitionOnly() async throws {
        var t = try await W.setup()
        try Self.onPartitionRow(&t, "orders-0")
        #expect(t.state.screenLines().last?.contains("c record") == true, "the footer names the key: \(t.state.screenLines().last ?? "")")
        let read = t.state.press(.char("c"))
        #expect(W.jobNames(read) == ["read"])
        await W.run(read, &t.state, t.fake)
        let view = try #require(t.state.topPanel as? DLQRecordPanel)
        #expect(view.entry.record.offset == 400 && view.entry.record.partition == 0)
        let screen = W.flat(t.state)
        #expect(screen.contains("group idle-svc committed offset 400 on orders-0"), "\(screen)")
        #expect(screen.contains("order 400"), "the record's value is shown: \(screen)")

        // `s`: the wizard, planned at once for orders-0 alone, shift-by 1 (nothing sent before the confirmation).
        let opened = t.state.press(.char("s"))
        #expect(W.jobNames(opened) == ["load"])
        await W.run(opened, &t.state, t.fake)
        let wizard = try W.wizard(t.state)
        #expect(wizard.step == .plan, "\(t.state.screenLines().joined(separator: "\n"))")
        #expect(wizard.targetKind == .shiftBy && wizard.fields[.shiftBy]?.text == "1")
        let plan = try #require(wizard.plan)
        #expect(W.new(plan) == ["orders-0": 401], "only the partition shown moves, by one: \(W.new(plan))")
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))

        // Confirm: skipping a record is accepted explicitly (as any skipping plan), then the reset runs as any
        // other (undo file, change log), and only orders-0 moved.
        #expect(plan.recordsSkipped == 1)
        t.state.press(.enter)
        #expect(W.flat(t.state).contains("accept skipping"), "\(W.flat(t.state))")
        t.state.press(.char("y"))
        let execute = t.state.press(.enter)
        #expect(W.jobNames(execute) == ["execute"])
        await W.run(execute, &t.state, t.fake)
        #expect(t.fake.state.committed("idle-svc") == [TopicPartition("orders", 0): 401, TopicPartition("orders", 1): 600,
                                                       TopicPartition("orders", 2): 1000, TopicPartition("payments", 0): 300])
        #expect(t.audit.outcomes.map(\.action) == [ChangeAction.resetOffsets.rawValue] && t.audit.outcomes.first?.result == "ok")
    }

    @Test func aGroupAtTheLogEndHasNoRecordToOpenAndSaysSo() async throws {
        var t = try await W.setup()
        try Self.onPartitionRow(&t, "orders-2")
        await W.run(t.state.press(.char("c")), &t.state, t.fake)
        #expect(!(t.state.topPanel is DLQRecordPanel))
        #expect(W.flat(t.state).contains("no record at offset 1000 of orders-2 yet"), "\(W.flat(t.state))")
    }

    @Test func readOnlyShowsTheRecordWithoutTheSkipKey() async throws {
        var t = try await W.setup(readOnly: true)
        try Self.onPartitionRow(&t, "orders-0")
        await W.run(t.state.press(.char("c")), &t.state, t.fake)
        #expect(t.state.topPanel is DLQRecordPanel)
        #expect(!(t.state.screenLines().last ?? "").contains("skip"))
        #expect(W.jobNames(t.state.press(.char("s"))).isEmpty)
        #expect(!(t.state.topPanel is ResetWizardPanel))
    }
}
