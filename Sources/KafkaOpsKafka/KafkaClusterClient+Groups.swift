import Foundation
import KafkaOpsCore
import CRdKafka

/// Consumer groups: list, describe, committed offsets.
extension KafkaClusterClient {
    // MARK: groups

    public func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        let ctx = ctx("list consumer groups")
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, deadline: deadline,
                                       start: { rk, opts, q in rd_kafka_ListConsumerGroups(rk, opts, q) },
                                       parse: { ev in
            guard let r = rd_kafka_event_ListConsumerGroups_result(ev) else { return [] }
            var n = 0
            var out: [GroupListing] = []
            if let valid = rd_kafka_ListConsumerGroups_result_valid(r, &n) {
                for i in 0..<n {
                    guard let g = valid[i] else { continue }
                    out.append(GroupListing(id: rd_kafka_ConsumerGroupListing_group_id(g).string ?? "",
                                            state: Self.groupState(rd_kafka_ConsumerGroupListing_state(g)),
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
    }

    static func groupState(_ s: rd_kafka_consumer_group_state_t) -> GroupState {
        GroupState(rawValue: rd_kafka_consumer_group_state_name(s).string ?? "") ?? .unknown
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
            var out: [GroupDescription] = []
            for i in 0..<n {
                guard let d = descs[i] else { continue }
                let id = rd_kafka_ConsumerGroupDescription_group_id(d).string ?? ""
                if let e = rd_kafka_ConsumerGroupDescription_error(d), rd_kafka_error_code(e) != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let code = rd_kafka_error_code(e)
                    if code == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND {
                        out.append(GroupDescription(id: id, state: .dead))
                    } else {
                        let ce = RdErrorMap.map(code, rd_kafka_error_string(e).string, ctx, subject: id)
                        out.append(GroupDescription(id: id, state: .unknown, error: ce.description))
                    }
                    continue
                }
                var members: [GroupMember] = []
                for m in 0..<rd_kafka_ConsumerGroupDescription_member_count(d) {
                    guard let md = rd_kafka_ConsumerGroupDescription_member(d, m) else { continue }
                    var assignment: [TopicPartition] = []
                    if let a = rd_kafka_MemberDescription_assignment(md) {
                        assignment = RdPartitionList.entries(rd_kafka_MemberAssignment_partitions(a)).map(\.tp).sorted()
                    }
                    members.append(GroupMember(memberID: rd_kafka_MemberDescription_consumer_id(md).string ?? "",
                                               clientID: rd_kafka_MemberDescription_client_id(md).string ?? "",
                                               host: rd_kafka_MemberDescription_host(md).string ?? "",
                                               groupInstanceID: rd_kafka_MemberDescription_group_instance_id(md).string,
                                               assignment: assignment))
                }
                let coordinator = rd_kafka_ConsumerGroupDescription_coordinator(d).map { Int32(rd_kafka_Node_id($0)) }
                let simple = rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d) != 0
                out.append(GroupDescription(id: id, state: Self.groupState(rd_kafka_ConsumerGroupDescription_state(d)),
                                            protocolType: simple ? "" : "consumer",
                                            assignor: rd_kafka_ConsumerGroupDescription_partition_assignor(d).string ?? "",
                                            coordinator: coordinator, members: members))
            }
            return out
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
