import Foundation
import KafkaOpsCore
import CRdKafka

/// Consumer groups: list, describe, committed offsets.
extension KafkaClusterClient {
    // MARK: groups

    public func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        try await listGroups(types: [], deadline: deadline)
    }

    /// ListConsumerGroups (ListGroups v5 carries each group's type); `types` non-empty asks the broker
    /// for those types only (librdkafka's `match_consumer_group_types`, 2.6+) and keeps only those types
    /// of what comes back. A type librdkafka has no code for (streams, share) cannot be asked for: then
    /// the whole listing is asked for and filtered here.
    public func listGroups(types: Set<GroupType>, deadline: Deadline) async throws -> [GroupListing] {
        let ctx = ctx("list consumer groups")
        let codes = types.compactMap(Self.groupTypeCode)
        let askBroker = !types.isEmpty && codes.count == types.count
        let listing: [GroupListing] = try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, deadline: deadline,
                                       configure: { opts in
            guard askBroker else { return }
            let err = codes.withUnsafeBufferPointer { rd_kafka_AdminOptions_set_match_consumer_group_types(opts, $0.baseAddress, $0.count) }
            if let err {
                defer { rd_kafka_error_destroy(err) }
                throw RdErrorMap.map(rd_kafka_error_code(err), rd_kafka_error_string(err).string, ctx)
            }
        }, start: { rk, opts, q in rd_kafka_ListConsumerGroups(rk, opts, q) }, parse: { ev in
            guard let r = rd_kafka_event_ListConsumerGroups_result(ev) else { return [] }
            var n = 0
            var out: [GroupListing] = []
            if let valid = rd_kafka_ListConsumerGroups_result_valid(r, &n) {
                for i in 0..<n {
                    guard let g = valid[i] else { continue }
                    out.append(Self.groupListing(
                        id: rd_kafka_ConsumerGroupListing_group_id(g).string ?? "",
                        stateName: rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(g)).string,
                        typeName: rd_kafka_consumer_group_type_name(rd_kafka_ConsumerGroupListing_type(g)).string,
                        isSimple: rd_kafka_ConsumerGroupListing_is_simple_consumer_group(g) != 0))
                }
            }
            var ne = 0
            if out.isEmpty, let errors = rd_kafka_ListConsumerGroups_result_errors(r, &ne), ne > 0,
               let first = RdErrorMap.map(errors[0], ctx) {
                throw first
            }
            return out.sorted { $0.id < $1.id }
        })
        // Filtered here too: a broker may ignore the filter (tansu does), and streams/share cannot be asked for.
        return types.isEmpty ? listing : listing.filter { types.contains($0.type) }
    }

    // MARK: pure mappings from the values read out of librdkafka's result objects

    /// librdkafka's code for a group type, or nil for one it has none for (2.14.2 knows classic and consumer).
    static func groupTypeCode(_ type: GroupType) -> rd_kafka_consumer_group_type_t? {
        switch type {
        case .classic: return RD_KAFKA_CONSUMER_GROUP_TYPE_CLASSIC
        case .consumer: return RD_KAFKA_CONSUMER_GROUP_TYPE_CONSUMER
        case .streams, .share, .unknown: return nil
        }
    }

    static func groupState(_ s: rd_kafka_consumer_group_state_t) -> GroupState {
        groupState(named: rd_kafka_consumer_group_state_name(s).string)
    }

    /// The state librdkafka names ("Stable", ...); a name it does not have, or none, is Unknown.
    static func groupState(named name: String?) -> GroupState {
        GroupState(rawValue: name ?? "") ?? .unknown
    }

    /// A listing entry from librdkafka's names for its state and type ("Stable", "Consumer"; a state
    /// librdkafka cannot name, such as KIP-848's Assigning and Reconciling in 2.14.2, reads Unknown).
    static func groupListing(id: String, stateName: String?, typeName: String?, isSimple: Bool) -> GroupListing {
        GroupListing(id: id, state: groupState(named: stateName), isSimple: isSimple,
                     type: GroupType(reportedName: typeName))
    }

    /// What one member description holds, read out of librdkafka.
    struct MemberFacts: Sendable {
        var memberID: String?
        var clientID: String?
        var host: String?
        var groupInstanceID: String?
        var assignment: [TopicPartition]
        /// nil when librdkafka gives none (classic groups; DescribeGroups has no target assignment).
        var targetAssignment: [TopicPartition]?
    }

    /// What one group description holds, read out of librdkafka (ConsumerGroupDescribe for `consumer`
    /// groups, DescribeGroups for the rest: librdkafka 2.10+ picks by trying the first and falling back).
    struct DescriptionFacts: Sendable {
        var groupID: String
        var errorCode: rd_kafka_resp_err_t = RD_KAFKA_RESP_ERR_NO_ERROR
        var errorText: String?
        var stateName: String?
        var typeName: String?
        var isSimple: Bool
        var assignor: String?
        var coordinator: Int32?
        var members: [MemberFacts]
    }

    /// The group description from librdkafka's values. A group the coordinator does not know
    /// (GROUP_ID_NOT_FOUND) is Dead; another error is Unknown with the error. librdkafka 2.14.2 reads
    /// KIP-848's Assigning/Reconciling as Unknown (its state enum has no code for them), so the listing's
    /// state is shown for those (`GroupReconciliation`); it does not expose the group epoch.
    static func groupDescription(_ f: DescriptionFacts, _ ctx: ErrorContext) -> GroupDescription {
        let type = GroupType(reportedName: f.typeName)
        if f.errorCode != RD_KAFKA_RESP_ERR_NO_ERROR {
            if f.errorCode == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND {
                return GroupDescription(id: f.groupID, state: .dead, protocolType: "", type: type)
            }
            let ce = RdErrorMap.map(f.errorCode, f.errorText, ctx, subject: f.groupID)
            return GroupDescription(id: f.groupID, state: .unknown, protocolType: "", error: ce.description, type: type)
        }
        let members = f.members.map { m in
            GroupMember(memberID: m.memberID ?? "", clientID: m.clientID ?? "", host: m.host ?? "",
                        groupInstanceID: m.groupInstanceID, assignment: m.assignment.sorted(),
                        targetAssignment: type == .consumer ? m.targetAssignment?.sorted() : nil)
        }
        return GroupDescription(id: f.groupID, state: groupState(named: f.stateName),
                                protocolType: f.isSimple ? "" : "consumer", assignor: f.assignor ?? "",
                                coordinator: f.coordinator, members: members, type: type)
    }

    /// Reads one librdkafka group description into `DescriptionFacts`.
    static func descriptionFacts(_ d: OpaquePointer) -> DescriptionFacts {
        var f = DescriptionFacts(groupID: rd_kafka_ConsumerGroupDescription_group_id(d).string ?? "",
                                 typeName: rd_kafka_consumer_group_type_name(rd_kafka_ConsumerGroupDescription_type(d)).string,
                                 isSimple: rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d) != 0,
                                 members: [])
        if let e = rd_kafka_ConsumerGroupDescription_error(d), rd_kafka_error_code(e) != RD_KAFKA_RESP_ERR_NO_ERROR {
            f.errorCode = rd_kafka_error_code(e)
            f.errorText = rd_kafka_error_string(e).string
            return f
        }
        f.stateName = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d)).string
        f.assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(d).string
        f.coordinator = rd_kafka_ConsumerGroupDescription_coordinator(d).map { Int32(rd_kafka_Node_id($0)) }
        for m in 0..<rd_kafka_ConsumerGroupDescription_member_count(d) {
            guard let md = rd_kafka_ConsumerGroupDescription_member(d, m) else { continue }
            let assignment = rd_kafka_MemberDescription_assignment(md)
                .map { RdPartitionList.entries(rd_kafka_MemberAssignment_partitions($0)).map(\.tp) } ?? []
            let target = rd_kafka_MemberDescription_target_assignment(md)
                .map { RdPartitionList.entries(rd_kafka_MemberAssignment_partitions($0)).map(\.tp) }
            f.members.append(MemberFacts(memberID: rd_kafka_MemberDescription_consumer_id(md).string,
                                         clientID: rd_kafka_MemberDescription_client_id(md).string,
                                         host: rd_kafka_MemberDescription_host(md).string,
                                         groupInstanceID: rd_kafka_MemberDescription_group_instance_id(md).string,
                                         assignment: assignment, targetAssignment: target))
        }
        return f
    }

    public func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        if groups.isEmpty { return [] }
        let ctx = ctx("describe consumer groups")
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, deadline: deadline,
                                       start: { rk, opts, q in
            var cstrs = groups.map { strdup($0) }
            defer { cstrs.forEach { free($0) } }
            try cstrs.withUnsafeMutableBufferPointer { buf in
                try buf.withMemoryRebound(to: UnsafePointer<CChar>?.self) { p in
                    guard let base = p.baseAddress else { throw ClusterError(.invalidRequest, "no groups") }
                    rd_kafka_DescribeConsumerGroups(rk, base, p.count, opts, q)
                }
            }
        }, parse: { ev in
            guard let r = rd_kafka_event_DescribeConsumerGroups_result(ev) else { return [] }
            var n = 0
            guard let descs = rd_kafka_DescribeConsumerGroups_result_groups(r, &n) else { return [] }
            return (0..<n).compactMap { i in descs[i].map { Self.groupDescription(Self.descriptionFacts($0), ctx) } }
        })
    }

    public func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        let ctx = ctx("read the committed offsets of group \(group)")
        do {
            return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, deadline: deadline,
                                           start: { rk, opts, q in
                // One group per request (librdkafka's rule); callers issue groups concurrently.
                var req: [OpaquePointer?] = [rd_kafka_ListConsumerGroupOffsets_new(group, nil)]
                defer { rd_kafka_ListConsumerGroupOffsets_destroy_array(&req, 1) }
                rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, opts, q)
            }, parse: { ev in
                guard let r = rd_kafka_event_ListConsumerGroupOffsets_result(ev) else { return [:] }
                var n = 0
                guard let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(r, &n), n > 0, let g = groups[0] else { return [:] }
                if let e = RdErrorMap.map(rd_kafka_group_result_error(g), ctx) { throw e }
                var out: [TopicPartition: Int64] = [:]
                for e in RdPartitionList.entries(rd_kafka_group_result_partitions(g))
                where e.err == RD_KAFKA_RESP_ERR_NO_ERROR && e.offset >= 0 {
                    out[e.tp] = e.offset
                }
                return out
            })
        } catch let e as ClusterError where e.kind == .unknownGroup {
            return [:]
        }
    }
}
