import Foundation
import KafkaOpsCore

// The JSON that `--output json` prints. Keys are snake_case and stable; fields are only added,
// never renamed or removed, so scripts can rely on them (documented in the README).

struct BrokersJSON: Encodable {
    struct Broker: Encodable {
        let id: Int32
        let host: String
        let port: Int32
        @NullEncoded var rack: String?
        let is_controller: Bool
        /// The certificate the broker presented over TLS (null without TLS or verification).
        @NullEncoded var certificate: Certificate?
    }
    struct Certificate: Encodable {
        let subject: String
        let issuer: String
        let subject_alt_names: String
        let not_after: String
        let days_left: Int
        let expires_soon: Bool
    }
    /// A broker the partitions name as a replica but the metadata does not list: down.
    struct Down: Encodable {
        let id: Int32
        let replica_of_partitions: Int
    }
    @NullEncoded var cluster_id: String?
    @NullEncoded var controller_id: Int32?
    let brokers: [Broker]
    let down_brokers: [Down]
    let warnings: [String]

    init(_ md: ClusterMetadata, now: Date = Date()) {
        cluster_id = md.clusterID
        controller_id = md.controllerID
        brokers = md.brokers.sorted { $0.id < $1.id }.map { b in
            Broker(id: b.id, host: b.host, port: b.port, rack: b.rack, is_controller: b.id == md.controllerID,
                   certificate: b.certificate.map {
                       Certificate(subject: $0.subject, issuer: $0.issuer, subject_alt_names: $0.altNames,
                                   not_after: ISO8601.string($0.notAfter), days_left: $0.daysLeft(now: now),
                                   expires_soon: $0.expiryWarning(broker: "", now: now) != nil)
                   })
        }
        down_brokers = BrokerRoster.down(md).map { Down(id: $0.id, replica_of_partitions: $0.replicas) }
        warnings = Self.certificateWarnings(md, now: now)
    }

    /// One warning per broker whose certificate expires within `CertificateFacts.warningDays`.
    static func certificateWarnings(_ md: ClusterMetadata, now: Date = Date()) -> [String] {
        md.brokers.sorted { $0.id < $1.id }.compactMap { b in b.certificate?.expiryWarning(broker: "broker \(b.id)", now: now) }
    }
}

struct TopicJSON: Encodable {
    let name: String
    let `internal`: Bool
    let partitions: Int
    let replication_factor: Int
    @NullEncoded var min_insync_replicas: Int?
    @NullEncoded var min_insync_replicas_source: String?
    let health: String
    let under_replicated_partitions: Int
    @NullEncoded var under_min_isr_partitions: Int?
    @NullEncoded var at_min_isr_partitions: Int?
    let offline_partitions: Int
    let leader_not_preferred_partitions: Int
    @NullEncoded var end_offset_sum: Int64?
    @NullEncoded var total_lag: Int64?
    let consumer_groups: [String]

    init(_ t: TopicSummary) {
        name = t.name; `internal` = t.isInternal; partitions = t.partitions
        replication_factor = t.replicationFactor; min_insync_replicas = t.minISR
        min_insync_replicas_source = t.minISRSource?.summary
        // Min ISR unknown: the states that compare the ISR with it are unknown too, not 0.
        health = t.healthLevel?.name ?? "unknown"
        under_replicated_partitions = t.health.underReplicated
        under_min_isr_partitions = t.minISR == nil ? nil : t.health.underMinISR
        at_min_isr_partitions = t.minISR == nil ? nil : t.health.atMinISR
        offline_partitions = t.health.offline
        leader_not_preferred_partitions = t.health.leaderNotPreferred
        end_offset_sum = t.endOffsetSum; total_lag = t.totalLag; consumer_groups = t.consumerGroups
    }
}

struct TopicsJSON: Encodable {
    @NullEncoded var cluster_id: String?
    let topics: [TopicJSON]
    let warnings: [String]
}

