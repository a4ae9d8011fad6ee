import Foundation
import KafkaOpsCore

extension Tables {
    /// Live brokers, and those that left (`BrokerRoster`): a down broker is a row, never a missing line.
    static func brokers(_ snap: ClusterSnapshot?, _ roster: BrokerRoster = BrokerRoster()) -> Table {
        // CERT (days until the TLS certificate expires) only where the connection is TLS.
        let tls = snap?.metadata.brokers.contains { $0.certificate != nil } ?? false
        let columns = [Column.number("ID", 6), .name("HOST", min: 12), .number("PORT", 6), Column("RACK", width: 10),
                       .vital("ROLE", width: 10, max: 24), .number("LEADERS", 8), .number("REPLICAS", 8)]
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
            for d in roster.down(snap.metadata) {
                let host = d.lastSeen.map { Fmt.safe($0.host) } ?? "-"
                let rack = d.lastSeen?.rack.map(Fmt.safe) ?? "-"
                let state = Fmt.downState(d)
                rows.append(Row(
                    id: String(d.id),
                    cells: [String(d.id), host, d.lastSeen.map { String($0.port) } ?? "-", rack, state, "0", String(d.replicas)]
                        + (tls ? ["-"] : []),
                    roles: [.offline, .body, .muted, .muted, .offline, .muted, .body] + (tls ? [.muted] : []),
                    sortKeys: [.number(Int64(d.id)), .text(host), .missing, .text(rack), .number(-1), .number(0),
                               .number(Int64(d.replicas))] + (tls ? [.missing] : []),
                    search: "\(d.id) \(host) \(rack) down", unhealthy: true))
            }
            rows.sort { ($0.sortKeys.first ?? .missing) < ($1.sortKeys.first ?? .missing) }
        }
        return Table(title: "Brokers", columns: columns, rows: rows,
                     emptyText: snap == nil ? "loading brokers…" : "no brokers in the metadata", sortColumn: 0, sortName: "by id")
    }
}
