import Foundation

/// Everything the console and the CLI ask of a cluster, in domain types.
///
/// Implemented on librdkafka (KafkaOpsKafka) and by the simulated cluster (KafkaOpsDemo).
/// Every call takes a deadline and fails with a `ClusterError`.
public protocol ClusterClient: Sendable {
    /// A short name for the header and for audit records ("prod", "DEMO", "127.0.0.1:9092").
    var displayName: String { get }

    // MARK: read side

    /// Brokers, controller, cluster id and every topic with its partitions (leader, replicas, ISR).
    func metadata(deadline: Deadline) async throws -> ClusterMetadata

    /// The same; `racks: false` says the brokers' racks are not needed, which may save a request.
    func metadata(deadline: Deadline, racks: Bool) async throws -> ClusterMetadata

    /// Configs of the given topics with their source. Topics that cannot be described are left out.
    func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]]

    /// The configs of one broker (used for cluster-wide defaults such as min.insync.replicas).
    func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry]

    /// The ACLs that match `filter` (DescribeAcls). An empty answer is not proof that there are none: librdkafka
    /// drops the response's error, so no authorizer and no permission also answer empty (`AclEmptyAnswer`).
    func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding]

    func listGroups(deadline: Deadline) async throws -> [GroupListing]

    /// The groups of these types only (every group when `types` is empty). A default implementation
    /// filters `listGroups(deadline:)`; the librdkafka client asks the broker (ListGroups v5's type filter).
    func listGroups(types: Set<GroupType>, deadline: Deadline) async throws -> [GroupListing]

    /// Groups that do not exist come back in state Dead (Apache Kafka's answer).
    func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription]

    /// Committed offsets of a group; partitions without a commit are absent.
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64]

    /// Log start and end offsets, batched per leader broker.
    func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets]

    /// Only the log end offsets (the high watermarks): cheaper than `logOffsets` where the
    /// start is not needed. A default implementation derives them from `logOffsets`.
    func endOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64]

    /// For each partition the earliest offset whose timestamp is >= the given time (ms since the epoch);
    /// nil when no such record exists.
    func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?]

    /// A bounded read of one partition, without a group and without committing.
    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record]

    /// The timestamp of the first record at or after each given offset (a group's committed offset:
    /// the next record it will read), read without a group and without committing, batched per
    /// leader and bounded in records and bytes. A partition whose record cannot be read (deleted,
    /// past the log end, the read failed) is absent: unknown, never a guess.
    func recordTimestamps(_ offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Date]

    /// The last stable offsets (ListOffsets with isolation level read_committed): where a
    /// read_committed consumer stops. Partitions that could not be read are absent.
    func lastStableOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64]

    /// A reader that stays on these partitions from these offsets (see `RecordTail`).
    func openTail(_ start: [TopicPartition: Int64], deadline: Deadline) async throws -> any RecordTail

    // MARK: mutations (each refused by a read-only client before anything is sent)

    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws

    /// Incrementally set and delete topic config overrides.
    func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws

    /// Commit offsets for a group (AlterConsumerGroupOffsets). Per-partition results.
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult]

    /// Delete a group's committed offsets for these partitions (DeleteConsumerGroupOffsets, what
    /// `kafka-consumer-groups.sh --delete-offsets` does): they have no commit again. Per-partition results.
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult]

    /// Preferred leader election; nil means every partition.
    func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult]

    /// Produce with acks=all and idempotence. One report per record, in input order.
    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport]

    /// Raise a topic's partition count to `totalCount` (CreatePartitions, `kafka-topics.sh --alter --partitions`).
    func createPartitions(_ topic: String, totalCount: Int32, deadline: Deadline) async throws

    /// Delete a topic and its records (DeleteTopics).
    func deleteTopic(_ topic: String, deadline: Deadline) async throws

    /// Delete a consumer group and its committed offsets (DeleteGroups); Kafka refuses a group with members.
    func deleteGroup(_ group: String, deadline: Deadline) async throws
}

/// Makes read-only a property of the client: every mutation fails before it reaches the network.
public struct ReadOnlyClusterClient: ClusterClient {
    public let base: any ClusterClient

    public init(_ base: any ClusterClient) { self.base = base }

    public var displayName: String { base.displayName }

