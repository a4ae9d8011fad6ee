import Foundation

/// The facts about one topic (proposed or existing) that the policy rules read.
public struct TopicFacts: Hashable, Sendable {
    public var name: String
    public var partitions: Int
    /// The smallest replica count over the partitions (the weakest partition decides).
    public var replicationFactor: Int
    /// Effective configs (topic override, else broker default, else Kafka's default) by name.
    public var effective: [String: EffectiveConfig]
    /// Names set on the topic itself.
    public var overrides: Set<String>
    /// True for `topic create` and the form: fixes are creation options, not kafka-configs.sh.
    public var isProposal: Bool

    public init(name: String, partitions: Int, replicationFactor: Int, effective: [String: EffectiveConfig],
                overrides: Set<String>, isProposal: Bool) {
        self.name = name; self.partitions = partitions; self.replicationFactor = replicationFactor
        self.effective = effective; self.overrides = overrides; self.isProposal = isProposal
    }
}

extension TopicFacts {
    /// The facts of an existing topic: its weakest partition's replica count and its configs
    /// (as DescribeConfigs returned them; nil when they were not read: broker defaults are assumed).
    public init(existing t: TopicInfo, configs: [ConfigEntry]?, resolver: ConfigResolver) {
        let (eff, over) = resolver.resolve(topicEntries: configs)
        self.init(name: t.name, partitions: t.partitions.count, replicationFactor: t.partitions.map(\.replicas.count).min() ?? 0,
                  effective: eff, overrides: over, isProposal: false)
    }

    /// The facts of a proposed topic (`kafkaops topic create`): configs as given, broker defaults for
    /// unset ones. A replication factor or partition count of -1 asks the broker for its default
    /// (KIP-464): default.replication.factor and num.partitions, which Kafka defaults to 1.
    public init(proposed topic: NewTopic, brokerConfigs: [ConfigEntry], policy: TopicPolicy) {
        let (eff, over) = ConfigResolver(policy: policy, brokerConfigs: brokerConfigs).resolve(proposed: topic.configs)
        func brokerDefault(_ name: String) -> Int {
            brokerConfigs.first { $0.name == name }?.value.flatMap { Int($0) } ?? 1
        }
        let rf = topic.replicationFactor < 0 ? brokerDefault(KafkaConfig.defaultReplicationFactor) : Int(topic.replicationFactor)
        let partitions = topic.partitions < 0 ? brokerDefault("num.partitions") : Int(topic.partitions)
        self.init(name: topic.name, partitions: partitions, replicationFactor: rf, effective: eff, overrides: over, isProposal: true)
    }
}

/// Resolves topic configs against broker configs once, for many topics (dictionaries, no linear scans).
public struct ConfigResolver: Sendable {
    /// The config names the policy reads.
    public let names: [String]
    /// Only the broker entries those names can resolve to, so `EffectiveConfig.resolve` scans a handful.
    let brokerSubset: [ConfigEntry]
    let nameSet: Set<String>
    /// What each name resolves to without a topic override (broker, else Kafka's default).
    let brokerResolved: [String: EffectiveConfig]

    public init(policy: TopicPolicy, brokerConfigs: [ConfigEntry]) {
        var names: Set<String> = [KafkaConfig.minInsyncReplicas, KafkaConfig.uncleanLeaderElection,
                                  KafkaConfig.retentionMs, KafkaConfig.cleanupPolicy]
        names.formUnion(policy.requiredConfigs.keys)
        names.formUnion(policy.forbiddenConfigs.map(\.name))
        self.names = names.sorted()
        var brokerNames = Set(names.map { KafkaConfig.brokerName[$0] ?? $0 })
        brokerNames.insert("log.retention.hours")
        var seen = Set<String>()
        // First entry of a name wins, as in EffectiveConfig.resolve.
        self.brokerSubset = brokerConfigs.filter { brokerNames.contains($0.name) && seen.insert($0.name).inserted }
        self.nameSet = names
        var resolved: [String: EffectiveConfig] = [:]
        for n in names { resolved[n] = EffectiveConfig.resolve(n, topic: nil, broker: brokerSubset) }
        self.brokerResolved = resolved
    }

