import Foundation

/// The health of one partition, as `kafka-topics.sh --describe` filters it.
public struct PartitionHealth: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// |ISR| < |replicas|
    public static let underReplicated = PartitionHealth(rawValue: 1 << 0)
    /// |ISR| == min.insync.replicas: one more failure and acks=all writes fail.
    public static let atMinISR = PartitionHealth(rawValue: 1 << 1)
    /// No leader, or |ISR| < min.insync.replicas: acks=all writes fail now.
    public static let underMinISR = PartitionHealth(rawValue: 1 << 2)
    /// No leader, or the leader is not a live broker: nobody can read or write.
    public static let offline = PartitionHealth(rawValue: 1 << 3)
    /// The leader is not the first replica (fixed by preferred leader election).
    public static let leaderNotPreferred = PartitionHealth(rawValue: 1 << 4)

    public static let healthy: PartitionHealth = []

    /// Evaluates the rules of docs/KAFKA-SEMANTICS.md for one partition. With `minISR` unknown (the
    /// topic's configs were not read) the ISR is not compared with it: only a missing leader counts
    /// as under min ISR, and at-min-ISR is never claimed.
    public static func evaluate(_ p: PartitionInfo, minISR: Int?, liveBrokers: Set<Int32>) -> PartitionHealth {
        var h: PartitionHealth = []
        let hasLeader = p.leader.map { $0 >= 0 } ?? false
        if p.isr.count < p.replicas.count { h.insert(.underReplicated) }
        if !hasLeader || minISR.map({ p.isr.count < $0 }) == true { h.insert(.underMinISR) }
        if let minISR, p.isr.count == minISR { h.insert(.atMinISR) }
        if !hasLeader || !liveBrokers.contains(p.leader ?? -1) { h.insert(.offline) }
        if hasLeader, let preferred = p.replicas.first, preferred != p.leader { h.insert(.leaderNotPreferred) }
        return h
    }

    /// The single most severe state, for a compact mark.
    public var worst: HealthLevel {
        if contains(.offline) { return .offline }
        if contains(.underMinISR) { return .underMinISR }
        if contains(.underReplicated) { return .underReplicated }
        if contains(.atMinISR) { return .atMinISR }
        return .healthy
    }

    /// Names as used in JSON output and filters.
    public var names: [String] {
        var n: [String] = []
        if contains(.offline) { n.append("offline") }
        if contains(.underMinISR) { n.append("under_min_isr") }
        if contains(.underReplicated) { n.append("under_replicated") }
        if contains(.atMinISR) { n.append("at_min_isr") }
        if contains(.leaderNotPreferred) { n.append("leader_not_preferred") }
        return n
    }
}

/// Severity order of partition states, worst last.
public enum HealthLevel: Int, Comparable, Sendable, Codable, CaseIterable {
    case healthy = 0, atMinISR, underReplicated, underMinISR, offline

    public static func < (a: HealthLevel, b: HealthLevel) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .healthy: return "healthy"
        case .atMinISR: return "at_min_isr"
        case .underReplicated: return "under_replicated"
        case .underMinISR: return "under_min_isr"
        case .offline: return "offline"
        }
    }
}

/// Counts of partition states for a topic or a cluster.
public struct HealthCounts: Hashable, Sendable, Codable {
    public var partitions = 0
    public var underReplicated = 0
    public var underMinISR = 0
    public var atMinISR = 0
    public var offline = 0
    public var leaderNotPreferred = 0

    public init() {}

    public mutating func add(_ h: PartitionHealth) {
        partitions += 1
        if h.contains(.underReplicated) { underReplicated += 1 }
        if h.contains(.underMinISR) { underMinISR += 1 }
        if h.contains(.atMinISR) { atMinISR += 1 }
        if h.contains(.offline) { offline += 1 }
        if h.contains(.leaderNotPreferred) { leaderNotPreferred += 1 }
    }

    public mutating func add(_ other: HealthCounts) {
        partitions += other.partitions
        underReplicated += other.underReplicated
        underMinISR += other.underMinISR
        atMinISR += other.atMinISR
        offline += other.offline
        leaderNotPreferred += other.leaderNotPreferred
    }

    public var worst: HealthLevel {
        if offline > 0 { return .offline }
        if underMinISR > 0 { return .underMinISR }
        if underReplicated > 0 { return .underReplicated }
        if atMinISR > 0 { return .atMinISR }
        return .healthy
    }

    public var isHealthy: Bool { worst == .healthy }
}

/// Well-known config names and Kafka's defaults for them.
public enum KafkaConfig {
    public static let minInsyncReplicas = "min.insync.replicas"
    public static let uncleanLeaderElection = "unclean.leader.election.enable"
    public static let retentionMs = "retention.ms"
    public static let retentionBytes = "retention.bytes"
    public static let cleanupPolicy = "cleanup.policy"
    public static let defaultReplicationFactor = "default.replication.factor"

    /// Apache Kafka's defaults, used when neither the topic nor the broker says otherwise.
    public static let defaults: [String: String] = [
        minInsyncReplicas: "1",
        uncleanLeaderElection: "false",
        retentionMs: "604800000",
        retentionBytes: "-1",
        cleanupPolicy: "delete",
        defaultReplicationFactor: "1",
    ]

    /// Topic configs whose broker-level default has another name (`log.` prefix etc.).
    public static let brokerName: [String: String] = [
        minInsyncReplicas: minInsyncReplicas,
        uncleanLeaderElection: uncleanLeaderElection,
        retentionMs: "log.retention.ms",
        retentionBytes: "log.retention.bytes",
        cleanupPolicy: "log.cleanup.policy",
    ]
}

/// A config value as it applies to a topic: the topic's entry, else the broker's, else Kafka's default.
public struct EffectiveConfig: Hashable, Sendable, Codable {
    public var name: String
    public var value: String
    public var source: ConfigSource

    public init(name: String, value: String, source: ConfigSource) {
        self.name = name; self.value = value; self.source = source
    }

    public static func resolve(_ name: String, topic: [ConfigEntry]?, broker: [ConfigEntry]?) -> EffectiveConfig? {
        if let e = topic?.first(where: { $0.name == name }), let v = e.value {
            return EffectiveConfig(name: name, value: v, source: e.source)
        }
        let bname = KafkaConfig.brokerName[name] ?? name
        if let e = broker?.first(where: { $0.name == bname }), let v = e.value {
            return EffectiveConfig(name: name, value: v, source: e.source == .defaultConfig ? .defaultConfig : e.source)
        }
        // log.retention.hours is the usual broker-level form of retention.ms.
        if name == KafkaConfig.retentionMs,
           let e = broker?.first(where: { $0.name == "log.retention.hours" }), let v = e.value, let h = Int64(v) {
            return EffectiveConfig(name: name, value: String(h * 3_600_000), source: e.source)
        }
        if let d = KafkaConfig.defaults[name] {
            return EffectiveConfig(name: name, value: d, source: .defaultConfig)
        }
        return nil
    }
}
