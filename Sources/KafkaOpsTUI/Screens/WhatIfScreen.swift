import Foundation
import KafkaOpsCore

extension Tables {
    /// The rows `i` shows on the what-if screen: internal topics, and topics or partitions that only become
    /// under-replicated (or only see a leader move). They are marked `isInternal`, which the table hides
    /// until `i` (Table.showInternal) shows them.
    static let whatIfToggleHelp = "i shows internal topics and under-replicated-only rows"

    /// The what-if screen's panes: the per-topic summary (worst first), then the partitions that change.
    static func whatIf(_ ids: [Int32], _ snap: ClusterSnapshot?, complete: Bool) -> [Table] {
        var topicRows: [Row] = [], partitionRows: [Row] = []
        var empty = snap == nil ? "loading…" : "nothing changes: every partition keeps its leader and ISR"
        if let snap {
            switch WhatIf.brokersDown(ids, snapshot: snap) {
            case .failure(let e): empty = Fmt.safe(e.description)
            case .success(let r):
                let all = r.topicSummary(all: true).topics
                for (rank, t) in all.enumerated() {
                    topicRows.append(whatIfTopicRow(t, rank: rank))
                    for p in t.partitions { partitionRows.append(whatIfPartitionRow(t, p)) }
                }
                let hidden = r.topicSummary(all: false).hidden
                if hidden > 0 {
                    empty = "nothing goes offline or under min ISR; \(whatIfToggleHelp) (\(hidden) topic\(hidden == 1 ? "" : "s"))"
                }
            }
        }
        if !complete && snap != nil { empty = "loading configs…" }
        var topics = Table(title: "By topic", columns: [
            Column("TOPIC", width: 0, minWidth: 12), .number("OFFLINE", 7), .number("<MIN ISR", 8), .number("URP", 5),
            .number("OF", 5), Column("WORST AFTER", width: 18),
        ], rows: topicRows, emptyText: empty, sortColumn: 5)
        topics.setSort(column: 5, descending: false)
        var partitions = Table(title: "Partitions", columns: [
            Column("TOPIC", width: 0, minWidth: 12), .number("PART", 5), Column("LEADER", width: 8),
            Column("ISR AFTER", width: 12), .number("MINISR", 6), Column("AFTER", width: 18),
        ], rows: partitionRows, emptyText: empty, sortColumn: 5)
        partitions.setSort(column: 5, descending: false)
        return [topics, partitions]
    }

    /// A partition's state after the failure: its words, role and rank (0 worst).
    static func whatIfState(_ p: WhatIfPartition) -> (text: String, role: Role, rank: Int64) {
        p.offline ? ("OFFLINE", .critical, 0)
            : p.dataLossPossible ? ("unclean: DATA LOSS", .critical, 1)
            : p.underMinISR ? ("under min ISR", .critical, 2)
            : p.underReplicated ? ("under-replicated", .warning, 3) : ("leader moves", .muted, 4)
    }

    static func whatIfTopicRow(_ t: WhatIfTopic, rank: Int) -> Row {
        let worst = t.partitions.map(whatIfState).min { $0.rank < $1.rank } ?? ("-", .muted, 5)
        func count(_ n: Int, _ role: Role) -> (String, Role) { (String(n), n > 0 ? role : .muted) }
        let cells: [(String, Role)] = [
            (Fmt.safe(t.topic), .body), count(t.offline, .critical), count(t.underMinISR, .critical),
            count(t.underReplicated, .warning), (String(t.partitions.count), .muted), (worst.text, worst.role),
        ]
        return Row(id: "t:" + t.topic, cells: cells.map(\.0), roles: cells.map(\.1),
                   sortKeys: [.text(t.topic), .number(Int64(t.offline)), .number(Int64(t.underMinISR)),
                              .number(Int64(t.underReplicated)), .number(Int64(t.partitions.count)), .number(Int64(rank))],
                   search: Fmt.safe(t.topic), unhealthy: !t.isMinor, isInternal: t.isInternal || t.isMinor,
                   target: .topicDetail(t.topic))
    }

    static func whatIfPartitionRow(_ t: WhatIfTopic, _ p: WhatIfPartition) -> Row {
        let (text, role, rank) = whatIfState(p)
        let leader = "\(p.leaderBefore.map(String.init) ?? "-")→\(p.leaderAfter.map(String.init) ?? "-")"
        let isr = Fmt.ids(p.isrAfter)
        return Row(id: "\(t.topic)-\(p.partition)",
                   cells: [Fmt.safe(t.topic), String(p.partition), leader, isr.isEmpty ? "none" : isr, String(p.minISR), text],
                   roles: [.body, .body, p.leaderAfter == nil ? .critical : .body, .body, .body, role],
                   sortKeys: [.text(t.topic), .number(Int64(p.partition)), .text(leader), .number(Int64(p.isrAfter.count)),
                              .number(Int64(p.minISR)), .number(rank)],
                   search: Fmt.safe(t.topic), unhealthy: rank < 4, isInternal: t.isInternal || p.isMinor,
                   target: .topicDetail(t.topic))
    }
}

extension Views {
    /// The line above the table: the scenario, then the counts of partitions offline, under min ISR and
    /// under-replicated, and how many rows `i` would show.
    static func whatIfSummary(_ ids: [Int32], _ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.content(state.size).y
        guard let snap = state.snapshot, case .success(let r) = WhatIf.brokersDown(ids, snapshot: snap) else { return }
        var x = 1
        let w = g.width - 1
        func put(_ text: String, _ role: Role) { x += g.put(text, x: x, y: y, maxWidth: max(0, w - x), role: role) }
        let scenario = Fmt.safe(r.scenario) + ": "
        // "(acks=all fails)" when the line has room for it.
        let why = DisplayWidth.of(scenario) + 52 <= w ? "  under min ISR (acks=all fails) " : "  under min ISR "
        put(scenario, r.alreadyDown.isEmpty ? .muted : .warning)
        put("offline ", .muted)
        put(String(r.offline), r.offline > 0 ? .critical : .healthy)
        put(why, .muted)
        put(String(r.underMinISR), r.underMinISR > 0 ? .critical : .healthy)
        put("  URP ", .muted)
        put(String(r.underReplicated), r.underReplicated > 0 ? .warning : .healthy)
        if r.dataLossPossible > 0 { put("  unclean: \(r.dataLossPossible)", .critical) }
        // The second line: what is hidden, and how to add a failure.
        let hidden = state.current.table.map { t in t.showInternal ? 0 : t.rows.filter(\.isInternal).count } ?? 0
        let more = hidden > 0 ? "\(hidden) row\(hidden == 1 ? "" : "s") hidden: \(Tables.whatIfToggleHelp) · " : ""
        g.put(more + "+ adds a failure · Tab: " + (state.current.pane == 0 ? "partitions" : "by topic"),
              x: 1, y: y + 1, maxWidth: max(0, w - 1), role: .muted)
    }
}
