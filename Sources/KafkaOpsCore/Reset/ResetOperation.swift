import Foundation

/// What a reset needs to know about the group before anything can be planned: its state and
/// members (Kafka's inactive rule), its committed offsets and which partitions exist. Read once by
/// `load`, shared by `kafkaops reset-offsets` and the console's reset wizard.
public struct ResetInputs: Hashable, Sendable {
    public var group: String
    /// nil: the group does not exist yet (Kafka creates it with the commit).
    public var state: GroupState?
    public var members: [GroupMember]
    public var committed: [TopicPartition: Int64]
    public var topology: ResetTopology
    /// How long the committed offsets were watched for a commit (nil: not sampled), for the preview.
    public var watched: Duration?
    /// Partitions whose committed offsets moved between two samples while the group had no members
    /// (an assign() committer: "Empty is not idle"); empty when only one sample was taken.
    public var movedWhileEmpty: [TopicPartition] = []
    /// The group as the listing and the description together say it is (`GroupReconciliation`):
    /// its type, and the other answer's state when the two disagree; nil when it does not exist.
    public var reconciled: GroupDescription?

    public init(group: String, state: GroupState?, members: [GroupMember], committed: [TopicPartition: Int64],
                topology: ResetTopology) {
        self.group = group; self.state = state; self.members = members; self.committed = committed; self.topology = topology
        self.reconciled = state.map { GroupDescription(id: group, state: $0, members: members) }
    }

    public init(reconciled: GroupDescription?, group: String, committed: [TopicPartition: Int64], topology: ResetTopology) {
        self.init(group: group, state: reconciled?.state, members: reconciled?.members ?? [], committed: committed,
                  topology: topology)
        self.reconciled = reconciled
    }

    /// How long apart the two samples are that tell an assign() committer from an idle group: longer
    /// than Kafka's default auto.commit.interval.ms (5 s), which a 2 s sample missed (issue 27 point 9).
    public static let assignCommitterPause: Duration = .seconds(6)

    /// `load`, and for a group without members a second read of its committed offsets `pause`
    /// later: offsets that moved mean a consumer using assign() is committing (refused as active).
    public static func load(group: String, client: any ClusterClient, deadline: Deadline,
                            secondSampleAfter pause: Duration) async throws -> ResetInputs {
        // The second read has the budget the first had: the pause may be longer than the timeout.
        let budget = deadline.remaining
        var first = try await load(group: group, client: client, deadline: deadline)
        guard first.state != nil, first.members.isEmpty, !first.committed.isEmpty else { return first }
        try await Task.sleep(for: pause)
        let again = try await client.committedOffsets(group: group, deadline: .after(budget))
        first.movedWhileEmpty = movedOffsets(first.committed, again)
        first.watched = pause
        return first
    }

    /// Partitions whose committed offset differs between two reads (appeared, moved or went).
    public static func movedOffsets(_ a: [TopicPartition: Int64], _ b: [TopicPartition: Int64]) -> [TopicPartition] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }

    /// Group listing, description, committed offsets and metadata, asked for at the same time.
    public static func load(group: String, client: any ClusterClient, deadline: Deadline) async throws -> ResetInputs {
        async let listingR = client.listGroups(deadline: deadline)
        async let descR = client.describeGroups([group], deadline: deadline)
        async let committedR = client.committedOffsets(group: group, deadline: deadline)
        async let mdR = client.metadata(deadline: deadline, racks: false)
        let listing = try await listingR
        let desc = try await descR.first { $0.id == group }
        let committed = try await committedR
        let md = try await mdR
        let reconciled = GroupReconciliation.reconcile(group, listing: listing, description: desc, committed: committed)
        return ResetInputs(reconciled: reconciled, group: group, committed: committed, topology: ResetTopology(metadata: md))
    }

    /// Kafka's rule: only an Empty or Dead group, or one that does not exist yet, can be reset.
    public func checkInactive() throws(ResetError) {
        try ResetPreflight.check(reconciled, groupID: group)
        if let state, !movedWhileEmpty.isEmpty { throw .assignCommitter(group: group, state: state, moved: movedWhileEmpty) }
    }

    /// The topics the group has committed offsets for, sorted.
    public var committedTopics: [String] {
        Array(Set(committed.keys.map(\.topic))).sorted()
    }
}

/// What an executed reset did, partition by partition.
public struct ResetExecution: Hashable, Sendable {
    public var plan: ResetPlan
    public var rows: [ResetVerificationRow]
    public var undoPath: String
    /// Set when a request timed out after it was sent: its answer was lost, so its outcome was unknown
    /// until read back (the rows say, per partition, applied / not applied / unknown). Says what was lost.
    public var lostAnswer: String? = nil

    public var allInPlace: Bool { ResetVerification.allInPlace(rows) }
    public var failedCount: Int { rows.reduce(0) { $0 + ($1.status.isInPlace ? 0 : 1) } }
    /// Every partition in place and every answer received: the only outcome that exits 0.
    public var succeeded: Bool { lostAnswer == nil && allInPlace }