    /// Effective values for a topic whose config entries (as DescribeConfigs returns them) are known.
    public func resolve(topicEntries: [ConfigEntry]?) -> (effective: [String: EffectiveConfig], overrides: Set<String>) {
        var byName: [String: ConfigEntry] = [:]
        var overrides = Set<String>()
        for e in topicEntries ?? [] {
            if e.source == .topic && e.value != nil { overrides.insert(e.name) }
            if nameSet.contains(e.name) && byName[e.name] == nil { byName[e.name] = e }
        }
        var eff: [String: EffectiveConfig] = [:]
        for n in names {
            if let e = byName[n], let v = e.value {
                eff[n] = EffectiveConfig(name: n, value: v, source: e.source)
            } else if let r = brokerResolved[n] {
                eff[n] = r
            }
        }
        return (eff, overrides)
    }

    /// Effective values for a proposed topic: the given configs are overrides, the rest come from the broker.
    public func resolve(proposed configs: [String: String]) -> (effective: [String: EffectiveConfig], overrides: Set<String>) {
        var eff: [String: EffectiveConfig] = [:]
        for n in names {
            if let v = configs[n] {
                eff[n] = EffectiveConfig(name: n, value: v, source: .topic)
            } else if let r = brokerResolved[n] {
                eff[n] = r
            }
        }
        for (k, v) in configs where eff[k] == nil { eff[k] = EffectiveConfig(name: k, value: v, source: .topic) }
        return (eff, Set(configs.keys))
    }
}

/// Checks topics against a `TopicPolicy`. Every rule is evaluated on its own, so every violation is listed.
public enum PolicyCheck {
    /// Checks a proposed topic (`kafkaops topic create`): configs as given, broker defaults for unset ones
    /// (e.g. min.insync.replicas unset falls back to the broker's, which Kafka defaults to 1).
    /// A replication factor or partition count of -1 asks the broker for its default (KIP-464), as
    /// kafka-topics.sh does when the option is left out: default.replication.factor and num.partitions,
    /// which Kafka defaults to 1.
    public static func check(_ topic: NewTopic, brokerConfigs: [ConfigEntry], policy: TopicPolicy = .default) -> [Finding] {
        let facts = TopicFacts(proposed: topic, brokerConfigs: brokerConfigs, policy: policy)
        let rf = facts.replicationFactor, partitions = facts.partitions
        var findings = check(facts, policy: policy, nameRegex: compile(policy.namePattern))
        for i in findings.indices {
            if findings[i].rule == PolicyRule.replicationFactor && topic.replicationFactor < 0 {
                findings[i].current = "\(rf) (broker default.replication.factor)"
            }
            if (findings[i].rule == PolicyRule.partitionsMin || findings[i].rule == PolicyRule.partitionsMax) && topic.partitions < 0 {
                findings[i].current = "\(partitions) (broker num.partitions)"
            }
        }
        return findings
    }

    /// Compiles a name pattern once (nil when absent or invalid; `TopicPolicy.problems()` reports invalid ones).
    static func compile(_ pattern: String?) -> Regex<AnyRegexOutput>? {
        guard let pattern, pattern != TopicPolicy.legalNamePattern else { return nil }
        return try? Regex(pattern)
    }

    /// Evaluates every topic rule against the facts.
    public static func check(_ t: TopicFacts, policy: TopicPolicy) -> [Finding] {
        check(t, policy: policy, nameRegex: compile(policy.namePattern))
    }

    static func check(_ t: TopicFacts, policy: TopicPolicy, nameRegex: Regex<AnyRegexOutput>?) -> [Finding] {
        violations(t, policy: policy, nameRegex: nameRegex).map(\.finding)
    }

