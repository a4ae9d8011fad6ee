import Foundation

/// Creating a topic safely: the checks `kafkaops topic create` and the console's creation form
/// share (policy rules, Kafka's name rules, an existing topic, a replication factor the live
/// brokers cannot hold) and the equivalent `kafka-topics.sh` command line; the change is `CreateTopic`.
public enum TopicCreation {
    /// Rule id: a topic of that name exists already.
    public static let topicExistsRule = "topic-exists"
    /// Rule id: more replicas than live brokers.
    public static let rfAboveBrokersRule = "replication-factor-above-brokers"

    // MARK: findings

    /// Every finding about creating `topic` on a cluster with these topics and live brokers:
    /// each policy rule, Kafka's name rules, the topic existing already, and a replication factor
    /// above the number of live brokers. Error-level findings refuse the creation.
    public static func findings(_ topic: NewTopic, brokerConfigs: [ConfigEntry], existingTopics: [String],
                                liveBrokers: Int, policy: TopicPolicy) -> [Finding] {
        var findings = PolicyCheck.check(topic, brokerConfigs: brokerConfigs, policy: policy)
        if let f = minISRAboveRF(TopicFacts(proposed: topic, brokerConfigs: brokerConfigs, policy: policy), findings) {
            findings.append(f)
        }
        let name = topic.name
        for issue in TopicName.validate(name) + TopicName.collision(name, existing: existingTopics) {
            findings.append(Finding(rule: issue.rule, severity: issue.severity, targetKind: .topic, target: name,
                                    current: name, expected: "a legal topic name", fix: "choose another name", reason: issue.message))
        }
        if let f = topicExists(name, existingTopics: existingTopics) { findings.append(f) }
        // A config value the checks cannot read is refused, never judged as the default (Kafka may read it otherwise).
        for problem in ConfigValues.topicConfigProblems(topic.configs) {
            findings.append(Finding(rule: PolicyCheck.formInputRule, severity: .error, targetKind: .topic, target: name,
                                    current: problem, expected: "a value Kafka and the checks read alike", fix: "give the value in ASCII",
                                    reason: problem))
        }
        if let f = replicationFactorAboveBrokers(name, replicationFactor: Int(topic.replicationFactor), liveBrokers: liveBrokers) {
            findings.append(f)
        }
        return findings
    }

    /// `PolicyGate.minISRAboveRF` unless the policy already reports it as an error: a topic is never
    /// created with min.insync.replicas above its replication factor, whatever the policy's levels.
    /// Always added when it holds, next to the policy's own rf-above-min-isr finding: the policy's may be
    /// overridden, this one never (`overridable`).
    static func minISRAboveRF(_ facts: TopicFacts, _ findings: [Finding]) -> Finding? {
        PolicyGate.minISRAboveRF(facts)
    }

    /// An error when a topic of that name exists.
    public static func topicExists(_ name: String, existingTopics: [String]) -> Finding? {
        guard existingTopics.contains(name) else { return nil }
        return Finding(rule: topicExistsRule, severity: .error, targetKind: .topic, target: name, current: name,
                       expected: "a new name", fix: "choose another name or describe it: kafkaops topic describe \(name)",
                       reason: "Topic '\(name)' already exists.")
    }

    /// An error when the replication factor is above the number of live brokers (Kafka refuses
    /// such a topic: a partition cannot have two replicas on one broker).
    public static func replicationFactorAboveBrokers(_ name: String, replicationFactor rf: Int, liveBrokers: Int) -> Finding? {
        guard rf > liveBrokers else { return nil }
        return Finding(rule: rfAboveBrokersRule, severity: .error, targetKind: .topic, target: name,
                       current: "\(rf)", expected: "<= \(liveBrokers) live brokers",
                       fix: "use --replication-factor \(liveBrokers) or fewer, or bring brokers back",
                       reason: "Replication factor: \(rf) larger than available brokers: \(liveBrokers).")
    }

    /// "pass", "pass with warnings" or "violates the policy".
    public static func verdict(_ findings: [Finding]) -> String {
        if findings.contains(where: { $0.severity == .error }) { return "violates the policy" }
        return findings.isEmpty ? "pass" : "pass with warnings"
    }

    // MARK: the form