    /// One line on the outcome: "the answer to the reset was lost (...): its outcome was unknown; read back:
    /// 300 applied, 0 not applied, 0 unknown", or nil for a reset that got its answers.
    public var lostAnswerLine: String? {
        lostAnswer.map { "the outcome of the reset was unknown: \($0); read back: \(ResetVerification.lostSummary(rows))" }
    }
}

/// The steps of an offset reset that the CLI and the console share: plan from the cluster's offsets;
/// the change itself is `ResetOffsetsChange`, run by `ChangePipeline`.
public enum ResetOperation {

    /// Fetches the log offsets (and, for a time target, the offsets for the time) of the partitions
    /// in scope and plans the reset.
    public static func plan(_ inputs: ResetInputs, scope: ResetScope?, target: ResetTarget, client: any ClusterClient,
                            deadline: Deadline, now: Date = Date()) async throws -> ResetPlan {
        let tps = try ResetPlanner.partitions(scope: scope, target: target, committed: inputs.committed,
                                              topology: inputs.topology)
        async let offsetsR = client.logOffsets(tps, deadline: deadline)
        let query = ResetPlanner.timeQuery(target: target, partitions: tps, now: now)
        let times = query.isEmpty ? [:] : try await client.offsetsForTimes(query, deadline: deadline)
        let offsets = try await offsetsR
        return try ResetPlanner.plan(group: inputs.group, scope: scope, target: target, committed: inputs.committed,
                                     logOffsets: offsets, timeLookup: times, topology: inputs.topology, now: now)
    }

    /// The group's committed offsets after a change, asked again (backing off from 0.2 s to 2 s) until
    /// they come or `budget` is spent: a broker that stopped answering may answer again within it.
    public static func readBack(group: String, client: any ClusterClient, budget: Duration) async -> ResetReadBack {
        switch await ReadBack.retrying(budget: budget, { try await client.committedOffsets(group: group, deadline: $0) }) {
        case .success(let offsets): return .offsets(offsets)
        case .failure(let e): return .unavailable(e.description)
        }
    }

    /// The plan's offsets for the audit record: before (committed, null when none) or after (new).
    public static func offsetsJSON(_ plan: ResetPlan, before: Bool) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: plan.rows.map { row in
            (row.topicPartition.description, ((before ? row.current : row.new).map(JSONValue.int)) ?? .null)
        }))
    }

    /// The command that puts the previous offsets back, to be run exactly as printed: `connection` are the
    /// options that chose the cluster (`--profile P`, `--config F`, `--bootstrap B`); `--allow-skip` is
    /// there when the reset moved a partition back, since its undo moves forward over the records the group
    /// re-reads (the skip check cannot tell an undo from any other file); `--confirm GROUP` on a protected
    /// profile. Partitions that had no commit are in the file without an offset: the undo deletes the commit.
    public static func undoCommand(_ plan: ResetPlan, undoPath: String, connection: [String] = [],
                                   protected: Bool = false) -> String {
        var words = ["kafkaops", "reset-offsets", "--group", plan.group, "--from-file", undoPath, "--execute"]
        if plan.movesBack { words.append("--allow-skip") }
        if protected { words += ["--confirm", plan.group] }
        return (words + connection).map(shellQuote).joined(separator: " ")
    }

}

/// The undo file of a reset: where it goes and what it holds (the offsets committed before, as a
/// `--from-file` CSV). Written by the executable or the console before anything is committed.
public enum ResetUndo {
    /// `DIR/GROUP-yyyy-MM-ddTHHmmss.SSSZ.csv`, DIR being `directory` when given, else `undo/` beside the default audit
    /// log ($XDG_STATE_HOME/kafkaops/undo/, else ~/.local/state/kafkaops/undo/); nil without either.
    public static func defaultPath(group: String, directory: String? = nil, environment: [String: String],
                                   now: Date = Date()) -> String? {
        let dir: String
        if let directory, !directory.isEmpty {
            dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        } else {
            guard let audit = ChangeLogFiles.defaultPath(environment: environment) else { return nil }
            dir = (audit as NSString).deletingLastPathComponent + "/undo"
        }
        // To the millisecond, so that a reset and its undo run in the same second do not share a file.
        let stamp = ISO8601.string(now).replacingOccurrences(of: ":", with: "")
        let safe = String(group.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        return dir + "/\(safe)-\(stamp).csv"
    }

    /// The file's contents: the committed offsets before the reset, every partition of the plan; one that had
    /// no commit is `topic,partition,` (its undo deletes the commit the reset made).
    public static func contents(_ plan: ResetPlan) -> String {
        ResetCSV.export(plan.previousOffsets)
    }

    /// The refusal when the undo file cannot be created (nothing is sent then).
    public static func cannotWrite(_ path: String, reason: String) -> String {
        "cannot write the undo file \(Sanitizer.terminal(path)): \(Sanitizer.terminal(reason)); nothing was changed"
    }
}
