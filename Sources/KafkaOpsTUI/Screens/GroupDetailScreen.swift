import Foundation
import KafkaOpsCore

extension Tables {
    static func groupDetail(_ id: String, _ snap: ClusterSnapshot?, _ derived: Derived?, complete: Bool) -> [Table] {
        let partColumns = [Column.flex("TOPIC", min: 12), .number("PART", 5), .number("COMMITTED", 11), .number("LOG-END", 11),
                           .number("LAG", 9), Column("STATUS", width: 16), Column("CLIENT", width: 14), Column("HOST", width: 16)]
        let memberColumns = [Column.flex("MEMBER", min: 14), Column("CLIENT", width: 18), Column("HOST", width: 18),
                             .number("ASSIGNED", 8)]
        var parts: [Row] = [], members: [Row] = []
        let desc = snap?.groups.first { $0.id == id }
        if let lag = derived?.lagByGroup[id] {
            for p in lag.partitions {
                let m = desc?.member(for: p.partition)
                let (status, sRole): (String, Role) = {
                    switch p.status {
                    case .ok: return ("", .body)
                    case .noCommit: return ("no commit", .muted)
                    case .dataLost: return ("DATA LOST \(p.recordsLost ?? 0)", .critical)
                    case .aheadOfLogEnd: return ("ahead of log end", .warning)
                    case .unknownOffsets: return ("offsets unknown", .warning)
                    }
                }()
                let topic = Fmt.safe(p.partition.topic)
                parts.append(Row(
                    id: p.partition.description,
                    cells: [topic, String(p.partition.partition), p.committed.map(String.init) ?? "-",
                            p.logEnd.map(String.init) ?? "-", Fmt.lag(p.lag), status,
                            m.map { Fmt.safe($0.clientID) } ?? "-", m.map { Fmt.safe($0.host) } ?? "-"],
                    roles: [p.status == .dataLost ? .critical : .body, .body, .body, .body,
                            (p.lag ?? 0) > 0 ? .warning : .body, sRole, .body, .body],
                    sortKeys: [.text(p.partition.topic), .number(Int64(p.partition.partition)),
                               p.committed.map { .number($0) } ?? .missing, p.logEnd.map { .number($0) } ?? .missing,
                               p.lag.map { .number($0) } ?? .missing, .text(status), .text(m?.clientID ?? ""), .text(m?.host ?? "")],
                    search: "\(topic) \(p.partition.partition) \(m.map { Fmt.safe($0.clientID) } ?? "")",
                    unhealthy: p.status == .dataLost, target: .topicDetail(p.partition.topic)))
            }
        }
        for m in desc?.members ?? [] {
            let mid = Fmt.safe(m.memberID)
            members.append(Row(
                id: m.memberID,
                cells: [mid, Fmt.safe(m.clientID), Fmt.safe(m.host), String(m.assignment.count)],
                sortKeys: [.text(m.memberID), .text(m.clientID), .text(m.host), .number(Int64(m.assignment.count))],
                search: "\(mid) \(Fmt.safe(m.clientID)) \(Fmt.safe(m.host))"))
        }
        let loading = snap == nil || !complete
        return [
            Table(title: "Partitions", columns: partColumns, rows: parts,
                  emptyText: loading ? "loading…" : "no committed offsets or assignments", sortColumn: 0),
            Table(title: "Members", columns: memberColumns, rows: members,
                  emptyText: loading ? "loading…" : "no active members", sortColumn: 0),
        ]
    }
}

extension Views {
    static func detailSummary(group id: String, _ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.content(state.size).y
        guard let lag = state.derived?.lagByGroup[id] else { return }
        let desc = state.snapshot?.groups.first { $0.id == id }
        var x = 1
        x += g.put("state ", x: x, y: y, role: .muted)
        x += g.put(desc?.state.rawValue ?? "Unknown", x: x, y: y, role: Tables.stateRole(desc?.state))
        if lag.partitionsWithDataLoss > 0 {
            x += g.put("  DATA LOST: \(lag.recordsLost) records on \(lag.partitionsWithDataLoss) partition(s)", x: x, y: y, role: .critical)
        }
        x += g.put("  members \(desc?.members.count ?? 0)", x: x, y: y, role: .body)
        let known = lag.partitions.contains { $0.lag != nil }
        x += g.put("  lag \(known ? String(lag.totalLag) : "-")", x: x, y: y, role: lag.totalLag > 0 ? .warning : .body)
        if let w = lag.worst, let l = w.lag, l > 0 {
            g.put("  worst \(Fmt.safe(w.partition.description)) (\(l))", x: x, y: y, maxWidth: max(0, g.width - x), role: .body)
        }
    }
}