    /// Every finding with how far the topic is from meeting its rule (`PolicyViolation.gap`).
    static func violations(_ t: TopicFacts, policy: TopicPolicy, nameRegex: Regex<AnyRegexOutput>?) -> [PolicyViolation] {
        var out: [PolicyViolation] = []
        func add(_ rule: String, current: String, expected: String, fix: String, reason: String,
                 action: FixAction? = nil, gap: Double = 1) {
            guard let sev = policy.severityOf(rule) else { return }
            out.append(PolicyViolation(
                finding: Finding(rule: rule, severity: sev, targetKind: .topic, target: t.name, current: current,
                                 expected: expected, fix: fix, reason: reason, action: action),
                gap: gap))
        }
        /// A fix that is a config change: its text is written from the action.
        func set(_ name: String, _ value: String) -> (FixAction, String) {
            let a = FixAction.setTopicConfigs([name: value])
            return (a, a.text(topic: t.name, isProposal: t.isProposal))
        }
        func raiseRF(_ n: Int) -> (FixAction, String) {
            let a = FixAction.raiseReplicationFactor(n)
            return (a, a.text(topic: t.name, isProposal: t.isProposal))
        }
        let rf = t.replicationFactor
        let minISR = t.effective[KafkaConfig.minInsyncReplicas]
        let minISRValue = minISR.flatMap { ConfigValues.integer($0.value) }.map { Int(clamping: $0) } ?? 1

        // replication-factor
        if rf < policy.minReplicationFactor {
            let want = policy.minReplicationFactor
            let (action, fix) = raiseRF(want)
            add(PolicyRule.replicationFactor, current: "\(rf)", expected: ">= \(want)", fix: fix,
                reason: rf <= 1
                    ? "with a single replica, losing that broker's disk loses the data and any broker restart makes the partitions offline"
                    : "with \(rf) replicas, min.insync.replicas >= 2 leaves no room for a broker to be down without stopping acks=all writes",
                action: action, gap: Double(want - rf))
        }

        // min-insync-replicas
        if minISRValue < policy.minInsyncReplicas {
            let want = policy.minInsyncReplicas
            // Setting it is the fix only where the replication factor can hold it (`PolicyGate`
            // refuses min ISR above RF, and the policy may refuse it equal to RF); else the first
            // step is more replicas.
            let rfTooLow = want > rf || (want == rf && policy.requireRFAboveMinISR)
            var (action, fix) = rfTooLow
                ? raiseRF(max(want + (policy.requireRFAboveMinISR ? 1 : 0), policy.minReplicationFactor))
                : set(KafkaConfig.minInsyncReplicas, "\(want)")
            if rfTooLow {
                fix += t.isProposal ? "; with --config min.insync.replicas=\(want)" : "; then set min.insync.replicas=\(want)"
            }
            add(PolicyRule.minInsyncReplicas, current: describe(minISR, fallback: "1"), expected: ">= \(want)", fix: fix,
                reason: "with min.insync.replicas=\(minISRValue), an acks=all write is acknowledged when \(minISRValue == 1 ? "only the leader has" : "only \(minISRValue) replicas have") it; losing \(minISRValue == 1 ? "that broker" : "them") loses acknowledged records",
                action: action, gap: Double(want - minISRValue))
        }

        // rf-above-min-isr
        if policy.requireRFAboveMinISR && rf <= minISRValue {
            let (action, fix) = rf - 1 >= policy.minInsyncReplicas
                ? set(KafkaConfig.minInsyncReplicas, "\(rf - 1)")
                : raiseRF(max(minISRValue + 1, policy.minReplicationFactor))
            add(PolicyRule.rfAboveMinISR, current: "replication factor \(rf), min.insync.replicas \(describe(minISR, fallback: "1"))",
                expected: "replication factor > min.insync.replicas", fix: fix,
                reason: rf < minISRValue
                    ? "the replication factor is below min.insync.replicas, so every acks=all write fails now with NOT_ENOUGH_REPLICAS"
                    : "with replication factor == min.insync.replicas, a single broker down stops every acks=all write",
                action: action, gap: Double(minISRValue - rf + 1))
        }

        // unclean-leader-election
        if policy.requireUncleanLeaderElectionDisabled,
           let u = t.effective[KafkaConfig.uncleanLeaderElection], u.value.trimmingCharacters(in: .whitespaces).lowercased() == "true" {
            let (action, fix) = set(KafkaConfig.uncleanLeaderElection, "false")
            add(PolicyRule.uncleanLeaderElection, current: describe(u, fallback: "false"), expected: "false",
                fix: u.source == .topic || t.isProposal ? fix : "\(fix); the broker default is true, set it to false there too",
                reason: "an out-of-sync replica may become leader when the in-sync ones are gone, and the records it lacked are lost for good",
                action: action)
        }

        // retention-min / retention-max (delete policy only)
        let cleanup = t.effective[KafkaConfig.cleanupPolicy]?.value ?? "delete"
        let deletes = cleanup.lowercased().split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "delete" }
        if deletes, let r = t.effective[KafkaConfig.retentionMs], let ms = Int64(r.value.trimmingCharacters(in: .whitespaces)) {
            let cur = "\(r.value) (\(Durations.describe(ms: ms)), \(sourceWord(r.source)))"
            if let lo = policy.minRetentionMs, ms >= 0, ms < lo {
                let (action, fix) = set(KafkaConfig.retentionMs, "\(lo)")
                add(PolicyRule.retentionMin, current: cur, expected: ">= \(lo) (\(Durations.describe(ms: lo)))", fix: fix,
                    reason: "retention deletes whole segments whether or not consumers read them; a consumer down for longer than \(Durations.describe(ms: ms)) loses records",
                    action: action, gap: Double(lo - ms))
            }
            if let hi = policy.maxRetentionMs, hi >= 0, ms < 0 || ms > hi {
                let (action, fix) = set(KafkaConfig.retentionMs, "\(hi)")
                add(PolicyRule.retentionMax, current: cur, expected: "<= \(hi) (\(Durations.describe(ms: hi)))", fix: fix,
                    reason: "the policy caps how long records are kept (disk use, data-retention rules)",
                    action: action, gap: ms < 0 ? .infinity : Double(ms - hi))
            }
        }

