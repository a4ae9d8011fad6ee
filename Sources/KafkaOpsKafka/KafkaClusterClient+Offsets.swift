import Foundation
import KafkaOpsCore
import CRdKafka

/// Log offsets (ListOffsets), batched per leader.
extension KafkaClusterClient {
    // MARK: offsets

    public func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        let tps = Array(Set(partitions))
        if tps.isEmpty { return [:] }
        // Earliest and latest cannot share one ListOffsets call (no duplicate partitions), so two
        // concurrent calls; librdkafka batches each per leader.
        async let startsR = listOffsets(tps.map { ($0, Int64(RD_KAFKA_OFFSET_SPEC_EARLIEST.rawValue)) },
                                        what: "read log start offsets", deadline: deadline)
        let ends = try await listOffsets(tps.map { ($0, Int64(RD_KAFKA_OFFSET_SPEC_LATEST.rawValue)) },
                                         what: "read log end offsets", deadline: deadline)
        let starts = try await startsR
        var out: [TopicPartition: LogOffsets] = [:]
        out.reserveCapacity(tps.count)
        for tp in tps {
            if let s = starts.offsets[tp], let e = ends.offsets[tp] { out[tp] = LogOffsets(start: s, end: e) }
        }
        if out.isEmpty, let first = ends.firstError ?? starts.firstError { throw first }
        return out
    }

    /// Only the log end offsets: one ListOffsets spec per partition, half the work of `logOffsets`.
    public func endOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        let tps = Array(Set(partitions))
        if tps.isEmpty { return [:] }
        let ends = try await listOffsets(tps.map { ($0, Int64(RD_KAFKA_OFFSET_SPEC_LATEST.rawValue)) },
                                         what: "read log end offsets", deadline: deadline)
        if ends.offsets.isEmpty, let first = ends.firstError { throw first }
        return ends.offsets
    }

    public func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] {
        if query.isEmpty { return [:] }
        let r = try await listOffsets(query.map { ($0.key, max(0, $0.value)) }, what: "look up offsets for times",
                                      deadline: deadline)
        var out: [TopicPartition: Int64?] = [:]
        for tp in query.keys {
            if let o = r.offsets[tp] { out[tp] = o < 0 ? nil : o }
        }
        if out.isEmpty, let first = r.firstError { throw first }
        return out
    }

    /// Last stable offsets: "latest" asked with isolation level read_committed.
    public func lastStableOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        let tps = Array(Set(partitions))
        if tps.isEmpty { return [:] }
        let r = try await listOffsets(tps.map { ($0, Int64(RD_KAFKA_OFFSET_SPEC_LATEST.rawValue)) },
                                      what: "read last stable offsets", readCommitted: true, deadline: deadline)
        if r.offsets.isEmpty, let first = r.firstError { throw first }
        return r.offsets
    }

    struct ListOffsetsResult: Sendable {
        var offsets: [TopicPartition: Int64] = [:]
        var firstError: ClusterError?
    }

    /// ListOffsets for many partitions. librdkafka groups each call per leader, but merging its
    /// results is quadratic in the partition count (6,000 partitions: ~0.3 s), so large lists go
    /// out as concurrent calls of `listOffsetsChunk` partitions each: still a handful of requests.
    func listOffsets(_ specs: [(TopicPartition, Int64)], what: String, readCommitted: Bool = false,
                     deadline: Deadline) async throws -> ListOffsetsResult {
        if specs.count <= Self.listOffsetsChunk {
            return try await listOffsetsCall(specs, what: what, readCommitted: readCommitted, deadline: deadline)
        }
        let sorted = specs.sorted { $0.0 < $1.0 }
        let chunks = stride(from: 0, to: sorted.count, by: Self.listOffsetsChunk).map {
            Array(sorted[$0..<min($0 + Self.listOffsetsChunk, sorted.count)])
        }
        return try await withThrowingTaskGroup(of: ListOffsetsResult.self) { tg in
            for chunk in chunks {
                tg.addTask { try await self.listOffsetsCall(chunk, what: what, readCommitted: readCommitted, deadline: deadline) }
            }
            var out = ListOffsetsResult()
            out.offsets.reserveCapacity(specs.count)
            for try await r in tg {
                out.offsets.merge(r.offsets) { a, _ in a }
                if out.firstError == nil { out.firstError = r.firstError }
            }
            return out
        }
    }

    static let listOffsetsChunk = 500

    private func listOffsetsCall(_ specs: [(TopicPartition, Int64)], what: String, readCommitted: Bool,
                                 deadline: Deadline) async throws -> ListOffsetsResult {
        let ctx = ctx(what)
        return try await runtime.admin(what, op: RD_KAFKA_ADMIN_OP_LISTOFFSETS, deadline: deadline, start: { rk, opts, q in
            if readCommitted, let err = rd_kafka_AdminOptions_set_isolation_level(opts, RD_KAFKA_ISOLATION_LEVEL_READ_COMMITTED) {
                rd_kafka_error_destroy(err)
                throw ClusterError(.unsupported, "\(what): librdkafka refused the read_committed isolation level")
            }
            let list = RdPartitionList(specs)
            rd_kafka_ListOffsets(rk, list.list, opts, q)
        }, parse: { ev in
            var out = ListOffsetsResult()
            guard let r = rd_kafka_event_ListOffsets_result(ev) else { return out }
            var n = 0
            guard let infos = rd_kafka_ListOffsets_result_infos(r, &n) else { return out }
            out.offsets.reserveCapacity(n)
            for i in 0..<n {
                guard let info = infos[i], let p = rd_kafka_ListOffsetsResultInfo_topic_partition(info) else { continue }
                let tp = TopicPartition(p.pointee.topic.map { String(cString: $0) } ?? "", p.pointee.partition)
                if p.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    if out.firstError == nil { out.firstError = RdErrorMap.map(p.pointee.err, nil, ctx, subject: tp.description) }
                    continue
                }
                out.offsets[tp] = p.pointee.offset
            }
            return out
        })
    }
}
