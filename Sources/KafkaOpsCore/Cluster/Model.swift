import Foundation

public struct Broker: Hashable, Sendable, Codable {
    public var id: Int32
    public var host: String
    public var port: Int32
    public var rack: String?
    /// The broker's TLS certificate, when the connection is TLS and it was verified.
    public var certificate: CertificateFacts?

    public init(id: Int32, host: String, port: Int32, rack: String? = nil, certificate: CertificateFacts? = nil) {
        self.id = id; self.host = host; self.port = port; self.rack = rack; self.certificate = certificate
    }
}

public struct PartitionInfo: Hashable, Sendable, Codable {
    public var id: Int32
    /// nil when the partition has no leader (Kafka's leader -1).
    public var leader: Int32?
    /// The assigned replicas, preferred leader first.
    public var replicas: [Int32]
    public var isr: [Int32]
    /// Replicas the broker reports as offline (KIP-112), when it reports them.
    public var offlineReplicas: [Int32]
    /// A per-partition error from the metadata response (e.g. LEADER_NOT_AVAILABLE).
    public var error: String?

    public init(id: Int32, leader: Int32?, replicas: [Int32], isr: [Int32],
                offlineReplicas: [Int32] = [], error: String? = nil) {
        self.id = id; self.leader = leader; self.replicas = replicas; self.isr = isr
        self.offlineReplicas = offlineReplicas; self.error = error
    }
}

public struct TopicInfo: Hashable, Sendable, Codable {
    public var name: String
    public var isInternal: Bool
    public var partitions: [PartitionInfo]
    public var error: String?

    public init(name: String, isInternal: Bool = false, partitions: [PartitionInfo], error: String? = nil) {
        self.name = name; self.isInternal = isInternal; self.partitions = partitions; self.error = error
    }

    /// Kafka treats topics starting with "__" (e.g. __consumer_offsets) as internal.
    public static func looksInternal(_ name: String) -> Bool { name.hasPrefix("__") }
}

/// Brokers, controller and topics: what one metadata request tells.
public struct ClusterMetadata: Hashable, Sendable, Codable {
    public var clusterID: String?
    public var controllerID: Int32?
    public var brokers: [Broker]
    public var topics: [TopicInfo]

    public init(clusterID: String?, controllerID: Int32?, brokers: [Broker], topics: [TopicInfo]) {
        self.clusterID = clusterID; self.controllerID = controllerID; self.brokers = brokers; self.topics = topics
    }

    public var liveBrokerIDs: Set<Int32> { Set(brokers.map(\.id)) }
}

/// Where a config value comes from, in Kafka's DescribeConfigs terms.
public enum ConfigSource: String, Hashable, Sendable, Codable, CaseIterable {
    case topic = "DYNAMIC_TOPIC_CONFIG"
    case dynamicBroker = "DYNAMIC_BROKER_CONFIG"
    case dynamicDefaultBroker = "DYNAMIC_DEFAULT_BROKER_CONFIG"
    case staticBroker = "STATIC_BROKER_CONFIG"
    case defaultConfig = "DEFAULT_CONFIG"
    case unknown = "UNKNOWN"

    /// The three-way summary operators reason with: topic override, broker setting, Kafka default.
    public var summary: String {
        switch self {
        case .topic: return "topic"
        case .dynamicBroker, .dynamicDefaultBroker, .staticBroker: return "broker"
        case .defaultConfig: return "default"
        case .unknown: return "unknown"
        }
    }
}

public struct ConfigEntry: Hashable, Sendable, Codable {
    public var name: String
    /// nil for sensitive values (never returned by the broker) and for unset ones.
    public var value: String?
    public var source: ConfigSource
    public var isSensitive: Bool
    public var isReadOnly: Bool

    public init(name: String, value: String?, source: ConfigSource, isSensitive: Bool = false, isReadOnly: Bool = false) {
        self.name = name; self.value = value; self.source = source
        self.isSensitive = isSensitive; self.isReadOnly = isReadOnly
    }
}

/// Classic and KIP-848 consumer group states, named as Kafka names them.
public enum GroupState: String, Hashable, Sendable, Codable, CaseIterable {
    case stable = "Stable"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case empty = "Empty"
    case dead = "Dead"
    case assigning = "Assigning"
    case reconciling = "Reconciling"
    case unknown = "Unknown"

    /// Kafka resets offsets only for inactive groups.
    public var isInactive: Bool { self == .empty || self == .dead }

    /// This state, or the listing's when DescribeGroups said Unknown (tansu does while a consumer
    /// is subscribed) and the listing knows better.
    public func orListed(_ listed: GroupState?) -> GroupState {
        self == .unknown ? (listed ?? self) : self
    }

