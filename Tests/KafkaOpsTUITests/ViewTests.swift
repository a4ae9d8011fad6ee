import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

@Suite struct ViewTests {
    @Test func topicsAt80x24() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        let expected = [
            " kafkaops │ demo │ cluster fake-cluster-1   DEMO                 updated 3s ago",
            "Topics                                                   sort: worst first  1/7",
            " TOPIC                 PARTS  RF MINISR ISR↓                       URP       LAG",
            " legacy                    2   1      1 off:2 <min:1 urp:1 =min:1    1         -",
            " payments                  3   3      2 <min:1 urp:1                 1        95",
            " orders                    6   3      2 urp:1 =min:1                 1        60",
            " a.very.lon…end.at.all     2   3      1 ok                           0         -",
            " evil^[[31mred             1   3      1 ok                           0         -",
            " 注文イベント              1   3      1 ok                           0         -",
            " 🚀launches                1   3      1 ok                           0         -",
        ] + Array(repeating: "", count: 13) + [
            "Enter open  s sort  u unhealthy  c create  q quit  ? help  / filter  : cmd",
        ]
        #expect(s.screenLines() == expected)
    }

    @Test func topicsAt160x48ShowTheWholeNameAndTheReadOnlyBadge() async throws {
        var s = loadedState(try await fakeSnapshot(), size: Size(width: 160, height: 48), readOnly: true)
        s.press(.char("2"), .char("j"))
        let lines = s.screenLines()
        #expect(lines.count == 48)
        #expect(lines[0] == " kafkaops │ demo │ cluster fake-cluster-1   DEMO   READ-ONLY"
                + String(repeating: " ", count: 85) + "updated 3s ago")
        #expect(lines[1].hasSuffix("2/7"))
        let long = try #require(lines.first { $0.hasPrefix(" a.very") })
        #expect(long == " a.very.long.topic.name.that.goes.on.and.on.and.never.seems.to.end.at.all"
                + String(repeating: " ", count: 22) + "2   3      1 ok                           0         200         -")
        let g = s.grid()
        // The second row is selected: drawn in the selected role across the row.
        #expect(g.role(x: 0, y: 4) == .selected && g.role(x: 150, y: 4) == .selected)
        #expect(g.role(x: 1, y: 3) == .body)
        // Badges.
        let demo = try #require(g.find("DEMO"))
        #expect(g.role(x: demo.x, y: 0) == .badge)
        #expect(g.role(x: 1, y: 0) == .header)
    }

    @Test func healthMarksAndLagCarryTheirRoles() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"), .char("G"))  // the selection (drawn in its own role) on the last row
        let g = s.grid()
        let ok = try #require(g.find("ok"))
        #expect(![.warning, .critical].contains(g.role(x: ok.x, y: ok.y)), "200 days left is no alarm (the row is selected)")
        let off = try #require(g.find("off:2"))
        #expect(g.role(x: off.x, y: off.y) == .offline)
        let lines = s.screenLines()
        let y = try #require(lines.firstIndex { $0.hasPrefix(" orders ") })
        let x = try #require(lines[y].range(of: "urp:1 =min:1")).lowerBound.utf16Offset(in: lines[y])
        #expect(g.role(x: x, y: y) == .warning)
        // Column header row.
        #expect(g.role(x: 1, y: 2) == .tableHeader)
        // Footer: key in the key role, its word in the hint role.
        #expect(g.role(x: 0, y: 23) == .keyLabel)
        #expect(g.role(x: 6, y: 23) == .keyHint)
    }

    @Test func wideNamesKeepTheColumnsAligned() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        let lines = s.screenLines()
        let cjk = try #require(lines.first { $0.contains(FakeCluster.cjk) })
        let emoji = try #require(lines.first { $0.contains(FakeCluster.emoji) })
        let plain = try #require(lines.first { $0.hasPrefix(" orders") })
        #expect(DisplayWidth.of(cjk) == DisplayWidth.of(plain))
        #expect(DisplayWidth.of(emoji) == DisplayWidth.of(plain))
    }

    @Test func aHostileNameIsShownNotExecuted() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        for _ in 0..<8 where s.current.table?.selectedRow?.id != FakeCluster.hostile { s.press(.char("j")) }
        s.press(.enter)
        let g = s.grid()
        #expect(g.line(1).hasPrefix("Topics › Topic evil^[[31mred  [Partitions]"))
        #expect(!g.cells.contains { $0.char == "\u{1b}" })
    }

    @Test func typedControlCharactersAreShownNotExecuted() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"), .char("/"), .char("\u{202E}"), .char("x"))
        let g = s.grid()
        #expect(g.line(22) == "/\\u{202E}x█")
        #expect(!g.cells.contains { $0.char == "\u{202E}" })
    }

    @Test func groupsShowUnknownLagAsDashAndDataLossLoudly() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("3"))
        let lines = s.screenLines()
        // Before two samples the trend and time lag are unknown (`-`); lost records stay loud at 80 columns.
        #expect(Array(lines[2...5]) == [
            " GROUP              TREND↑                   TIME-LAG       LAG ETA/DATA-LOSS",
            " audit              -                               -        95 LOST 45",
            " billing            -                               -        60 -",
            " new-svc            -                               -         - -",
        ])
        s.press(.char("G"))
        let g = s.grid()
        let lost = try #require(g.find("LOST 45"))
        #expect(g.role(x: lost.x, y: lost.y) == .critical)
        s.press(.char("g"), .enter)  // audit: group detail
        let d = s.screenLines()
        // The aggregates say what they add up and stay whole at 80 columns (members are in the Members pane).
        #expect(d[2] == " state Empty  DATA LOST 45 records (1 partition)  lag 95 (2 partitions)")
        #expect(d[5] == " payments         0 -                               -        95 LOST 45")
    }

    @Test func theTopicDetailsLagSaysHowManyGroupsItAddsUp() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.open(.topicDetail("payments"))
        let readers = try #require(s.derived?.groupLags.filter { $0.topics.contains("payments") })
        #expect(readers.count >= 2, "the fake must have several groups on payments for this to mean anything")
        let total = readers.reduce(Int64(0)) { sum, g in sum + g.partitions.filter { $0.partition.topic == "payments" }.reduce(0) { $0 + ($1.lag ?? 0) } }
        let header = s.screenLines()[2]
        #expect(header.contains("lag \(total) (\(readers.count) groups)"), "\(header)")
        #expect(DisplayWidth.of(header) <= 80)
    }

    @Test func emptyStatesSaySo() async throws {
        var snap = try await fakeSnapshot()
        snap.groups = []
        snap.committed = [:]
        var s = loadedState(snap)
        s.press(.char("3"))
        #expect(s.screenLines()[3] == "  no consumer groups")
        #expect(s.grid().role(x: 2, y: 3) == .muted)
        s.press(.char("2"), .char("/"))
        s.type("zzz")
        #expect(s.screenLines()[3] == "  no rows match the filter 'zzz' (Esc clears it)")
        // Before any data: the overview says it is connecting.
        let fresh = ConsoleState(profileName: "prod", now: t0)
        let lines = fresh.screenLines()
        #expect(lines[0].hasSuffix("connecting"))
        #expect(lines[2] == " loading cluster metadata from prod…")
    }

    @Test func overviewCountsAndProblems() async throws {
        var snap = try await fakeSnapshot()
        snap.problems = ["consumer groups: the cluster did not answer in time"]
        let s = loadedState(snap)
        let lines = s.screenLines()
        #expect(Array(lines[2...10]) == [
            " Cluster fake-cluster-1   controller 1   brokers 3 live, 1 DOWN",
            " Partitions 19  offline 2  under min ISR 2  under-replicated 3  at min ISR 2",
            " Topics 7 (+1 internal)   Groups 3   lagging …   DATA LOST in 1 group(s)",
            " Lag sampling…",
            " Brokers            Durability 12 error(s), 2 warning(s)",
            "     ID HOST                        PORT RACK       ROLE        LEADERS REPLICAS",
            "      1 kafka-1.example             9092 az1        controller        8       17",
            "      2 kafka-2.example             9092 az2                          5       17",
            "      3 kafka-3.example             9092 -                            4       17",
        ])
        #expect(lines[20] == " Problems (1)")
        #expect(lines[21] == "  • consumer groups: the cluster did not answer in time")
        #expect(lines[22] == "1 part(s) could not be loaded (listed above)")
        let g = s.grid()
        let offline = try #require(g.find("offline 2"))
        #expect(g.role(x: offline.x + 8, y: offline.y) == .offline)
    }

    @Test func topicDetailShowsReplicasOutOfSyncAndConfigOverrides() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char(":"))
        s.type("topic orders")
        s.press(.enter)
        let lines = s.screenLines()
        #expect(lines[2] == " 6 partitions  RF 3  min ISR 2 (topic)  ISR urp:1 =min:1  lag 60 (1 group)")
        #expect(lines[3] == "  PART LEADER REPLICAS   ISR        OSR      PREF HEALTH↓    LOG-START   LOG-END")
        // Worst first: the under-replicated partition on top (selected), then the rest by partition.
        #expect(lines[4] == "     2      3 3,1,2      3,1        2        yes  urp                0       100")
        #expect(lines[5] == "     0      1 1,2,3      1,2,3               yes  ok                 0       100")
        s.press(.char("j"))
        let g = s.grid()
        let osr = try #require(g.find("2        yes  urp"))
        #expect(g.role(x: osr.x, y: osr.y) == .critical)
        s.press(.tab)
        let c = s.screenLines()
        #expect(c[5] == " min.insync.replicas                2                                   topic")
        #expect(s.grid().role(x: 1, y: 5) == .highlight)
        #expect(s.grid().role(x: 1, y: 7) == .body)  // unclean.leader.election.enable from the default
    }

    @Test func everyScreenFooterFitsAndNamesQuitAndHelp() async throws {
        var s = loadedState(try await fakeSnapshot())
        for keys in [[Key.char("1")], [.char("2")], [.char("3")], [.char("4")], [.char("2"), .enter], [.char("3"), .enter],
                     [.char("?")]] {
            s.press(.escape, .escape, .char("1"))
            for k in keys { s.press(k) }
            let footer = s.screenLines()[23]
            #expect(footer.contains("q quit") && footer.contains("? help"), "\(s.current.screen): \(footer)")
            #expect(DisplayWidth.of(footer) <= 80)
        }
    }

    @Test func topicDetailListsDurabilityFindings() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char(":"))
        s.type("topic orders")
        s.press(.enter, .char("h"))  // the last pane
        #expect(s.current.table?.title == "Durability")
        let lines = s.screenLines()
        #expect(lines[1].hasPrefix("Topics › Topic orders") && lines[1].contains("[Durability]"))
        #expect(lines[3] == " LEVEL   RULE             NOW                    EXPECTED       FIX")
        #expect(lines[4].hasPrefix(" error   retention-min    86400000 (1d, topic)   >= 604800000 … set retention"))
        #expect(lines[5] == "")
        // The selected finding in full under the table, wrapped (never cut), down to the status line.
        let now = try #require(lines.firstIndex { $0 == " now      86400000 (1d, topic)" }, "\(lines)")
        #expect(lines[now + 1].hasPrefix(" expected >= 604800000 ("))
        #expect(lines[now + 2].hasPrefix(" fix      set retention"))
        #expect(lines[now + 3] == "          topics --entity-name orders --add-config retention.ms=604800000)")
        #expect(lines[now + 4].hasPrefix(" why      "))
        #expect(lines[now + 5].hasPrefix("          ") && lines[now + 5].hasSuffix("loses records"))
        #expect(now + 5 == 21)
        #expect(!lines.contains { $0.contains("…") && $0.hasPrefix("          ") })
        // A jump to another topic replaces the detail; a topic that meets the policy says so.
        s.press(.char(":"))
        s.type("topic payments")
        s.press(.enter, .char("h"))
        let p = s.screenLines()
        #expect(p[1].hasPrefix("Topics › Topic payments"))
        #expect(p[4] == "  meets the durability policy")
    }

    @Test func groupDetailShowsClientsAndMembers() async throws {
        // Wide enough for the client column (at 80 the lag-over-time columns come first).
        var s = loadedState(try await fakeSnapshot(), size: Size(width: 200, height: 24))
        s.press(.char(":"))
        s.type("group billing")
        s.press(.enter)
        let lines = s.screenLines()
        #expect(lines[1].hasPrefix("Groups › Group billing  [Partitions]  Members"))
        #expect(lines[3] == " trend: sampling…")  // one sample so far
        #expect(lines[4].hasPrefix(" TOPIC                PART TREND") && lines[4].hasSuffix("COMMITTED     LOG-END CLIENT         HOST"))
        #expect(lines[5].hasPrefix(" orders                  0 -") && lines[5].contains("          90         100 billing-app    /10.0.0.7"))
        s.press(.tab)
        let m = s.screenLines()
        #expect(m[4].hasPrefix(" MEMBER ") && m[4].contains("CLIENT             HOST               ASSIGNED TARGET"))
        #expect(m[5].hasPrefix(" billing-1-abc ") && m[5].contains("billing-app        /10.0.0.7                 6 -"))
        // A group without commits shows unknown lag as `-`.
        s.press(.char(":"))
        s.type("group new-svc")
        s.press(.enter)
        let n = s.screenLines()
        #expect(n[2].hasPrefix(" state Stable  lag - (1 partition)  members 1  type classic"), "\(n[2])")
        #expect(n[5].hasPrefix(" payments                0 -") && n[5].contains(" no commit ") && n[5].contains("           -         100 new-app"))
    }

    @Test func brokersMarkTheController() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("4"))
        let lines = s.screenLines()
        #expect(lines[2] == "     ID HOST                        PORT RACK       ROLE        LEADERS REPLICAS")
        #expect(lines[3] == "      1 kafka-1.example             9092 az1        controller        8       17")
        #expect(lines[5] == "      3 kafka-3.example             9092 -                            4       17")
    }

    /// Issue 17: on a TLS connection the brokers screen shows days until each certificate expires,
    /// a warning under 30 days, critical once expired; without TLS there is no CERT column.
    @Test func brokersShowTheirCertificatesDaysLeftOnTLS() async throws {
        var snap = try await fakeSnapshot()
        func cert(days: Double) -> CertificateFacts {
            CertificateFacts(subject: "CN=k", issuer: "CN=ca", altNames: "", notBefore: snap.fetchedAt.addingTimeInterval(-86_400 * 300),
                             notAfter: snap.fetchedAt.addingTimeInterval(86_400 * days))
        }
        snap.metadata.brokers = snap.metadata.brokers.sorted { $0.id < $1.id }
        snap.metadata.brokers[0].certificate = cert(days: 200.5)
        snap.metadata.brokers[1].certificate = cert(days: 12.5)
        snap.metadata.brokers[2].certificate = cert(days: -3)
        var s = loadedState(snap)
        s.press(.char("4"))
        let lines = s.screenLines()
        #expect(lines[2].hasSuffix("CERT"))
        #expect(lines[3].hasSuffix("200d"))
        #expect(lines[4].hasSuffix("12d"))
        #expect(lines[5].hasSuffix("EXPIRED"))
        let g = s.grid()
        let warn = try #require(g.find("12d")), expired = try #require(g.find("EXPIRED")), ok = try #require(g.find("200d"))
        #expect(g.role(x: warn.x, y: warn.y) == .warning)
        #expect(g.role(x: expired.x, y: expired.y) == .critical)
        #expect(![.warning, .critical].contains(g.role(x: ok.x, y: ok.y)), "200 days left is no alarm (the row is selected)")
    }

    @Test func tooSmallTerminalSaysWhatItNeeds() async throws {
        let s = loadedState(try await fakeSnapshot(), size: Size(width: 60, height: 20))
        let lines = s.screenLines()
        #expect(lines[9] == "        terminal too small (need 80x24, have 60x20)")
        #expect(lines[10] == "           enlarge the window, or press q to quit")
        #expect(lines.filter { !$0.isEmpty }.count == 2)
    }

    @Test func monochromeKeepsEveryCellsRoleSoAttributesCanTellThemApart() async throws {
        // The grid is the same whatever the theme: only the terminal maps roles to looks.
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("2"))
        var a = Grid(width: 80, height: 24), b = Grid(width: 80, height: 24)
        render(s, theme: .builtIn, into: &a)
        render(s, theme: .monochrome, into: &b)
        #expect(a == b)
    }
}
