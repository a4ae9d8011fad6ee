import Foundation
import KafkaOpsCore
import TestSupport
import KafkaOpsDemo
import Testing
@testable import KafkaOpsTUI

/// Issue 10 point 5: `f` on the audit screen takes the action its FIX column shows.
@Suite struct AuditFixActionTests {
    static func demoSnapshot() async throws -> ClusterSnapshot {
        var snap = try await SnapshotLoader(client: DemoCluster()).load(deadline: .seconds(60))
        snap.fetchedAt = t0
        return snap
    }

    func state(_ snap: ClusterSnapshot) -> ConsoleState {
        var s = loadedState(snap, size: Size(width: 160, height: 50))
        s.operations = OperationSettings(protected: false, bootstrap: "kafka-1:9092", openChangeLog: { MemoryChangeLog() })
        s.press(.char("5"))
        return s
    }

    /// The audit screen with the row of `rule` on `target` selected.
    func select(_ s: inout ConsoleState, rule: String, target: String) throws -> Row {
        let rows = visibleRows(try #require(s.current.table))
        let i = try #require(rows.firstIndex { $0.cells[1] == target && $0.cells[2] == rule })
        for _ in 0..<i { s.press(.down) }
        return rows[i]
    }

    @Test func rfAboveMinISROnAuditLogSetsMinISR2AsShown() async throws {
        var s = state(try await Self.demoSnapshot())
        let row = try select(&s, rule: PolicyRule.rfAboveMinISR, target: "audit-log")
        #expect(row.cells[4].hasPrefix("set min.insync.replicas=2 "))
        s.press(.char("f"))
        let panel = try #require(s.panels.last?.panel as? ChangePanel, "status \(s.status?.text ?? "")")
        #expect(panel.blocked == nil)
        #expect(panel.preview.contains { $0.text == "min.insync.replicas: 3 (topic)  →  2 (topic)" })
        let client = RecordingCluster()
        await s.runJobs(s.press(.char("y")), client: client)
        #expect(client.calls == ["alter audit-log min.insync.replicas=2"])
    }

    /// Every finding with an action, on the demo and the fake cluster: `f` plans that action, and
    /// the FIX column shows it; a finding without one gets no change at all.
    @Test(arguments: ["demo", "fake"])
    func everyFixableFindingPlansTheActionItShows(_ cluster: String) async throws {
        let snap = cluster == "demo" ? try await Self.demoSnapshot() : try await fakeSnapshot()
        let rows = visibleRows(try #require(state(snap).current.table))
        var checked = 0
        // A loaded machine may leave a part unread: its UNKNOWN row is not a finding.
        for (i, row) in rows.enumerated() where !row.id.hasPrefix("incomplete-") {
            var s = state(snap)
            for _ in 0..<i { s.press(.down) }
            let selected = s.current.table?.selectedRow?.cells ?? []
            guard let finding = s.selectedFinding else {
                Issue.record("row \(i) \(row.cells) has no finding; selected \(selected)"); continue
            }
            #expect(finding.id == row.id)
            s.press(.char("f"))
            switch finding.action {
            case .setTopicConfigs(let set)?:
                checked += 1
                for (k, v) in set { #expect(row.cells[4].contains("\(k)=\(v)"), "\(row.cells)") }
                let panel = try #require(s.panels.last?.panel as? ChangePanel, "\(row.cells)")
                for (k, v) in set {
                    #expect(panel.preview.contains { $0.text.hasPrefix("\(k): ") && $0.text.contains("→  \(v) (topic)") }, "\(row.cells)")
                }
                #expect(panel.preview.filter { $0.role == .highlight }.count == set.count)
            case .raiseReplicationFactor(let n)?:
                checked += 1
                #expect(row.cells[4].contains("raise the replication factor to \(n)") || row.cells[4].contains("--replication-factor \(n)"))
                if let panel = s.panels.last?.panel as? TextPanel {
                    #expect(panel.lines.first?.text.hasSuffix("to \(n): kafkaops executes nothing.") == true, "\(row.cells)")
                } else {
                    // More replicas than live brokers: the plan is refused with the number shown.
                    #expect(s.status?.text.hasPrefix("cannot plan RF \(n):") == true, "\(row.cells) \(s.status?.text ?? "")")
                }
            case nil:
                #expect(s.panels.isEmpty, "\(row.cells)")
            }
        }
        #expect(checked > 0)
    }

    @Test func anIncompleteAuditSaysSoInsteadOfNoFindings() async throws {
        let demo = DemoCluster()
        demo.failing = ["describeConfigs(topics)", "describeConfigs(broker)"]
        var snap = try await SnapshotLoader(client: demo).load(deadline: .seconds(60))
        snap.fetchedAt = t0
        let s = state(snap)
        let rows = visibleRows(try #require(s.current.table))
        #expect(rows.first?.cells[0] == "UNKNOWN")
        #expect(rows.contains { $0.cells[0] == "UNKNOWN" && $0.cells[3].contains("topic configs") }, "\(rows.prefix(4).map(\.cells))")
        let screen = s.screenLines().joined(separator: "\n")
        #expect(screen.contains("UNKNOWN"))
        #expect(!screen.contains("every topic meets the durability policy"))
    }
}
