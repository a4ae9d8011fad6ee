import Foundation
import KafkaOpsCore

/// A small fixed cluster for the console's tests: healthy, degraded, offline and hostile topics,
/// lagging, data-losing and uncommitted groups.
struct FakeCluster: ClusterClient {
    enum Mode: Sendable { case normal, hangMetadata, failMetadata, hangGroups }
    var mode: Mode = .normal
    var topicCount = 0  // extra generated topics
    var partitionsPerExtraTopic = 1

    var displayName: String { "fake" }

    static let hostile = "evil\u{1b}[31mred"
    static let cjk = "注文イベント"
    static let emoji = "🚀launches"
    static let long = "a.very.long.topic.name.that.goes.on.and.on.and.never.seems.to.end.at.all"

    static func partitions(_ n: Int, replicas: [Int32] = [1, 2, 3]) -> [PartitionInfo] {
        (0..<n).map { i in
            let r = (0..<replicas.count).map { replicas[($0 + i) % replicas.count] }
            return PartitionInfo(id: Int32(i), leader: r[0], replicas: r, isr: r)
        }
    }

    func metadataValue() -> ClusterMetadata {
        var orders = Self.partitions(6)
        orders[2].isr = [orders[2].replicas[0], orders[2].replicas[1]]  // under-replicated, at min ISR
        var payments = Self.partitions(3)
        payments[1].isr = [payments[1].replicas[0]]  // under min ISR (min.insync 2)
        var legacy = Self.partitions(2, replicas: [4])
        legacy[0].leader = nil
        legacy[0].isr = []
        var topics: [TopicInfo] = [
            TopicInfo(name: "orders", partitions: orders),
            TopicInfo(name: "payments", partitions: payments),
            TopicInfo(name: "legacy", partitions: legacy),
            TopicInfo(name: Self.cjk, partitions: Self.partitions(1)),
            TopicInfo(name: Self.emoji, partitions: Self.partitions(1)),
            TopicInfo(name: Self.hostile, partitions: Self.partitions(1)),
            TopicInfo(name: Self.long, partitions: Self.partitions(2)),
            TopicInfo(name: "__consumer_offsets", isInternal: true, partitions: Self.partitions(3)),
        ]
        for i in 0..<topicCount {
            topics.append(TopicInfo(name: String(format: "gen-%05d", i), partitions: Self.partitions(partitionsPerExtraTopic)))
        }
        return ClusterMetadata(clusterID: "fake-cluster-1", controllerID: 1, brokers: [
            Broker(id: 1, host: "kafka-1.example", port: 9092, rack: "az1"),
            Broker(id: 2, host: "kafka-2.example", port: 9092, rack: "az2"),
            Broker(id: 3, host: "kafka-3.example", port: 9092),
        ], topics: topics)
    }

    func metadata(deadline: Deadline) async throws -> ClusterMetadata {
        switch mode {
        case .hangMetadata: try await Task.sleep(for: .seconds(3600))
        case .failMetadata: throw ClusterError(.unreachable, "no broker answered at fake:9092", hint: "check the address")
        default: break
        }
        return metadataValue()
    }

    func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        var out: [String: [ConfigEntry]] = [:]
        for t in topics {
            out[t] = [ConfigEntry(name: "cleanup.policy", value: "delete", source: .defaultConfig)]
        }
        out["orders"] = [ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic),
                         ConfigEntry(name: "retention.ms", value: "86400000", source: .topic),
                         ConfigEntry(name: "cleanup.policy", value: "delete", source: .defaultConfig)]
        out["payments"] = [ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic)]
        return out
    }

    func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] {
        [ConfigEntry(name: "min.insync.replicas", value: "1", source: .staticBroker)]
    }

    static let acls: [AclBinding] = [
        AclBinding(resourceType: .topic, resourceName: "orders", patternType: .literal, principal: "User:order-service",
                   operation: .write, permission: .allow),
        AclBinding(resourceType: .topic, resourceName: "payments", patternType: .prefixed, principal: "User:connect",
                   operation: .all, permission: .allow),
        AclBinding(resourceType: .topic, resourceName: "payments", patternType: .literal, principal: "User:analytics",
                   operation: .read, permission: .deny),
        AclBinding(resourceType: .group, resourceName: "billing", patternType: .literal, principal: "User:" + hostile,
                   host: "10.0.0.7", operation: .read, permission: .allow),
        AclBinding(resourceType: .transactionalID, resourceName: long, patternType: .literal,
                   principal: "User:a-service-account-with-a-very-long-principal-name", operation: .write, permission: .allow),
    ]

    func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] {
        Self.acls.filter(filter.matches)
    }

    func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        if mode == .hangGroups { try await Task.sleep(for: .seconds(3600)) }
        return [GroupListing(id: "billing", state: .stable), GroupListing(id: "audit", state: .empty),
                GroupListing(id: "new-svc", state: .stable)]
    }

    func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        [
            GroupDescription(id: "billing", state: .stable, assignor: "range", coordinator: 1, members: [
                GroupMember(memberID: "billing-1-abc", clientID: "billing-app", host: "/10.0.0.7",
                            assignment: (0..<6).map { TopicPartition("orders", $0) }),
            ]),
            GroupDescription(id: "audit", state: .empty),
            GroupDescription(id: "new-svc", state: .stable, members: [
                GroupMember(memberID: "new-1", clientID: "new-app", host: "/10.0.0.9",
                            assignment: [TopicPartition("payments", 0)]),
            ]),
        ].filter { groups.contains($0.id) }
    }

    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        switch group {
        case "billing": return Dictionary(uniqueKeysWithValues: (0..<6).map { (TopicPartition("orders", Int32($0)), Int64(90)) })
        case "audit": return [TopicPartition("payments", 0): 5, TopicPartition("payments", 1): 100]
        default: return [:]
        }
    }

    func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        var out: [TopicPartition: LogOffsets] = [:]
        for tp in partitions { out[tp] = tp.topic == "payments" ? LogOffsets(start: 50, end: 100) : LogOffsets(start: 0, end: 100) }
        return out
    }

    func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] { [:] }
    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] { [] }
    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {}
    func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {}
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] { [] }
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] { [] }
    func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] { [] }
    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { [] }
}
