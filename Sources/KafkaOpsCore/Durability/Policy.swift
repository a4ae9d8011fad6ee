import Foundation

/// How bad a finding is. Ordered: info < warning < error.
public enum FindingSeverity: String, Hashable, Sendable, Codable, Comparable, CaseIterable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (a: FindingSeverity, b: FindingSeverity) -> Bool { a.rank < b.rank }
}

/// The level a policy gives a rule: its findings are errors, warnings, or not reported at all.
public enum RuleLevel: String, Hashable, Sendable, Codable, CaseIterable {
    case error, warning, off

    public var severity: FindingSeverity? {
        switch self {
        case .error: return .error
        case .warning: return .warning
        case .off: return nil
        }
    }
}

/// What a finding is about.
public enum FindingTargetKind: String, Hashable, Sendable, Codable {
    case topic, cluster, brokerDefaults = "broker_defaults", group, client
}

/// One violated rule: what, where, how it is now, what it should be, how to fix it and why it matters.
public struct Finding: Hashable, Sendable, Codable {
    /// A stable rule id (`PolicyRule`), or a client-lint key id.
    public var rule: String
    public var severity: FindingSeverity
    public var targetKind: FindingTargetKind
    /// The topic name, "cluster", "broker defaults", the group id, or the client config key.
    public var target: String
    /// The value now, with where it comes from ("1 (broker default)").
    public var current: String
    /// What the policy wants (">= 3").
    public var expected: String
    /// What to do, in operator words, with the command when there is one.
    public var fix: String
    /// Why it matters, one sentence.
    public var reason: String
    /// What the fix does when kafkaops can do or plan it; `fix` is written from it, so the text
    /// shown and the action taken (the console's `f`) are one value. Nil: a manual fix.
    public var action: FixAction?

    public init(rule: String, severity: FindingSeverity, targetKind: FindingTargetKind, target: String,
                current: String, expected: String, fix: String, reason: String, action: FixAction? = nil) {
        self.rule = rule; self.severity = severity; self.targetKind = targetKind; self.target = target
        self.current = current; self.expected = expected; self.fix = fix; self.reason = reason; self.action = action
    }

    /// Identifies the finding within one audit (rule, target, what is expected and what is there).
    public var id: String { [rule, targetKind.rawValue, target, expected, current].joined(separator: "\u{1F}") }
}

/// The fix of a topic finding that kafkaops can apply (a config change) or plan (a reassignment).
public enum FixAction: Hashable, Sendable, Codable {
    /// Set these topic configs (IncrementalAlterConfigs, kafka-configs.sh --add-config).
    case setTopicConfigs([String: String])
    /// Raise the replication factor to this many replicas (a reassignment plan; kafkaops executes nothing).
    case raiseReplicationFactor(Int)

    /// The fix in operator words, with the command: for a proposed topic the creation option.
    public func text(topic: String, isProposal: Bool) -> String {
        switch self {
        case .setTopicConfigs(let set):
            let kv = set.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if isProposal { return "set \(kv.joined(separator: ", ")) (\(kv.map { "--config \($0)" }.joined(separator: " ")))" }
            return "set \(kv.joined(separator: ", ")) (kafka-configs.sh --alter --entity-type topics --entity-name \(topic) --add-config \(kv.joined(separator: ",")))"
        case .raiseReplicationFactor(let n):
            return isProposal ? "use --replication-factor \(n)"
                : "raise the replication factor to \(n): add replicas with kafka-reassign-partitions.sh --execute --reassignment-json-file plan.json (a plan that keeps the current replicas and adds brokers)"
        }
    }
}

