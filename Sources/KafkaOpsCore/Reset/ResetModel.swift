import Foundation

/// One `--topic` argument: a topic, and optionally some of its partitions (`T` or `T:0,2`).
public struct TopicScope: Hashable, Sendable, Codable {
    public var topic: String
    /// nil means every partition of the topic.
    public var partitions: [Int32]?

    public init(_ topic: String, partitions: [Int32]? = nil) {
        self.topic = topic; self.partitions = partitions
    }
}

/// Which partitions a reset covers, as `kafka-consumer-groups.sh --reset-offsets` scopes them.
public enum ResetScope: Hashable, Sendable, Codable {
    /// `--all-topics`: the partitions the group has committed offsets for.
    case allTopics
    /// `--topic T` (every partition) or `--topic T:0,2` (those partitions), repeatable.
    case topics([TopicScope])

    /// Parses one `--topic` value the way Kafka does: `T` or `T:0,2,5`.
    public static func parseTopicArgument(_ arg: String) throws(ResetError) -> TopicScope {
        let invalid = ResetError.invalidTopicArgument(arg)
        guard let colon = arg.firstIndex(of: ":") else {
            guard !arg.trimmingCharacters(in: .whitespaces).isEmpty else { throw invalid }
            return TopicScope(arg)
        }
        let topic = String(arg[..<colon])
        let list = arg[arg.index(after: colon)...]
        guard !topic.isEmpty, !list.isEmpty else { throw invalid }
        guard !list.contains(":") else { throw invalid }
        var partitions: [Int32] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            guard let p = Int32(item.trimmingCharacters(in: .whitespaces)), p >= 0 else {
                throw ResetError.invalidPartitionInTopicArgument(partition: String(item), argument: arg)
            }
            if !partitions.contains(p) { partitions.append(p) }
        }
        return TopicScope(topic, partitions: partitions)
    }

    /// Parses repeated `--topic` values into one scope; a whole topic absorbs its partition lists.
    public static func parseTopicArguments(_ args: [String]) throws(ResetError) -> ResetScope {
        var merged: [TopicScope] = []
        var index: [String: Int] = [:]
        for arg in args {
            let t = try parseTopicArgument(arg)
            if let i = index[t.topic] {
                switch (merged[i].partitions, t.partitions) {
                case (nil, _), (_, nil): merged[i].partitions = nil
                case (let a?, let b?): merged[i].partitions = a + b.filter { !a.contains($0) }
                }
            } else {
                index[t.topic] = merged.count
                merged.append(t)
            }
        }
        return .topics(merged)
    }
}

/// One row of a `--from-file` plan.
public struct ResetFileEntry: Hashable, Sendable, Codable {
    public var topic: String
    public var partition: Int32
    /// nil: no committed offset (the group's offset for the partition is deleted).
    public var offset: Int64?

