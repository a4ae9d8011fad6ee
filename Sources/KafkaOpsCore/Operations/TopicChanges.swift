import Foundation

/// One config as it is and as it will be after a change (effective values, with their sources).
public struct ConfigChange: Hashable, Sendable {
    public var name: String
    public var before: String?
    public var beforeSource: String
    public var after: String?
    public var afterSource: String
}

/// The preview of a topic config change: what each config becomes, and what `PolicyGate` says of
/// it (a change may fix rules; it must not break new ones or make one worse).
public struct ConfigChangePreview: Hashable, Sendable {
    public var topic: String
    public var set: [String: String]
    public var delete: [String]
    public var changes: [ConfigChange]
    public var verdict: ChangeVerdict

    /// The preview of setting `set` and deleting `delete` on `topic` in `snapshot`. When the topic's
    /// configs were not loaded the verdict is incomplete (the change is refused).
    public static func compute(_ snapshot: ClusterSnapshot, topic: String, set: [String: String], delete: [String] = [],
                               policy: TopicPolicy) -> ConfigChangePreview {
        var after = snapshot
        var entries = after.topicConfigs[topic] ?? []
        entries.removeAll { set[$0.name] != nil || delete.contains($0.name) }
        for (k, v) in set { entries.append(ConfigEntry(name: k, value: v, source: .topic)) }
        after.topicConfigs[topic] = entries
        let changes = (Array(set.keys) + delete).sorted().map { key -> ConfigChange in
            let b = snapshot.effectiveConfig(key, topic: topic)
            let a = after.effectiveConfig(key, topic: topic)
            return ConfigChange(name: key, before: b?.value, beforeSource: b?.source.summary ?? "unset",
                                after: a?.value, afterSource: a?.source.summary ?? "unset")
        }
        var verdict = ChangeVerdict()
        if let t = snapshot.topic(topic) {
            let resolver = ConfigResolver(policy: policy, brokerConfigs: snapshot.brokerConfigs)
            verdict = PolicyGate.judge(before: TopicFacts(existing: t, configs: snapshot.topicConfigs[topic], resolver: resolver),
                                       after: TopicFacts(existing: t, configs: after.topicConfigs[topic], resolver: resolver),
                                       policy: policy)
            if t.partitions.isEmpty { verdict.incomplete.append("the topic's partitions could not be read") }
        } else {
            verdict.incomplete.append("topic '\(topic)' is not in the metadata")
        }
        if snapshot.topicConfigs[topic] == nil { verdict.incomplete.append("the topic's configs could not be read") }
        // A value the checks cannot read is refused, never judged as the default (Kafka may read it otherwise).
        verdict.incomplete.append(contentsOf: ConfigValues.topicConfigProblems(set))
        return ConfigChangePreview(topic: topic, set: set, delete: delete, changes: changes, verdict: verdict)
    }

    /// Kafka's own tool for the same change, for runbooks.
    public func kafkaConfigsCommand(bootstrap: String) -> String {
        var parts = ["kafka-configs.sh", "--bootstrap-server", bootstrap, "--alter", "--entity-type", "topics",
                     "--entity-name", shellQuote(topic)]
        if !set.isEmpty {
            parts += ["--add-config", shellQuote(set.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))]
        }
        if !delete.isEmpty { parts += ["--delete-config", shellQuote(delete.sorted().joined(separator: ","))] }
        return parts.joined(separator: " ")
    }
}

/// The durability fixes the console offers for a topic, each a config change.
public enum DurabilityFix {
    /// min.insync.replicas raised to the policy's minimum (at least 2), kept below the replication
    /// factor; nil with the reason when the topic's RF is too low for any safe value.
    public static func raiseMinISR(_ snapshot: ClusterSnapshot, topic: String, policy: TopicPolicy)
        -> Result<[String: String], FixRefusal> {
        guard let t = snapshot.topic(topic) else { return .failure(.unknownTopic(topic)) }
        let rf = t.partitions.map(\.replicas.count).min() ?? 0
        let current = snapshot.effectiveConfig(KafkaConfig.minInsyncReplicas, topic: topic).flatMap { Int($0.value) } ?? 1
        let wanted = max(2, policy.minInsyncReplicas)
        guard wanted < rf else { return .failure(.replicationFactorTooLow(topic: topic, rf: rf, wanted: wanted)) }
        guard current < wanted else { return .failure(.alreadyDone("min.insync.replicas is already \(current)")) }
        return .success([KafkaConfig.minInsyncReplicas: String(wanted)])
    }

    /// unclean.leader.election.enable=false.
    public static func uncleanOff(_ snapshot: ClusterSnapshot, topic: String) -> Result<[String: String], FixRefusal> {
        guard snapshot.topic(topic) != nil else { return .failure(.unknownTopic(topic)) }
        if snapshot.effectiveConfig(KafkaConfig.uncleanLeaderElection, topic: topic)?.value.lowercased() == "false" {
            return .failure(.alreadyDone("unclean.leader.election.enable is already false"))
        }
        return .success([KafkaConfig.uncleanLeaderElection: "false"])
    }
}

public enum FixRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownTopic(String)
    case replicationFactorTooLow(topic: String, rf: Int, wanted: Int)
    case alreadyDone(String)

    public var description: String {
        switch self {
        case .unknownTopic(let t): return "topic '\(t)' does not exist"
        case .replicationFactorTooLow(let t, let rf, let wanted):
            return "RF \(rf) is too low for min.insync.replicas \(wanted) (it must stay below RF): raise the replication factor first (kafkaops topic reassign-plan \(t) --replication-factor \(wanted + 1))"
        case .alreadyDone(let s): return s
        }
    }
}

/// A partition whose leader is not its preferred (first) replica, and whose preferred replica could lead.
public struct ElectionCandidate: Hashable, Sendable {
    public var partition: TopicPartition
    public var leader: Int32?
    public var preferred: Int32
}

public enum PreferredElection {
    /// Partitions of `topics` (nil: every non-internal topic) whose preferred replica is live, in
    /// the ISR and not the leader: what kafka-leader-election.sh --election-type PREFERRED moves.
    public static func candidates(_ md: ClusterMetadata, topics: Set<String>?) -> [ElectionCandidate] {
        let live = md.liveBrokerIDs
        var out: [ElectionCandidate] = []
        for t in md.topics where topics.map({ $0.contains(t.name) }) ?? !t.isInternal {
            for p in t.partitions {
                guard let pref = p.replicas.first, p.leader != pref, live.contains(pref), p.isr.contains(pref) else { continue }
                out.append(ElectionCandidate(partition: TopicPartition(t.name, p.id), leader: p.leader, preferred: pref))
            }
        }
        return out.sorted { $0.partition < $1.partition }
    }

    /// Partitions of `topics` whose leader is not the preferred replica but which an election cannot
    /// move: the preferred replica is offline (`live` false) or out of the ISR.
    public static func notElectable(_ md: ClusterMetadata, topics: Set<String>?) -> [(partition: TopicPartition, preferred: Int32, live: Bool)] {
        let live = md.liveBrokerIDs
        var out: [(partition: TopicPartition, preferred: Int32, live: Bool)] = []
        for t in md.topics where topics.map({ $0.contains(t.name) }) ?? !t.isInternal {
            for p in t.partitions {
                guard let pref = p.replicas.first, p.leader != pref, !(live.contains(pref) && p.isr.contains(pref)) else { continue }
                out.append((TopicPartition(t.name, p.id), pref, live.contains(pref)))
            }
        }
        return out.sorted { $0.partition < $1.partition }
    }
}
