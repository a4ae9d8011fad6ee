import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsDemo
@testable import KafkaOpsTUI

/// Issue 13 (points 1, 2, 3, 9): the overview answers "what is wrong", worst first, the columns that
/// matter are never cut, and without colour the states still differ. Views as text grids.
@Suite struct OnCallViewTests {
    /// The demo cluster on a manual clock: loaded at t0 with every broker live, then refreshed 35 s
    /// later (broker 3 stopped at 30 s: the standard scenario's timeline).
    static func brokerThreeDown(size: Size = Size(width: 80, height: 24)) async throws -> ConsoleState {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        var snap = try await SnapshotLoader(client: demo).load(deadline: .seconds(60))
        snap.fetchedAt = t0
        var s = loadedState(snap, size: size)
        demo.clock.advance(by: 35)
        var later = try await SnapshotLoader(client: demo).load(deadline: .seconds(60))
        later.fetchedAt = t0.addingTimeInterval(35)
        LagConsoleTests.refresh(&s, later)
        s.now = later.fetchedAt.addingTimeInterval(1)
        return s
    }

    // MARK: point 1

    @Test func theOverviewNamesABrokerThatLeftAsADownRow() async throws {
        let s = try await Self.brokerThreeDown()
        let lines = s.screenLines()
        let since = "DOWN since " + Fmt.clock(t0.addingTimeInterval(35))
        let row = try #require(lines.first { $0.contains(since) }, "no DOWN row:\n\(lines.joined(separator: "\n"))")
        #expect(row.hasPrefix("      3 kafka-3.demo"), "\(row)")
        #expect(lines[2].contains("brokers 2 live, 1 DOWN"), "\(lines[2])")
        // The partition counts fit (short labels when the long ones do not): never cut.
        #expect(lines[3].hasPrefix(" Partitions ") && lines[3].contains("at min") && !lines[3].contains("…"), "\(lines[3])")
        // The worst-now rows fit at 80 columns.
        let worst = lines.drop { !$0.contains("Worst now") }.dropFirst().prefix { !$0.isEmpty }
        #expect(!worst.isEmpty && !worst.contains { $0.contains("…") && !$0.hasPrefix(" … ") }, "\(worst)")
        let g = s.grid()
        let cell = try #require(g.find(since))
        #expect(g.role(x: cell.x, y: cell.y) == .offline)
        // The brokers screen (4) shows it too.
        var b = s
        b.press(.char("4"))
        #expect(b.screenLines().contains { $0.contains("kafka-3.demo") && $0.contains(since) })
    }

    /// Issue 23 point 8: a broker already down when the console starts keeps the host an earlier run saw
    /// (`BrokerMemory`), with when it was last seen; without that memory it is only an id.
    @Test func aBrokerDownSinceBeforeTheStartKeepsTheHostAnEarlierRunSaw() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let before = try await SnapshotLoader(client: demo).load(deadline: .seconds(60))
        let three = try #require(before.metadata.brokers.first { $0.id == 3 })
        demo.clock.advance(by: 35)  // broker 3 stops at 30 s: this run starts with it down
        var snap = try await SnapshotLoader(client: demo).load(deadline: .seconds(60))
        snap.fetchedAt = t0
        var s = loadedState(snap)
        s.press(.char("4"))
        let unknown = try #require(s.screenLines().first { $0.hasPrefix("      3 ") }, "\(s.screenLines().joined(separator: "\n"))")
        #expect(!unknown.contains(three.host) && unknown.contains("DOWN"), "\(unknown)")

