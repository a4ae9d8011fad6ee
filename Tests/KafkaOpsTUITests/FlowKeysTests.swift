import Foundation
import KafkaOpsCore
import Testing
@testable import KafkaOpsTUI

// Panel key tables: the footer and the `?` overlay are read from the flow's table; destructive
// bindings are not registered on a read-only connection.

extension ConsoleState {
    /// Presses `key` (`?`, or F1 where a text field has the keys) on the top panel and checks that the
    /// overlay lists every binding of the panel's table that fits, then closes it with Esc (the panel is
    /// back). Returns the overlay's text.
    @discardableResult
    mutating func expectKeyHelp(_ key: Key = .char("?"), sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let panel = try #require(topPanel, sourceLocation: sourceLocation)
        let kind = ObjectIdentifier(Swift.type(of: panel))
        let entries = panel.keyHelp(panelContext)
        #expect(entries.count >= 2, sourceLocation: sourceLocation)
        press(key)
        #expect(topPanel is KeyHelpPanel, sourceLocation: sourceLocation)
        let text = screenLines().joined(separator: "\n")
        #expect(text.contains("Keys of"), sourceLocation: sourceLocation)
        for e in entries.prefix(Layout.content(size).height - 2) {
            #expect(text.contains(String(e.help.prefix(40))), "\(e.keys): \(e.help)", sourceLocation: sourceLocation)
        }
        press(.escape)
        #expect(topPanel.map { ObjectIdentifier(Swift.type(of: $0)) } == kind, sourceLocation: sourceLocation)
        return text
    }
}

@Suite struct FlowKeysTests {
    enum A: Sendable, Hashable { case safe, change }

    @Test func aDestructiveBindingIsWithheldOnAReadOnlyConnection() {
        let all = [FlowBinding<A>([.enter], .change, "apply the change", short: "apply", destructive: true),
                   FlowBinding([.escape], .safe, "cancel", short: "cancel")]
        let rw = FlowKeys(all, readOnly: false), ro = FlowKeys(all, readOnly: true)
        #expect(rw.footer.map(\.help) == ["apply", "cancel"])
        #expect(ro.footer.map(\.help) == ["cancel"])
        #expect(ro.help.map(\.help) == ["cancel"])
        guard case .action(.change) = rw.lookup(.enter) else { Issue.record("Enter applies on a read-write connection"); return }
        guard case .readOnly = ro.lookup(.enter) else { Issue.record("Enter is withheld on a read-only connection"); return }
        guard case .unbound = ro.lookup(.char("z")) else { Issue.record("z is not bound"); return }
    }

    /// A change panel met on a read-only connection (the console refuses to open one, this is the second
    /// line): no apply in its footer or help, and Enter refuses without starting the job.
    @Test func aChangePanelOnAReadOnlyConnectionHasNoApplyKey() async throws {
        var s = loadedState(try await fakeSnapshot(), readOnly: true)
        let job = Job("alter-config", sending: ChangePanel.Event.self) { _ in }
        _ = s.push(ChangePanel(title: "Fix", preview: [("Topic orders", .title)], blocked: nil, confirmName: nil, job: job))
        let p = try #require(s.topPanel)
        #expect(p.footer(s.panelContext).map(\.help) == ["cancel"])
        #expect(!p.keyHelp(s.panelContext).contains { $0.help.contains("apply") })
        #expect(s.press(.enter).isEmpty)
        #expect(s.press(.char("y")).isEmpty)
        #expect(s.status?.text.contains("read-only") == true)
        #expect(s.topPanel is ChangePanel)
    }
}

extension ResetWizardPanelTests {
    @Test func questionMarkListsTheWizardsKeys() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        let text = try t.state.expectKeyHelp()
        #expect(text.contains("pick or unpick"))
        t.state.press(.enter)  // the target step: to-earliest has no field, so ? is help
        try t.state.expectKeyHelp()
    }
}

extension CreateTopicPanelTests {
    /// In the form a field has the keys: `?` is typed; F1 opens the help.
    @Test func f1ListsTheFormsKeysAndQuestionMarkIsTyped() async throws {
        var s = try await topicsScreen()
        s.press(.char("c"))
        s.press(.char("?"))
        #expect(s.createPanel?.fields.first?.input.text.hasSuffix("?") == true)
        let text = try s.expectKeyHelp(.function(1))
        #expect(text.contains("review the topic"))
    }
}

extension DLQPanelTests {
    @Test func questionMarkListsTheBrowsersRecordViewsAndReplaysKeys() async throws {
        var s = try await opened()
        var text = try s.expectKeyHelp()
        #expect(text.contains("replay the marked records"))
        s.press(.tab)
        try s.expectKeyHelp()
        s.press(.tab, .enter)
        #expect(s.topPanel is DLQRecordPanel)
        try s.expectKeyHelp()
        s.press(.escape, .char("p"))
        #expect(s.topPanel is DLQReplayPanel)
        s.press(.enter)
        #expect(try panel(s, DLQReplayPanel.self).stage == .confirm)
        text = try s.expectKeyHelp()
        #expect(text.contains("replay the records"))
    }

    /// Read-only: the replay binding is not registered in either pane (no footer hint, no help line).
    @Test func readOnlyRegistersNoReplayKey() async throws {
        var s = try await opened(readOnly: true)
        for _ in 0..<2 {
            let p = try panel(s, DLQPanel.self)
            let keys = p.keys(s.panelContext)
            #expect(keys.bindings.allSatisfy { !$0.destructive })
            #expect(keys.withheld.map(\.help) == ["replay the marked records (else the selected one)"])
            let text = try s.expectKeyHelp()
            #expect(!text.contains("replay"))
            s.press(.tab)
        }
    }
}

extension FixesAndAuditTests {
    @Test func questionMarkListsAChangesAndAPlansKeys() async throws {
        var s = try await state()
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        #expect(s.topPanel is ChangePanel)
        let text = try s.expectKeyHelp()
        #expect(text.contains("apply the change"))
        s.press(.escape)
        s.press(.char(":")); s.type("topic legacy"); s.press(.enter)
        s.press(.char("P"))
        #expect(s.topPanel is TextPanel)
        try s.expectKeyHelp()
    }
}
