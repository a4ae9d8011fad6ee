import Foundation

/// Kafka's inactive-group rule, checked before any reset.
public enum ResetPreflight {
    /// Allows only a group in state Empty or Dead, or one that does not exist yet (`groupState` nil).
    /// Otherwise throws `ResetError.groupNotInactive` whose description is Kafka's own sentence
    /// ("Assignments can only be reset if the group 'g' is inactive, but the current state is Stable.")
    /// and which carries the members still there.
    public static func check(groupState: GroupState?, members: [GroupMember], groupID: String) throws(ResetError) {
        guard let state = groupState else { return }
        // Empty/Dead with members should not happen; if it does, refuse rather than reset under a live consumer.
        if state.isInactive && members.isEmpty { return }
        throw .groupNotInactive(group: groupID, state: state, members: members)
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
    /// The committed offset read back equals the planned one.
    case inPlace
    /// The commit reported success but a different offset (or none) was read back.
    case mismatch(expected: Int64, actual: Int64?)
    /// The commit failed for this partition.
    case failed(String)
}

public struct ResetVerificationRow: Hashable, Sendable {
    public var partition: TopicPartition
    public var expected: Int64
    public var status: ResetVerificationStatus

    /// "in place", "mismatch: expected 100, found 90", "failed: ...".
    public var text: String {
        switch status {
        case .inPlace: return "in place"
        case .mismatch(let e, let a): return "mismatch: expected \(e), found \(a.map(String.init) ?? "no committed offset")"
        case .failed(let why): return "failed: \(Sanitizer.terminal(why))"
        }
    }
}

public enum ResetVerification {
    /// Compares the plan with the per-partition commit results and the offsets read back afterwards.
    public static func verify(plan: ResetPlan, results: [PartitionResult],
                              readBack: [TopicPartition: Int64]) -> [ResetVerificationRow] {
        var errors: [TopicPartition: ClusterError] = [:]
        for r in results { if let e = r.error { errors[r.partition] = e } }
        return plan.rows.map { row in
            let tp = row.topicPartition
            if let e = errors[tp] {
                return ResetVerificationRow(partition: tp, expected: row.new, status: .failed(e.description))
            }
            let actual = readBack[tp]
            if actual == row.new { return ResetVerificationRow(partition: tp, expected: row.new, status: .inPlace) }
            return ResetVerificationRow(partition: tp, expected: row.new, status: .mismatch(expected: row.new, actual: actual))
        }
    }

    public static func allInPlace(_ rows: [ResetVerificationRow]) -> Bool {
        rows.allSatisfy { $0.status == .inPlace }
    }
}
