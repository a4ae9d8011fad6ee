import Foundation

/// One observation of a partition's positions (docs/KAFKA-SEMANTICS.md, "Lag over time"): every
/// refresh of a group's offsets is a sample.
public struct LagSample: Hashable, Sendable {
    public var time: Date
    /// nil: the group has no committed offset for the partition.
    public var committed: Int64?
    public var logEnd: Int64?
    public var logStart: Int64?

    public init(time: Date, committed: Int64?, logEnd: Int64?, logStart: Int64? = nil) {
        self.time = time; self.committed = committed; self.logEnd = logEnd; self.logStart = logStart
    }

    /// log end - committed; nil when either is unknown or the commit is past the log end (the lag
    /// cannot be known then: never 0, see `LagStatus.aheadOfLogEnd`).
    public var lag: Int64? {
        guard let committed, committed >= 0, let logEnd, committed <= logEnd else { return nil }
        return logEnd - committed
    }
}

/// Where a consumer is heading over a window of samples. `allCases` is in order of severity,
/// worst first: a group's trend is its worst partition's.
public enum LagTrend: String, Hashable, Sendable, Codable, CaseIterable {
    /// The committed offset does not move, lag > 0, and the group has no members.
    case stopped
    /// The committed offset does not move, lag > 0, while members are there: stuck, often on a
    /// poison record.
    case stalled
    /// The committed offset moves and lag grows by more than the noise.
    case fallingBehind = "falling_behind"
    /// The committed offset went back (a reset, or a rebalance to older offsets).
    case rewound
    /// Fewer than two samples, or no committed offset.
    case unknown
    /// The committed offset moves and lag stays within the noise.
    case keepingUp = "keeping_up"
    /// The committed offset moves and lag shrinks by more than the noise.
    case catchingUp = "catching_up"
    /// Lag is 0 in the latest sample (an idle topic with lag 0 is here, never an alarm), or the
    /// consumer reads at the log end: lag was 0 in an earlier sample, the committed offset moved
    /// since, and the lag now is within the noise. A group with lag > 0 that does not consume is never here.
    case caughtUp = "caught_up"

    /// 0 for the worst.
    public var severity: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// The worst of `trends` (unknown when there are none).
    public static func worst<S: Sequence>(_ trends: S) -> LagTrend where S.Element == LagTrend {
        trends.min { $0.severity < $1.severity } ?? .unknown
    }

    public var word: String { rawValue }
}

/// Rates over a window: records per second consumed (committed offset delta / time) and
/// produced (log end delta / time).
public struct LagRates: Hashable, Sendable {
    public var consumed: Double
    public var produced: Double
}

/// The rules that turn a window of samples into a trend, rates and estimates. Pure functions;
/// the console's history and the CLI's `--window` sampling both call them.
public enum LagTrendRules {
    /// Lag changes within this are noise: 10 % of the lag at the start of the window, or the
    /// records produced in the busiest sampling interval, whichever is larger (at least 1 record).
    public static func noise(_ samples: [LagSample]) -> Int64 {
        let first = samples.first?.lag ?? 0
        var perInterval: Int64 = 0
        var previousEnd: Int64?
        for s in samples {
            if let a = previousEnd, let b = s.logEnd { perInterval = max(perInterval, b - a) }
            previousEnd = s.logEnd
        }
        return max(1, first / 10, perInterval)
    }

    /// The trend of one partition over `samples` (oldest first). `hasMembers`: the group has
    /// members now (a stalled consumer is there; a stopped one is gone). One pass, no copies:
    /// the console calls it for every partition of every group on each refresh.
    public static func trend(_ samples: [LagSample], hasMembers: Bool) -> LagTrend {
        var known = 0
        var first: LagSample?, last: LagSample?, previous: LagSample?
        var rewound = false
        /// The committed offset of the latest sample with lag 0.
        var committedAtZero: Int64?
        var perInterval: Int64 = 0
        for s in samples {
            guard let lag = s.lag else { continue }
            known += 1
            if first == nil { first = s }
            if let p = previous {
                if let ca = p.committed, let cb = s.committed, cb < ca { rewound = true }
                if let ea = p.logEnd, let eb = s.logEnd { perInterval = max(perInterval, eb - ea) }
            }
            if lag == 0 { committedAtZero = s.committed }
            previous = s
            last = s
        }
        guard known >= 2, let first, let last, let c0 = first.committed, let c1 = last.committed,
              let lag0 = first.lag, let lag1 = last.lag else {
            return .unknown
        }
        if rewound { return .rewound }
        if lag1 == 0 { return .caughtUp }
        if c1 == c0 { return hasMembers ? .stalled : .stopped }
        let change = lag1 - lag0
        let n = max(1, lag0 / 10, perInterval)
        // Lag > 0 now: caught up only while still consuming what arrived since it was at the log end.
        if let z = committedAtZero, c1 > z, lag1 <= n { return .caughtUp }
        if change > n { return .fallingBehind }
        if change < -n { return .catchingUp }
        return .keepingUp
    }

