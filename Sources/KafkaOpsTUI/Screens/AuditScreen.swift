import Foundation
import KafkaOpsCore

extension Tables {
    // MARK: audit

    /// Every finding of the durability audit (topics, broker defaults, groups), errors first.
    /// Cells past the columns (expected, reason) are shown under the table for the selected row.
    static func audit(_ derived: Derived?, complete: Bool) -> Table {
        let columns = [Column("LEVEL", width: 7), Column("TARGET", width: 18, minWidth: 10), Column("RULE", width: 18),
                       Column("NOW", width: 14), .flex("FIX", min: 10)]
        var rows: [Row] = []
        let findings = (derived?.audit?.findings ?? []).sorted {
            ($1.severity, $0.target, $0.rule) < ($0.severity, $1.target, $1.rule)
        }
        for f in findings {
            let role: Role = f.severity == .error ? .critical : (f.severity == .warning ? .warning : .muted)
            let target: Screen? = f.targetKind == .topic ? .topicDetail(f.target)
                : (f.targetKind == .group ? .groupDetail(f.target) : nil)
            // The id finds the finding again (`ConsoleState.selectedFinding`): `f` takes its action, the fix shown here.
            rows.append(Row(
                id: f.id,
                cells: [f.severity.rawValue, Fmt.safe(f.target), Fmt.safe(f.rule), Fmt.safe(f.current), Fmt.safe(f.fix),
                        Fmt.safe(f.expected), Fmt.safe(f.reason)],
                roles: [role, .body, .body, role, .body],
                sortKeys: [.number(-Int64(f.severity == .error ? 2 : f.severity == .warning ? 1 : 0)), .text(f.target),
                           .text(f.rule), .text(f.current), .text(f.fix)],
                search: "\(Fmt.safe(f.target)) \(f.rule) \(f.fix)", unhealthy: f.severity != .info, target: target))
        }
        // What could not be read makes the audit incomplete: one row each, above the findings, so the
        // screen never says "meets the policy" on a guess.
        let missing = derived?.audit?.incomplete ?? []
        rows.insert(contentsOf: missing.enumerated().map { i, m in
            Row(id: "incomplete-\(i)",
                cells: ["UNKNOWN", "audit", "incomplete", Fmt.safe(m), "reload (r) or raise the timeout",
                        "every part of the cluster read", "what could not be read was not checked: it may break the policy"],
                roles: [.critical, .body, .body, .critical, .body],
                sortKeys: [.number(-3), .text(""), .text(""), .text(m), .text("")],
                search: "incomplete " + Fmt.safe(m), unhealthy: true)
        }, at: 0)
        let empty = derived?.audit == nil ? (complete ? "no audit" : "loading configs…") : "every topic meets the durability policy"
        return Table(title: "Audit", columns: columns, rows: rows, emptyText: empty, sortColumn: nil)
    }

    // MARK: what if a broker goes down

    /// The partitions that change when broker `id` goes down, worst first.
    static func whatIf(_ id: Int32, _ snap: ClusterSnapshot?, complete: Bool) -> Table {
        let columns = [Column("TOPIC", width: 0, minWidth: 12), .number("PART", 5), Column("LEADER", width: 8),
                       Column("ISR AFTER", width: 12), .number("MINISR", 6), Column("AFTER", width: 18)]
        var rows: [Row] = []
        var empty = snap == nil ? "loading…" : "nothing changes: every partition keeps its leader and ISR"
        if let snap {
            switch WhatIf.brokerDown(id, snapshot: snap) {
            case .failure(let e): empty = Fmt.safe(e.description)
            case .success(let r):
                for t in r.topics {
                    for p in t.partitions {
                        let (text, role, rank): (String, Role, Int64) =
                            p.offline ? ("OFFLINE", .critical, 0)
                            : p.dataLossPossible ? ("unclean: DATA LOSS", .critical, 1)
                            : p.underMinISR ? ("under min ISR", .critical, 2)
                            : p.underReplicated ? ("under-replicated", .warning, 3) : ("leader moves", .muted, 4)
                        let leader = "\(p.leaderBefore.map(String.init) ?? "-")→\(p.leaderAfter.map(String.init) ?? "-")"
                        let isr = Fmt.ids(p.isrAfter)
                        rows.append(Row(
                            id: "\(t.topic)-\(p.partition)",
                            cells: [Fmt.safe(t.topic), String(p.partition), leader, isr.isEmpty ? "none" : isr, String(p.minISR), text],
                            roles: [.body, .body, p.leaderAfter == nil ? .critical : .body, .body, .body, role],
                            sortKeys: [.text(t.topic), .number(Int64(p.partition)), .text(leader), .number(Int64(p.isrAfter.count)),
                                       .number(Int64(p.minISR)), .number(rank)],
                            search: Fmt.safe(t.topic), unhealthy: rank < 4, target: .topicDetail(t.topic)))
                    }
                }
            }
        }
        if !complete && snap != nil { empty = "loading configs…" }
        var t = Table(title: "What if", columns: columns, rows: rows, emptyText: empty, sortColumn: 5)
        t.setSort(column: 5, descending: false)
        return t
    }
}