    public init(topic: String, partition: Int32, offset: Int64?) {
        self.topic = topic; self.partition = partition; self.offset = offset
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// Where a reset moves each partition: exactly one of Kafka's scenarios.
public enum ResetTarget: Hashable, Sendable, Codable {
    case toEarliest
    case toLatest
    /// Keeps the committed offset; a partition without one gets the log end.
    case toCurrent
    case toOffset(Int64)
    /// From the committed offset, forward (positive) or back (negative).
    case shiftBy(Int64)
    /// The earliest offset whose timestamp is >= this time (ms since the epoch).
    case toDatetime(Int64)
    /// The earliest offset whose timestamp is >= now minus this many milliseconds.
    case byDuration(Int64)
    /// The rows of a reset plan file (already selected for this group).
    case fromFile([ResetFileEntry])

    /// The option name, for messages and audit records.
    public var optionName: String {
        switch self {
        case .toEarliest: return "--to-earliest"
        case .toLatest: return "--to-latest"
        case .toCurrent: return "--to-current"
        case .toOffset: return "--to-offset"
        case .shiftBy: return "--shift-by"
        case .toDatetime: return "--to-datetime"
        case .byDuration: return "--by-duration"
        case .fromFile: return "--from-file"
        }
    }

    /// A short human description: "to earliest", "shift by -100", "to 2026-11-23T10:15:00.000Z".
    public var summary: String {
        switch self {
        case .toEarliest: return "to earliest"
        case .toLatest: return "to latest"
        case .toCurrent: return "to current"
        case .toOffset(let o): return "to offset \(o)"
        case .shiftBy(let n): return "shift by \(n > 0 ? "+" : "")\(n)"
        case .toDatetime(let ms): return "to \(ISO8601.string(milliseconds: ms))"
        case .byDuration(let ms): return "back \(OffsetTime.describe(milliseconds: ms)) from now"
        case .fromFile(let rows): return "from file (\(rows.count) partition\(rows.count == 1 ? "" : "s"))"
        }
    }

    /// Whether the planner needs offsetsForTimes results for this target.
    public var needsTimeLookup: Bool {
        switch self {
        case .toDatetime, .byDuration: return true
        default: return false
        }
    }

    /// `--to-datetime VALUE` and `--by-duration VALUE` (and the wizard's fields): one parser,
    /// `OffsetTime.parseTimePoint`. A date-time (UTC when it has no zone) is `toDatetime`; a relative form
    /// (`-1h`, `PT1H`: now minus the duration) is `byDuration`, resolved when the plan is made.
    public static func time(_ value: String) throws(ResetError) -> ResetTarget {
        do {
            switch try OffsetTime.parseTimePoint(value) {
            case .at(let ms): return .toDatetime(ms)
            case .ago(let ms): return .byDuration(ms)
            }
        } catch { throw .invalidTime(error) }
    }

    /// `--to-datetime VALUE`: see `time`.
    public static func datetime(_ value: String) throws(ResetError) -> ResetTarget { try time(value) }

    /// `--by-duration VALUE`: see `time` (`1h`, `PT1H`, `-1h` all mean an hour back).
    public static func duration(_ value: String) throws(ResetError) -> ResetTarget { try time(value) }

    /// Kafka's "exactly one scenario" rule for a command line: pass every scenario option, given or not.
    public static func exactlyOne(_ candidates: [ResetTarget?]) throws(ResetError) -> ResetTarget {
        let given = candidates.compactMap { $0 }
        guard given.count == 1, let only = given.first else {
            throw given.isEmpty ? ResetError.noTarget : ResetError.severalTargets(given.map(\.optionName))
        }
        return only
    }
}

/// Dry run (the default) or execute.
public enum ResetMode: String, Hashable, Sendable, Codable {
    case dryRun = "dry-run"
    case execute

    /// `--dry-run` together with `--execute` is a usage error; neither means a dry run, as in Kafka.
    public static func from(dryRun: Bool, execute: Bool) throws(ResetError) -> ResetMode {
        if dryRun && execute { throw ResetError.dryRunWithExecute }
        return execute ? .execute : .dryRun
    }
}

/// Why a reset cannot be planned or run. Messages use Kafka's own words where Kafka has them.
public enum ResetError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidTopicArgument(String)
    case invalidPartitionInTopicArgument(partition: String, argument: String)
    /// Neither `--all-topics` nor `--topic`, and no `--from-file`.
    case scopeRequired
    case noTarget
    case severalTargets([String])
    case dryRunWithExecute
    case unknownTopics([String])
    case unknownPartitions([TopicPartition])
    case partitionsWithoutLeader([TopicPartition])
    /// `--shift-by` for a partition with no committed offset.
    case noCommittedOffsetToShift(TopicPartition)
    /// The caller did not supply log offsets (or a time lookup) the plan needs.
    case missingLogOffsets([TopicPartition])
    case missingTimeLookup([TopicPartition])
    case invalidTime(OffsetTimeError)
    /// A malformed reset file: 1-based line number and what is wrong.
    case csv(line: Int, message: String)
    /// The file has rows, none for this group.
    case noPlanForGroup(String)
    case groupNotInactive(group: String, state: GroupState, members: [GroupMember])
    /// The listing and the description name different states (a KIP-848 group described as Dead
    /// while listed as Stable): not inactive.
    case statesDisagree(group: String, listed: GroupState, described: GroupState)
    /// A type kafkaops cannot describe (share, streams, unknown): every change is refused.
    case groupNotDescribable(group: String, reason: String)
    /// No members, yet its committed offsets moved between two samples: a consumer using assign() commits.
    case assignCommitter(group: String, state: GroupState, moved: [TopicPartition])
    /// `--all-topics` for a group with no committed offsets, or a scope that selects nothing.
    case nothingToReset(String)

    public var description: String {
        switch self {
        case .invalidTopicArgument(let a):
            return "Invalid topic arg '\(Sanitizer.terminal(a))', expected topic name and partitions"
        case .invalidPartitionInTopicArgument(let p, let a):
            return "Invalid partition '\(Sanitizer.terminal(p))' specified in topic arg '\(Sanitizer.terminal(a))'"
        case .scopeRequired:
            return "One of the reset scopes should be defined: --all-topics, --topic."
        case .noTarget:
            return "One of the reset scenarios should be defined: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset."
        case .severalTargets(let names):
            return "Only one reset scenario may be given, got \(names.joined(separator: ", "))."
        case .dryRunWithExecute:
            return "Option --reset-offsets only accepts one of --execute and --dry-run"
        case .unknownTopics(let ts):
            return "The topics \"\(Sanitizer.terminal(ts.sorted().joined(separator: ",")))\" do not exist"
        case .unknownPartitions(let tps):
            return "The partitions \"\(Self.list(tps))\" do not exist"
        case .partitionsWithoutLeader(let tps):
            return "The partitions \"\(Self.list(tps))\" have no leader"
        case .noCommittedOffsetToShift(let tp):
            return "Cannot shift offset for partition \(Sanitizer.terminal(tp.description)) since there is no current committed offset"
        case .missingLogOffsets(let tps):
            return "The log offsets of \(Self.list(tps)) could not be read"
        case .missingTimeLookup(let tps):
            return "No offset-for-time answer for \(Self.list(tps))"
        case .invalidTime(let e):
            return e.message
        case .csv(let line, let message):
            return "line \(line): \(message)"
        case .noPlanForGroup(let g):
            return "No reset plan for group \(Sanitizer.terminal(g)) found."
        case .groupNotInactive(let g, let state, _):
            return "Assignments can only be reset if the group '\(Sanitizer.terminal(g))' is inactive, but the current state is \(state.rawValue)."
        case .statesDisagree(let g, let listed, let described):
            return "Assignments can only be reset if the group '\(Sanitizer.terminal(g))' is inactive, but the listing says "
                + "\(listed.rawValue) and the description \(described.rawValue): the group is treated as active."
        case .groupNotDescribable(_, let reason):
            return reason
        case .assignCommitter(let g, let state, let moved):
            return "Assignments can only be reset if the group '\(Sanitizer.terminal(g))' is inactive: its state is \(state.rawValue), "
                + "but its committed offsets moved a moment ago (\(Self.list(Array(moved.prefix(5))))\(moved.count > 5 ? ", …" : "")): "
                + "a consumer using assign() is committing; stop it first."
        case .nothingToReset(let why):
            return why
        }
    }

    static func list(_ tps: [TopicPartition]) -> String {
        Sanitizer.terminal(tps.sorted().map(\.description).joined(separator: ","))
    }
}

/// Which partitions exist and which of them have a leader, from metadata.
public struct ResetTopology: Hashable, Sendable {
    /// topic -> its partition numbers.
    public var partitions: [String: [Int32]]
    /// Partitions that exist but have no leader.
    public var leaderless: Set<TopicPartition>
    private var existing: Set<TopicPartition>

    public init(partitions: [String: [Int32]], leaderless: Set<TopicPartition> = []) {
        self.partitions = partitions; self.leaderless = leaderless
        var all = Set<TopicPartition>()
        for (t, ps) in partitions { for p in ps { all.insert(TopicPartition(t, p)) } }
        self.existing = all
    }

    public init(metadata: ClusterMetadata) {
        var parts: [String: [Int32]] = [:]
        var noLeader = Set<TopicPartition>()
        for t in metadata.topics where t.error == nil || !t.partitions.isEmpty {
            parts[t.name] = t.partitions.map(\.id).sorted()
            for p in t.partitions where p.leader == nil || p.leader == -1 {
                noLeader.insert(TopicPartition(t.name, p.id))
            }
        }
        self.init(partitions: parts, leaderless: noLeader)
    }

    func exists(_ tp: TopicPartition) -> Bool {
        existing.contains(tp)
    }
}
