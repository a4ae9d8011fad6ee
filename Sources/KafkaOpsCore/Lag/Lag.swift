import Foundation

/// What is known about one partition's consumer position.
public enum LagStatus: String, Hashable, Sendable, Codable {
    case ok
    /// No committed offset: lag is unknown (shown as `-`, as kafka-consumer-groups.sh does).
    case noCommit = "no_commit"
    /// Committed offset below the log start: retention deleted records this group never read.
    case dataLost = "data_lost"
    /// Committed offset above the log end (after truncation): lag is shown as 0 and flagged.
    case aheadOfLogEnd = "ahead_of_log_end"
    /// The partition's log offsets could not be read.
    case unknownOffsets = "unknown_offsets"
}

public struct PartitionLag: Hashable, Sendable, Codable {
    public var partition: TopicPartition
    public var committed: Int64?
    public var logStart: Int64?
    public var logEnd: Int64?
    /// log end - committed; nil when unknown.
    public var lag: Int64?
    /// Records deleted by retention before this group read them (committed < log start).
    public var recordsLost: Int64?
    public var status: LagStatus

    /// Lag math from KAFKA-SEMANTICS.md.
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
                                lag: 0, recordsLost: nil, status: .aheadOfLogEnd)
        }
        let lag = logEnd - committed
        if let logStart, committed < logStart {
            return PartitionLag(partition: tp, committed: committed, logStart: logStart, logEnd: logEnd,
                                lag: lag, recordsLost: logStart - committed, status: .dataLost)
        }
        return PartitionLag(partition: tp, committed: committed, logStart: logStart, logEnd: logEnd,
                            lag: lag, recordsLost: nil, status: .ok)
    }
}

/// A consumer group's lag over all its partitions.
public struct GroupLag: Hashable, Sendable, Codable {
    public var group: String
    public var partitions: [PartitionLag]
    /// Sum of the known partition lags.
    public var totalLag: Int64
    /// The partition with the largest known lag.
    public var worst: PartitionLag?
    public var partitionsWithoutCommit: Int
    public var partitionsWithDataLoss: Int
    public var recordsLost: Int64
    public var topics: [String]

    public init(group: String, partitions: [PartitionLag]) {
        self.group = group
        self.partitions = partitions.sorted { $0.partition < $1.partition }
        var total: Int64 = 0, lost: Int64 = 0
        var worst: PartitionLag?
        var noCommit = 0, dataLoss = 0
        var topics = Set<String>()
        for p in self.partitions {
            topics.insert(p.partition.topic)
            if let l = p.lag {
                total += l
                if l > (worst?.lag ?? -1) { worst = p }
            }
            if p.status == .noCommit { noCommit += 1 }
            if p.status == .dataLost { dataLoss += 1; lost += p.recordsLost ?? 0 }
        }
        self.totalLag = total
        self.worst = worst
        self.partitionsWithoutCommit = noCommit
        self.partitionsWithDataLoss = dataLoss
        self.recordsLost = lost
        self.topics = topics.sorted()
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
