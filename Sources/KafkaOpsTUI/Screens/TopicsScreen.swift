import Foundation
import KafkaOpsCore

extension Tables {
    static func topics(_ derived: Derived?, complete: Bool) -> Table {
        let columns = [Column.name("TOPIC", min: 16), .number("PARTS", 5), .number("RF", 3), .number("MINISR", 6),
                       .vital("ISR", width: 14, max: 48), .number("URP", 4), .number("END-OFFSETS", 11),
                       Column("LAG", width: 9, align: .right, priority: Column.name)]
        var rows: [Row] = []
        if let derived {
            rows.reserveCapacity(derived.summaries.count)
            // Built in name order: rows of the same health stay by name under the worst-first sort.
            for s in derived.summaries.sorted(by: { ($0.name.lowercased(), $0.name) < ($1.name.lowercased(), $1.name) }) {
                let name = Fmt.safe(s.name)
                let (mark, markRole) = Fmt.healthMark(s)
                let minISRRole: Role = s.minISR.map { $0 < 2 || $0 >= s.replicationFactor } ?? true ? .warning : .body
                let rfRole: Role = s.replicationFactor < 3 ? .warning : .body
                let end = s.endOffsetSum.map(String.init) ?? (complete ? "?" : "…")
                rows.append(Row(
                    id: s.name,
                    cells: [name + (s.error != nil ? " (!)" : ""), String(s.partitions), String(s.replicationFactor),
                            s.minISR.map(String.init) ?? "-", mark, String(s.health.underReplicated), end, Fmt.lag(s.totalLag)],
                    roles: [s.error != nil ? .critical : (s.isInternal ? .muted : .body), .body, rfRole, minISRRole,
                            markRole, s.health.underReplicated > 0 ? .warning : .body, .body, .body],
                    sortKeys: [.text(s.name.lowercased()), .number(Int64(s.partitions)), .number(Int64(s.replicationFactor)),
                               s.minISR.map { .number(Int64($0)) } ?? .missing, .number(Int64(s.health.worst.rawValue)),
                               .number(Int64(s.health.underReplicated)), s.endOffsetSum.map { .number($0) } ?? .missing,
                               s.totalLag.map { .number($0) } ?? .missing],
                    search: name, unhealthy: !s.health.isHealthy || s.error != nil, isInternal: s.isInternal,
                    target: .topicDetail(s.name)))
            }
        }
        // Worst first (offline, under min ISR, under-replicated, at min ISR), then by name.
        return Table(title: "Topics", columns: columns, rows: rows,
                     emptyText: derived == nil ? "loading topics…" : "no topics", sortColumn: 4, descending: true,
                     sortName: "worst first")
    }
}
