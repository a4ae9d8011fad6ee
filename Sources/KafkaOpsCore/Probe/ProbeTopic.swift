import Foundation

/// The topic a probe writes to (issue 16): `kafkaops-probe` unless the operator names one.
public enum ProbeTopic {
    public static let defaultName = "kafkaops-probe"

    /// The topic to create when it does not exist: one partition per live broker (Kafka's
    /// round-robin assignment then makes each broker the preferred leader of one partition), the
    /// policy's replication factor and min.insync.replicas, unclean leader election off.
    public static func planned(name: String = defaultName, liveBrokers: Int, policy: TopicPolicy) -> NewTopic {
        NewTopic(name: name, partitions: Int32(max(1, liveBrokers)),
                 replicationFactor: Int16(clamping: policy.minReplicationFactor),
                 configs: ["min.insync.replicas": String(policy.minInsyncReplicas),
                           "unclean.leader.election.enable": "false"])
    }

    /// The partitions to write and their leaders, from the topic's metadata. Partitions without a
    /// leader are kept (their writes fail, which is what the probe must show).
    public static func partitions(of topic: TopicInfo) -> (partitions: [Int32], leaders: [Int32: Int32]) {
        let ps = topic.partitions.map(\.id).sorted()
        var leaders: [Int32: Int32] = [:]
        for p in topic.partitions { if let l = p.leader { leaders[p.id] = l } }
        return (ps, leaders)
    }
}