    /// The state of one group from what the broker said about it, or nil when the group does not
    /// exist (not listed, nothing committed, no members) or neither describe nor list named it.
    /// The two answers are reconciled by `GroupReconciliation`.
    public static func of(_ id: String, description: GroupDescription?, listing: [GroupListing],
                          committed: [TopicPartition: Int64]) -> GroupState? {
        GroupReconciliation.reconcile(id, listing: listing, description: description, committed: committed)?.state
    }
}

/// The kind of group, as the broker reports it in ListGroups (v5+) or as the description that
/// answered says (ConsumerGroupDescribe: `consumer`; DescribeGroups: `classic`); never guessed.
public enum GroupType: String, Hashable, Sendable, Codable, CaseIterable {
    /// The classic rebalance protocol (JoinGroup/SyncGroup), and groups that only commit offsets.
    case classic
    /// KIP-848's consumer rebalance protocol (the default for consumers on Kafka 4.x brokers).
    case consumer
    /// KIP-1071's Kafka Streams groups.
    case streams
    /// KIP-932's share groups (queues): librdkafka has no admin API for them.
    case share
    /// The broker or the client did not say (a broker before ListGroups v5, or a type librdkafka cannot name).
    case unknown

    /// From a reported name ("Classic", "consumer", ...; case does not matter); any other name is unknown.
    public init(reportedName: String?) {
        self = GroupType(rawValue: (reportedName ?? "").lowercased()) ?? .unknown
    }

    /// Whether kafkaops can describe a group of this type (members, assignments, state): classic
    /// through DescribeGroups, consumer through ConsumerGroupDescribe. Changes to any other are refused.
    public var isDescribable: Bool { self == .classic || self == .consumer }
}

public struct GroupListing: Hashable, Sendable, Codable {
    public var id: String
    public var state: GroupState
    /// A simple group (offsets only, no membership protocol).
    public var isSimple: Bool
    public var type: GroupType

    public init(id: String, state: GroupState, isSimple: Bool = false, type: GroupType = .unknown) {
        self.id = id; self.state = state; self.isSimple = isSimple; self.type = type
    }
}

public struct GroupMember: Hashable, Sendable, Codable {
    public var memberID: String
    public var clientID: String
    public var host: String
    public var groupInstanceID: String?
    public var assignment: [TopicPartition]
    /// The partitions the coordinator wants this member to own (KIP-848 `consumer` groups, while it
    /// reconciles); nil where the protocol has none (classic groups).
    public var targetAssignment: [TopicPartition]?

    public init(memberID: String, clientID: String, host: String, groupInstanceID: String? = nil,
                assignment: [TopicPartition], targetAssignment: [TopicPartition]? = nil) {
        self.memberID = memberID; self.clientID = clientID; self.host = host
        self.groupInstanceID = groupInstanceID; self.assignment = assignment; self.targetAssignment = targetAssignment
    }

    /// Still moving to its target assignment (a `consumer` group member reconciling).
    public var isReconciling: Bool { targetAssignment.map { Set($0) != Set(assignment) } ?? false }
}

public struct GroupDescription: Hashable, Sendable, Codable {
    public var id: String
    public var state: GroupState
    public var protocolType: String
    /// The partition assignor ("range", "cooperative-sticky", ...), when the group has members.
    public var assignor: String
    public var coordinator: Int32?
    public var members: [GroupMember]
    public var error: String?
    public var type: GroupType
    /// The group epoch (KIP-848 `consumer` groups), when the client reports it.
    public var groupEpoch: Int32?
    /// The other answer's state when the listing and the description disagree (`state` is the
    /// listing's then); nil when they agree. Set by `GroupReconciliation`.
    public var disagreeingState: GroupState?
    /// What could not be described, or how the two answers disagreed (set by `GroupReconciliation`).
    public var note: String?

    public init(id: String, state: GroupState, protocolType: String = "consumer", assignor: String = "",
                coordinator: Int32? = nil, members: [GroupMember] = [], error: String? = nil,
                type: GroupType = .classic, groupEpoch: Int32? = nil) {
        self.id = id; self.state = state; self.protocolType = protocolType; self.assignor = assignor
        self.coordinator = coordinator; self.members = members; self.error = error
        self.type = type; self.groupEpoch = groupEpoch
    }

    public func member(for tp: TopicPartition) -> GroupMember? {
        members.first { $0.assignment.contains(tp) }
    }

    /// Inactive as Kafka means it (reset allowed, trend "stopped" rather than "stalled"): no members,
    /// and every answer that named a state said Empty or Dead. A group the two answers disagree on is active.
    public var isInactive: Bool {
        members.isEmpty && state.isInactive && (disagreeingState?.isInactive ?? true)
    }

