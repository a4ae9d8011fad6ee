import Foundation
import KafkaOpsCore

extension Tables {
    static func groups(_ snap: ClusterSnapshot?, _ derived: Derived?, complete: Bool) -> Table {
        // The loud columns first: at 80 columns the last ones (worst partition, topics) are cut.
        let columns = [Column.flex("GROUP", min: 20), Column("STATE", width: 11), .number("MEMB", 4),
                       .number("LAG", 9), Column("DATA-LOST", width: 12), Column("WORST", width: 15), .number("TOPICS", 6)]
        var rows: [Row] = []
        if let snap, let derived {
            let states = Dictionary(snap.groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for g in derived.groupLags {
                let d = states[g.group]
                let id = Fmt.safe(g.group)
                let known = g.partitions.contains { $0.lag != nil }
                let lag: Int64? = known ? g.totalLag : nil
                let worst = g.worst.map { "\(Fmt.safe($0.partition.description)):\($0.lag ?? 0)" } ?? "-"
                let lost = g.partitionsWithDataLoss > 0 ? "LOST \(g.recordsLost)" : ""
                let state = d?.state.rawValue ?? "Unknown"
                rows.append(Row(
                    id: g.group,
                    cells: [id, state, String(d?.members.count ?? 0), Fmt.lag(lag), lost, worst, String(g.topics.count)],
                    roles: [g.partitionsWithDataLoss > 0 ? .critical : .body, stateRole(d?.state), .body,
                            (lag ?? 0) > 0 ? .warning : .body, .critical, .body, .body],
                    sortKeys: [.text(g.group.lowercased()), .text(state), .number(Int64(d?.members.count ?? 0)),
                               lag.map { .number($0) } ?? .missing, .number(g.recordsLost),
                               g.worst?.lag.map { .number($0) } ?? .missing, .number(Int64(g.topics.count))],
                    search: id, unhealthy: g.partitionsWithDataLoss > 0 || (lag ?? 0) > 0,
                    target: .groupDetail(g.group)))
            }
        }
        let empty = derived == nil || !complete ? "loading consumer groups…" : "no consumer groups"
        return Table(title: "Groups", columns: columns, rows: rows, emptyText: empty, sortColumn: 0)
    }

    static func stateRole(_ s: GroupState?) -> Role {
        switch s {
        case .stable?: return .healthy
        case .empty?, .dead?, nil, .unknown?: return .muted
        default: return .warning
        }
    }
}
