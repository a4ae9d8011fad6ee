import Foundation
import KafkaOpsCore

extension Tables {
    static func groupDetail(_ id: String, _ snap: ClusterSnapshot?, _ derived: Derived?, _ lagTrends: LagTrends,
                            complete: Bool) -> [Table] {
        // Lag over time first (cut last at 80 columns are the offsets, client and host).
        let partColumns = [Column.name("TOPIC", min: 12), .number("PART", 4), .vital("TREND", width: 24, max: 32), .number("TIME-LAG", 8),
                           .number("LAG", 9), Column("ETA/DATA-LOSS", width: 16), Column("STATUS", width: 16),
                           .number("CONS/s", 8), .number("PROD/s", 8), .number("NOT-MOVED", 9), .number("LSO", 11),
                           .number("COMMITTED", 11), .number("LOG-END", 11), Column("CLIENT", width: 14), Column("HOST", width: 16)]
        let memberColumns = [Column.flex("MEMBER", min: 14), Column("CLIENT", width: 18), Column("HOST", width: 18),
                             .number("ASSIGNED", 8), Column("TARGET", width: 16, fits: true, maxWidth: 40)]
        var parts: [Row] = [], members: [Row] = []
        let desc = snap?.groups.first { $0.id == id }
        let trendRows = Dictionary((lagTrends.rows[id]?.partitions ?? []).map { ($0.partition, $0) }, uniquingKeysWith: { a, _ in a })
        let now = snap?.fetchedAt ?? Date()
        if let lag = derived?.lagByGroup[id] {
            for p in lag.partitions {
                let m = desc?.member(for: p.partition)
                let (status, sRole): (String, Role) = {
                    switch p.status {
                    case .ok: return ("", .body)
                    case .noCommit: return ("no commit", .muted)
                    case .dataLost: return ("DATA LOST \(p.recordsLost ?? 0)", .critical)
                    case .aheadOfLogEnd, .unknownOffsets: return (p.lagUnknownReason ?? "", .warning)
                    }
                }()
                let t = trendRows[p.partition]
                let risk = t.map(lagTrends.atRisk) ?? false
                let severity = t.map { Fmt.role($0.trend, atRisk: risk) } ?? ((p.lag ?? 0) > 0 ? .warning : .body)
                let held = t?.openTransactionHoldsBack ?? false
                let notMoved = t?.committedUnchangedSince.map { Fmt.age(Int(now.timeIntervalSince($0))) } ?? ""
                let topic = Fmt.safe(p.partition.topic)
                parts.append(Row(
                    id: p.partition.description,
                    cells: [topic, String(p.partition.partition),
                            t.map { Fmt.trendCell($0.trend, atRisk: risk, series: $0.lagSeries) } ?? "-",
                            t.map { Fmt.millis($0.timeLagMs) } ?? "-", Fmt.lag(p),
                            // Records already lost first, then why the lag is `?` (the STATUS column is cut at 80 columns).
                            p.status == .dataLost ? "LOST \(p.recordsLost ?? 0)"
                                : Fmt.unknownLagNote(p.status) ?? t.map { Fmt.etaOrLoss(atRisk: risk, dataLossInMs: $0.dataLossInMs, eta: $0.eta) } ?? "-",
                            held ? "open transaction" : status,
                            Fmt.rate(t?.rates?.consumed), Fmt.rate(t?.rates?.produced), notMoved,
                            t?.lastStableOffset.map(String.init) ?? "",
                            p.committed.map(String.init) ?? "-", p.logEnd.map(String.init) ?? "-",
                            m.map { Fmt.safe($0.clientID) } ?? "-", m.map { Fmt.safe($0.host) } ?? "-"],
                    roles: [p.status == .dataLost || risk ? .critical : .body, .body, severity, severity,
                            p.status.lagUnknown ? .warning : severity,
                            risk || p.status == .dataLost ? .critical : (p.status.lagUnknown ? .warning : .body), held ? .warning : sRole, .body, .body,
                            notMoved.isEmpty ? .body : severity, .warning, .body, .body, .body, .body],
                    sortKeys: [.text(p.partition.topic), .number(Int64(p.partition.partition)),
                               t.map { .number(Int64($0.trend.severity) - (risk ? 100 : 0)) } ?? .missing,
                               t?.timeLagMs.map { .number($0) } ?? .missing, p.lag.map { .number($0) } ?? .missing,
                               t?.dataLossInMs.map { .number($0) } ?? .missing, .text(status),
                               t?.rates.map { .number(Int64($0.consumed)) } ?? .missing,
                               t?.rates.map { .number(Int64($0.produced)) } ?? .missing,
                               t?.committedUnchangedSince.map { .number(-Int64($0.timeIntervalSinceReferenceDate)) } ?? .missing,
                               t?.lastStableOffset.map { .number($0) } ?? .missing,
                               p.committed.map { .number($0) } ?? .missing, p.logEnd.map { .number($0) } ?? .missing,
                               .text(m?.clientID ?? ""), .text(m?.host ?? "")],
                    search: "\(topic) \(p.partition.partition) \(m.map { Fmt.safe($0.clientID) } ?? "") \(t?.trend.word ?? "")",
                    unhealthy: p.status == .dataLost || risk || p.status.lagUnknown, target: .topicDetail(p.partition.topic)))
            }
        }
        for m in desc?.members ?? [] {
            let mid = Fmt.safe(m.memberID)
            // KIP-848: the target assignment, and what is still on its way to or from this member.
            let target: String = m.targetAssignment.map { t in
                let adding = Set(t).subtracting(m.assignment).sorted(), revoking = Set(m.assignment).subtracting(t).sorted()
                var s = String(t.count)
                if !adding.isEmpty { s += " +" + adding.map { Fmt.safe($0.description) }.joined(separator: ",") }
                if !revoking.isEmpty { s += " -" + revoking.map { Fmt.safe($0.description) }.joined(separator: ",") }
                return s
            } ?? "-"
            members.append(Row(
                id: m.memberID,
                cells: [mid, Fmt.safe(m.clientID), Fmt.safe(m.host), String(m.assignment.count), target],
                roles: [.body, .body, .body, .body, m.isReconciling ? .warning : .body],
                sortKeys: [.text(m.memberID), .text(m.clientID), .text(m.host), .number(Int64(m.assignment.count)),
                           .number(Int64(m.targetAssignment?.count ?? -1))],
                search: "\(mid) \(Fmt.safe(m.clientID)) \(Fmt.safe(m.host))"))
        }
        let loading = snap == nil || !complete
        return [
            Table(title: "Partitions", columns: partColumns, rows: parts,
                  emptyText: loading ? "loading…" : "no committed offsets or assignments", sortColumn: 2, sortName: "worst first"),
            Table(title: "Members", columns: memberColumns, rows: members,
                  emptyText: loading ? "loading…" : "no active members", sortColumn: 0),
        ]
    }
}