    /// Active: not `isInactive` (members, a live state, or answers that disagree).
    public var isActive: Bool { !isInactive }
}

/// The log start (earliest) and log end (high watermark) offsets of one partition.
public struct LogOffsets: Hashable, Sendable, Codable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) { self.start = start; self.end = end }

    public var count: Int64 { max(0, end - start) }
}

public struct NewTopic: Hashable, Sendable, Codable {
    public var name: String
    public var partitions: Int32
    public var replicationFactor: Int16
    public var configs: [String: String]

    public init(name: String, partitions: Int32, replicationFactor: Int16, configs: [String: String] = [:]) {
        self.name = name; self.partitions = partitions; self.replicationFactor = replicationFactor; self.configs = configs
    }
}

public struct RecordHeader: Hashable, Sendable, Codable {
    public var key: String
    /// nil is a header with a null value, which Kafka allows.
    public var value: [UInt8]?

    public init(_ key: String, _ value: [UInt8]?) { self.key = key; self.value = value }
    public init(_ key: String, string: String) { self.key = key; self.value = Array(string.utf8) }
}

public enum TimestampType: String, Hashable, Sendable, Codable {
    case createTime = "CreateTime"
    case logAppendTime = "LogAppendTime"
    case none = "NoTimestamp"
}

/// A record read from a partition.
public struct Record: Hashable, Sendable, Codable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    public var timestampType: TimestampType
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64,
                timestampType: TimestampType = .createTime, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        self.topic = topic; self.partition = partition; self.offset = offset; self.timestamp = timestamp
        self.timestampType = timestampType; self.key = key; self.value = value; self.headers = headers
    }

    public var sizeInBytes: Int {
        (key?.count ?? 0) + (value?.count ?? 0) + headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) }
    }
}

/// Where a read starts.
public enum ReadStart: Hashable, Sendable, Codable {
    case offset(Int64)
    /// The first record whose timestamp is >= this time (ms since the epoch).
    case timestamp(Int64)
    /// The last N records before the log end.
    case lastN(Int64)
    case earliest
}

/// A bounded read of one partition: no group is joined and nothing is committed.
public struct ReadRequest: Hashable, Sendable, Codable {
    public var topic: String
    public var partition: Int32
    public var start: ReadStart
    /// Stop before this offset (exclusive); nil means the log end as seen when the read starts.
    public var endOffset: Int64?
    public var maxRecords: Int
    public var maxBytes: Int

    public init(topic: String, partition: Int32, start: ReadStart, endOffset: Int64? = nil,
                maxRecords: Int = 100, maxBytes: Int = 16 << 20) {
        self.topic = topic; self.partition = partition; self.start = start; self.endOffset = endOffset
        self.maxRecords = maxRecords; self.maxBytes = maxBytes
    }
}

/// A record to produce.
public struct OutgoingRecord: Hashable, Sendable, Codable {
    public var topic: String
    /// nil lets the producer's partitioner choose from the key.
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// ms since the epoch; nil lets the producer stamp it.
    public var timestamp: Int64?

    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
                headers: [RecordHeader] = [], timestamp: Int64? = nil) {
        self.topic = topic; self.partition = partition; self.key = key; self.value = value
        self.headers = headers; self.timestamp = timestamp
    }
}

/// The outcome of one produced record, from its delivery report.
public struct DeliveryReport: Hashable, Sendable {
    /// Index into the records passed to `produce`.
    public var index: Int
    public var result: Result<TopicPartitionOffset, ClusterError>
    /// A failure whose outcome is unknown: the record was sent but no answer said whether it was written
    /// (a timeout after sending). It may be in the topic; it must be looked for before it is sent again.
    public var outcomeUnknown: Bool
    /// When the answer arrived (the delivery report), when the client knows; the probe's
    /// acknowledgement latency.
    public var answeredAt: Date?

    public init(index: Int, result: Result<TopicPartitionOffset, ClusterError>, outcomeUnknown: Bool = false,
                answeredAt: Date? = nil) {
        self.index = index; self.result = result; self.answeredAt = answeredAt
        if case .failure = result { self.outcomeUnknown = outcomeUnknown } else { self.outcomeUnknown = false }
    }
}

public struct TopicPartitionOffset: Hashable, Sendable, Codable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic; self.partition = partition; self.offset = offset
    }
}

/// A per-partition outcome of a batched mutation (alter offsets, leader election).
public struct PartitionResult: Hashable, Sendable {
    public var partition: TopicPartition
    public var error: ClusterError?
    public init(_ partition: TopicPartition, error: ClusterError? = nil) {
        self.partition = partition; self.error = error
    }
}
