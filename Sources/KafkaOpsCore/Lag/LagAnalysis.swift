import Foundation

/// The retention settings of a topic that the data-loss rules need.
public struct TopicRetention: Hashable, Sendable {
    public var cleanupPolicy: String?
    public var retentionMs: Int64?

    public init(cleanupPolicy: String?, retentionMs: Int64?) {
        self.cleanupPolicy = cleanupPolicy; self.retentionMs = retentionMs
    }

    /// From a topic's described configs (effective values).
    public init(configs: [ConfigEntry]) {
        cleanupPolicy = configs.first { $0.name == "cleanup.policy" }?.value
        retentionMs = configs.first { $0.name == "retention.ms" }?.value.flatMap { Int64($0) }
    }
}

/// What one sample cannot tell and the cluster must be asked for, per partition.
public struct LagFacts: Sendable {
    /// Timestamp of the record at an offset (a group's committed offset; absent: could not be read).
    public var recordTimes: [TopicPartitionOffset: Date]
    /// Retention of each topic (absent: unknown).
    public var retention: [String: TopicRetention]
    /// Last stable offsets (read_committed) where they were read.
    public var lastStableOffsets: [TopicPartition: Int64]
    /// transaction.max.timeout.ms (Kafka's default 15 minutes).
    public var transactionMaxTimeoutMs: Int64
    /// offsets.retention.minutes in ms, and whether it was read from a broker or is Kafka's default.
    public var offsetsRetentionMs: Int64
    public var offsetsRetentionFromBroker: Bool
    /// What could not be read (each leaves its values unknown).
    public var problems: [String] = []

    public init(recordTimes: [TopicPartitionOffset: Date] = [:], retention: [String: TopicRetention] = [:],
                lastStableOffsets: [TopicPartition: Int64] = [:],
                transactionMaxTimeoutMs: Int64 = LagAnalysis.defaultTransactionMaxTimeoutMs,
                offsetsRetentionMs: Int64 = LagAnalysis.defaultOffsetsRetentionMs, offsetsRetentionFromBroker: Bool = false) {
        self.recordTimes = recordTimes; self.retention = retention
        self.lastStableOffsets = lastStableOffsets
        self.transactionMaxTimeoutMs = transactionMaxTimeoutMs
        self.offsetsRetentionMs = offsetsRetentionMs; self.offsetsRetentionFromBroker = offsetsRetentionFromBroker
    }

    public func recordTime(_ tp: TopicPartition, _ offset: Int64?) -> Date? {
        offset.flatMap { recordTimes[TopicPartitionOffset(topic: tp.topic, partition: tp.partition, offset: $0)] }
    }
}

/// One partition of a group over the window: the row the CLI, the JSON and the console show.
public struct PartitionTrendRow: Hashable, Sendable {
    public var partition: TopicPartition
    public var lag: Int64?
    public var trend: LagTrend
    public var rates: LagRates?
    /// Seconds to catch up at the current rates (only when catching up).
    public var eta: TimeInterval?
    /// now - timestamp of the record at the committed offset; 0 when lag is 0; nil when unknown.
    public var timeLagMs: Int64?
    public var dataLoss: DataLossEstimate
    /// Milliseconds until retention may delete the next unread record ("from"); nil when there is no estimate.
    public var dataLossInMs: Int64?
    /// At risk of data loss: retention may delete unread records before the group catches up, within a
    /// day (`DataLossRules.severity`: the audit's group-data-loss-risk rule), the one rule the CLI, the
    /// console and the audit show. `dataLossInMs` gives the time either way.
    public var atRisk: Bool
    /// The last stable offset where it differs from the log end.
    public var lastStableOffset: Int64?
    /// An open transaction has held the LSO below the log end for longer than transaction.max.timeout.ms.
    public var openTransactionHoldsBack: Bool
    /// The time of the first sample since which the committed offset has not moved (nil: it moved in the last interval, or unknown).
    public var committedUnchangedSince: Date?
    /// Lag in each sample of the window, oldest first (nil: unknown), for sparklines.
    public var lagSeries: [Int64?]
}

/// A group over the window.
public struct GroupTrendRow: Hashable, Sendable {
    public var group: String
    public var trend: LagTrend
    public var maxTimeLagMs: Int64?
    public var minDataLossInMs: Int64?
    /// The partition at risk of data loss soonest (and the severity an audit gives it).
    public var dataLossSeverity: FindingSeverity?
    /// No members, yet committed offsets moved between samples: a consumer using assign().
    public var assignCommitter: Bool
    public var emptySince: Date?
    public var partitions: [PartitionTrendRow]
}

