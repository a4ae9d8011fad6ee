import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// Lag over time in the console (issue 11, point 8): the history fed by every refresh, the trend
/// rows on the groups, group detail, overview and audit screens, colour graded by severity.
@Suite struct LagConsoleTests {
    /// A refresh as the program runs it: the snapshot lands, then the lag trends built from it
    /// (in the program, off the main actor in the load task).
    static func refresh(_ s: inout ConsoleState, _ snap: ClusterSnapshot, facts: LagFacts = LagFacts()) {
        _ = s.update(.refreshDue(s.refreshID))
        _ = s.update(.snapshotLoaded(s.loadID, .success(snap)))
        _ = s.update(.lagLoaded(s.loadID, s.lag.refreshed(snap, facts: facts, policy: s.policy, now: snap.fetchedAt)))
    }

    /// Three refreshes 30 s apart: billing's committed offsets move (90, 95, 100) while the log
    /// grows faster (100, 200, 300): falling behind; the record at its committed offset is 23h30m
    /// old on a topic with 1 day of retention: at risk of data loss in 30m. new-svc (payments-0,
    /// no retention known) falls behind without risk.
    static func threeRefreshes(size: Size = Size(width: 80, height: 24)) async throws -> ConsoleState {
        var snap = try await fakeSnapshot()
        let pay0 = TopicPartition("payments", 0)
        snap.committed["new-svc"] = [pay0: 60]
        var s = loadedState(snap, size: size)
        refresh(&s, snap)
        for step in 1...2 {
            snap.fetchedAt = t0.addingTimeInterval(30 * Double(step))
            let end = Int64(100 + 100 * step)
            for p in 0..<6 {
                let tp = TopicPartition("orders", Int32(p))
                snap.committed["billing"]?[tp] = Int64(90 + 5 * step)
                snap.logOffsets[tp] = LogOffsets(start: 0, end: end)
                snap.endOffsets[tp] = end
            }
            snap.committed["new-svc"] = [pay0: Int64(60 + 10 * step)]
            snap.logOffsets[pay0] = LogOffsets(start: 50, end: end)
            snap.endOffsets[pay0] = end
            var facts = LagFacts()
            for p in 0..<6 {
                facts.recordTimes[TopicPartitionOffset(topic: "orders", partition: Int32(p), offset: Int64(90 + 5 * step))] =
                    snap.fetchedAt.addingTimeInterval(-(23.5 * 3600))
            }
            facts.retention["orders"] = TopicRetention(cleanupPolicy: "delete", retentionMs: 86_400_000)
            refresh(&s, snap, facts: facts)
        }
        s.now = snap.fetchedAt
        return s
    }

    @Test func theHistoryFedAcrossTwoRefreshesGivesATrend() async throws {
        let snap = try await fakeSnapshot()
        var s = loadedState(snap)
        Self.refresh(&s, snap)
        #expect(s.lag.rows["billing"]?.trend == .unknown)  // one sample: no trend yet
        #expect(s.lag.history.sampleCount(group: "billing") == 1)
        s = try await Self.threeRefreshes()
        #expect(s.lag.history.sampleCount(group: "billing") == 3)
        #expect(s.lag.rows["billing"]?.trend == .fallingBehind)
        #expect(s.lag.rows["billing"]?.atRisk == true)
        #expect(s.lag.rows["new-svc"]?.trend == .fallingBehind)
        #expect(s.lag.rows["new-svc"]?.atRisk == false)
    }

    @Test func groupsAt80x24KeepGroupTrendTimeLagAndLag() async throws {
        var s = try await Self.threeRefreshes()
        s.press(.char("3"))
        let lines = s.screenLines()
        #expect(lines[2] == " GROUP              TREND↑                   TIME-LAG       LAG ETA/DATA-LOSS")
        let billing = try #require(lines.first { $0.hasPrefix(" billing") })
        #expect(billing == " billing            !falling_behind ▁▅█        23h30m      1200 LOSS from 30m")
        let newSvc = try #require(lines.first { $0.hasPrefix(" new-svc") })
        #expect(newSvc.contains("falling_behind ▂▅█") && !newSvc.contains("!falling_behind"))
        #expect(lines.contains { $0.hasPrefix(" audit") && $0.contains("LOST 45") })
    }

    @Test func groupsAt200x50ShowEveryColumn() async throws {
        var s = try await Self.threeRefreshes(size: Size(width: 200, height: 50))
        s.press(.char("3"))
        let lines = s.screenLines()
        for title in ["GROUP", "TREND", "TIME-LAG", "LAG", "ETA/DATA-LOSS", "STATE", "MEMB", "WORST", "TOPICS"] {
            #expect(lines[2].contains(title), "\(title) missing at 200 columns")
        }
        let billing = try #require(lines.first { $0.hasPrefix(" billing") })
        #expect(billing.contains("!falling_behind ▁▅█") && billing.contains("Stable") && billing.contains("orders-"))
    }