        // partitions-min / partitions-max
        if let lo = policy.minPartitions, t.partitions < lo {
            add(PolicyRule.partitionsMin, current: "\(t.partitions)", expected: ">= \(lo)",
                fix: t.isProposal ? "use --partitions \(lo)"
                    : "kafka-topics.sh --alter --topic \(t.name) --partitions \(lo) (changes which partition a key goes to)",
                reason: "a topic needs at least \(lo) partition\(lo == 1 ? "" : "s") under this policy", gap: Double(lo - t.partitions))
        }
        if let hi = policy.maxPartitions, t.partitions > hi {
            add(PolicyRule.partitionsMax, current: "\(t.partitions)", expected: "<= \(hi)",
                fix: t.isProposal ? "use at most --partitions \(hi)"
                    : "partitions cannot be removed: recreate the topic with fewer, or raise max_partitions in the policy",
                reason: "every partition costs open files, memory and leader elections on the brokers", gap: Double(t.partitions - hi))
        }

        // name-pattern
        if let pattern = policy.namePattern {
            // The default pattern is Kafka's legal charset: a byte check, much faster than a regex over many topics.
            let isLegalCharset = pattern == TopicPolicy.legalNamePattern
            let invalid = !isLegalCharset && nameRegex == nil
            let matches = isLegalCharset
                ? !t.name.isEmpty && t.name.utf8.allSatisfy(TopicName.isLegalCharacter)
                : ((try? nameRegex?.wholeMatch(in: t.name)) ?? nil) != nil
            if !matches {
                add(PolicyRule.namePattern, current: t.name, expected: "matches \(pattern)",
                    fix: invalid ? "fix name_pattern in the policy: it is not a valid regular expression"
                        : t.isProposal ? "choose a name that matches \(pattern)"
                        : "topics cannot be renamed: create a topic whose name matches and move producers and consumers",
                    reason: "the policy's naming convention keeps ownership and ACL prefixes predictable")
            }
        }

        // required-config
        for name in policy.requiredConfigs.keys.sorted() {
            guard let req = policy.requiredConfigs[name] else { continue }
            switch req {
            case .anyValue:
                if !t.overrides.contains(name) {
                    let cur = t.effective[name].map { describe($0, fallback: "") } ?? "(not set)"
                    let value = t.effective[name]?.value
                    let (action, fix) = set(name, value ?? "<value>")
                    add(PolicyRule.requiredConfig, current: "\(name): \(cur)", expected: "\(name) set on the topic", fix: fix,
                        reason: "the policy requires every topic to set \(name) explicitly", action: value == nil ? nil : action)
                }
            case .oneOf(let allowed):
                let v = t.effective[name]?.value
                if v == nil || !allowed.contains(v ?? "") {
                    let cur = t.effective[name].map { describe($0, fallback: "") } ?? "(not set)"
                    let (action, fix) = set(name, allowed.first ?? "<value>")
                    add(PolicyRule.requiredConfig, current: "\(name)=\(cur)",
                        expected: "\(name) one of \(allowed.joined(separator: ", "))", fix: fix,
                        reason: "the policy allows only \(allowed.joined(separator: ", ")) for \(name)",
                        action: allowed.isEmpty ? nil : action)
                }
            }
        }