/// From a history and the facts of one refresh to trend rows (pure; the console and the CLI share it).
public enum LagAnalysis {
    /// Kafka's defaults: transaction.max.timeout.ms 15 minutes, offsets.retention.minutes 10080 (7 days).
    public static let defaultTransactionMaxTimeoutMs: Int64 = 900_000
    public static let defaultOffsetsRetentionMs: Int64 = 10_080 * 60_000

    public static func partition(_ p: PartitionLag, samples: [LagSample], hasMembers: Bool, facts: LagFacts,
                                 now: Date) -> PartitionTrendRow {
        let tp = p.partition
        let trend = LagTrendRules.trend(samples, hasMembers: hasMembers)
        let rates = LagTrendRules.rates(samples)
        let eta = LagTrendRules.eta(lag: p.lag, rates: rates, trend: trend)
        var timeLag: Int64?
        if let lag = p.lag {
            if lag == 0 { timeLag = 0 } else if let t = facts.recordTime(tp, p.committed) {
                timeLag = max(0, Int64((now.timeIntervalSince(t) * 1000).rounded(.down)))
            }
        }
        let r = facts.retention[tp.topic]
        let loss = r.map { DataLossRules.estimate(lag: p.lag, nextRecordTime: facts.recordTime(tp, p.committed),
                                                   cleanupPolicy: $0.cleanupPolicy, retentionMs: $0.retentionMs) }
            ?? (p.lag == 0 ? .nothingUnread : .unknown)
        var lso: Int64?
        var holds = false
        if let l = facts.lastStableOffsets[tp], let end = p.logEnd, l < end {
            lso = l
            if let t = facts.recordTime(tp, l) {
                holds = now.timeIntervalSince(t) * 1000 > Double(facts.transactionMaxTimeoutMs)
            }
        }
        var since: Date?
        if let last = samples.last?.committed {
            for s in samples.reversed() {
                guard s.committed == last else { break }
                since = s.time
            }
            if samples.count < 2 || since == samples.last?.time { since = nil }
        }
        return PartitionTrendRow(partition: tp, lag: p.lag, trend: trend, rates: rates, eta: eta, timeLagMs: timeLag,
                                 dataLoss: loss, dataLossInMs: loss.milliseconds(now: now),
                                 atRisk: DataLossRules.severity(loss, eta: eta, now: now) != nil, lastStableOffset: lso,
                                 openTransactionHoldsBack: holds, committedUnchangedSince: since,
                                 lagSeries: samples.map(\.lag))
    }

    /// The group's rows: each partition of `lag` against its samples in `history` (fewer than two
    /// samples: trend unknown, time lag and data-loss time still given).
    public static func group(_ lag: GroupLag, history: LagHistory, hasMembers: Bool, facts: LagFacts, now: Date) -> GroupTrendRow {
        let rows = lag.partitions.map {
            partition($0, samples: history.samples(group: lag.group, partition: $0.partition), hasMembers: hasMembers,
                      facts: facts, now: now)
        }
        var severity: FindingSeverity?
        for r in rows {
            guard let s = DataLossRules.severity(r.dataLoss, eta: r.eta, now: now) else { continue }
            if severity == nil || s == .error { severity = s }
        }
        return GroupTrendRow(group: lag.group, trend: LagTrend.worst(rows.map(\.trend)),
                             maxTimeLagMs: rows.compactMap(\.timeLagMs).max(),
                             minDataLossInMs: rows.compactMap(\.dataLossInMs).min(),
                             dataLossSeverity: severity,
                             assignCommitter: history.isAssignCommitter(group: lag.group),
                             emptySince: hasMembers ? nil : history.emptySince(group: lag.group), partitions: rows)
    }
}

extension LagHistory {
    /// A group that has no members in its latest sample and whose committed offsets moved between
    /// two samples without members is committing with assign(): "Empty is not idle".
    public func isAssignCommitter(group: String) -> Bool {
        groups[group]?.assignCommitter ?? false
    }
}

extension GroupRing {
    var assignCommitter: Bool {
        guard count >= 2, !lastHasMembers else { return false }
        for ring in partitions.values {
            var previous: Int64?
            var previousEmpty = false
            let values = ring.decode(head: head, count: count)
            for i in 0..<count {
                let s = slot(i)
                let c = values[i]?.committed
                if let c, let previous, previousEmpty, !members[s], c != previous { return true }
                previous = c
                previousEmpty = !members[s]
            }
        }
        return false
    }
}
