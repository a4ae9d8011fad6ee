import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

@Suite struct UpdateTests {
    @Test func startingLoadsMetadataFirstAndArmsTheClock() {
        var s = ConsoleState(profileName: "demo", now: t0)
        let effects = s.update(.started)
        #expect(effects == [.loadSnapshot(id: 1, metadataFirst: true), .scheduleTick(after: .milliseconds(250))])
        #expect(s.loading)
        #expect(s.current.screen == .overview)
    }

    @Test func metadataAloneFillsTheScreenThenTheFullSnapshotCompletesIt() async throws {
        let full = try await fakeSnapshot()
        var metadataOnly = ClusterSnapshot(metadata: full.metadata, fetchedAt: t0)
        metadataOnly.problems = []
        var s = ConsoleState(profileName: "demo", now: t0)
        _ = s.update(.started)
        _ = s.press(.char("3"))
        #expect(s.update(.metadataLoaded(1, .success(metadataOnly))) == [])
        #expect(s.loading)
        #expect(!s.snapshotComplete)
        #expect(s.screenLines().contains { $0.contains("loading consumer groups…") })
        let effects = s.update(.snapshotLoaded(1, .success(full)))
        #expect(!s.loading && s.snapshotComplete)
        #expect(effects == [.scheduleRefresh(id: 1, after: .seconds(10))])
        #expect(s.current.table?.count == 3)
    }

    @Test func refreshReArmsItselfAndIgnoresStaleTimers() async throws {
        var s = loadedState(try await fakeSnapshot())
        let armed = s.refreshID
        // The timer fires: a load starts (not metadata-first this time).
        #expect(s.update(.refreshDue(armed)) == [.loadSnapshot(id: 2, metadataFirst: false)])
        // An old timer is ignored.
        #expect(s.update(.refreshDue(armed - 1)) == [])
        // The result re-arms the next refresh.
        #expect(s.update(.snapshotLoaded(2, .success(try await fakeSnapshot()))) == [.scheduleRefresh(id: armed + 1, after: .seconds(10))])
        // `r` refreshes now; a second `r` while loading says why it does nothing.
        #expect(s.press(.char("r")) == [.loadSnapshot(id: 3, metadataFirst: false)])
        #expect(s.press(.char("r")) == [])
        #expect(s.status?.text == "refresh now: already loading")
        // The timer that was armed before `r` finds a load running and does nothing.
        #expect(s.update(.refreshDue(armed + 1)) == [])
    }

    @Test func ticksAdvanceTheClockAndReArm() async throws {
        var s = loadedState(try await fakeSnapshot())
        #expect(s.update(.ticked(t0.addingTimeInterval(65))) == [.scheduleTick(after: .seconds(1))])
        #expect(s.screenLines()[0].hasSuffix("updated 1m ago"))
        _ = s.press(.char("r"))
        #expect(s.update(.ticked(t0.addingTimeInterval(66))) == [.scheduleTick(after: .milliseconds(150))])
    }

    @Test func aFailedRefreshKeepsTheDataAndSaysSoOnTheStatusLine() async throws {
        var s = loadedState(try await fakeSnapshot())
        _ = s.press(.char("r"))
        let err = ClusterError(.unreachable, "no broker answered", hint: "check kafka-1:9092")
        let effects = s.update(.snapshotLoaded(s.loadID, .failure(err)))
        #expect(effects.count == 1)
        #expect(s.snapshot != nil)
        #expect(s.lastError == err)
        let lines = s.screenLines()
        #expect(lines[22].hasPrefix("refresh failed, showing data from 3s ago: no broker answered: check kafka-1:9092"))
        #expect(s.grid().role(x: 0, y: 22) == .statusError)
        // The age of the kept data is marked as stale in the header.
        #expect(s.grid().role(x: 79 - "updated 3s ago".count, y: 0) == .badge)
    }

    @Test func aHungLoadTimesOutAndALateAnswerIsIgnored() async throws {
        var s = ConsoleState(profileName: "demo", now: t0)
        _ = s.update(.started)
        let effects = s.update(.loadTimedOut(1))
        #expect(effects == [.scheduleRefresh(id: 1, after: .seconds(10))])
        #expect(!s.loading)
        #expect(s.lastError?.kind == .timeout)
        _ = s.update(.snapshotLoaded(1, .success(try await fakeSnapshot())))
        #expect(s.snapshot == nil)
        #expect(s.screenLines()[2].contains("cannot load the cluster: the cluster did not answer in time"))
    }

