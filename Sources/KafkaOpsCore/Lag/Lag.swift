import Foundation

/// What is known about one partition's consumer position.
public enum LagStatus: String, Hashable, Sendable, Codable {
    case ok
    /// No committed offset: lag is unknown (shown as `-`, as kafka-consumer-groups.sh does).
    case noCommit = "no_commit"
    /// Committed offset below the log start: retention deleted records this group never read.
    case dataLost = "data_lost"
    /// Committed offset above the log end (after a truncation, or the topic was recreated): the lag
    /// cannot be known (never shown as 0).
    case aheadOfLogEnd = "ahead_of_log_end"
    /// The partition's log offsets could not be read: the lag cannot be known.
    case unknownOffsets = "unknown_offsets"

    /// A partition in this state has a commit whose lag cannot be known: shown as `?` with the reason,
    /// and any total over it is unknown too (null, never 0).
    public var lagUnknown: Bool { self == .aheadOfLogEnd || self == .unknownOffsets }
}

public struct PartitionLag: Hashable, Sendable, Codable {
    public var partition: TopicPartition
    public var committed: Int64?
    public var logStart: Int64?
    public var logEnd: Int64?
    /// log end - committed; nil when unknown (no commit, or `status.lagUnknown`).
    public var lag: Int64?
    /// Records deleted by retention before this group read them (committed < log start).
    public var recordsLost: Int64?
    public var status: LagStatus

    /// Lag math from docs/KAFKA-SEMANTICS.md.
    public static func compute(_ tp: TopicPartition, committed: Int64?, offsets: LogOffsets?) -> PartitionLag {
        compute(tp, committed: committed, logStart: offsets?.start, logEnd: offsets?.end)
    }

    /// Lag math when the log start may not be known (then data loss cannot be told and is not flagged).
    public static func compute(_ tp: TopicPartition, committed: Int64?, logStart: Int64?, logEnd: Int64?) -> PartitionLag {
        guard let committed, committed >= 0 else {
            return PartitionLag(partition: tp, committed: nil, logStart: logStart, logEnd: logEnd,
                                lag: nil, recordsLost: nil, status: .noCommit)
        }
        guard let logEnd else {
            return PartitionLag(partition: tp, committed: committed, logStart: logStart, logEnd: nil,
                                lag: nil, recordsLost: nil, status: .unknownOffsets)
        }
        if committed > logEnd {
            return PartitionLag(partition: tp, committed: committed, logStart: logStart, logEnd: logEnd,
                                lag: nil, recordsLost: nil, status: .aheadOfLogEnd)
        }
        let lag = logEnd - committed
        if let logStart, committed < logStart {
            return PartitionLag(partition: tp, committed: committed, logStart: logStart, logEnd: logEnd,
                                lag: lag, recordsLost: logStart - committed, status: .dataLost)
        }
        return PartitionLag(partition: tp, committed: committed, logStart: logStart, logEnd: logEnd,
                            lag: lag, recordsLost: nil, status: .ok)
    }

    /// Why the lag cannot be known (nil when it can, or when there is no commit): one short line,
    /// the same in the console and the CLI.
    public var lagUnknownReason: String? {
        switch status {
        case .aheadOfLogEnd:
            return "committed \(committed.map(String.init) ?? "?") is past the log end \(logEnd.map(String.init) ?? "?")"
        case .unknownOffsets: return "log end offset unreadable"
        case .ok, .noCommit, .dataLost: return nil
        }
    }

    /// Whether records lost to retention can be told: a commit, and both log offsets read.
    var dataLossKnown: Bool { committed == nil || (logStart != nil && logEnd != nil) }
}

/// A consumer group's lag over all its partitions.
public struct GroupLag: Hashable, Sendable, Codable {
    public var group: String
    public var partitions: [PartitionLag]
    /// Sum of the partition lags (partitions without a commit left out); nil when the lag of a
    /// committed partition cannot be known (`LagStatus.lagUnknown`): unknown, never a smaller number.
    public var totalLag: Int64?
    /// The partition with the largest known lag.
    public var worst: PartitionLag?
    public var partitionsWithoutCommit: Int
    public var partitionsWithDataLoss: Int
    /// Committed partitions whose lag cannot be known (`lagUnknownPartitions`).
    public var partitionsWithUnknownLag: Int
    /// Records deleted by retention before the group read them; nil when a committed partition's log
    /// offsets are not known (then it cannot be told, never "none").
    public var recordsLost: Int64?
    public var topics: [String]

    public init(group: String, partitions: [PartitionLag]) {
        self.group = group
        self.partitions = partitions.sorted { $0.partition < $1.partition }
        var total: Int64 = 0, lost: Int64 = 0
        var worst: PartitionLag?
        var noCommit = 0, dataLoss = 0, unknown = 0
        var lossKnown = true
        var topics = Set<String>()
        for p in self.partitions {
            topics.insert(p.partition.topic)
            if let l = p.lag {
                total += l
                if l > (worst?.lag ?? -1) { worst = p }
            }
            if p.status == .noCommit { noCommit += 1 }
            if p.status == .dataLost { dataLoss += 1; lost += p.recordsLost ?? 0 }
            if p.status.lagUnknown { unknown += 1 }
            if !p.dataLossKnown { lossKnown = false }
        }
        self.totalLag = unknown == 0 ? total : nil
        self.worst = worst
        self.partitionsWithoutCommit = noCommit
        self.partitionsWithDataLoss = dataLoss
        self.partitionsWithUnknownLag = unknown
        self.recordsLost = lossKnown ? lost : nil
        self.topics = topics.sorted()
    }

    /// The partitions whose lag cannot be known, in partition order.
    public var lagUnknownPartitions: [PartitionLag] { partitions.filter(\.status.lagUnknown) }

    /// Why the group's total lag is unknown: the first such partition and its reason, and how many
    /// more there are (`orders-0: committed 120 is past the log end 100 (+1 more)`); nil when known.
    public var lagUnknownReason: String? {
        let unknown = lagUnknownPartitions
        guard let first = unknown.first, let why = first.lagUnknownReason else { return nil }
        return "\(first.partition): \(why)" + (unknown.count > 1 ? " (+\(unknown.count - 1) more)" : "")
    }

    /// The partitions a group consumes: those assigned to its members and those it has committed for.
    /// `endOffsets` supplies the log end where `offsets` has no entry (start unknown).
    public static func compute(group: String, description: GroupDescription?, committed: [TopicPartition: Int64],
                               offsets: [TopicPartition: LogOffsets], endOffsets: [TopicPartition: Int64] = [:]) -> GroupLag {
        var tps = Set(committed.keys)
        for m in description?.members ?? [] { tps.formUnion(m.assignment) }
        return GroupLag(group: group, partitions: tps.map { tp in
            if let o = offsets[tp] { return PartitionLag.compute(tp, committed: committed[tp], offsets: o) }
            return PartitionLag.compute(tp, committed: committed[tp], logStart: nil, logEnd: endOffsets[tp])
        })
    }
}