        // forbidden-config
        for f in policy.forbiddenConfigs {
            if let value = f.value {
                if let e = t.effective[f.name], e.value == value {
                    add(PolicyRule.forbiddenConfig, current: "\(f.name)=\(describe(e, fallback: ""))",
                        expected: "\(f.name) != \(value)",
                        fix: e.source == .topic
                            ? (t.isProposal ? "remove --config \(f.name)=\(value) or choose another value"
                               : "kafka-configs.sh --alter --entity-type topics --entity-name \(t.name) --delete-config \(f.name) (or set another value)")
                            : "set another value: \(set(f.name, "<value>").1)",
                        reason: "the policy forbids \(f.name)=\(value)")
                }
            } else if t.overrides.contains(f.name) {
                add(PolicyRule.forbiddenConfig, current: "\(f.name)=\(t.effective[f.name]?.value ?? "") (topic)",
                    expected: "\(f.name) not set on the topic",
                    fix: t.isProposal ? "remove --config \(f.name)"
                        : "kafka-configs.sh --alter --entity-type topics --entity-name \(t.name) --delete-config \(f.name)",
                    reason: "the policy forbids topics to override \(f.name)")
            }
        }
        return out
    }

    static func sourceWord(_ s: ConfigSource) -> String {
        switch s.summary {
        case "topic": return "topic"
        case "broker": return "broker default"
        default: return "Kafka default"
        }
    }

    /// "2 (topic)", "1 (broker default)", "1 (Kafka default)".
    static func describe(_ e: EffectiveConfig?, fallback: String) -> String {
        guard let e else { return "\(fallback) (Kafka default)" }
        return "\(e.value) (\(sourceWord(e.source)))"
    }
}

// MARK: - The console's guided creation form

/// The fields of the topic creation form, in display order.
public enum TopicFormField: String, Hashable, Sendable, Codable, CaseIterable {
    case name, partitions
    case replicationFactor = "replication_factor"
    case minInsyncReplicas = "min_insync_replicas"
    case retention
    case uncleanLeaderElection = "unclean_leader_election"
}

/// The form as typed so far: every field is text, blank means "not typed" (configs fall back to the broker).
public struct TopicForm: Hashable, Sendable {
    public var name: String
    public var partitions: String
    public var replicationFactor: String
    public var minInsyncReplicas: String
    /// Milliseconds, or "7d", "168h", "-1"/"infinite".
    public var retention: String
    /// "true" / "false"; blank uses the broker default.
    public var uncleanLeaderElection: String
    /// Other configs to set on the topic.
    public var otherConfigs: [String: String]

    public init(name: String = "", partitions: String = "", replicationFactor: String = "",
                minInsyncReplicas: String = "", retention: String = "", uncleanLeaderElection: String = "",
                otherConfigs: [String: String] = [:]) {
        self.name = name; self.partitions = partitions; self.replicationFactor = replicationFactor
        self.minInsyncReplicas = minInsyncReplicas; self.retention = retention
        self.uncleanLeaderElection = uncleanLeaderElection; self.otherConfigs = otherConfigs
    }
}

/// The result of checking a form: findings beside each field, and the topic to create once it parses.
public struct TopicFormCheck: Hashable, Sendable {
    public var byField: [TopicFormField: [Finding]]
    /// Findings no single field owns (required/forbidden configs).
    public var general: [Finding]
    /// The topic the form describes; nil while a required field is blank or does not parse.
    public var proposal: NewTopic?

    public func findings(_ field: TopicFormField) -> [Finding] { byField[field] ?? [] }
    public var all: [Finding] { TopicFormField.allCases.flatMap { findings($0) } + general }
    /// The form can be submitted: it parses and no error-level finding remains.
    public var canSubmit: Bool { proposal != nil && !all.contains { $0.severity == .error } }
}

extension PolicyCheck {
    /// Rule id "form-input": a field that is blank or does not parse.
    public static let formInputRule = "form-input"

