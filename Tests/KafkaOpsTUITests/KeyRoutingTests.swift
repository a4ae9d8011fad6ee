import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// The same keys everywhere (issue 13, point 4): `?`/F1, `:`, `1`-`5` and q act on every screen and in every
/// panel unless a text field has the keys; one rule decides (KeyTables.everywhere), so no panel's key table
/// may bind them.
@Suite struct KeyRoutingTests {
    /// A loaded console on every screen.
    func everyScreen() async throws -> [ConsoleState] {
        let snap = try await fakeSnapshot()
        var out: [ConsoleState] = []
        for keys: [Key] in [[], [.char("2")], [.char("2"), .enter], [.char("3")], [.char("3"), .enter], [.char("4")],
                            [.char("5")], [.char("4"), .char("w")], [.char("6")], [.char("?")]] {
            var s = loadedState(snap, size: Size(width: 120, height: 40))
            for k in keys { s.press(k) }
            out.append(s)
        }
        #expect(Set(out.map(\.current.screen)).count == out.count)
        return out
    }

    static func entry(_ offset: Int64) -> DLQEntry {
        DLQPanel.entry(Record(topic: "orders-dlt", partition: 0, offset: offset, timestamp: 1_800_000_000_000,
                              key: Array("k".utf8), value: Array("{\"id\":1}".utf8), headers: []),
                       mapping: DLQHeaderMapping())
    }

    /// One panel of every kind, at the steps where no text field has the keys.
    static func panels(_ ctx: PanelContext) -> [(String, any Panel)] {
        var out: [(String, any Panel)] = []
        out.append(("dlq picker", DLQPanel.open(topic: nil, ctx).0))
        var records = DLQPanel.open(topic: "orders", ctx).0
        out.append(("dlq records", records))
        records.pane = .summary
        out.append(("dlq summary", records))
        out.append(("dlq record", DLQRecordPanel(records: [entry(0), entry(1)], index: 0, dlqTopic: "orders-dlt", width: ctx.size.width)))
        var replay = DLQReplayPanel(dlq: "orders-dlt", entries: [entry(0)], fromMarks: false, ctx)
        replay.stage = .confirm
        out.append(("dlq replay confirm", replay))
        var create = CreateTopicPanel.open(ctx).0
        create.step = .review
        out.append(("create topic review", create))
        for step in [ResetWizardPanel.Step.loading, .loadFailed, .refused, .scope, .target, .planning, .result] {
            var w = ResetWizardPanel.open(group: "billing", ctx).0
            w.step = step
            out.append(("reset wizard \(step)", w))
        }
        let job = Job("noop", sending: ChangePanel.Event.self) { _ in }
        out.append(("change preview", ChangePanel(title: "Change", preview: [("x", .body)], blocked: nil, confirmName: nil, job: job)))
        out.append(("text", TextPanel(title: "Plan", lines: [("line", .body)])))
        return out
    }

    /// Panels at steps where a text field has the keys: the global characters are typed, F1 still helps.
    static func typingPanels(_ ctx: PanelContext) -> [(String, any Panel)] {
        var out: [(String, any Panel)] = []
        out.append(("create topic form", CreateTopicPanel.open(ctx).0))
        out.append(("dlq replay preview", DLQReplayPanel(dlq: "orders-dlt", entries: [entry(0)], fromMarks: false, ctx)))
        var search = DLQPanel.open(topic: "orders", ctx).0
        search.search = TextField("")
        out.append(("dlq search", search))
        var w = ResetWizardPanel.open(group: "billing", ctx).0
        w.step = .target
        w.targetKind = .toDatetime
        w.editingField = true  // a field takes text once entered (Enter or Tab)
        out.append(("reset wizard date-time", w))
        let retention = ConfigEntry(name: "retention.ms", value: "86400000", source: .topic)
        out.append(("config edit", ConfigEditPanel(topic: "orders", entry: retention, configs: [retention])))
        return out
    }

