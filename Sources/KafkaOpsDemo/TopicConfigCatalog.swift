import Foundation
import KafkaOpsCore

// MARK: - topic config catalog

struct TopicConfigCatalog {
    struct Synonym {
        var name: String
        var factor: Int64 = 1
        func convert(_ v: String) -> String {
            guard factor != 1, let n = Int64(v) else { return v }
            return String(n * factor)
        }
    }
    struct Def {
        var defaultValue: String
        var synonyms: [Synonym]
    }

    /// The topic configs DescribeConfigs lists for every topic, with their broker synonyms.
    static let entries: [String: Def] = [
        "cleanup.policy": Def(defaultValue: "delete", synonyms: [Synonym(name: "log.cleanup.policy")]),
        "compression.type": Def(defaultValue: "producer", synonyms: [Synonym(name: "compression.type")]),
        "delete.retention.ms": Def(defaultValue: "86400000", synonyms: [Synonym(name: "log.cleaner.delete.retention.ms")]),
        "max.message.bytes": Def(defaultValue: "1048588", synonyms: [Synonym(name: "message.max.bytes")]),
        "message.timestamp.type": Def(defaultValue: "CreateTime", synonyms: [Synonym(name: "log.message.timestamp.type")]),
        "min.compaction.lag.ms": Def(defaultValue: "0", synonyms: [Synonym(name: "log.cleaner.min.compaction.lag.ms")]),
        "min.insync.replicas": Def(defaultValue: "1", synonyms: [Synonym(name: "min.insync.replicas")]),
        "retention.bytes": Def(defaultValue: "-1", synonyms: [Synonym(name: "log.retention.bytes")]),
        "retention.ms": Def(defaultValue: "604800000", synonyms: [
            Synonym(name: "log.retention.ms"), Synonym(name: "log.retention.minutes", factor: 60_000),
            Synonym(name: "log.retention.hours", factor: 3_600_000)]),
        "segment.bytes": Def(defaultValue: "1073741824", synonyms: [Synonym(name: "log.segment.bytes")]),
        "segment.ms": Def(defaultValue: "604800000", synonyms: [Synonym(name: "log.roll.ms"),
                                                               Synonym(name: "log.roll.hours", factor: 3_600_000)]),
        "unclean.leader.election.enable": Def(defaultValue: "false", synonyms: [Synonym(name: "unclean.leader.election.enable")]),
    ]

    static let names: [String] = entries.keys.sorted()

    /// Other topic-level configs Kafka accepts (shown only when overridden).
    static let otherKnown: Set<String> = [
        "file.delete.delay.ms", "flush.messages", "flush.ms", "follower.replication.throttled.replicas",
        "index.interval.bytes", "leader.replication.throttled.replicas", "local.retention.bytes", "local.retention.ms",
        "max.compaction.lag.ms", "message.downconversion.enable", "message.format.version",
        "message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms",
        "min.cleanable.dirty.ratio", "preallocate", "remote.storage.enable", "segment.index.bytes", "segment.jitter.ms",
    ]

    static func isKnown(_ name: String) -> Bool { entries[name] != nil || otherKnown.contains(name) }

    /// Kafka's INVALID_CONFIG check for the values the console cares about; nil when valid.
    static func validate(_ name: String, _ value: String) -> String? {
        func int(min: Int64) -> String? {
            guard let n = Int64(value) else { return "Invalid value \(value) for configuration \(name): Not a number of type LONG" }
            return n < min ? "Invalid value \(value) for configuration \(name): Value must be at least \(min)" : nil
        }
        switch name {
        case "min.insync.replicas":
            guard let n = Int(value) else { return "Invalid value \(value) for configuration \(name): Not a number of type INT" }
            return n < 1 ? "Invalid value \(value) for configuration \(name): Value must be at least 1" : nil
        case "retention.ms", "retention.bytes", "local.retention.ms", "local.retention.bytes": return int(min: -1)
        case "segment.bytes": return int(min: 14)
        case "max.message.bytes", "delete.retention.ms", "min.compaction.lag.ms", "segment.ms": return int(min: 0)
        case "unclean.leader.election.enable", "preallocate", "remote.storage.enable":
            return ["true", "false"].contains(value.lowercased()) ? nil
                : "Invalid value \(value) for configuration \(name): Expected value to be either true or false"
        case "cleanup.policy":
            let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return !parts.isEmpty && parts.allSatisfy({ $0 == "delete" || $0 == "compact" }) ? nil
                : "Invalid value \(value) for configuration cleanup.policy: String must be one of: compact, delete"
        case "compression.type":
            return ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"].contains(value) ? nil
                : "Invalid value \(value) for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"
        case "message.timestamp.type":
            return ["CreateTime", "LogAppendTime"].contains(value) ? nil
                : "Invalid value \(value) for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"
        default: return nil
        }
    }
}