/// The stable rule ids of the durability policy and the cluster audit.
public enum PolicyRule {
    public static let replicationFactor = "replication-factor"
    public static let minInsyncReplicas = "min-insync-replicas"
    public static let rfAboveMinISR = "rf-above-min-isr"
    public static let uncleanLeaderElection = "unclean-leader-election"
    public static let retentionMin = "retention-min"
    public static let retentionMax = "retention-max"
    public static let partitionsMin = "partitions-min"
    public static let partitionsMax = "partitions-max"
    public static let namePattern = "name-pattern"
    public static let requiredConfig = "required-config"
    public static let forbiddenConfig = "forbidden-config"
    public static let brokerDefaultReplicationFactor = "broker-default-replication-factor"
    public static let brokerDefaultMinInsyncReplicas = "broker-default-min-insync-replicas"
    public static let brokerDefaultUncleanLeaderElection = "broker-default-unclean-leader-election"
    public static let brokersBelowMaxRF = "brokers-below-max-rf"
    public static let groupDataLost = "group-data-lost"
    /// Retention may delete records a group has not read before it catches up (issue 11): error
    /// under an hour, warning under a day (a policy level of warning caps it; off turns it off).
    public static let groupDataLossRisk = DataLossRules.rule

    /// Every rule id with its level when the policy does not override it.
    public static let defaultLevels: [String: RuleLevel] = [
        replicationFactor: .error,
        minInsyncReplicas: .error,
        rfAboveMinISR: .error,
        uncleanLeaderElection: .error,
        retentionMin: .error,
        retentionMax: .warning,
        partitionsMin: .error,
        partitionsMax: .warning,
        namePattern: .error,
        requiredConfig: .error,
        forbiddenConfig: .error,
        brokerDefaultReplicationFactor: .warning,
        brokerDefaultMinInsyncReplicas: .warning,
        brokerDefaultUncleanLeaderElection: .warning,
        brokersBelowMaxRF: .error,
        groupDataLost: .error,
        groupDataLossRisk: .error,
    ]

    /// All rule ids, sorted.
    public static var all: [String] { defaultLevels.keys.sorted() }
}

/// A config a topic must have: any value set on the topic itself, or an effective value among some allowed ones.
/// In YAML: `set` (or `"*"`) for any override, a string for one allowed value, a list for several.
public enum RequiredConfig: Hashable, Sendable, Codable {
    case anyValue
    case oneOf([String])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            self = (s == "set" || s == "*") ? .anyValue : .oneOf([s])
        } else if let list = try? c.decode([String].self) {
            self = .oneOf(list)
        } else if let n = try? c.decode(Int64.self) {
            self = .oneOf([String(n)])
        } else if let b = try? c.decode(Bool.self) {
            self = .oneOf([String(b)])
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected \"set\", a value or a list of values")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .anyValue: try c.encode("set")
        case .oneOf(let v): try c.encode(v)
        }
    }
}

