import Foundation
import KafkaOpsCore
import CRdKafka

/// The everyday admin changes: more partitions for a topic, deleting a topic, deleting a group.
extension KafkaClusterClient {
    public func createPartitions(_ topic: String, totalCount: Int32, deadline: Deadline) async throws {
        let ctx = ctx("add partitions to topic \(topic)")
        try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, deadline: deadline, configure: { opts in
            var errstr = [CChar](repeating: 0, count: 256)
            _ = rd_kafka_AdminOptions_set_operation_timeout(opts, deadline.remainingMilliseconds, &errstr, errstr.count)
        }, start: { rk, opts, q in
            var errstr = [CChar](repeating: 0, count: 512)
            guard let np = rd_kafka_NewPartitions_new(topic, Int(totalCount), &errstr, errstr.count) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): \(errstr.cString)")
            }
            var arr: [OpaquePointer?] = [np]
            defer { rd_kafka_NewPartitions_destroy_array(&arr, 1) }
            rd_kafka_CreatePartitions(rk, &arr, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_CreatePartitions_result(ev) else { return }
            var n = 0
            guard let topics = rd_kafka_CreatePartitions_result_topics(r, &n) else { return }
            for i in 0..<n {
                guard let t = topics[i] else { continue }
                let code = rd_kafka_topic_result_error(t)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw RdErrorMap.map(code, rd_kafka_topic_result_error_string(t).string, ctx)
                }
            }
        })
    }

    public func deleteTopic(_ topic: String, deadline: Deadline) async throws {
        let ctx = ctx("delete topic \(topic)")
        try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_DELETETOPICS, deadline: deadline, configure: { opts in
            var errstr = [CChar](repeating: 0, count: 256)
            _ = rd_kafka_AdminOptions_set_operation_timeout(opts, deadline.remainingMilliseconds, &errstr, errstr.count)
        }, start: { rk, opts, q in
            guard let dt = rd_kafka_DeleteTopic_new(topic) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): librdkafka refused the request")
            }
            var arr: [OpaquePointer?] = [dt]
            defer { rd_kafka_DeleteTopic_destroy_array(&arr, 1) }
            rd_kafka_DeleteTopics(rk, &arr, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_DeleteTopics_result(ev) else { return }
            var n = 0
            guard let topics = rd_kafka_DeleteTopics_result_topics(r, &n) else { return }
            for i in 0..<n {
                guard let t = topics[i] else { continue }
                let code = rd_kafka_topic_result_error(t)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw RdErrorMap.map(code, rd_kafka_topic_result_error_string(t).string, ctx)
                }
            }
        })
    }

    public func deleteGroup(_ group: String, deadline: Deadline) async throws {
        let ctx = ctx("delete group \(group)")
        try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_DELETEGROUPS, deadline: deadline, start: { rk, opts, q in
            guard let dg = rd_kafka_DeleteGroup_new(group) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): librdkafka refused the request")
            }
            var arr: [OpaquePointer?] = [dg]
            defer { rd_kafka_DeleteGroup_destroy_array(&arr, 1) }
            rd_kafka_DeleteGroups(rk, &arr, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_DeleteGroups_result(ev) else { return }
            var n = 0
            guard let groups = rd_kafka_DeleteGroups_result_groups(r, &n) else { return }
            for i in 0..<n {
                guard let g = groups[i] else { continue }
                if let e = RdErrorMap.map(rd_kafka_group_result_error(g), ctx) { throw e }
            }
        })
    }
}