        let seen = t0.addingTimeInterval(-3600)
        s.update(.brokersRecalled(cluster: try #require(snap.metadata.clusterID), [RememberedBroker(broker: three, lastSeenLive: seen)]))
        let row = try #require(s.screenLines().first { $0.hasPrefix("      3 ") })
        #expect(row.contains(three.host) && row.contains(String(three.port)), "\(row)")
        #expect(row.contains("DOWN, seen " + Fmt.dayClock(seen)), "\(row)")
        // The overview's header counts the same down broker its list shows.
        s.press(.char("1"))
        let lines = s.screenLines()
        #expect(lines[2].contains("brokers 2 live, 1 DOWN"), "\(lines[2])")
        #expect(lines.filter { $0.contains("DOWN, seen") }.count == 1)
        // A recall for another cluster (a `:ctx` switch meanwhile) changes nothing.
        var other = loadedState(snap)
        other.update(.brokersRecalled(cluster: "another-cluster", [RememberedBroker(broker: three, lastSeenLive: seen)]))
        #expect(!other.roster.hasRecalled)
    }

    /// Issue 23 point 8: every group the header's "DATA LOST in N group(s)" counts has its row in "Worst now".
    @Test func theHeadersDataLostCountHasItsRowsInWorstNow() async throws {
        let s = try await Self.brokerThreeDown()
        let lines = s.screenLines()
        let lost = try #require(s.derived?.groupLags.filter { $0.partitionsWithDataLoss > 0 })
        #expect(!lost.isEmpty, "the scenario must lose data for this to mean anything")
        #expect(lines[4].contains("DATA LOST in \(lost.count) group(s)"), "\(lines[4])")
        let rows = lines.filter { $0.contains("DATA LOST     group") }
        #expect(rows.count == lost.count, "\(lines.joined(separator: "\n"))")
        for g in lost { #expect(rows.contains { $0.contains(g.group) }, "\(g.group) not in \(rows)") }
    }

    @Test func theFewerBrokersWarningWrapsInsteadOfBeingCut() async throws {
        let s = try await Self.brokerThreeDown()
        let text = s.screenLines().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("! fewer live brokers (2) than the largest replication factor (3): those partitions stay "
                              + "under-replicated and one more failure can stop acks=all writes"), "\(text)")
        #expect(!s.screenLines().contains { $0.contains("broke…") })
    }

    @Test func worstNowListsWhatIsWrongWorstFirstAndEnterOpensIt() async throws {
        var s = loadedState(try await fakeSnapshot())
        let lines = s.screenLines()
        let heading = try #require(lines.firstIndex { $0.contains("Worst now") }, "\(lines.joined(separator: "\n"))")
        // legacy has offline partitions, payments one under min ISR: in that order, under the brokers.
        #expect(lines[heading + 1].contains("OFFLINE") && lines[heading + 1].contains("topic legacy"), "\(lines[heading + 1])")
        #expect(lines[heading + 2].contains("UNDER MIN ISR") && lines[heading + 2].contains("topic payments"))
        // A broker the partitions name but the metadata does not list (legacy's replica 4) is a DOWN row.
        #expect(lines.contains { $0.hasPrefix("      4 -") && $0.contains("DOWN") })
        for _ in 0..<20 where s.current.table?.selectedRow?.id != "worst:topic:legacy" { s.press(.char("j")) }
        #expect(s.current.table?.selectedRow?.id == "worst:topic:legacy")
        s.press(.enter)
        #expect(s.current.screen == .topicDetail("legacy"))
    }

    @Test func laggingCountsTheGroupsWhoseLagMatters() async throws {
        // threeRefreshes, plus "steady": 5 records behind on orders at every refresh while the log grows (keeping up).
        var snap = try await fakeSnapshot()
        var s = loadedState(snap)
        for step in 0...2 {
            snap.fetchedAt = t0.addingTimeInterval(30 * Double(step))
            let end = Int64(100 + 100 * step)
            for p in 0..<6 {
                let tp = TopicPartition("orders", Int32(p))
                snap.logOffsets[tp] = LogOffsets(start: 0, end: end)
                snap.endOffsets[tp] = end
                snap.committed["steady", default: [:]][tp] = end - 5
                snap.committed["billing"]?[tp] = Int64(90 + 5 * step)
            }
            LagConsoleTests.refresh(&s, snap)
        }
        s.now = snap.fetchedAt
        #expect(s.lag.rows["steady"]?.trend == .keepingUp)
        let matters = s.lag.rows.values.filter { $0.isLagging() }.map(\.group).sorted()
        #expect(!matters.contains("steady") && matters.contains("billing"), "\(matters)")
        // steady has some lag: counting every lag > 0 is what the overview did before.
        #expect((s.derived?.lagByGroup["steady"]?.totalLag ?? 0) > 0)
        let line = try #require(s.screenLines().first { $0.contains("lagging") })
        #expect(line.contains("lagging \(matters.count) "), "\(line)")
        // Lagging groups are in the worst-now list, linked to the group; steady is not.
        let rows = s.current.table?.rows ?? []
        #expect(rows.contains { $0.target == .groupDetail("billing") && $0.span != nil })
        #expect(!rows.contains { $0.target == .groupDetail("steady") })
    }

    // MARK: point 2

    @Test func topicsAreWorstFirstThenByNameAndTheHeaderSaysSo() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        let lines = s.screenLines()
        #expect(lines[1].contains("sort: worst first"), "\(lines[1])")
        let names = (s.current.table?.order ?? []).compactMap { s.current.table?.rows[$0].id }
        #expect(Array(names.prefix(3)) == ["legacy", "payments", "orders"], "\(names)")
        #expect(Array(names.dropFirst(3)) == names.dropFirst(3).sorted { $0.lowercased() < $1.lowercased() })
        s.press(.char("u"))
        let unhealthy = (s.current.table?.order ?? []).compactMap { s.current.table?.rows[$0].id }
        #expect(unhealthy == ["legacy", "payments", "orders"])
    }

    @Test func theAuditIsWorstFirst() async throws {
        var s = loadedState(try await fakeSnapshot())
        let findings = try #require(s.derived?.audit?.findings)
        #expect(Set(findings.map(\.severity)).count > 1, "the fake must have errors and warnings for this to mean anything")
        #expect(findings.map(\.severity) == findings.map(\.severity).sorted(by: >))
        s.press(.char("5"))
        #expect(s.screenLines()[1].contains("sort: worst first"))
        let levels = (s.current.table?.order ?? []).compactMap { s.current.table?.rows[$0].cells.first }
        #expect(levels.firstIndex(of: "warning") ?? .max > levels.lastIndex(of: "error") ?? -1, "\(levels)")
    }

