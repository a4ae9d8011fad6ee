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

    public init(group: String, state: GroupState?, members: [GroupMember], committed: [TopicPartition: Int64],
                topology: ResetTopology) {
        self.group = group; self.state = state; self.members = members; self.committed = committed; self.topology = topology
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
        let state = GroupState.of(group, description: desc, listing: listing, committed: committed)
        return ResetInputs(group: group, state: state, members: desc?.members ?? [], committed: committed,
                           topology: ResetTopology(metadata: md))
    }

    /// Kafka's rule: only an Empty or Dead group, or one that does not exist yet, can be reset.
    public func checkInactive() throws(ResetError) {
        try ResetPreflight.check(groupState: state, members: members, groupID: group)
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
    /// The warning to show when the outcome record could not be written to the audit log.
    public var unrecorded: String? = nil

    public var allInPlace: Bool { ResetVerification.allInPlace(rows) }
    public var failedCount: Int { rows.reduce(0) { $0 + ($1.status == .inPlace ? 0 : 1) } }
}

/// The commit of a reset failed (`underlying`); its outcome record was written, or `unrecorded` says
/// it could not be.
public struct ResetExecutionFailed: Error, Sendable, CustomStringConvertible {
    public var underlying: any Error
    public var unrecorded: String?
    public var description: String { String(describing: underlying) }
}

/// The steps of an offset reset that the CLI and the console share: plan from the cluster's offsets,
/// then apply, read back, verify and record in the audit log. No file I/O here: the caller opens the
/// audit log and writes the undo file (at `undoPath`) before calling `execute`.
public enum ResetOperation {
    /// The audit log's action name for a reset.
    public static let auditAction = "group.reset-offsets"

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

    /// Writes the started record (throws `ChangeNotStarted`, with nothing sent, when it cannot),
    /// commits the plan, reads the offsets back and records the outcome in `audit`. A failure of the
    /// commit itself is recorded, then thrown. `unrecorded` in the result is the warning to show when
    /// the outcome record could not be written.
    public static func execute(_ plan: ResetPlan, undoPath: String, client: any ClusterClient, audit: any AuditRecorder,
                               timeout: Duration) async throws -> ResetExecution {
        let group = plan.group
        let change = try LoggedChange.start(audit, action: auditAction, target: group, before: offsetsJSON(plan, before: true),
                                            after: offsetsJSON(plan, before: false),
                                            details: .object(["undo_file": .string(undoPath), "target": .string(plan.target.summary)]))
        let results: [PartitionResult]
        do {
            results = try await client.alterGroupOffsets(group: group, offsets: plan.offsets, deadline: .after(timeout))
        } catch {
            let unrecorded = change.finish(result: "failed: \(error)",
                                           details: .object(["undo_file": .string(undoPath), "target": .string(plan.target.summary)]))
            throw ResetExecutionFailed(underlying: error, unrecorded: unrecorded)
        }
        let readBack = (try? await client.committedOffsets(group: group, deadline: .after(timeout))) ?? [:]
        let rows = ResetVerification.verify(plan: plan, results: results, readBack: readBack)
        let allOK = ResetVerification.allInPlace(rows)
        let unrecorded = change.finish(
            result: allOK ? "ok" : "partial",
            details: .object(["undo_file": .string(undoPath), "target": .string(plan.target.summary),
                              "records_skipped": .int(plan.recordsSkipped), "records_reread": .int(plan.recordsReread),
                              "failed": .array(rows.filter { $0.status != .inPlace }.map { .string("\($0.partition): \($0.text)") })]))
        return ResetExecution(plan: plan, rows: rows, undoPath: undoPath, unrecorded: unrecorded)
    }

    /// The plan's offsets for the audit record: before (committed, null when none) or after (new).
    public static func offsetsJSON(_ plan: ResetPlan, before: Bool) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: plan.rows.map { row in
            (row.topicPartition.description, before ? (row.current.map(JSONValue.int) ?? .null) : .int(row.new))
        }))
    }

    /// The command that puts the previous offsets back.
    public static func undoCommand(group: String, undoPath: String) -> String {
        "kafkaops reset-offsets --group \(shellQuoted(group)) --from-file \(shellQuoted(undoPath)) --execute"
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            (c.isASCII && (CharacterSet.alphanumerics.contains(c))) || "._-/:=@+,".unicodeScalars.contains(c)
        }
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
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
            guard let audit = AuditLog.defaultPath(environment: environment) else { return nil }
            dir = (audit as NSString).deletingLastPathComponent + "/undo"
        }
        // To the millisecond, so that a reset and its undo run in the same second do not share a file.
        let stamp = OffsetTime.iso8601(now).replacingOccurrences(of: ":", with: "")
        let safe = String(group.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        return dir + "/\(safe)-\(stamp).csv"
    }

    /// The file's contents: the committed offsets before the reset (partitions with a commit only).
    public static func contents(_ plan: ResetPlan) -> String {
        ResetCSV.export(plan.previousOffsets)
    }
}