    /// Records per second consumed and produced between the first and last samples that have
    /// both offsets; nil with fewer than two, or no time between them.
    public static func rates(_ samples: [LagSample]) -> LagRates? {
        guard let first = samples.first(where: { $0.committed != nil && $0.logEnd != nil }),
              let last = samples.last(where: { $0.committed != nil && $0.logEnd != nil }),
              let c0 = first.committed, let c1 = last.committed, let e0 = first.logEnd, let e1 = last.logEnd else { return nil }
        let seconds = last.time.timeIntervalSince(first.time)
        guard seconds > 0 else { return nil }
        return LagRates(consumed: Double(c1 - c0) / seconds, produced: Double(e1 - e0) / seconds)
    }

    /// Time to catch up at the current rates, only when catching up (consuming faster than
    /// producing); nil otherwise.
    public static func eta(lag: Int64?, rates: LagRates?, trend: LagTrend) -> TimeInterval? {
        guard trend == .catchingUp, let lag, lag > 0, let rates else { return nil }
        let net = rates.consumed - rates.produced
        guard net > 0 else { return nil }
        return Double(lag) / net
    }
}

/// How long until retention may delete records the group has not read yet.
public enum DataLossEstimate: Hashable, Sendable {
    /// Lag is 0: nothing unread.
    case nothingUnread
    /// Retention never deletes by time (retention.ms -1), or the topic is compacted only.
    case notByTime
    /// The record at the committed offset could not be read (deleted, or the read failed): unknown, never a guess.
    case unknown
    /// The next unread record may be deleted from this time on (segment rolling can make it later, never earlier).
    case from(Date)

    /// Milliseconds from `now` until `from` (negative: it may already be going); nil otherwise.
    public func milliseconds(now: Date) -> Int64? {
        guard case .from(let d) = self else { return nil }
        return Int64((d.timeIntervalSince(now) * 1000).rounded(.down))
    }
}

public enum DataLossRules {
    /// For a partition with `lag` > 0 on a topic whose `cleanup.policy` and `retention.ms` are
    /// given: the record at the committed offset has timestamp `nextRecordTime`, so retention may
    /// delete it from nextRecordTime + retention.ms on.
    public static func estimate(lag: Int64?, nextRecordTime: Date?, cleanupPolicy: String?, retentionMs: Int64?) -> DataLossEstimate {
        guard let lag else { return .unknown }
        if lag == 0 { return .nothingUnread }
        let policies = Set((cleanupPolicy ?? "delete").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        guard policies.contains("delete") else { return .notByTime }
        guard let retentionMs else { return .unknown }
        guard retentionMs >= 0 else { return .notByTime }
        guard let t = nextRecordTime else { return .unknown }
        return .from(t.addingTimeInterval(Double(retentionMs) / 1000))
    }

    /// Retention may delete unread records before the group catches up: the loss time comes
    /// before the ETA, or there is no ETA at all.
    public static func atRisk(_ estimate: DataLossEstimate, eta: TimeInterval?, now: Date) -> Bool {
        guard case .from(let d) = estimate else { return false }
        guard let eta else { return true }
        return d < now.addingTimeInterval(eta)
    }

    /// The audit severity of a risk: an error under an hour, a warning under a day, else none.
    public static func severity(_ estimate: DataLossEstimate, eta: TimeInterval?, now: Date) -> FindingSeverity? {
        guard atRisk(estimate, eta: eta, now: now), let ms = estimate.milliseconds(now: now) else { return nil }
        if ms < 3_600_000 { return .error }
        if ms < 86_400_000 { return .warning }
        return nil
    }

    /// The audit rule name for a group at risk of data loss.
    public static let rule = "group-data-loss-risk"
}
