import Foundation
import KafkaOpsCore

/// Everything the screens show that is derived from a snapshot, computed once when it arrives.
public struct Derived: Sendable {
    public var summaries: [TopicSummary]
    public var groupLags: [GroupLag]
    public var lagByGroup: [String: GroupLag]
    public var clusterHealth: HealthCounts
    /// The largest replication factor of any topic (internal ones included).
    public var maxReplicationFactor: Int
    public var groupsLosingData: Int
    /// The durability audit; nil until the snapshot is complete (configs decide most rules).
    public var audit: AuditResult?

    public init(_ snap: ClusterSnapshot, complete: Bool = true, policy: TopicPolicy = .default) {
        groupLags = snap.allGroupLags()
        summaries = snap.topicSummaries(includeInternal: true, groupLags: groupLags)
        lagByGroup = Dictionary(groupLags.map { ($0.group, $0) }, uniquingKeysWith: { a, _ in a })
        var c = HealthCounts()
        for s in summaries { c.add(s.health) }
        clusterHealth = c
        maxReplicationFactor = summaries.map(\.replicationFactor).max() ?? 0
        groupsLosingData = groupLags.filter { $0.partitionsWithDataLoss > 0 }.count
        audit = complete ? DurabilityAudit.run(snap, policy: policy) : nil
    }
}
