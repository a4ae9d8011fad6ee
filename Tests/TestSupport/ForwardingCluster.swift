import KafkaOpsCore

/// A test cluster built on another: every call goes to `base` unless the conforming type implements it
/// (recording and failing fakes override only the calls they change).
public protocol ForwardingCluster: ClusterClient {
    associatedtype Base: ClusterClient
    var base: Base { get }
}

extension ForwardingCluster {
    public var displayName: String { base.displayName }
    public func metadata(deadline: Deadline) async throws -> ClusterMetadata { try await base.metadata(deadline: deadline) }
    public func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        try await base.topicConfigs(topics, deadline: deadline)
    }
    public func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] {
        try await base.brokerConfigs(broker, deadline: deadline)
    }
    public func listGroups(deadline: Deadline) async throws -> [GroupListing] { try await base.listGroups(deadline: deadline) }
    public func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] {
        try await base.describeAcls(filter, deadline: deadline)
    }
    public func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        try await base.describeGroups(groups, deadline: deadline)
    }
    public func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try await base.committedOffsets(group: group, deadline: deadline)
    }
    public func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        try await base.logOffsets(partitions, deadline: deadline)
    }
    public func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] {
        try await base.offsetsForTimes(query, deadline: deadline)
    }
    public func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        try await base.readRecords(request, deadline: deadline)
    }
    public func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        try await base.createTopic(topic, validateOnly: validateOnly, deadline: deadline)
    }
    public func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        try await base.alterTopicConfigs(topic, set: set, delete: delete, deadline: deadline)
    }
    public func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        try await base.alterGroupOffsets(group: group, offsets: offsets, deadline: deadline)
    }
    public func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        try await base.deleteGroupOffsets(group: group, partitions: partitions, deadline: deadline)
    }
    public func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        try await base.electPreferredLeaders(partitions, deadline: deadline)
    }
    public func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        try await base.produce(records, deadline: deadline)
    }
    public func createPartitions(_ topic: String, totalCount: Int32, deadline: Deadline) async throws {
        try await base.createPartitions(topic, totalCount: totalCount, deadline: deadline)
    }
    public func deleteTopic(_ topic: String, deadline: Deadline) async throws {
        try await base.deleteTopic(topic, deadline: deadline)
    }
    public func deleteGroup(_ group: String, deadline: Deadline) async throws {
        try await base.deleteGroup(group, deadline: deadline)
    }
}