    @Test func theGlobalKeysActOnEveryScreen() async throws {
        for s in try await everyScreen() {
            let screen = s.current.screen
            for help in [Key.char("?"), .function(1)] {
                var a = s
                a.press(help)
                if screen == .help { #expect(a.current.screen != .help, "\(help.label) closes the help") }
                else { #expect(a.current.screen == .help, "\(screen): \(help.label)") }
            }
            var b = s
            b.press(.char("3"))
            #expect(b.current.screen == .groups && b.stack.count == 1, "\(screen): 3")
            var c = s
            c.press(.char(":"))
            #expect(c.prompt?.kind == .command, "\(screen): :")
            var d = s
            #expect(d.press(.char("q")) == [.quit], "\(screen): q")
        }
    }

    @Test func theGlobalKeysActInEveryPanel() async throws {
        let base = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        let all = Self.panels(base.panelContext)
        #expect(all.count >= 15)
        for (name, panel) in all {
            var s = base
            _ = s.push(panel)
            // ? and F1: the panel's own keys and the global ones; the same key closes that help again.
            for help in [Key.char("?"), .function(1)] {
                var a = s
                a.press(help)
                let overlay = try #require(a.topPanel as? KeyHelpPanel, "\(name): \(help.label)")
                #expect(a.panels.count == 2)
                let keys = overlay.entries.map(\.keys)
                #expect(keys.contains("1,2,3,4,5,6") && keys.contains(":") && keys.contains("q/Ctrl-C"), "\(name): \(keys)")
                for line in panel.keyHelp(base.panelContext) { #expect(overlay.entries.contains { $0 == line }, "\(name): \(line)") }
                a.press(help)
                #expect(a.panels.count == 1 && !(a.topPanel is KeyHelpPanel), "\(name): \(help.label) again closes the help")
            }
            // 3: the groups screen, the panel closed (its jobs cancelled).
            var b = s
            let effects = b.press(.char("3"))
            #expect(b.panels.isEmpty && b.current.screen == .groups, "\(name): 3")
            #expect(effects.contains(.cancelJobs(panelID: s.panels[0].id)), "\(name): \(effects)")
            // : then a command: it runs, leaving the panel.
            var c = s
            c.press(.char(":"))
            #expect(c.prompt?.kind == .command, "\(name): :")
            c.type("topics")
            c.press(.enter)
            #expect(c.panels.isEmpty && c.current.screen == .topics, "\(name): :topics")
            var d = s
            #expect(d.press(.char("q")) == [.quit], "\(name): q")
        }
    }

    @Test func aTextFieldKeepsTheGlobalCharactersButNotF1() async throws {
        let base = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        for (name, panel) in Self.typingPanels(base.panelContext) {
            var s = base
            _ = s.push(panel)
            #expect(s.topPanel?.isTyping(s.panelContext) == true, "\(name)")
            for k in [Key.char("3"), .char("?"), .char(":"), .char("q")] {
                var a = s
                #expect(a.press(k) != [.quit], "\(name): \(k.label)")
                #expect(a.panels.count == 1 && a.prompt == nil && a.current.screen == .overview, "\(name): \(k.label) was typed")
            }
            var f1 = s
            f1.press(.function(1))
            #expect(f1.topPanel is KeyHelpPanel, "\(name): F1")
        }
    }

    /// The one rule holds only if no panel binds a global key itself: every kind, every step.
    @Test func noPanelKeyTableBindsAGlobalKey() async throws {
        let base = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        let ctx = base.panelContext
        let global = Set(KeyTables.everywhere.flatMap(\.keys))
        #expect(global.isSuperset(of: [.char("?"), .function(1), .char(":"), .char("1"), .char("5"), .char("q")]))
        func check<P: FlowPanel>(_ name: String, _ p: P) {
            let bound = Set(p.keys(ctx).bindings.flatMap(\.keys) + p.keys(ctx).withheld.flatMap(\.keys))
            #expect(bound.isDisjoint(with: global), "\(name) binds \(bound.intersection(global).map(\.label))")
        }
        var w = ResetWizardPanel.open(group: "billing", ctx).0
        for step in [ResetWizardPanel.Step.loading, .loadFailed, .refused, .scope, .target, .planning, .plan, .confirm, .executing, .result] {
            w.step = step
            for kind in ResetWizardPanel.TargetKind.allCases { w.targetKind = kind; check("wizard \(step) \(kind)", w) }
        }
        var d = DLQPanel.open(topic: "orders", ctx).0
        for pane in [DLQPanel.Pane.picker, .records, .summary] { d.pane = pane; check("dlq \(pane)", d) }
        d.search = TextField(""); check("dlq search", d)
        d.search = nil; d.timeField = TextField(""); check("dlq time", d)
        check("dlq record", DLQRecordPanel(records: [Self.entry(0)], index: 0, dlqTopic: "orders-dlt", width: 120))
        var r = DLQReplayPanel(dlq: "orders-dlt", entries: [Self.entry(0)], fromMarks: false, ctx)
        for stage in [DLQReplayPanel.Stage.preview, .confirm, .running, .done] { r.stage = stage; check("replay \(stage)", r) }
        var c = CreateTopicPanel.open(ctx).0
        for step in [CreateTopicPanel.Step.form, .review, .confirm] { c.step = step; check("create \(step)", c) }
        let job = Job("noop", sending: ChangePanel.Event.self) { _ in }
        var ch = ChangePanel(title: "Change", preview: [], blocked: nil, confirmName: "orders", job: job)
        for phase in [ChangePanel.Phase.preview, .running] { ch.phase = phase; check("change \(phase)", ch) }
        check("text", TextPanel(title: "Plan", lines: []))
        check("help", KeyHelpPanel(of: "x", []))
    }

    @Test func aChangeInFlightIsNotLeftByAScreenKey() async throws {
        var s = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        var w = ResetWizardPanel.open(group: "billing", s.panelContext).0
        w.step = .executing
        _ = s.push(w)
        s.press(.char("3"))
        #expect(s.panels.count == 1 && s.current.screen == .overview)
        #expect(s.status?.text.contains("wait for its result") == true, "\(s.status?.text ?? "")")
        // q asks first, as Ctrl-C does; the second quits.
        #expect(s.press(.char("q")).isEmpty)
        #expect(s.status?.text.contains("again quits anyway") == true)
        #expect(s.press(.char("q")) == [.quit])
    }

    /// j/k choose in the wizard's target list while the chosen target has nothing to type.
    @Test func jAndKMoveTheWizardsTargetList() async throws {
        var s = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        var w = ResetWizardPanel.open(group: "billing", s.panelContext).0
        w.step = .target
        _ = s.push(w)
        func kind(_ s: ConsoleState) -> ResetWizardPanel.TargetKind? { (s.topPanel as? ResetWizardPanel)?.targetKind }
        #expect(kind(s) == .toEarliest)
        s.press(.char("j"))
        #expect(kind(s) == .toLatest)
        s.press(.char("j"), .char("j"))
        #expect(kind(s) == .toOffset)
        // to-offset has a field, but on the list j and k move: nothing is typed into it.
        s.press(.char("k"))
        #expect(kind(s) == .toCurrent)
        #expect((s.topPanel as? ResetWizardPanel)?.fields[.toOffset]?.text ?? "" == "")
        s.press(.char("j"))
        #expect(kind(s) == .toOffset)
        // Entered with Enter, the field takes the text; Tab goes back to the list, where k moves again.
        s.press(.enter, .char("4"), .char("2"))
        #expect((s.topPanel as? ResetWizardPanel)?.fields[.toOffset]?.text == "42")
        s.press(.tab, .char("k"))
        #expect(kind(s) == .toCurrent)
        s.press(.up)
        #expect(kind(s) == .toLatest)
    }

    @Test func tabCompletesTheCommandThenItsArgument() async throws {
        var s = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        s.press(.char(":"))
        s.type("wh")
        s.press(.tab)
        #expect(s.prompt?.text == "whatif ")
        s.press(.tab)
        let ids = s.snapshot?.metadata.brokers.map { "whatif \($0.id)" }.sorted() ?? []
        #expect(!ids.isEmpty)
        #expect(s.prompt?.candidates.sorted() == ids)
        // An unknown command lists the known ones.
        var u = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        u.press(.char(":"))
        u.type("nonsense")
        u.press(.enter)
        #expect(u.status?.text.contains(":whatif") == true && u.status?.text.contains(":reset") == true)
    }

    @Test func ctrlZSuspendsWhereverTheConsoleIs() async throws {
        var s = loadedState(try await fakeSnapshot(), size: Size(width: 120, height: 40))
        #expect(s.press(.ctrl("z")) == [.suspend])
        s.press(.char(":"))
        #expect(s.press(.ctrl("z")) == [.suspend])
        #expect(s.prompt != nil)
    }
}