    @Test func lagColourIsGradedBySeverityAndAtRiskIsMarkedWithoutColour() async throws {
        var s = try await Self.threeRefreshes()
        s.press(.char("3"), .char("j"))  // worst first: billing, audit, new-svc; the selection (its own role) on audit
        let g = s.grid()
        let risky = try #require(g.find("!falling_behind"))
        #expect(g.role(x: risky.x, y: risky.y) == .critical)
        let lines = s.screenLines()
        let y = try #require(lines.firstIndex { $0.hasPrefix(" new-svc") })
        let x = try #require(lines[y].range(of: "falling_behind")).lowerBound.utf16Offset(in: lines[y])
        #expect(g.role(x: x, y: y) == .warning)
        // Without colour the grid is the same (only the terminal maps roles to looks): the `!` and
        // the trend word tell at-risk from falling behind.
        var mono = Grid(width: 80, height: 24)
        render(s, theme: .monochrome, into: &mono)
        #expect(mono.lines == lines)
        #expect(Fmt.role(.caughtUp, atRisk: false) == .healthy)
        #expect(Fmt.role(.stalled, atRisk: false) == .critical)
    }

    @Test func overviewCountsGroupsByTrendWithTheAtRiskFirst() async throws {
        let s = try await Self.threeRefreshes(size: Size(width: 120, height: 30))
        let lines = s.screenLines()
        let line = try #require(lines.first { $0.hasPrefix(" Lag ") })
        #expect(line.hasPrefix(" Lag ! 1 AT RISK OF DATA LOSS (billing from 30m)"))
        #expect(line.contains("falling_behind 2"))
    }

    @Test func groupDetailShowsTrendRatesAndEmptySince() async throws {
        var s = try await Self.threeRefreshes(size: Size(width: 200, height: 40))
        s.press(.char("3"))
        s.type("/billing")
        s.press(.enter, .enter)
        var lines = s.screenLines()
        #expect(lines[3].hasPrefix(" ! AT RISK OF DATA LOSS from 30m  trend falling_behind  time lag 23h30m"))
        let header = lines[4]
        for title in ["TREND", "TIME-LAG", "CONS/s", "PROD/s", "NOT-MOVED", "LSO"] { #expect(header.contains(title)) }
        let orders0 = try #require(lines.first { $0.hasPrefix(" orders") })
        // 10 records consumed and 200 produced in 60 s.
        #expect(orders0.contains(" 0.2 ") && orders0.contains(" 3.3 "))
        // The Empty group: when it was first seen empty, and how long its offsets are kept.
        s.press(.escape, .escape)
        s.type("/audit")
        s.press(.enter, .enter)
        lines = s.screenLines()
        #expect(lines[3].contains("empty since at least \(Fmt.clock(t0)); offsets.retention 7d0h (Kafka default)"))
    }

    @Test func theCommittedOffsetsLastMoveIsShown() async throws {
        var s = try await Self.threeRefreshes(size: Size(width: 200, height: 40))
        var third = try #require(s.snapshot)
        third.fetchedAt = t0.addingTimeInterval(180)
        Self.refresh(&s, third)  // billing's offsets stay at 100 since the sample at t0 + 60 s
        s.press(.char("3"))
        s.type("/billing")
        s.press(.enter, .enter)
        let lines = s.screenLines()
        let header = lines[4]
        let orders0 = try #require(lines.first { $0.hasPrefix(" orders") })
        let col = try #require(header.range(of: "NOT-MOVED")).upperBound.utf16Offset(in: header)
        let cell = String(Array(orders0.unicodeScalars)[(col - 9)..<col].map(Character.init))
        #expect(cell.trimmingCharacters(in: .whitespaces) == "2m")
    }

    @Test func theAuditScreenShowsTheDataLossRiskFoundWithTheLagFacts() async throws {
        var s = try await Self.threeRefreshes(size: Size(width: 160, height: 40))
        let risk = try #require(s.derived?.audit?.findings.first { $0.rule == PolicyRule.groupDataLossRisk })
        #expect(risk.target == "billing" && risk.severity == .error)
        s.press(.char("5"))
        // The RULE column cuts the name at its width.
        #expect(s.screenLines().contains { $0.contains("error") && $0.contains("billing") && $0.contains("group-data-loss-r") })
        // The next snapshot lands before its lag facts: the risk stays shown meanwhile.
        _ = s.update(.refreshDue(s.refreshID))
        _ = s.update(.snapshotLoaded(s.loadID, .success(try #require(s.snapshot))))
        #expect(s.derived?.audit?.findings.contains { $0.rule == PolicyRule.groupDataLossRisk } == true)
    }

    /// A refresh that adds rows above the selected one (a data-loss risk found with the lag facts)
    /// moves its index; a filter that then hides it selects the first match, not the row now at that index.
    @Test func aFilterThatHidesTheSelectedRowSelectsTheFirstMatch() {
        func row(_ id: String) -> Row { Row(id: id, cells: [id], sortKeys: [.text(id)]) }
        var t = Table(title: "t", columns: [.flex("NAME")], rows: [row("a"), row("b"), row("bb")], emptyText: "")
        t.setRows([row("0"), row("a"), row("b"), row("bb")])
        #expect(t.selectedRow?.id == "a")
        t.setFilter("b")
        #expect(t.selectedRow?.id == "b")  // not "bb", the row at a's old index
    }
}
