import Foundation

/// Kafka's inactive-group rule, checked before any reset.
public enum ResetPreflight {
    /// Allows only a group that is inactive by every answer (`GroupDescription.isInactive`: no
    /// members, and the listing and the description both Empty or Dead, or one of them Unknown), or
    /// one that does not exist yet (`group` nil). A group of a type kafkaops cannot describe is refused
    /// whatever its state (`GroupReconciliation.changeRefusal`). Otherwise throws
    /// `ResetError.groupNotInactive` whose description is Kafka's own sentence ("Assignments can only
    /// be reset if the group 'g' is inactive, but the current state is Stable.") and which carries the
    /// members still there.
    public static func check(_ group: GroupDescription?, groupID: String) throws(ResetError) {
        guard let group else { return }
        if let why = GroupReconciliation.changeRefusal(group) { throw .groupNotDescribable(group: groupID, reason: why) }
        // Empty/Dead with members should not happen; if it does, refuse rather than reset under a live consumer.
        if group.isInactive { return }
        if let other = group.disagreeingState {
            throw .statesDisagree(group: groupID, listed: group.state, described: other)
        }
        throw .groupNotInactive(group: groupID, state: group.state, members: group.members)
    }

    /// The same for a group known by its state and members only (a classic group, both answers agreeing).
    public static func check(groupState: GroupState?, members: [GroupMember], groupID: String) throws(ResetError) {
        try check(groupState.map { GroupDescription(id: groupID, state: $0, members: members) }, groupID: groupID)
    }

    /// Lines naming the members still in the group: "client-id on host (member id)".
    public static func memberLines(_ members: [GroupMember]) -> [String] {
        members.map { m in
            var s = "\(Sanitizer.terminal(m.clientID.isEmpty ? "(no client id)" : m.clientID)) on \(Sanitizer.terminal(m.host))"
            if let inst = m.groupInstanceID { s += " [static \(Sanitizer.terminal(inst))]" }
            s += " (\(Sanitizer.terminal(m.memberID)))"
            return s
        }
    }

    /// The refusal as the operator should read it: Kafka's sentence, then the members.
    public static func refusalText(_ error: ResetError) -> [String] {
        guard case .groupNotInactive(_, _, let members) = error else { return [error.description] }
        var lines = [error.description]
        if !members.isEmpty {
            lines.append("Members still in the group (stop them first):")
            lines += memberLines(members).map { "  " + $0 }
        }
        return lines
    }
}

/// How one partition looks after a reset was executed.
public enum ResetVerificationStatus: Hashable, Sendable {
    /// The committed offset read back equals the planned one (no commit, when the commit was deleted).
    case inPlace
    /// The commit reported success but a different offset (or none) was read back.
    case mismatch(expected: Int64?, actual: Int64?)
    /// The commit failed for this partition.
    case failed(String)
    /// The answer to the request was lost (it timed out after it was sent); the read-back found the planned offset.
    case applied
    /// The answer was lost; the read-back found another offset (or none): the change is not there.
    case notApplied(actual: Int64?)
    /// Nothing says how the partition is: no answer, and the read-back failed (why).
    case unknown(String)

    /// The partition is where the plan put it (confirmed by the answer or by the read-back).
    public var isInPlace: Bool { self == .inPlace || self == .applied }
}

public struct ResetVerificationRow: Hashable, Sendable {
    public var partition: TopicPartition
    /// The planned offset; nil: no committed offset (deleted).
    public var expected: Int64?
    public var status: ResetVerificationStatus

    /// "in place", "mismatch: expected 100, found 90", "failed: ...", "applied (read back)",
    /// "not applied: found 4", "unknown: ...".
    public var text: String {
        func shown(_ o: Int64?) -> String { o.map(String.init) ?? "no committed offset" }
        switch status {
        case .inPlace: return "in place"
        case .mismatch(let e, let a): return "mismatch: expected \(shown(e)), found \(shown(a))"
        case .failed(let why): return "failed: \(Sanitizer.terminal(why))"
        case .applied: return "applied (read back)"
        case .notApplied(let a): return "not applied: found \(shown(a))"
        case .unknown(let why): return "unknown: \(Sanitizer.terminal(why))"
        }
    }
}

/// The read-back of a group's committed offsets after a reset: the offsets, or why they could not be read.
public enum ResetReadBack: Sendable, Hashable {
    case offsets([TopicPartition: Int64])
    case unavailable(String)
}

public enum ResetVerification {
    /// Compares the plan with the per-partition commit results and the offsets read back afterwards.
    /// `lost`: partitions whose request timed out after it was sent (no answer): the read-back alone says
    /// whether the change is there (applied / not applied), or, without one, their outcome is unknown.
    public static func verify(plan: ResetPlan, results: [PartitionResult], lost: Set<TopicPartition> = [],
                              readBack: ResetReadBack) -> [ResetVerificationRow] {
        var errors: [TopicPartition: ClusterError] = [:]
        for r in results { if let e = r.error { errors[r.partition] = e } }
        return plan.rows.map { row in
            let tp = row.topicPartition
            func status() -> ResetVerificationStatus {
                if let e = errors[tp] { return .failed(e.description) }
                switch readBack {
                case .unavailable(let why):
                    return .unknown(lost.contains(tp) ? "no answer to the request and no read-back (\(why))"
                                                      : "accepted, but the read-back failed (\(why))")
                case .offsets(let offsets):
                    let actual = offsets[tp]
                    if lost.contains(tp) { return actual == row.new ? .applied : .notApplied(actual: actual) }
                    return actual == row.new ? .inPlace : .mismatch(expected: row.new, actual: actual)
                }
            }
            return ResetVerificationRow(partition: tp, expected: row.new, status: status())
        }
    }

    /// The same with the offsets read back (every request answered).
    public static func verify(plan: ResetPlan, results: [PartitionResult],
                              readBack: [TopicPartition: Int64]) -> [ResetVerificationRow] {
        verify(plan: plan, results: results, readBack: .offsets(readBack))
    }

    public static func allInPlace(_ rows: [ResetVerificationRow]) -> Bool {
        rows.allSatisfy { $0.status.isInPlace }
    }

    /// "300 applied, 0 not applied, 0 unknown" for the rows whose answer was lost.
    public static func lostSummary(_ rows: [ResetVerificationRow]) -> String {
        var applied = 0, notApplied = 0, unknown = 0
        for r in rows {
            switch r.status {
            case .applied: applied += 1
            case .notApplied: notApplied += 1
            case .unknown: unknown += 1
            default: break
            }
        }
        return "\(applied) applied, \(notApplied) not applied, \(unknown) unknown"
    }
}
