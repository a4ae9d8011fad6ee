import Foundation
import KafkaOpsCore

extension Tables {
    static func groups(_ snap: ClusterSnapshot?, _ derived: Derived?, _ lag: LagTrends, complete: Bool) -> Table {
        // The loud columns first: at 80 columns group, trend, time lag and lag always show, then records
        // already lost, or at risk, or the ETA; state, members, worst partition and topics come after.
        // WORST fits its content when shown (never cut at 200 columns), but goes first at 80.
        let columns = [Column.name("GROUP", min: 18), .vital("TREND", width: 24, max: 32),
                       Column("TIME-LAG", width: 8, align: .right, priority: Column.vital),
                       Column("LAG", width: 9, align: .right, priority: Column.vital), .vital("ETA/DATA-LOSS", width: 16, max: 24),
                       Column("STATE", width: 11), Column("TYPE", width: 8, minWidth: 7), .number("MEMB", 4),
                       Column("WORST", width: 15, fits: true, maxWidth: 40), .number("TOPICS", 6)]
        var rows: [Row] = []
        if let snap, let derived {
            let states = Dictionary(snap.groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for g in derived.groupLags {
                let d = states[g.group]
                let id = Fmt.safe(g.group)
                // Share groups commit no offsets: their lag is unknown, never 0.
                let typeUnknown = GroupReconciliation.lagUnknown(d?.type ?? .unknown)
                let known = g.partitions.contains { $0.lag != nil } && !typeUnknown
                let type = (d?.type ?? .unknown).rawValue
                let lagValue: Int64? = known ? g.totalLag : nil
                let unknownNote = g.lagUnknownPartitions.first.flatMap { Fmt.unknownLagNote($0.status) }
                let worst = g.worst.map { "\(Fmt.safe($0.partition.description)):\($0.lag ?? 0)" } ?? "-"
                let state = d?.state.rawValue ?? "Unknown"
                let t = lag.rows[g.group]
                let risk = t?.atRisk ?? false
                // Graded by what the lag means (trend, data-loss risk), not by its size.
                let severity = t.map { Fmt.role($0.trend, atRisk: risk) } ?? ((lagValue ?? 0) > 0 ? .warning : .body)
                let series = Self.groupSeries(t)
                let trendText = t.map { Fmt.trendCell($0.trend, atRisk: risk, series: series) } ?? "-"
                let timeLag = t.map { Fmt.millis($0.maxTimeLagMs) } ?? "-"
                // Records already lost are the loudest; then why the lag is `?`; then a risk of losing some; then the ETA.
                let etaLoss = g.partitionsWithDataLoss > 0 ? "LOST \(g.recordsLost.map(String.init) ?? "?")"
                    : unknownNote ?? t.map { Fmt.etaOrLoss(atRisk: risk, dataLossInMs: $0.minDataLossInMs, eta: $0.eta) } ?? "-"
                rows.append(Row(
                    id: g.group,
                    cells: [id, trendText, timeLag, typeUnknown ? "?" : Fmt.lag(g), etaLoss, state, type, String(d?.members.count ?? 0), worst,
                            String(g.topics.count)],
                    roles: [g.partitionsWithDataLoss > 0 || risk ? .critical : .body, severity, severity,
                            unknownNote == nil ? severity : .warning,
                            risk || g.partitionsWithDataLoss > 0 ? .critical : (unknownNote == nil ? .body : .warning), stateRole(d?.state),
                            d?.note == nil ? .body : .warning, .body, .body, .body],
                    sortKeys: [.text(g.group.lowercased()), t.map { .number(Int64($0.trend.severity) - (risk ? 100 : 0)) } ?? .missing,
                               t?.maxTimeLagMs.map { .number($0) } ?? .missing,
                               lagValue.map { .number($0) } ?? .missing,
                               (g.recordsLost ?? 0) > 0 ? .number(-(g.recordsLost ?? 0)) : t?.minDataLossInMs.map { .number($0) } ?? .missing,
                               .text(state), .text(type), .number(Int64(d?.members.count ?? 0)),
                               g.worst?.lag.map { .number($0) } ?? .missing, .number(Int64(g.topics.count))],
                    search: "\(id) \(t?.trend.word ?? "") \(type)",
                    unhealthy: g.partitionsWithDataLoss > 0 || (lagValue ?? 0) > 0 || risk || unknownNote != nil,
                    target: .groupDetail(g.group)))
            }
        }
        let empty = derived == nil || !complete ? "loading consumer groups…" : "no consumer groups"
        // Worst trend first (at risk of data loss, stopped, stalled, falling behind, ...), then by name.
        return Table(title: "Groups", columns: columns, rows: rows, emptyText: empty, sortColumn: 1, sortName: "worst first")
    }

    /// A group's lag over the window: per sample, the sum over its partitions (unknown when one is).
    static func groupSeries(_ t: GroupTrendRow?) -> [Int64?] {
        guard let t, let n = t.partitions.map(\.lagSeries.count).max(), n > 0 else { return [] }
        var out: [Int64?] = Array(repeating: 0, count: n)
        for p in t.partitions {
            // Aligned on the newest sample (a partition seen later has a shorter series).
            let offset = n - p.lagSeries.count
            for i in 0..<n {
                guard i >= offset, let v = p.lagSeries[i - offset] else { out[i] = nil; continue }
                out[i] = out[i].map { $0 + v }
            }
        }
        return out
    }

    static func stateRole(_ s: GroupState?) -> Role {
        switch s {
        case .stable?: return .healthy
        case .empty?, .dead?, nil, .unknown?: return .muted
        default: return .warning
        }
    }
}
