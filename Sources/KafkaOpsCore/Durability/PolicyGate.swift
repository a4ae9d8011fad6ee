import Foundation

/// A policy finding and how far the topic is from meeting its rule: replicas, partitions or
/// milliseconds short (or over), 1 for yes/no rules. A larger gap on the same rule is worse.
public struct PolicyViolation: Hashable, Sendable {
    public var finding: Finding
    public var gap: Double

    /// Violations with the same key are about the same thing: the rule and what it expects
    /// (required and forbidden configs name their config there).
    var key: String { finding.rule + "\u{1F}" + finding.expected }
}

/// What a change does to the policy findings of a topic, and whether it may go ahead.
public struct ChangeVerdict: Hashable, Sendable {
    /// What could not be read, so the effect of the change is unknown: refused, no override.
    public var incomplete: [String] = []
    /// min.insync.replicas above the replication factor: every acks=all write would fail. Refused,
    /// whatever the policy's levels, and `--allow-policy-violation` does not override it.
    public var forbidden: [Finding] = []
    /// Rules of the policy the change breaks that were not broken (or were only warnings): refused unless
    /// `--allow-policy-violation` (audited; on a protected profile the typed name too).
    public var newErrors: [Finding] = []
    /// New warnings, and findings the topic already had that the change makes worse (a larger gap):
    /// refused unless `--allow-policy-violation`.
    public var overridable: [Finding] = []

    public init(incomplete: [String] = [], forbidden: [Finding] = [], newErrors: [Finding] = [], overridable: [Finding] = []) {
        self.incomplete = incomplete; self.forbidden = forbidden; self.newErrors = newErrors; self.overridable = overridable
    }

    /// Every finding the change adds or makes worse, the worst kind first.
    public var worse: [Finding] { forbidden + newErrors + overridable }

    /// Why the change is refused, nil when it may go ahead (`allowOverride`: `--allow-policy-violation`).
    public func refusal(allowOverride: Bool) -> String? {
        func list(_ fs: [Finding]) -> String { fs.map { "\($0.rule) (\($0.current))" }.joined(separator: ", ") }
        if !incomplete.isEmpty {
            return incomplete.joined(separator: "; ") + ": the effect of the change cannot be checked"
        }
        if let f = forbidden.first {
            return "\(f.current): min.insync.replicas above the replication factor makes every acks=all write fail; this is never allowed, not even with --allow-policy-violation"
        }
        if !newErrors.isEmpty && !allowOverride {
            return "the change breaks \(newErrors.count) policy rule\(newErrors.count == 1 ? "" : "s"): \(list(newErrors)) (--allow-policy-violation accepts it, recorded in the audit log)"
        }
        if !overridable.isEmpty && !allowOverride {
            return "the change makes \(overridable.count) policy finding\(overridable.count == 1 ? "" : "s") worse: \(list(overridable)) (--allow-policy-violation accepts warnings and findings the topic already had)"
        }
        return nil
    }
}

/// The one rule for changes to a topic: a change may never leave min.insync.replicas above the
/// replication factor, nor make any policy finding worse (compared rule by rule: a new finding,
/// a higher severity, or a larger gap). The CLI (`topic alter-config`), the console's fixes and
/// topic creation all ask it.
public enum PolicyGate {
    /// min.insync.replicas as the policy rules read it (unset counts as 1; a value given in the change that
    /// is not ASCII digits is refused before this, by `ConfigValues.topicConfigProblems`).
    static func minISR(_ t: TopicFacts) -> Int {
        t.effective[KafkaConfig.minInsyncReplicas].flatMap { ConfigValues.integer($0.value) }.map { Int(clamping: $0) } ?? 1
    }

    /// The `expected` of the absolute finding (`minISRAboveRF`), which tells it from the policy's own
    /// rf-above-min-isr rule (same rule name, overridable).
    public static let minISRAboveRFExpected = "min.insync.replicas <= replication factor"

    /// An error when min.insync.replicas is above the replication factor, whatever the policy says
    /// (rf-above-min-isr may be off or a warning): Kafka accepts such a topic, and then refuses
    /// every acks=all write to it with NOT_ENOUGH_REPLICAS.
    public static func minISRAboveRF(_ t: TopicFacts) -> Finding? {
        let m = minISR(t), rf = t.replicationFactor
        guard m > rf else { return nil }
        let fix = t.isProposal
            ? "use --replication-factor \(m + 1), or --config min.insync.replicas=\(max(1, rf - 1))"
            : "keep min.insync.replicas below \(rf), or raise the replication factor first (kafkaops topic reassign-plan \(t.name) --replication-factor \(m + 1))"
        return Finding(rule: PolicyRule.rfAboveMinISR, severity: .error, targetKind: .topic, target: t.name,
                       current: "replication factor \(rf), min.insync.replicas \(m)",
                       expected: minISRAboveRFExpected, fix: fix,
                       reason: "with fewer replicas than min.insync.replicas, every acks=all write fails with NOT_ENOUGH_REPLICAS")
    }

    /// Judges a change of a topic from `before` to `after` under `policy`.
    public static func judge(before: TopicFacts, after: TopicFacts, policy: TopicPolicy) -> ChangeVerdict {
        var v = ChangeVerdict()
        let touchesMinISR = minISR(before) != minISR(after) || before.replicationFactor != after.replicationFactor
        if touchesMinISR, let f = minISRAboveRF(after) { v.forbidden = [f] }

        let regex = PolicyCheck.compile(policy.namePattern)
        var was: [String: PolicyViolation] = [:]
        for b in PolicyCheck.violations(before, policy: policy, nameRegex: regex) {
            if let o = was[b.key], (o.finding.severity, o.gap) >= (b.finding.severity, b.gap) { continue }
            was[b.key] = b
        }
        for a in PolicyCheck.violations(after, policy: policy, nameRegex: regex) {
            if !v.forbidden.isEmpty && a.finding.rule == PolicyRule.rfAboveMinISR { continue }
            let b = was[a.key]
            let isNew = b.map { a.finding.severity > $0.finding.severity } ?? true
            if isNew {
                if a.finding.severity == .error { v.newErrors.append(a.finding) } else if a.finding.severity == .warning { v.overridable.append(a.finding) }
            } else if let b, a.finding.severity == b.finding.severity, a.gap > b.gap, a.finding.severity >= .warning {
                v.overridable.append(a.finding)
            }
        }
        return v
    }
}