struct PartitionJSON: Encodable {
    let partition: Int32
    @NullEncoded var leader: Int32?
    let replicas: [Int32]
    let isr: [Int32]
    let out_of_sync_replicas: [Int32]
    let offline_replicas: [Int32]
    @NullEncoded var preferred_leader: Int32?
    let leader_is_preferred: Bool
    @NullEncoded var log_start_offset: Int64?
    @NullEncoded var log_end_offset: Int64?
    let health: [String]
    @NullEncoded var error: String?
}

struct ConfigJSON: Encodable {
    let name: String
    @NullEncoded var value: String?
    let source: String
    let source_detail: String
    let sensitive: Bool
    let read_only: Bool
}

struct TopicGroupJSON: Encodable {
    let group: String
    let state: String
    @NullEncoded var lag: Int64?
    let partitions_without_commit: Int
    let partitions_with_data_loss: Int
}

struct TopicDescribeJSON: Encodable {
    let name: String
    let `internal`: Bool
    let replication_factor: Int
    @NullEncoded var min_insync_replicas: Int?
    let health: String
    let partitions: [PartitionJSON]
    let configs: [ConfigJSON]
    let consumer_groups: [TopicGroupJSON]
    let warnings: [String]
}

struct WorstPartitionJSON: Encodable {
    let topic: String
    let partition: Int32
    @NullEncoded var lag: Int64?

    init?(_ p: PartitionLag?) {
        guard let p else { return nil }
        topic = p.partition.topic; partition = p.partition.partition; lag = p.lag
    }
}

struct GroupSummaryJSON: Encodable {
    let group: String
    /// classic, consumer, streams, share or unknown (`GroupType`).
    let type: String
    let state: String
    /// What could not be described, or how the listing and the description disagreed.
    @NullEncoded var note: String?
    let members: Int
    let topics: [String]
    let partitions: Int
    /// null when the lag of a committed partition cannot be known (`lag_unknown_reason` says why): never 0.
    @NullEncoded var total_lag: Int64?
    @NullEncoded var worst_partition: WorstPartitionJSON?
    let partitions_without_commit: Int
    let partitions_with_data_loss: Int
    /// null when a committed partition's log offsets are unknown.
    @NullEncoded var records_lost: Int64?
    let partitions_with_unknown_lag: Int
    /// The first partition whose lag cannot be known and why (`orders-0: committed 120 is past the log end 100`).
    @NullEncoded var lag_unknown_reason: String?
    // Issue 11 (lag over time): the group's worst partition's trend, time lag and data-loss time.
    var trend = LagTrend.unknown.word
    @NullEncoded var max_time_lag_ms: Int64? = nil
    @NullEncoded var min_data_loss_in_ms: Int64? = nil
    var assign_committer = false
    /// "error" (retention may delete unread records within the hour, before the group catches up),
    /// "warning" (within a day) or null: the audit's group-data-loss-risk.
    @NullEncoded var data_loss_risk: String? = nil

    init(_ g: GroupLag, description: GroupDescription?) {
        group = g.group
        type = (description?.type ?? .unknown).rawValue
        state = description?.state.rawValue ?? GroupState.unknown.rawValue
        note = description?.note
        members = description?.members.count ?? 0
        topics = g.topics; partitions = g.partitions.count
        // Share groups commit no offsets kafkaops can read: their lag is unknown, never 0.
        let lagUnreadable = GroupReconciliation.lagUnknown(description?.type ?? .unknown)
        total_lag = lagUnreadable ? nil : g.totalLag
        worst_partition = WorstPartitionJSON(g.worst)
        partitions_without_commit = g.partitionsWithoutCommit
        partitions_with_data_loss = g.partitionsWithDataLoss
        records_lost = g.recordsLost
        partitions_with_unknown_lag = g.partitionsWithUnknownLag
        lag_unknown_reason = lagUnreadable ? "a share group: librdkafka has no share-group admin API to read its lag" : g.lagUnknownReason
    }
}