    public func metadata(deadline: Deadline) async throws -> ClusterMetadata {
        try await base.metadata(deadline: deadline)
    }
    public func metadata(deadline: Deadline, racks: Bool) async throws -> ClusterMetadata {
        try await base.metadata(deadline: deadline, racks: racks)
    }
    public func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        try await base.topicConfigs(topics, deadline: deadline)
    }
    public func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] {
        try await base.brokerConfigs(broker, deadline: deadline)
    }
    public func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] {
        try await base.describeAcls(filter, deadline: deadline)
    }
    public func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        try await base.listGroups(deadline: deadline)
    }
    public func listGroups(types: Set<GroupType>, deadline: Deadline) async throws -> [GroupListing] {
        try await base.listGroups(types: types, deadline: deadline)
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
    public func endOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try await base.endOffsets(partitions, deadline: deadline)
    }
    public func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] {
        try await base.offsetsForTimes(query, deadline: deadline)
    }
    public func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        try await base.readRecords(request, deadline: deadline)
    }
    public func recordTimestamps(_ offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Date] {
        try await base.recordTimestamps(offsets, deadline: deadline)
    }
    public func lastStableOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try await base.lastStableOffsets(partitions, deadline: deadline)
    }
    public func openTail(_ start: [TopicPartition: Int64], deadline: Deadline) async throws -> any RecordTail {
        try await base.openTail(start, deadline: deadline)
    }

    /// A validate-only creation (`topic create --dry-run`) changes nothing, so a read-only connection sends it.
    public func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        guard validateOnly else { throw ClusterError.readOnly("create topic \(topic.name)") }
        try await base.createTopic(topic, validateOnly: true, deadline: deadline)
    }
    public func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        throw ClusterError.readOnly("alter the configs of topic \(topic)")
    }
    public func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        throw ClusterError.readOnly("alter the offsets of group \(group)")
    }
    public func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        throw ClusterError.readOnly("delete the offsets of group \(group)")
    }
    public func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        throw ClusterError.readOnly("run a preferred leader election")
    }
    public func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        throw ClusterError.readOnly("produce \(records.count) record(s)")
    }
    public func createPartitions(_ topic: String, totalCount: Int32, deadline: Deadline) async throws {
        throw ClusterError.readOnly("add partitions to topic \(topic)")
    }
    public func deleteTopic(_ topic: String, deadline: Deadline) async throws {
        throw ClusterError.readOnly("delete topic \(topic)")
    }
    public func deleteGroup(_ group: String, deadline: Deadline) async throws {
        throw ClusterError.readOnly("delete group \(group)")
    }
}

extension ClusterClient {
    public func metadata(deadline: Deadline, racks: Bool) async throws -> ClusterMetadata {
        try await metadata(deadline: deadline)
    }

    public func listGroups(types: Set<GroupType>, deadline: Deadline) async throws -> [GroupListing] {
        let all = try await listGroups(deadline: deadline)
        return types.isEmpty ? all : all.filter { types.contains($0.type) }
    }

    public func endOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try await logOffsets(partitions, deadline: deadline).mapValues(\.end)
    }

    /// One bounded read per partition (clients without a batched reader); a failed read is unknown.
    public func recordTimestamps(_ offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Date] {
        var out: [TopicPartition: Date] = [:]
        for (tp, o) in offsets {
            let r = try? await readRecords(ReadRequest(topic: tp.topic, partition: tp.partition, start: .offset(o),
                                                       maxRecords: 1, maxBytes: 1), deadline: deadline)
            if let rec = r?.first, rec.offset >= o { out[tp] = Date(timeIntervalSince1970: Double(rec.timestamp) / 1000) }
        }
        return out
    }

    /// Unknown for clients that cannot tell.
    public func lastStableOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        [:]
    }

    /// Clients that were written before these calls (test fakes) refuse them with nothing sent; the
    /// librdkafka client, the demo cluster and the read-only wrapper implement them.
    public func createPartitions(_ topic: String, totalCount: Int32, deadline: Deadline) async throws {
        throw ClusterError(.unsupported, "this client cannot add partitions to topic \(topic); nothing was sent")
    }
    public func deleteTopic(_ topic: String, deadline: Deadline) async throws {
        throw ClusterError(.unsupported, "this client cannot delete topic \(topic); nothing was sent")
    }
    public func deleteGroup(_ group: String, deadline: Deadline) async throws {
        throw ClusterError(.unsupported, "this client cannot delete group \(group); nothing was sent")
    }

    /// Wraps the client so that mutations are refused when `readOnly` is true.
    public func readOnly(_ readOnly: Bool) -> any ClusterClient {
        readOnly ? ReadOnlyClusterClient(self) : self
    }
}
