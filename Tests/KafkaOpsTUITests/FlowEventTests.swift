import Foundation
import KafkaOpsCore
import Testing
@testable import KafkaOpsTUI

// Typed flow events. A job of one flow cannot send another flow's result: `Job(_:sending:)` hands its
// body a `FlowJobContext<Event>` whose `send` takes only that flow's `Event` (a reset job sending a
// `DLQPanel.Event` does not compile). What can still happen at run time is covered here: a result of
// another flow, or one that a newer job of the same flow made stale, changes nothing.

extension ResetWizardPanelTests {
    /// Esc while the plan is read, then Enter again: the first plan's answer is stale and ignored; the
    /// second one is shown.
    @Test func aStalePlanIsIgnored() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        t.state.press(.enter)  // scope -> target
        let first = t.state.press(.enter)
        #expect(Self.jobNames(first) == ["plan"])
        #expect(try Self.wizard(t.state).step == .planning)
        t.state.press(.escape)
        let second = t.state.press(.enter)
        #expect(Self.jobNames(second) == ["plan"])
        await Self.run(first, &t.state, t.fake)
        #expect(try Self.wizard(t.state).step == .planning, "the first plan's answer came after Esc: stale")
        #expect(try Self.wizard(t.state).plan == nil)
        await Self.run(second, &t.state, t.fake)
        #expect(try Self.wizard(t.state).step == .plan)
    }

    /// A result of another flow reaching the wizard (a routing mistake) changes nothing.
    @Test func anotherFlowsResultChangesNothing() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        let id = try #require(t.state.panels.last?.id)
        let before = t.state.screenLines()
        t.state.update(.panelReceived(panelID: id, value: .change(.finished(ChangeOutcome(ok: true, lines: ["Applied"])))))
        t.state.update(.panelReceived(panelID: id, value: .dlqBrowser(.readFailed(JobTickets().current, "boom"))))
        #expect(try Self.wizard(t.state).step == .scope)
        #expect(t.state.screenLines() == before)
    }
}

extension DLQPanelTests {
    /// `n` twice (newest, then oldest again) while the first read is on its way: the first read's page is
    /// stale and ignored (the browser still waits); the second read's page is shown.
    @Test func aStalePageIsIgnored() async throws {
        var s = try await opened(topic: "bulk-dlq")
        let first = s.press(.char("n"))
        let second = s.press(.char("n"))
        await run(&s, first)
        var p = try panel(s, DLQPanel.self)
        #expect(p.loading, "the newest page came after the second n: stale")
        #expect(!p.newest)
        await run(&s, second)
        p = try panel(s, DLQPanel.self)
        #expect(!p.loading)
        #expect(p.entries.first?.id == "0:0")
    }
}