    // MARK: point 3

    @Test func at80ColumnsNamesAreCutInTheMiddleAndHealthIsWhole() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        let lines = s.screenLines()
        let (legacyMark, _) = Fmt.healthMark(try #require(s.derived?.summaries.first { $0.name == "legacy" }))
        #expect(lines.contains { $0.contains(" legacy ") && $0.contains(legacyMark) }, "\(lines.joined(separator: "\n"))")
        let long = try #require(lines.first { $0.hasPrefix(" a.very") })
        #expect(long.contains("…") && long.contains("at.all "), "the name keeps both ends: \(long)")
    }

    @Test func at200ColumnsNothingThatFitsIsCut() async throws {
        var s = try await Self.brokerThreeDown(size: Size(width: 200, height: 50))
        s.press(.char("2"))
        let lines = s.screenLines()
        #expect(!lines[2..<48].contains { $0.contains("…") }, "\(lines.joined(separator: "\n"))")
        for t in s.derived?.summaries.filter({ !$0.isInternal && !$0.health.isHealthy }) ?? [] {
            let (mark, _) = Fmt.healthMark(t)
            #expect(lines.contains { $0.contains(" " + t.name + " ") && $0.contains(mark) }, "\(t.name): \(mark)")
        }
        // The audit: RULE and NOW whole on every row.
        s.press(.char("5"))
        let audit = s.screenLines()
        for r in (s.current.table?.rows ?? []).prefix(20) where r.cells.count > 3 && r.cells[3].count <= 80 {
            #expect(audit.contains { $0.contains(r.cells[2]) && $0.contains(r.cells[3]) }, "\(r.cells)")
        }
    }

    @Test func theTableGivesVitalColumnsTheirWidthBeforeNames() {
        let rows = [Row(id: "a", cells: ["search-index-updates-v2-production", "off:3 <min:3 urp:6 =min:1", "12345"],
                        sortKeys: [.text("a"), .number(0), .number(0)])]
        let t = Table(title: "t", columns: [.name("TOPIC", min: 12), .vital("ISR", width: 10), .number("LAG", 8)],
                      rows: rows, emptyText: "")
        let narrow = t.layout(width: 40)
        #expect(narrow[1] == 25, "the health cell is whole: \(narrow)")
        #expect(narrow[0] == 14 && narrow[2] == 0, "the detail column goes before the name drops below its minimum: \(narrow)")
        let wide = t.layout(width: 200)
        #expect(wide[1] == 25 && wide[2] == 8 && wide[0] == 200 - 25 - 8 - 2)
    }

    // MARK: point 9

    @Test func withoutColourOfflineUnderMinISRAndUnderReplicatedDiffer() {
        for theme in [Theme.builtIn.withoutColor, Theme.monochrome,
                      ThemeLoader.load(themesDirectory.appendingPathComponent("monochrome.yaml").path).theme] {
            let levels: [HealthLevel] = [.offline, .underMinISR, .underReplicated, .healthy]
            let attrs = levels.map { theme.style(Fmt.role($0)).attributes }
            #expect(Set(attrs).count == levels.count, "\(theme.name): \(attrs)")
            #expect(theme.style(Fmt.role(.offline)).attributes.contains(.reverse))
            // Lag is graded as colour grades it: at risk / stuck, falling behind, keeping up.
            let trends = [Fmt.role(.stalled, atRisk: false), Fmt.role(.fallingBehind, atRisk: false),
                          Fmt.role(.keepingUp, atRisk: false)]
            #expect(Set(trends.map { theme.style($0).attributes }).count == 3, "\(theme.name)")
            #expect(theme.style(Fmt.role(.caughtUp, atRisk: true)).attributes == theme.style(Fmt.role(.stalled, atRisk: false)).attributes)
        }
    }

    @Test func offlineCellsAreDrawnInTheOfflineRole() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"), .char("G"))  // the selection (drawn in its own role) on the last, healthy row
        let g = s.grid()
        let off = try #require(g.find("off:2"))
        #expect(g.role(x: off.x, y: off.y) == .offline)
        let lines = s.screenLines()
        let y = try #require(lines.firstIndex { $0.hasPrefix(" payments ") })
        let x = try #require(lines[y].range(of: "<min:1")).lowerBound.utf16Offset(in: lines[y])
        #expect(g.role(x: x, y: y) == .critical, "under min ISR: critical, not offline")
    }
}

extension OnCallViewTests {
    @Test func aLongStatusMessageWrapsInsteadOfBeingCut() async throws {
        var s = loadedState(try await fakeSnapshot())
        let text = "refused: the topic orders-archive-2026 needs 3 live brokers for its replication factor and only 2 are live; "
            + "wait for broker 3 or lower the replication factor"
        s.status = StatusMessage(text: text, isError: true)
        let lines = s.screenLines()
        #expect(lines[23].hasPrefix("Enter"), "the key footer stays")
        let shown = lines[20...22].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(shown.contains(text), "\(lines[20...22])")
        #expect(!lines[20...22].contains { $0.hasSuffix("…") })
    }
}
