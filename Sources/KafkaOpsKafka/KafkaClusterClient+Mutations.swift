import Foundation
import KafkaOpsCore
import CRdKafka

/// Changes to the cluster: topics, configs, group offsets, leader elections.
extension KafkaClusterClient {
    // MARK: mutations

    public func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        let ctx = ctx(validateOnly ? "validate topic \(topic.name)" : "create topic \(topic.name)")
        try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_CREATETOPICS, deadline: deadline, configure: { opts in
            var errstr = [CChar](repeating: 0, count: 256)
            if validateOnly, rd_kafka_AdminOptions_set_validate_only(opts, 1, &errstr, errstr.count) != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw ClusterError(.unsupported, "\(ctx.operation): validate-only is not available: \(errstr.cString)")
            }
            _ = rd_kafka_AdminOptions_set_operation_timeout(opts, deadline.remainingMilliseconds, &errstr, errstr.count)
        }, start: { rk, opts, q in
            var errstr = [CChar](repeating: 0, count: 512)
            guard let nt = rd_kafka_NewTopic_new(topic.name, topic.partitions, Int32(topic.replicationFactor),
                                                 &errstr, errstr.count) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): \(errstr.cString)",
                                   hint: "use at least one partition and a replication factor of at least 1")
            }
            var arr: [OpaquePointer?] = [nt]
            defer { rd_kafka_NewTopic_destroy_array(&arr, 1) }
            for (k, v) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let e = rd_kafka_NewTopic_set_config(nt, k, v)
                if e != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdErrorMap.map(e, "config \(k)", ctx) }
            }
            rd_kafka_CreateTopics(rk, &arr, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_CreateTopics_result(ev) else { return }
            var n = 0
            guard let topics = rd_kafka_CreateTopics_result_topics(r, &n) else { return }
            for i in 0..<n {
                guard let t = topics[i] else { continue }
                let code = rd_kafka_topic_result_error(t)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw RdErrorMap.map(code, rd_kafka_topic_result_error_string(t).string, ctx)
                }
            }
        })
    }

    public func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        if set.isEmpty && delete.isEmpty { return }
        let ctx = ctx("alter the configs of topic \(topic)")
        try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_INCREMENTALALTERCONFIGS, deadline: deadline,
                                start: { rk, opts, q in
            guard let res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): invalid topic name")
            }
            var arr: [OpaquePointer?] = [res]
            defer { rd_kafka_ConfigResource_destroy_array(&arr, 1) }
            let ops = set.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value), RD_KAFKA_ALTER_CONFIG_OP_TYPE_SET) }
                + delete.sorted().map { ($0, String?.none, RD_KAFKA_ALTER_CONFIG_OP_TYPE_DELETE) }
            for (name, value, op) in ops {
                if let e = rd_kafka_ConfigResource_add_incremental_config(res, name, op, value) {
                    let ce = RdErrorMap.map(rd_kafka_error_code(e), rd_kafka_error_string(e).string, ctx, subject: name)
                    rd_kafka_error_destroy(e)
                    throw ce
                }
            }
            rd_kafka_IncrementalAlterConfigs(rk, &arr, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_IncrementalAlterConfigs_result(ev) else { return }
            var n = 0
            guard let res = rd_kafka_IncrementalAlterConfigs_result_resources(r, &n) else { return }
            for i in 0..<n {
                guard let resource = res[i] else { continue }
                let code = rd_kafka_ConfigResource_error(resource)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw RdErrorMap.map(code, rd_kafka_ConfigResource_error_string(resource).string, ctx)
                }
            }
        })
    }

    public func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64],
                                  deadline: Deadline) async throws -> [PartitionResult] {
        if offsets.isEmpty { return [] }
        let ctx = ctx("alter the offsets of group \(group)")
        let sorted = offsets.sorted { $0.key < $1.key }
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, deadline: deadline,
                                       start: { rk, opts, q in
            let list = RdPartitionList(sorted.map { ($0.key, $0.value) })
            var req: [OpaquePointer?] = [rd_kafka_AlterConsumerGroupOffsets_new(group, list.list)]
            defer { rd_kafka_AlterConsumerGroupOffsets_destroy_array(&req, 1) }
            rd_kafka_AlterConsumerGroupOffsets(rk, &req, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_AlterConsumerGroupOffsets_result(ev) else { return [] }
            var n = 0
            guard let groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(r, &n), n > 0, let g = groups[0] else {
                return []
            }
            if let e = RdErrorMap.map(rd_kafka_group_result_error(g), ctx) { throw e }
            var byTP: [TopicPartition: ClusterError?] = [:]
            for e in RdPartitionList.entries(rd_kafka_group_result_partitions(g)) {
                byTP[e.tp] = e.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RdErrorMap.map(e.err, nil, ctx, subject: e.tp.description)
            }
            return sorted.map { tp, _ in
                PartitionResult(tp, error: byTP[tp] ?? ClusterError(.broker, "\(ctx.operation) (\(tp)): no result from the broker"))
            }
        })
    }

    public func deleteGroupOffsets(group: String, partitions: [TopicPartition],
                                   deadline: Deadline) async throws -> [PartitionResult] {
        if partitions.isEmpty { return [] }
        let ctx = ctx("delete the offsets of group \(group)")
        // librdkafka aborts the process (assertion eonce->refcnt, librdkafka issue #3663) when the broker does
        // not offer OffsetDelete: ask first, and refuse before anything is sent. Still so in 2.14.2 (its admin
        // worker does not drop the "coordinator response" eonce source when the request cannot be sent).
        guard try await supportsOffsetDelete(deadline: deadline) else {
            throw ClusterError(.unsupported, "\(ctx.operation): the cluster does not support deleting a group's committed offsets (OffsetDelete, Apache Kafka 2.4 or later)",
                               hint: "nothing was sent; a partition can be given an offset instead (topic,partition,OFFSET)")
        }
        let sorted = Array(Set(partitions)).sorted()
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, deadline: deadline,
                                       start: { rk, opts, q in
            let list = RdPartitionList(sorted.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
            var req: [OpaquePointer?] = [rd_kafka_DeleteConsumerGroupOffsets_new(group, list.list)]
            defer { rd_kafka_DeleteConsumerGroupOffsets_destroy_array(&req, 1) }
            rd_kafka_DeleteConsumerGroupOffsets(rk, &req, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_DeleteConsumerGroupOffsets_result(ev) else { return [] }
            var n = 0
            guard let groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(r, &n), n > 0, let g = groups[0] else {
                return []
            }
            if let e = RdErrorMap.map(rd_kafka_group_result_error(g), ctx) { throw e }
            var byTP: [TopicPartition: ClusterError?] = [:]
            for e in RdPartitionList.entries(rd_kafka_group_result_partitions(g)) {
                byTP[e.tp] = e.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RdErrorMap.map(e.err, nil, ctx, subject: e.tp.description)
            }
            return sorted.map { tp in
                PartitionResult(tp, error: byTP[tp] ?? ClusterError(.broker, "\(ctx.operation) (\(tp)): no result from the broker"))
            }
        })
    }

    public func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        if let partitions, partitions.isEmpty { return [] }
        let ctx = ctx("run a preferred leader election")
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_ELECTLEADERS, deadline: deadline,
                                       configure: { opts in
            var errstr = [CChar](repeating: 0, count: 256)
            _ = rd_kafka_AdminOptions_set_operation_timeout(opts, deadline.remainingMilliseconds, &errstr, errstr.count)
        }, start: { rk, opts, q in
            let list = partitions.map { RdPartitionList($0.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) }) }
            guard let req = rd_kafka_ElectLeaders_new(RD_KAFKA_ELECTION_TYPE_PREFERRED, list?.list) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): librdkafka refused the request")
            }
            defer { rd_kafka_ElectLeaders_destroy(req) }
            rd_kafka_ElectLeaders(rk, req, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_ElectLeaders_result(ev) else { return [] }
            var n = 0
            guard let results = rd_kafka_ElectLeaders_result_partitions(r, &n) else { return [] }
            var out: [PartitionResult] = []
            for i in 0..<n {
                guard let pr = results[i], let p = rd_kafka_topic_partition_result_partition(pr) else { continue }
                let tp = TopicPartition(p.pointee.topic.map { String(cString: $0) } ?? "", p.pointee.partition)
                var error: ClusterError?
                if let e = rd_kafka_topic_partition_result_error(pr) {
                    let code = rd_kafka_error_code(e)
                    // Already led by its preferred replica: nothing to do, not a failure.
                    if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_ELECTION_NOT_NEEDED {
                        error = RdErrorMap.map(code, rd_kafka_error_string(e).string, ctx, subject: tp.description)
                    }
                }
                out.append(PartitionResult(tp, error: error))
            }
            return out.sorted { $0.partition < $1.partition }
        })
    }
}
