import Foundation
import KafkaOpsCore

/// Lag over time in the console (issue 11, point 8): the window of samples fed by every refresh,
/// the facts read for it, and the trend rows built from them. Built off the main actor when a
/// refresh lands (`LagTrends.refreshed`), never per frame: the views only read `rows`.
public struct LagTrends: Sendable {
    public var history: LagHistory
    /// The facts of the latest refresh (nil until one was read).
    public var facts: LagFacts?
    /// Per group, its trend row as of the latest refresh.
    public var rows: [String: GroupTrendRow] = [:]
    /// Groups per trend word (the overview's counts).
    public var countsByTrend: [LagTrend: Int] = [:]
    /// Groups at risk of data loss, soonest first.
    public var atRisk: [String] = []
    /// When the rows were built (the "now" of their estimates).
    public var builtAt: Date?
    /// The durability audit run with these facts (`group-data-loss-risk` included, as `kafkaops audit`).
    public var audit: AuditResult?

    /// `interval`: the console's refresh interval (the history keeps 30 minutes of samples at it).
    public init(interval: Duration) {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        history = LagHistory(window: 1_800, interval: max(0.5, seconds))
    }

    /// Feeds one refresh into the history and rebuilds every row (pure: the program calls it in the load task).
    public func refreshed(_ snap: ClusterSnapshot, facts: LagFacts, policy: TopicPolicy, now: Date) -> LagTrends {
        var next = self
        let lags = snap.allGroupLags()
        let members = Dictionary(snap.groups.map { ($0.id, $0.isActive) }, uniquingKeysWith: { a, _ in a })
        next.history.retain(groups: Set(lags.map(\.group)))
        for lag in lags { next.history.record(lag, time: now, hasMembers: members[lag.group] ?? false) }
        next.facts = facts
        next.builtAt = now
        var rows: [String: GroupTrendRow] = [:]
        var counts: [LagTrend: Int] = [:]
        for lag in lags {
            let row = LagAnalysis.group(lag, history: next.history, hasMembers: members[lag.group] ?? false,
                                        facts: facts, now: now)
            rows[lag.group] = row
            counts[row.trend, default: 0] += 1
        }
        next.rows = rows
        next.countsByTrend = counts
        next.atRisk = rows.values.filter(\.atRisk)
            .sorted { ($0.minDataLossInMs ?? .max, $0.group) < ($1.minDataLossInMs ?? .max, $1.group) }.map(\.group)
        next.audit = DurabilityAudit.run(snap, policy: policy, lagFacts: facts, lagHistory: next.history)
        return next
    }
}

extension LagTrends {
    /// A partition at risk of data loss (`PartitionTrendRow.atRisk`: the audit's rule, within a day).
    public func atRisk(_ p: PartitionTrendRow) -> Bool { p.atRisk }
}

extension GroupTrendRow {
    /// Retention may delete records of this group before it catches up, within a day: the audit's
    /// `group-data-loss-risk` rule (a risk a week away is not shouted about).
    public var atRisk: Bool { dataLossSeverity != nil }

    /// Time to catch up: the slowest lagging partition's ETA (nil when one of them has none).
    public var eta: TimeInterval? {
        let lagging = partitions.filter { ($0.lag ?? 0) > 0 }
        guard !lagging.isEmpty else { return nil }
        var worst: TimeInterval = 0
        for p in lagging {
            guard let e = p.eta else { return nil }
            worst = max(worst, e)
        }
        return worst
    }
}

extension Fmt {
    /// The colour of a trend (issue 11, point 8): graded by what it means, not by the size of the lag.
    public static func role(_ trend: LagTrend, atRisk: Bool) -> Role {
        if atRisk { return .critical }
        switch trend {
        case .stopped, .stalled: return .critical
        case .fallingBehind, .rewound: return .warning
        case .unknown, .keepingUp: return .body
        case .catchingUp, .caughtUp: return .healthy
        }
    }

    /// The TREND cell: `!` before it when at risk of data loss (readable without colour), the word,
    /// and a sparkline of lag over the window.
    public static func trendCell(_ trend: LagTrend, atRisk: Bool, series: [Int64?], sparkline: Int = 8) -> String {
        let spark = series.count >= 2 ? " " + LagSparkline.render(series, width: sparkline) : ""
        return (atRisk ? "!" : "") + trend.word + spark
    }

    /// A duration in milliseconds for a cell (compact, as `age`): `-` unknown, `0s`, `now` when already past.
    public static func millis(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        if ms < 0 { return "now" }
        if ms > 0 && ms < 1000 { return "<1s" }
        let s = Int(clamping: ms / 1000)
        return s >= 2 * 86_400 ? "\(s / 86_400)d\(s % 86_400 / 3600)h" : age(s)
    }

    /// The ETA / DATA-LOSS-IN cell: at risk first and loud, else the ETA to catch up, else when
    /// retention may delete unread records ("from": segment rolling can make it later).
    public static func etaOrLoss(atRisk: Bool, dataLossInMs: Int64?, eta: TimeInterval?) -> String {
        if atRisk, let ms = dataLossInMs { return "LOSS from " + millis(ms) }
        if let eta { return "eta " + millis(Int64((eta * 1000).rounded(.up))) }
        if let ms = dataLossInMs { return "loss from " + millis(ms) }
        return "-"
    }
}
