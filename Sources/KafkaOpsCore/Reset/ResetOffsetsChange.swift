import Foundation

/// An offset reset as a change (`ChangePipeline`): the plan, where its undo file goes, and the checks
/// that must still hold when it is sent. The caller writes the undo file in the pipeline's `prepare`.
public struct ResetOffsetsChange: ClusterChange {
    public var plan: ResetPlan
    public var undoPath: String
    /// The profile's `reset_skip_threshold`: a reset that skips more records needs the override
    /// (`--allow-skip`, the wizard's second confirmation).
    public var skipThreshold: Int64

    public init(plan: ResetPlan, undoPath: String, skipThreshold: Int64) {
        self.plan = plan; self.undoPath = undoPath; self.skipThreshold = skipThreshold
    }

    public var action: ChangeAction { .resetOffsets }
    public var target: String { plan.group }
    public var summary: String { "reset the offsets of group \(plan.group)" }
    public var recordBefore: JSONValue { ResetOperation.offsetsJSON(plan, before: true) }
    public var recordAfter: JSONValue { ResetOperation.offsetsJSON(plan, before: false) }
    public var recordDetails: JSONValue { .object(baseDetails) }
    var baseDetails: [String: JSONValue] { ["undo_file": .string(undoPath), "target": .string(plan.target.summary)] }

    public func policyRefusal(allowOverride: Bool) -> String? {
        guard plan.skipsMoreThan(skipThreshold), !allowOverride else { return nil }
        return "this reset skips \(plan.recordsSkipped) records (more than the profile's reset_skip_threshold \(skipThreshold)); "
            + "add --allow-skip if that is intended"
    }

    /// The group may have changed since the plan: read again, it must still be inactive and its
    /// committed offsets those the plan started from.
    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? {
        let fresh: ResetInputs
        do { fresh = try await ResetInputs.load(group: plan.group, client: client, deadline: .after(timeout)) } catch {
            return "cannot read the group again before the reset: \(Sanitizer.terminal(String(describing: error)))"
        }
        do { try fresh.checkInactive() } catch { return ResetPreflight.refusalText(error).joined(separator: " ") }
        let changed = plan.rows.filter { row in fresh.committed[row.topicPartition].flatMap { $0 >= 0 ? $0 : nil } != row.current }
        guard let first = changed.first else { return nil }
        let now = fresh.committed[first.topicPartition].map(String.init) ?? "none"
        return "the committed offsets of \(changed.count) partition(s) changed since the plan "
            + "(\(Sanitizer.terminal(first.topicPartition.description)): \(first.current.map(String.init) ?? "none") → \(now)); plan again"
    }

    /// Commits the plan (AlterConsumerGroupOffsets, and DeleteConsumerGroupOffsets for the partitions the
    /// plan leaves without a commit), reads the offsets back and verifies them. A request that fails
    /// refused outright, before anything changed, is thrown (recorded as failed). A request that may have
    /// been sent and whose answer was lost (`LostAnswer`: a timeout, a connection cut) has an unknown outcome, not a failed one: the offsets are read back (retried within
    /// `timeout`) and each of its partitions is applied, not applied or unknown (`lostAnswer`).
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<ResetExecution> {
        let group = plan.group, plan = self.plan
        var results: [PartitionResult] = []
        var lost = Set<TopicPartition>()
        var lostWhy: [String] = []
        // Deletions first: a cluster that cannot delete offsets (OffsetDelete) refuses before anything changed.
        let requests: [(partitions: [TopicPartition], send: () async throws -> [PartitionResult])] = [
            (plan.deletions, { try await client.deleteGroupOffsets(group: group, partitions: plan.deletions, deadline: .after(timeout)) }),
            (plan.offsets.keys.sorted(), { try await client.alterGroupOffsets(group: group, offsets: plan.offsets, deadline: .after(timeout)) }),
        ]
        for (partitions, send) in requests where !partitions.isEmpty {
            do {
                // A partition whose own error leaves its outcome unknown (a lost answer) is read back too.
                for r in try await send() {
                    if let e = r.error, let why = LostAnswer.of(e) {
                        lost.insert(r.partition)
                        if !lostWhy.contains(why.description) { lostWhy.append(why.description) }
                    } else {
                        results.append(r)
                    }
                }
            } catch {
                if let e = LostAnswer.of(error) {
                    // Perhaps sent, never answered: the change may have been made, in part or whole.
                    lost.formUnion(partitions)
                    if !lostWhy.contains(e.description) { lostWhy.append(e.description) }
                    continue
                }
                // Refused outright with nothing changed so far: stop here, send nothing more.
                if lost.isEmpty, results.allSatisfy({ $0.error != nil }) { throw error }
                results += partitions.map { PartitionResult($0, error: ClusterError(.broker, String(describing: error))) }
            }
        }
        let readBack = await ResetOperation.readBack(group: group, client: client, budget: timeout)
        let rows = ResetVerification.verify(plan: plan, results: results, lost: lost, readBack: readBack)
        let lostAnswer = lost.isEmpty ? nil : "no answer to the request (\(lostWhy.joined(separator: "; "))) after it was sent"
        let execution = ResetExecution(plan: plan, rows: rows, undoPath: undoPath, lostAnswer: lostAnswer)
        func list(_ keep: (ResetVerificationStatus) -> Bool) -> JSONValue {
            .array(rows.filter { keep($0.status) }.map { .string("\($0.partition): \($0.text)") })
        }
        var details = baseDetails
        details["records_skipped"] = .int(plan.recordsSkipped)
        details["records_reread"] = .int(plan.recordsReread)
        details["failed"] = list { !$0.isInPlace }
        let result: String
        if let line = execution.lostAnswerLine {
            result = "unknown: " + line
            details["applied"] = list { $0 == .applied }
            details["not_applied"] = list { if case .notApplied = $0 { return true }; return false }
            details["unknown"] = list { if case .unknown = $0 { return true }; return false }
        } else {
            result = execution.allInPlace ? "ok" : "partial"
        }
        return ChangeExecution(execution, result: result, details: .object(details))
    }
}
