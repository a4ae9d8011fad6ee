import Foundation

/// The one rule for numbers and booleans given as text (topic configs, client properties): whole
/// numbers in ASCII digits only, booleans `true`/`false` only. Kafka's brokers parse with Java, which
/// reads `２` (a full-width digit) as 2: `min.insync.replicas=２` must not pass a check that could not
/// read it and took the default instead.
public enum ConfigValues {
    /// `-?[0-9]+` in ASCII, else nil (no full-width or other Unicode digits, no `+`, no spaces inside).
    public static func integer(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.hasPrefix("-") ? t.dropFirst() : Substring(t)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(t)
    }

    /// `true` or `false` (any case, as Kafka reads them), else nil.
    public static func boolean(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// Topic configs whose value is a whole number, and those that are a boolean.
    public static let integerTopicConfigs: Set<String> = [
        KafkaConfig.minInsyncReplicas, KafkaConfig.retentionMs, KafkaConfig.retentionBytes, "segment.bytes", "segment.ms",
        "segment.index.bytes", "segment.jitter.ms", "max.message.bytes", "delete.retention.ms", "min.compaction.lag.ms",
        "max.compaction.lag.ms", "file.delete.delay.ms", "flush.messages", "flush.ms", "index.interval.bytes",
        "local.retention.ms", "local.retention.bytes", "message.timestamp.difference.max.ms",
        "message.timestamp.before.max.ms", "message.timestamp.after.max.ms",
    ]
    public static let booleanTopicConfigs: Set<String> = [
        KafkaConfig.uncleanLeaderElection, "preallocate", "message.downconversion.enable", "remote.storage.enable",
    ]

    /// What is wrong with the given topic configs: "min.insync.replicas must be a whole number in ASCII
    /// digits (0-9), got '２'". Sorted by key.
    public static func topicConfigProblems(_ configs: [String: String]) -> [String] {
        configs.sorted { $0.key < $1.key }.compactMap { k, v in
            if integerTopicConfigs.contains(k), integer(v) == nil {
                return "\(k) must be a whole number in ASCII digits (0-9), got '\(Sanitizer.terminal(v))'"
            }
            if booleanTopicConfigs.contains(k), boolean(v) == nil {
                return "\(k) must be true or false, got '\(Sanitizer.terminal(v))'"
            }
            return nil
        }
    }
}