struct GroupsJSON: Encodable {
    let groups: [GroupSummaryJSON]
    let warnings: [String]
}

struct MemberJSON: Encodable {
    struct TP: Encodable { let topic: String; let partition: Int32 }
    let member_id: String
    let client_id: String
    let host: String
    @NullEncoded var group_instance_id: String?
    let assignment: [TP]
    /// KIP-848 `consumer` groups: the partitions the coordinator wants the member to own; null for classic groups.
    @NullEncoded var target_assignment: [TP]?

    init(_ m: GroupMember) {
        member_id = m.memberID; client_id = m.clientID; host = m.host; group_instance_id = m.groupInstanceID
        assignment = m.assignment.sorted().map { TP(topic: $0.topic, partition: $0.partition) }
        target_assignment = m.targetAssignment?.sorted().map { TP(topic: $0.topic, partition: $0.partition) }
    }
}

struct GroupPartitionJSON: Encodable {
    let topic: String
    let partition: Int32
    @NullEncoded var current_offset: Int64?
    @NullEncoded var log_start_offset: Int64?
    @NullEncoded var log_end_offset: Int64?
    @NullEncoded var lag: Int64?
    /// Why `lag` is null although the group committed (past the log end, log offsets unreadable).
    @NullEncoded var lag_unknown_reason: String?
    let status: String
    @NullEncoded var records_lost: Int64?
    @NullEncoded var consumer_id: String?
    @NullEncoded var host: String?
    @NullEncoded var client_id: String?
    // Issue 11 (lag over time).
    @NullEncoded var time_lag_ms: Int64? = nil
    var trend = LagTrend.unknown.word
    @NullEncoded var consume_rate: Double? = nil
    @NullEncoded var produce_rate: Double? = nil
    @NullEncoded var eta_ms: Int64? = nil
    @NullEncoded var data_loss_in_ms: Int64? = nil
    @NullEncoded var last_stable_offset: Int64? = nil
    var open_transaction_holds_back = false

    init(_ p: PartitionLag, member: GroupMember?) {
        topic = p.partition.topic; partition = p.partition.partition
        current_offset = p.committed; log_start_offset = p.logStart; log_end_offset = p.logEnd
        lag = p.lag; lag_unknown_reason = p.lagUnknownReason; status = p.status.rawValue; records_lost = p.recordsLost
        consumer_id = member?.memberID; host = member?.host; client_id = member?.clientID
    }
}

struct GroupDescribeJSON: Encodable {
    let group: String
    let type: String
    let state: String
    @NullEncoded var note: String?
    @NullEncoded var group_epoch: Int32?
    let protocol_type: String
    let assignor: String
    @NullEncoded var coordinator: Int32?
    let members: [MemberJSON]
    let partitions: [GroupPartitionJSON]
    @NullEncoded var total_lag: Int64?
    @NullEncoded var worst_partition: WorstPartitionJSON?
    let partitions_without_commit: Int
    let partitions_with_data_loss: Int
    @NullEncoded var records_lost: Int64?
    let partitions_with_unknown_lag: Int
    @NullEncoded var lag_unknown_reason: String?
    // Issue 11 (lag over time).
    var trend = LagTrend.unknown.word
    @NullEncoded var max_time_lag_ms: Int64? = nil
    @NullEncoded var min_data_loss_in_ms: Int64? = nil
    let offsets_retention_ms: Int64
    /// "broker" (read with DescribeConfigs) or "default" (Kafka's default: the broker config could not be read).
    let offsets_retention_source: String
    let assign_committer: Bool
    let warnings: [String]
}

/// JSON output with explicit nulls: an unknown value prints as `null` instead of its key being
/// left out (Swift's synthesized encoding skips nil optionals), so every documented key is always there.
@propertyWrapper
struct NullEncoded<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = wrappedValue { try c.encode(v) } else { try c.encodeNil() }
    }
}
