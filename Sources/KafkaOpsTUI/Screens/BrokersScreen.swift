import Foundation
import KafkaOpsCore

extension Tables {
    static func brokers(_ snap: ClusterSnapshot?) -> Table {
        // CERT (days until the TLS certificate expires) only where the connection is TLS.
        let tls = snap?.metadata.brokers.contains { $0.certificate != nil } ?? false
        let columns = [Column.number("ID", 6), .flex("HOST", min: 12), .number("PORT", 6), Column("RACK", width: 10),
                       Column("ROLE", width: 10), .number("LEADERS", 8), .number("REPLICAS", 8)]
            + (tls ? [Column("CERT", width: 9)] : [])
        var rows: [Row] = []
        if let snap {
            var leaders: [Int32: Int] = [:], replicas: [Int32: Int] = [:]
            for t in snap.metadata.topics {
                for p in t.partitions {
                    if let l = p.leader { leaders[l, default: 0] += 1 }
                    for r in p.replicas { replicas[r, default: 0] += 1 }
                }
            }
            for b in snap.metadata.brokers.sorted(by: { $0.id < $1.id }) {
                let isController = snap.metadata.controllerID == b.id
                let host = Fmt.safe(b.host)
                let rack = b.rack.map(Fmt.safe) ?? "-"
                // Days until the TLS certificate expires: a warning under 30 days, critical once expired.
                let days = b.certificate.map { $0.daysLeft(now: snap.fetchedAt) }
                let cert = days.map { $0 < 0 ? "EXPIRED" : "\($0)d" } ?? "-"
                let certRole: Role = days.map { $0 < 0 ? .critical : ($0 < CertificateFacts.warningDays ? .warning : .healthy) } ?? .muted
                rows.append(Row(
                    id: String(b.id),
                    cells: [String(b.id), host, String(b.port), rack, isController ? "controller" : "",
                            String(leaders[b.id] ?? 0), String(replicas[b.id] ?? 0)] + (tls ? [cert] : []),
                    roles: [.body, .body, .body, .body, isController ? .highlight : .body, .body, .body] + (tls ? [certRole] : []),
                    sortKeys: [.number(Int64(b.id)), .text(host), .number(Int64(b.port)), .text(rack),
                               .number(isController ? 0 : 1), .number(Int64(leaders[b.id] ?? 0)),
                               .number(Int64(replicas[b.id] ?? 0))] + (tls ? [.number(Int64(days ?? Int.max))] : []),
                    search: "\(b.id) \(host) \(rack)"))
            }
        }
        return Table(title: "Brokers", columns: columns, rows: rows,
                     emptyText: snap == nil ? "loading brokers…" : "no brokers in the metadata", sortColumn: 0)
    }
}
