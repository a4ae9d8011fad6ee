import Foundation
import KafkaOpsCore

extension Tables {

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

extension Views {
    static func whatIfSummary(_ id: Int32, _ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.content(state.size).y
        guard let snap = state.snapshot, case .success(let r) = WhatIf.brokerDown(id, snapshot: snap) else { return }
        var x = 1
        if !r.brokerWasLive { x += g.put("broker \(id) is already down; ", x: x, y: y, role: .warning) }
        x += g.put("offline ", x: x, y: y, role: .muted)
        x += g.put(String(r.offline), x: x, y: y, role: r.offline > 0 ? .critical : .healthy)
        x += g.put("  under min ISR (acks=all fails) ", x: x, y: y, role: .muted)
        x += g.put(String(r.underMinISR), x: x, y: y, role: r.underMinISR > 0 ? .critical : .healthy)
        x += g.put("  URP ", x: x, y: y, role: .muted)
        x += g.put(String(r.underReplicated), x: x, y: y, role: r.underReplicated > 0 ? .warning : .healthy)
        if r.dataLossPossible > 0 {
            g.put("  unclean: \(r.dataLossPossible)", x: x, y: y, role: .critical)
        }
    }
}