    /// Checks a partially typed form field by field, so the console can show each reason beside its field.
    /// Blank fields that have a broker default (min ISR, retention, unclean) are checked with that default.
    public static func checkForm(_ form: TopicForm, brokerConfigs: [ConfigEntry], existingTopics: [String] = [],
                                 policy: TopicPolicy = .default) -> TopicFormCheck {
        var by: [TopicFormField: [Finding]] = [:]
        var general: [Finding] = []
        let name = form.name.trimmingCharacters(in: .whitespaces)
        func input(_ f: TopicFormField, _ cur: String, _ msg: String) {
            by[f, default: []].append(Finding(rule: formInputRule, severity: .error, targetKind: .topic, target: name,
                                              current: cur, expected: msg, fix: msg, reason: msg))
        }
        // Kafka's own name rules first: they are errors whatever the policy says.
        for issue in TopicName.validate(name) + TopicName.collision(name, existing: existingTopics) {
            by[.name, default: []].append(Finding(rule: issue.rule, severity: issue.severity, targetKind: .topic,
                                                  target: name, current: name, expected: "a legal, unique topic name",
                                                  fix: issue.message, reason: issue.message))
        }
        let partitions = Int32(form.partitions.trimmingCharacters(in: .whitespaces))
        if partitions == nil { input(.partitions, form.partitions, form.partitions.isEmpty ? "enter the number of partitions" : "partitions must be a whole number") }
        let rf = Int16(form.replicationFactor.trimmingCharacters(in: .whitespaces))
        if rf == nil { input(.replicationFactor, form.replicationFactor, form.replicationFactor.isEmpty ? "enter the replication factor" : "replication factor must be a whole number") }
        var configs = form.otherConfigs
        let isr = form.minInsyncReplicas.trimmingCharacters(in: .whitespaces)
        if !isr.isEmpty {
            if let n = Int(isr), n >= 1 { configs[KafkaConfig.minInsyncReplicas] = String(n) } else { input(.minInsyncReplicas, isr, "min.insync.replicas must be a whole number >= 1") }
        }
        let ret = form.retention.trimmingCharacters(in: .whitespaces)
        if !ret.isEmpty {
            if let ms = Durations.parseMs(ret) { configs[KafkaConfig.retentionMs] = String(ms) } else { input(.retention, ret, "retention must be milliseconds, a duration like 7d or 12h, or -1 for infinite") }
        }
        let unc = form.uncleanLeaderElection.trimmingCharacters(in: .whitespaces).lowercased()
        if !unc.isEmpty {
            if unc == "true" || unc == "false" { configs[KafkaConfig.uncleanLeaderElection] = unc } else { input(.uncleanLeaderElection, unc, "unclean.leader.election.enable must be true or false") }
        }

        let resolver = ConfigResolver(policy: policy, brokerConfigs: brokerConfigs)
        let (eff, over) = resolver.resolve(proposed: configs)
        // Unparsed numbers are checked as 0 only by rules whose field already shows the input error.
        let facts = TopicFacts(name: name, partitions: Int(partitions ?? 0), replicationFactor: Int(rf ?? 0),
                               effective: eff, overrides: over, isProposal: true)
        for f in check(facts, policy: policy) {
            let field: TopicFormField?
            switch f.rule {
            case PolicyRule.namePattern:
                // Kafka's own rejection already says why; do not repeat it as a pattern mismatch.
                if by[.name]?.contains(where: { $0.rule == TopicName.illegalRule }) ?? false { continue }
                field = .name
            case PolicyRule.partitionsMin, PolicyRule.partitionsMax: field = partitions == nil ? nil : .partitions
            case PolicyRule.replicationFactor: field = rf == nil ? nil : .replicationFactor
            case PolicyRule.rfAboveMinISR: field = rf == nil ? nil : .minInsyncReplicas
            case PolicyRule.minInsyncReplicas: field = .minInsyncReplicas
            case PolicyRule.retentionMin, PolicyRule.retentionMax: field = .retention
            case PolicyRule.uncleanLeaderElection: field = .uncleanLeaderElection
            default: general.append(f); continue
            }
            if let field, !(by[field]?.contains { $0.rule == formInputRule } ?? false) { by[field, default: []].append(f) }
        }
        var proposal: NewTopic?
        if let partitions, let rf, !name.isEmpty, !by.values.joined().contains(where: { $0.rule == formInputRule }) {
            proposal = NewTopic(name: name, partitions: partitions, replicationFactor: rf, configs: configs)
        }
        return TopicFormCheck(byField: by, general: general, proposal: proposal)
    }
}