/// A config a topic must not have: the name alone forbids any topic override of it;
/// `name=value` forbids that effective value (from the topic or the broker default).
public struct ForbiddenConfig: Hashable, Sendable, Codable, CustomStringConvertible {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) { self.name = name; self.value = value }

    /// Parses `name` or `name=value`.
    public init(parsing s: String) {
        if let eq = s.firstIndex(of: "=") {
            name = String(s[..<eq]).trimmingCharacters(in: .whitespaces)
            value = String(s[s.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        } else {
            name = s.trimmingCharacters(in: .whitespaces); value = nil
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var description: String { value.map { "\(name)=\($0)" } ?? name }
}

/// The durability policy topics are checked against (`kafkaops topic create`, `kafkaops audit`,
/// the console's creation form and Audit screen).
///
/// YAML keys (snake_case; every key is optional and defaults to `TopicPolicy.default`;
/// an unknown key is an error so that a typo does not silently weaken the policy):
///
/// ```yaml
/// min_replication_factor: 3          # replication-factor
/// min_insync_replicas: 2             # min-insync-replicas
/// require_rf_above_min_isr: true     # rf-above-min-isr
/// require_unclean_leader_election_disabled: true   # unclean-leader-election
/// min_retention_ms: 604800000        # retention-min; null for no bound; -1 (infinite) always passes
/// max_retention_ms: null             # retention-max; -1 (infinite) fails a max bound
/// min_partitions: 1                  # partitions-min
/// max_partitions: 1000               # partitions-max; null for no bound
/// name_pattern: '[a-zA-Z0-9._-]+'    # name-pattern; matched against the whole name; null for none
/// required_configs:                  # required-config
///   compression.type: [zstd, lz4]    # effective value must be one of these
///   cleanup.policy: set              # must be set on the topic itself
/// forbidden_configs:                 # forbidden-config
///   - message.timestamp.type=LogAppendTime   # this effective value is forbidden
///   - follower.replication.throttled.replicas # any topic override is forbidden
/// severity:                          # per rule id: error | warning | off
///   retention-min: warning
/// ```
///
/// Retention rules apply only to topics whose cleanup.policy includes `delete`
/// (a compact-only topic keeps the latest record per key whatever retention.ms says).
public struct TopicPolicy: Hashable, Sendable, Codable {
    public var minReplicationFactor: Int
    public var minInsyncReplicas: Int
    public var requireRFAboveMinISR: Bool
    public var requireUncleanLeaderElectionDisabled: Bool
    public var minRetentionMs: Int64?
    public var maxRetentionMs: Int64?
    public var minPartitions: Int?
    public var maxPartitions: Int?
    public var namePattern: String?
    public var requiredConfigs: [String: RequiredConfig]
    public var forbiddenConfigs: [ForbiddenConfig]
    /// Rule id -> level, overriding `PolicyRule.defaultLevels`.
    public var severity: [String: RuleLevel]

    public static let sevenDaysMs: Int64 = 7 * 24 * 3_600_000
    /// Kafka's legal topic name characters.
    public static let legalNamePattern = "[a-zA-Z0-9._-]+"

    public init(minReplicationFactor: Int = 3, minInsyncReplicas: Int = 2, requireRFAboveMinISR: Bool = true,
                requireUncleanLeaderElectionDisabled: Bool = true, minRetentionMs: Int64? = TopicPolicy.sevenDaysMs,
                maxRetentionMs: Int64? = nil, minPartitions: Int? = 1, maxPartitions: Int? = 1000,
                namePattern: String? = TopicPolicy.legalNamePattern, requiredConfigs: [String: RequiredConfig] = [:],
                forbiddenConfigs: [ForbiddenConfig] = [], severity: [String: RuleLevel] = [:]) {
        self.minReplicationFactor = minReplicationFactor; self.minInsyncReplicas = minInsyncReplicas
        self.requireRFAboveMinISR = requireRFAboveMinISR
        self.requireUncleanLeaderElectionDisabled = requireUncleanLeaderElectionDisabled
        self.minRetentionMs = minRetentionMs; self.maxRetentionMs = maxRetentionMs
        self.minPartitions = minPartitions; self.maxPartitions = maxPartitions
        self.namePattern = namePattern; self.requiredConfigs = requiredConfigs
        self.forbiddenConfigs = forbiddenConfigs; self.severity = severity
    }

    /// The built-in zero-data-loss policy of docs/KAFKA-SEMANTICS.md.
    public static let `default` = TopicPolicy()

    /// The level of a rule under this policy.
    public func level(_ rule: String) -> RuleLevel {
        severity[rule] ?? PolicyRule.defaultLevels[rule] ?? .error
    }

    /// The severity of a rule's findings, nil when the rule is off.
    public func severityOf(_ rule: String) -> FindingSeverity? { level(rule).severity }

    /// Problems with the policy itself (bad regex, contradictory bounds, unknown rule ids).
    public func problems() -> [String] {
        var p: [String] = []
        if let pat = namePattern, (try? Regex(pat)) == nil {
            p.append("name_pattern '\(pat)' is not a valid regular expression")
        }
        if let lo = minRetentionMs, let hi = maxRetentionMs, hi >= 0, lo >= 0, lo > hi {
            p.append("min_retention_ms \(lo) is above max_retention_ms \(hi)")
        }
        if let lo = minPartitions, let hi = maxPartitions, lo > hi {
            p.append("min_partitions \(lo) is above max_partitions \(hi)")
        }
        if minReplicationFactor < 1 { p.append("min_replication_factor must be at least 1") }
        if minInsyncReplicas < 1 { p.append("min_insync_replicas must be at least 1") }
        for k in severity.keys.sorted() where PolicyRule.defaultLevels[k] == nil {
            p.append("severity: unknown rule id '\(k)' (known: \(PolicyRule.all.joined(separator: ", ")))")
        }
        return p
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minReplicationFactor = "min_replication_factor"
        case minInsyncReplicas = "min_insync_replicas"
        case requireRFAboveMinISR = "require_rf_above_min_isr"
        case requireUncleanLeaderElectionDisabled = "require_unclean_leader_election_disabled"
        case minRetentionMs = "min_retention_ms"
        case maxRetentionMs = "max_retention_ms"
        case minPartitions = "min_partitions"
        case maxPartitions = "max_partitions"
        case namePattern = "name_pattern"
        case requiredConfigs = "required_configs"
        case forbiddenConfigs = "forbidden_configs"
        case severity
    }

    public init(from decoder: any Decoder) throws {
        try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue), what: "policy key")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TopicPolicy.default
        func opt<T: Decodable>(_ k: CodingKeys, _ fallback: T?) throws -> T? {
            // A key present with null clears an optional bound.
            if c.contains(k) { return try c.decodeNil(forKey: k) ? nil : c.decode(T.self, forKey: k) }
            return fallback
        }
        minReplicationFactor = try c.decodeIfPresent(Int.self, forKey: .minReplicationFactor) ?? d.minReplicationFactor
        minInsyncReplicas = try c.decodeIfPresent(Int.self, forKey: .minInsyncReplicas) ?? d.minInsyncReplicas
        requireRFAboveMinISR = try c.decodeIfPresent(Bool.self, forKey: .requireRFAboveMinISR) ?? d.requireRFAboveMinISR
        requireUncleanLeaderElectionDisabled = try c.decodeIfPresent(Bool.self, forKey: .requireUncleanLeaderElectionDisabled)
            ?? d.requireUncleanLeaderElectionDisabled
        minRetentionMs = try opt(.minRetentionMs, d.minRetentionMs)
        maxRetentionMs = try opt(.maxRetentionMs, d.maxRetentionMs)
        minPartitions = try opt(.minPartitions, d.minPartitions)
        maxPartitions = try opt(.maxPartitions, d.maxPartitions)
        namePattern = try opt(.namePattern, d.namePattern)
        requiredConfigs = try c.decodeIfPresent([String: RequiredConfig].self, forKey: .requiredConfigs) ?? [:]
        forbiddenConfigs = try c.decodeIfPresent([ForbiddenConfig].self, forKey: .forbiddenConfigs) ?? []
        severity = try c.decodeIfPresent([String: RuleLevel].self, forKey: .severity) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(minReplicationFactor, forKey: .minReplicationFactor)
        try c.encode(minInsyncReplicas, forKey: .minInsyncReplicas)
        try c.encode(requireRFAboveMinISR, forKey: .requireRFAboveMinISR)
        try c.encode(requireUncleanLeaderElectionDisabled, forKey: .requireUncleanLeaderElectionDisabled)
        try c.encode(minRetentionMs, forKey: .minRetentionMs)
        try c.encode(maxRetentionMs, forKey: .maxRetentionMs)
        try c.encode(minPartitions, forKey: .minPartitions)
        try c.encode(maxPartitions, forKey: .maxPartitions)
        try c.encode(namePattern, forKey: .namePattern)
        try c.encode(requiredConfigs, forKey: .requiredConfigs)
        try c.encode(forbiddenConfigs, forKey: .forbiddenConfigs)
        try c.encode(severity, forKey: .severity)
    }
}

/// Readable durations for retention values.
public enum Durations {
    /// "7d", "12h", "30m", "45s" or "1500ms"; "infinite" for -1.
    public static func describe(ms: Int64) -> String {
        if ms < 0 { return "infinite" }
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s")]
        for (u, s) in units where ms >= u && ms % u == 0 { return "\(ms / u)\(s)" }
        return "\(ms)ms"
    }

    /// Parses "604800000", "7d", "168h", "30m", "45s", "500ms", "-1", "infinite" into milliseconds.
    public static func parseMs(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "-1" || t == "infinite" || t == "forever" { return -1 }
        if let n = Int64(t) { return n >= 0 ? n : nil }
        let suffixes: [(String, Int64)] = [("ms", 1), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        for (s, mult) in suffixes where t.hasSuffix(s) {
            guard let n = Int64(t.dropLast(s.count)), n >= 0 else { return nil }
            let (r, o) = n.multipliedReportingOverflow(by: mult)
            return o ? nil : r
        }
        return nil
    }
}
