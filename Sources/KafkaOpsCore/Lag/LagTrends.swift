import Foundation
import KafkaOpsCore

/// Lag over time (issue 11, point 8), for the console and `kafkaops watch` alike: the window of samples
/// fed by every refresh, the facts read for it, and the trend rows built from them. Built off the main
/// actor when a refresh lands (`LagTrends.refreshed`), never per frame: the views only read `rows`.
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