    /// The configs the console's form asks for beyond its fixed fields (name, partitions, RF,
    /// min.insync.replicas, retention, unclean election): cleanup.policy, then every other config
    /// the policy requires, sorted.
    public static func formConfigNames(_ policy: TopicPolicy) -> [String] {
        let fixed: Set<String> = [KafkaConfig.minInsyncReplicas, KafkaConfig.retentionMs, KafkaConfig.uncleanLeaderElection,
                                  KafkaConfig.cleanupPolicy]
        return [KafkaConfig.cleanupPolicy] + policy.requiredConfigs.keys.filter { !fixed.contains($0) }.sorted()
    }

    /// The form pre-filled from the policy and the cluster: the policy's minimum replication factor
    /// (at most the live brokers), its minimum min.insync.replicas (at most that RF) and retention, unclean election
    /// off, cleanup.policy delete (or the first value the policy allows), and the first allowed
    /// value of every other required config.
    public static func defaults(policy: TopicPolicy, brokerConfigs: [ConfigEntry], liveBrokers: Int?) -> TopicForm {
        var partitions = brokerConfigs.first { $0.name == "num.partitions" }?.value.flatMap { Int($0) } ?? 1
        partitions = max(partitions, policy.minPartitions ?? 1)
        if let hi = policy.maxPartitions { partitions = min(partitions, max(1, hi)) }
        var rf = max(1, policy.minReplicationFactor)
        if let live = liveBrokers, live > 0 { rf = min(rf, live) }
        var retention = TopicPolicy.sevenDaysMs
        if let lo = policy.minRetentionMs, lo >= 0 { retention = max(retention, lo) }
        if let hi = policy.maxRetentionMs, hi >= 0 { retention = min(retention, hi) }
        var others: [String: String] = [:]
        for name in formConfigNames(policy) {
            switch policy.requiredConfigs[name] {
            case .oneOf(let allowed)?: others[name] = allowed.first ?? ""
            case .anyValue?: others[name] = name == KafkaConfig.cleanupPolicy ? "delete" : ""
            case nil: others[name] = name == KafkaConfig.cleanupPolicy ? "delete" : ""
            }
        }
        return TopicForm(name: "", partitions: String(partitions), replicationFactor: String(rf),
                         // Never above the replication factor (every acks=all write would fail).
                         minInsyncReplicas: String(max(1, min(policy.minInsyncReplicas, rf))),
                         retention: Durations.describe(ms: retention), uncleanLeaderElection: "false", otherConfigs: others)
    }

    /// Checks the form as typed so far: `PolicyCheck.checkForm` (Kafka's name rules and every
    /// policy rule, by field), plus what the cluster says: a topic of that name exists, the
    /// replication factor is above the live brokers (when their number is known), and an
    /// unknown cleanup.policy. Blank extra configs are left out (the broker's default applies).
    public static func checkForm(_ form: TopicForm, brokerConfigs: [ConfigEntry], existingTopics: [String],
                                 liveBrokers: Int?, policy: TopicPolicy) -> TopicFormCheck {
        var form = form
        form.otherConfigs = form.otherConfigs.compactMapValues { v in
            let t = v.trimmingCharacters(in: .whitespaces)
            return t.isEmpty ? nil : t
        }
        var check = PolicyCheck.checkForm(form, brokerConfigs: brokerConfigs, existingTopics: existingTopics, policy: policy)
        let name = form.name.trimmingCharacters(in: .whitespaces)
        if let f = topicExists(name, existingTopics: existingTopics) { check.byField[.name, default: []].append(f) }
        if let live = liveBrokers, let rf = Int(form.replicationFactor.trimmingCharacters(in: .whitespaces)),
           let f = replicationFactorAboveBrokers(name, replicationFactor: rf, liveBrokers: live) {
            check.byField[.replicationFactor, default: []].append(f)
        }
        if let cp = form.otherConfigs[KafkaConfig.cleanupPolicy] {
            let parts = cp.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.isEmpty || !parts.allSatisfy({ $0 == "delete" || $0 == "compact" }) {
                let msg = "cleanup.policy must be delete, compact or compact,delete"
                check.general.append(Finding(rule: PolicyCheck.formInputRule, severity: .error, targetKind: .topic, target: name,
                                             current: "\(KafkaConfig.cleanupPolicy)=\(cp)", expected: msg, fix: msg, reason: msg))
                check.proposal = nil
            }
        }
        if let p = check.proposal,
           let f = minISRAboveRF(TopicFacts(proposed: p, brokerConfigs: brokerConfigs, policy: policy), check.all) {
            check.byField[.minInsyncReplicas, default: []].append(f)
        }
        for i in check.byField.keys { check.byField[i]?.sort { $0.severity > $1.severity } }
        return check
    }