    @Test func navigationMovesAndScrollsTheSelection() async throws {
        var s = loadedState(try await fakeSnapshot(FakeCluster(topicCount: 100)))
        _ = s.press(.char("2"))
        #expect(s.current.table?.selected == 0)
        s.press(.char("j"), .down, .down)
        #expect(s.current.table?.selected == 3)
        s.press(.up)
        #expect(s.current.table?.selected == 2)
        s.press(.pageDown)
        #expect(s.current.table?.selected == 2 + s.viewportRows)
        s.press(.char("G"))
        #expect(s.current.table?.selected == 106)
        #expect(s.current.table?.offset == 107 - s.viewportRows)
        s.press(.char("g"))
        #expect(s.current.table?.selected == 0 && s.current.table?.offset == 0)
        s.press(.pageUp)
        #expect(s.current.table?.selected == 0)
    }

    @Test func enterDrillsInAndEscGoesBack() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        s.type("/orders")
        s.press(.enter, .enter)
        #expect(s.current.screen == .topicDetail("orders"))
        #expect(s.stack.count == 2)
        #expect(s.screenLines()[23] == "Tab pane  Enter open  Esc back  s sort  d dlq  q quit  ? help  / filter  : cmd")
        s.press(.tab, .tab)  // Groups pane
        #expect(s.current.table?.title == "Groups")
        s.press(.enter)
        #expect(s.current.screen == .groupDetail("billing"))
        s.press(.enter)  // a partition row opens its topic: back to the same topic, not a deeper stack
        #expect(s.current.screen == .topicDetail("orders"))
        #expect(s.stack.count == 2)
        s.press(.escape)
        #expect(s.current.screen == .topics)
        // The filter survives the round trip; Esc clears it, then Esc at the root only hints.
        #expect(s.current.table?.filter == "orders")
        s.press(.escape)
        #expect(s.current.table?.filter == "")
        s.press(.escape)
        #expect(s.current.screen == .topics)
        #expect(s.status?.text == "press q to quit")
    }

    @Test func enterOnARowWithoutDetailSaysWhy() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"), .enter)  // topic detail, partitions pane
        s.press(.enter)
        #expect(s.status?.text == "open the selected group: no detail view for this row")
        #expect(s.stack.count == 2)
    }

    @Test func filterIsIncrementalCaseInsensitiveAndEscRestores() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"), .char("/"))
        #expect(s.prompt?.kind == .filter)
        s.type("PA")
        #expect(s.current.table?.count == 1)  // payments
        s.type("Y")
        #expect(s.current.table?.selectedRow?.id == "payments")
        s.press(.backspace, .backspace, .backspace)
        #expect(s.current.table?.count == 7)
        s.type("xyz")
        #expect(s.current.table?.count == 0)
        #expect(s.screenLines()[3].contains("no rows match the filter 'xyz' (Esc clears it)"))
        s.press(.escape)
        #expect(s.prompt == nil)
        #expect(s.current.table?.filter == "")
        #expect(s.current.table?.count == 7)
        // While the prompt is open, letters are text, not keys.
        s.press(.char("/"))
        s.type("q")
        #expect(!s.quitting)
        #expect(s.current.table?.count == 0)
        s.press(.enter)
        #expect(s.prompt == nil && s.current.table?.filter == "q")
    }

    @Test func sortCyclesColumnsAndReverses() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        // Worst first by default (the ISR health column, descending), said in the title line.
        #expect(s.current.table?.sortColumn == 4 && s.current.table?.descending == true)
        #expect(s.screenLines()[1].contains("sort: worst first"))
        for _ in 0..<5 { s.press(.char("s")) }  // cycles on: URP, END-OFFSETS, LAG, TOPIC, PARTS
        #expect(s.current.table?.sortColumn == 1)
        #expect(s.screenLines()[1].contains("sort: PARTS↑"))
        #expect(s.status?.text == "sorted by PARTS")
        s.press(.char("S"))  // PARTS descending: orders (6) first
        #expect(s.current.table.map { $0.rows[$0.order[0]].id } == "orders")
        for _ in 0..<6 { s.press(.char("s")) }
        #expect(s.current.table?.sortColumn == 7)  // LAG ascending: unknown lag (-) last
        let ids = s.current.table.map { t in t.order.map { t.rows[$0].id } } ?? []
        #expect(Array(ids.prefix(2)) == ["orders", "payments"])
        s.press(.char("S"))
        let desc = s.current.table.map { t in t.order.map { t.rows[$0].id } } ?? []
        #expect(Array(desc.prefix(2)) == ["payments", "orders"])
        #expect(s.screenLines()[2].hasSuffix("LAG↓"))
    }

    @Test func unhealthyToggleAndInternalToggle() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"), .char("u"))
        let ids = s.current.table.map { t in t.order.map { t.rows[$0].id } } ?? []
        #expect(ids == ["legacy", "payments", "orders"], "worst first: offline, under min ISR, under-replicated")
        #expect(s.screenLines()[1].contains("unhealthy only"))
        s.press(.char("u"), .char("i"))
        #expect(s.current.table?.count == 8)
    }

    @Test func commandLineCompletesAndRuns() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char(":"))
        s.press(.tab)  // nothing typed: every command is a candidate, shown after the prompt
        #expect(s.prompt?.text == "")
        #expect(s.prompt?.candidates == ConsoleCommands.all.map(\.name))
        #expect(s.screenLines()[22].hasPrefix(":█  overview topics groups brokers audit create dlq records probe whatif reset"), "\(s.screenLines()[22])")
        s.type("gr")
        s.press(.tab)
        // A command that takes an argument gets its space: the next Tab offers the arguments (issue 13).
        #expect(s.prompt?.text == "groups ")
        s.press(.enter)
        #expect(s.current.screen == .groups)
        s.press(.char(":"))
        s.type("to")
        s.press(.tab)
        #expect(s.prompt?.text == "topics ")
        s.press(.ctrl("u"))
        s.type("topic pay")
        s.press(.tab)
        #expect(s.prompt?.text == "topic payments")
        s.press(.enter)
        #expect(s.current.screen == .topicDetail("payments"))
        s.press(.char(":"))
        s.type("brokers")
        s.press(.enter)
        #expect(s.current.screen == .brokers && s.stack.count == 1)
        s.press(.char(":"))
        s.type("nonsense")
        s.press(.enter)
        #expect(s.status?.isError == true)
        #expect(s.status?.text.hasPrefix("unknown command ':nonsense'") == true)
        s.press(.char(":"))
        s.type("q")
        #expect(s.press(.enter) == [.quit])
    }

    @Test func quitKeysQuitFromAnywhere() async throws {
        var s = loadedState(try await fakeSnapshot())
        #expect(s.press(.char("q")) == [.quit])
        var t = loadedState(try await fakeSnapshot())
        t.press(.char("/"))
        #expect(t.press(.ctrl("c")) == [.quit])
    }

    @Test func helpIsBuiltFromTheKeyTableOfTheScreen() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"), .char("?"))
        #expect(s.current.screen == .help)
        let help = s.current.table?.rows.map { $0.cells[1] } ?? []
        let expected = KeyTables.bindings(for: .topics, readOnly: false).map(\.help)
        #expect(Array(help.prefix(expected.count)) == expected)
        #expect(help.contains("only unhealthy topics (toggle)"))
        // Then the `:` commands.
        let keys = s.current.table?.rows.map { $0.cells[0] } ?? []
        #expect(Array(keys.suffix(23)) == [":overview", ":topics", ":groups", ":brokers", ":audit", ":create", ":dlq", ":records", ":probe", ":ctx",
                                           ":acls", ":configs", ":help", ":quit", ":topic NAME", ":group NAME", ":dlq TOPIC", ":records TOPIC",
                                           ":probe TOPIC", ":whatif BROKER", ":reset GROUP", ":ctx PROFILE", ":configs TOPIC"])
        s.press(.char("?"))
        #expect(s.current.screen == .topics)
    }

    @Test func everyBindingKeyIsReachableAndNoKeyIsBoundTwiceOnAScreen() {
        for screen in [Screen.overview, .brokers, .topics, .groups, .topicDetail("t"), .groupDetail("g"), .help] {
            var seen = Set<Key>()
            for b in KeyTables.bindings(for: screen, readOnly: false) {
                for k in b.keys {
                    #expect(!seen.contains(k), "\(k) bound twice on \(screen)")
                    seen.insert(k)
                }
            }
        }
    }

    @Test func resizeKeepsTheSelectionVisible() async throws {
        var s = loadedState(try await fakeSnapshot(FakeCluster(topicCount: 100)), size: Size(width: 160, height: 48))
        s.press(.char("2"), .char("G"))
        _ = s.update(.resized(Size(width: 80, height: 24)))
        let t = try #require(s.current.table)
        #expect(t.selected >= t.offset && t.selected < t.offset + s.viewportRows)
    }
}