extension Fmt {
    /// Records per second for a cell (`-` unknown).
    static func rate(_ v: Double?) -> String {
        guard let v else { return "-" }
        return v >= 100 ? String(Int(v.rounded())) : String(format: "%.1f", v)
    }

    /// A wall-clock time as HH:MM (local time, as the operator reads the clock).
    static func clock(_ d: Date) -> String {
        let c = Calendar.current.dateComponents([.hour, .minute], from: d)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// A wall-clock time with its day as MM-DD HH:MM (local time): for times before this run.
    static func dayClock(_ d: Date) -> String {
        let c = Calendar.current.dateComponents([.month, .day], from: d)
        return String(format: "%02d-%02d ", c.month ?? 0, c.day ?? 0) + clock(d)
    }
}

extension Views {
    static func detailSummary(group id: String, _ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.content(state.size).y
        guard let lag = state.derived?.lagByGroup[id] else { return }
        let desc = state.snapshot?.groups.first { $0.id == id }
        let t = state.lag.rows[id]
        let risk = t?.atRisk ?? false
        var x = 1
        x += g.put("state ", x: x, y: y, role: .muted)
        x += g.put(desc?.state.rawValue ?? "Unknown", x: x, y: y, role: Tables.stateRole(desc?.state))
        let lost = lag.partitionsWithDataLoss > 0
            ? "  DATA LOST \(lag.recordsLost.map(String.init) ?? "?") records (\(Fmt.counted(lag.partitionsWithDataLoss, "partition")))" : ""
        if !lost.isEmpty { x += g.put(lost, x: x, y: y, role: .critical) }
        // Share groups commit no offsets kafkaops can read: their lag is unknown, never 0.
        let typeUnknown = GroupReconciliation.lagUnknown(desc?.type ?? .unknown)
        // The lag says what it adds up and stays whole at 80 columns; members, type and epoch follow
        // when they fit (the Members pane and the groups screen's TYPE column have them too).
        let lagText = "  lag \(typeUnknown ? "?" : Fmt.lag(lag)) (\(Fmt.counted(lag.partitions.count, "partition")))"
        let lagRole = t.map { Fmt.role($0.trend, atRisk: risk) } ?? ((lag.totalLag ?? 0) > 0 ? .warning : .body)
        x += g.put(lagText, x: x, y: y, role: lag.partitionsWithUnknownLag > 0 || typeUnknown ? .warning : lagRole)
        if let why = lag.lagUnknownReason {
            // The reason in view at 80 columns: the rest of the line (the worst partition is in the table).
            g.put(": " + Fmt.safe(why), x: x, y: y, maxWidth: max(0, g.width - x), role: .warning)
        } else if let note = desc?.note {
            // Why the state shown is the listing's, or what could not be described: louder than the rest.
            g.put("  ! \(Fmt.safe(note))", x: x, y: y, maxWidth: max(0, g.width - x), role: .warning)
        } else {
            // Each whole or not at all (the Members pane, the groups screen's TYPE column and the table's first
            // row, the worst partition, have them too).
            let type = "  type \(desc?.type.rawValue ?? GroupType.unknown.rawValue)" + (desc?.groupEpoch.map { " epoch \($0)" } ?? "")
            let worst = lag.worst.flatMap { w in w.lag.flatMap { $0 > 0 ? "  worst \(Fmt.safe(w.partition.description)) (\($0))" : nil } }
            for (text, role) in [("  members \(desc?.members.count ?? 0)", Role.body), (type, Role.muted), (worst ?? "", Role.body)]
            where !text.isEmpty && x + DisplayWidth.of(text) < g.width {
                x += g.put(text, x: x, y: y, role: role)
            }
        }
        // Line 2: lag over time, the loudest first.
        guard let t else {
            g.put("trend: sampling…", x: 1, y: y + 1, role: .muted)
            return
        }
        x = 1
        let now = state.snapshot?.fetchedAt ?? state.now
        if risk {
            x += g.put("! AT RISK OF DATA LOSS from \(Fmt.millis(t.minDataLossInMs))  ", x: x, y: y + 1, role: .critical)
        }
        x += g.put("trend ", x: x, y: y + 1, role: .muted)
        x += g.put(t.trend.word, x: x, y: y + 1, role: Fmt.role(t.trend, atRisk: risk))
        x += g.put("  time lag \(Fmt.millis(t.maxTimeLagMs))", x: x, y: y + 1, role: .body)
        if let eta = t.eta { x += g.put("  eta \(Fmt.millis(Int64((eta * 1000).rounded(.up))))", x: x, y: y + 1, role: .body) }
        if let since = t.partitions.compactMap(\.committedUnchangedSince).min(), t.trend == .stalled || t.trend == .stopped {
            x += g.put("  not moved for \(Fmt.age(Int(now.timeIntervalSince(since))))", x: x, y: y + 1, role: .critical)
        }
        if t.assignCommitter {
            x += g.put("  ! commits with assign() (Empty is not idle)", x: x, y: y + 1, role: .warning)
        }
        if let since = t.emptySince {
            let facts = state.lag.facts
            let retention = Fmt.millis(facts?.offsetsRetentionMs ?? LagAnalysis.defaultOffsetsRetentionMs)
            let source = facts?.offsetsRetentionFromBroker == true ? "broker" : "Kafka default"
            g.put("  empty since at least \(Fmt.clock(since)); offsets.retention \(retention) (\(source))",
                  x: x, y: y + 1, maxWidth: max(0, g.width - x), role: .muted)
        }
    }
}