    /// The config a finding that no fixed field owns is about (a required or forbidden config, or
    /// a bad cleanup.policy), among `names`; nil when none. Such findings name the config first
    /// in `current` ("cleanup.policy=...", "compression.type: (not set)").
    public static func configName(of finding: Finding, among names: [String]) -> String? {
        names.first { finding.current.hasPrefix($0 + "=") || finding.current.hasPrefix($0 + ":") }
    }

    // MARK: too few brokers for the policy

    /// Why the policy's replication factor cannot be met now: fewer brokers are live than it needs.
    public struct BrokerShortage: Hashable, Sendable {
        /// The policy's minimum replication factor.
        public var needed: Int
        public var live: Int
        /// Brokers that hold replicas but are not live (down now), sorted; empty: the cluster is that small.
        public var down: [Int32]

        /// One line for the operator: "replication factor 3 needed (policy), 2 brokers live: wait for broker 3
        /// (down) to return, or create it with replication factor 2 under a policy override (OVERRIDE, recorded
        /// in the audit log)", where `override` says how (Ctrl-O in the console, --allow-policy-violation in the CLI).
        public func message(override: String) -> String {
            let head = "replication factor \(needed) needed (policy), \(live) broker\(live == 1 ? "" : "s") live"
            let wait = down.isEmpty
                ? "add brokers"
                : "wait for broker\(down.count == 1 ? "" : "s") \(down.map(String.init).joined(separator: ", ")) (down) to return"
            guard live > 0 else { return head + ": " + wait + "; no topic can be created without a live broker" }
            return head + ": " + wait + ", or create it with replication factor \(live) under a policy override ("
                + override + ", recorded in the audit log)"
        }
    }

    /// A shortage when fewer brokers are live than the policy's replication factor (nil otherwise). The
    /// brokers down are those the topics' replica lists name that the metadata does not list as live.
    public static func brokerShortage(policy: TopicPolicy, metadata: ClusterMetadata) -> BrokerShortage? {
        let live = metadata.liveBrokerIDs
        guard live.count < policy.minReplicationFactor else { return nil }
        var down = Set<Int32>()
        for t in metadata.topics { for p in t.partitions { for r in p.replicas where !live.contains(r) { down.insert(r) } } }
        return BrokerShortage(needed: policy.minReplicationFactor, live: live.count, down: down.sorted())
    }

    // MARK: the policy override

    /// Rules that `--allow-policy-violation` (the console's typed override) never accepts when creating a topic:
    /// Kafka's name rules, an existing topic, more replicas than live brokers (Kafka refuses them anyway) and
    /// unparsable input.
    static let hardRules: Set<String> = [topicExistsRule, rfAboveBrokersRule, TopicName.illegalRule, TopicName.collisionRule,
                                                  PolicyCheck.formInputRule]

    /// Whether the policy override may accept `finding` for `topic`: a rule of the policy (rf-above-min-isr with
    /// replication factor == min.insync.replicas included, e.g. RF 1 on a one-broker cluster), never a hard rule,
    /// nor min.insync.replicas above the replication factor (`PolicyGate.minISRAboveRF`: every acks=all write fails).
    public static func overridable(_ finding: Finding, topic: NewTopic) -> Bool {
        if hardRules.contains(finding.rule) { return false }
        // min.insync.replicas above the replication factor: every acks=all write would fail; never overridden.
        if finding.rule == PolicyRule.rfAboveMinISR, finding.expected == PolicyGate.minISRAboveRFExpected { return false }
        return true
    }

    // MARK: command line and audit

    /// The same creation with Apache Kafka's own tool, for runbooks and reviews.
    public static func kafkaTopicsCommand(_ t: NewTopic, bootstrap: String) -> String {
        var parts = ["kafka-topics.sh", "--bootstrap-server", bootstrap, "--create", "--topic", shellQuote(t.name),
                     "--partitions", String(t.partitions), "--replication-factor", String(t.replicationFactor)]
        for (k, v) in t.configs.sorted(by: { $0.key < $1.key }) { parts += ["--config", shellQuote("\(k)=\(v)")] }
        return parts.joined(separator: " ")
    }
}
