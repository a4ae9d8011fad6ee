import Foundation
import KafkaOpsCore
import CRdKafka

/// A bounded read of one partition: a consumer per call that assigns (never subscribes) and
/// commits nothing. Bounded by maxRecords, maxBytes, the end offset and the deadline.
struct RecordReader {
    let client: KafkaClusterClient

    func read(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        let tp = TopicPartition(request.topic, request.partition)
        let ctx = client.ctx("read \(tp)")
        if request.maxRecords <= 0 || request.maxBytes <= 0 { return [] }
        // The log end is looked up only when the read needs it (the last N records, or a given offset,
        // which may be past the end: a consumer assigned there gets no answer at all from some brokers,
        // tansu among them, and would wait out the deadline); otherwise the read stops at the end of the
        // partition (PARTITION_EOF). Some brokers (tansu) take a second to answer "latest" for a large
        // partition, while "earliest" is immediate.
        let needsEnd: Bool
        switch request.start {
        case .lastN, .offset: needsEnd = true
        default: needsEnd = false
        }
        let logStart: Int64
        var logEnd = Int64.max
        if needsEnd {
            let offsets = try await client.logOffsets([tp], deadline: deadline)
            guard let log = offsets[tp] else { throw Self.noPartition(ctx) }
            logStart = log.start
            logEnd = log.end
        } else {
            let r = try await client.listOffsets([(tp, Int64(RD_KAFKA_OFFSET_SPEC_EARLIEST.rawValue))],
                                                 what: "read the log start offset", deadline: deadline)
            guard let s = r.offsets[tp] else { throw r.firstError.map { Self.partitionError($0, ctx) } ?? Self.noPartition(ctx) }
            logStart = s
        }
        let end = min(request.endOffset ?? logEnd, logEnd)
        var start: Int64
        switch request.start {
        case .offset(let o): start = max(o, logStart)
        case .earliest: start = logStart
        case .lastN(let n): start = max(logStart, end - max(0, n))
        case .timestamp(let t):
            let r = try await client.offsetsForTimes([tp: t], deadline: deadline)
            guard let found = r[tp], let o = found else { return [] }
            start = max(o, logStart)
        }
        if start >= end { return [] }
        try Task.checkCancellation()

        let settings = client.settings
        let first = start
        return try await client.runtime.blocking(ctx.operation, deadline: deadline) { control in
            try Self.consume(tp, from: first, until: end, request: request, settings: settings,
                             ctx: ctx, deadline: deadline, control: control)
        }
    }

    private static func consume(_ tp: TopicPartition, from start: Int64, until end: Int64, request: ReadRequest,
                                settings: ConnectionSettings, ctx: ErrorContext, deadline: Deadline,
                                control: CallControl) throws -> [Record] {
        var handle: RdKafkaHandle? = try RdKafkaHandle(.consumer, properties: RdKafkaProperties.browser(settings),
                                                       verbose: settings.verbose, context: ctx,
                                                       tokenSource: RdKafkaProperties.tokenSource(settings))
        guard let rk = handle?.rk else { return [] }
        defer {
            // rd_kafka_destroy can take up to a second (librdkafka's thread wake-ups): do it off the
            // answer's path. The closure holds the only reference, so the handle dies on that queue.
            AdminRuntime.blockingQueue.async { [h = handle] in withExtendedLifetime(h) {} }
            handle = nil
        }
        rd_kafka_poll_set_consumer(rk)
        let list = RdPartitionList([(tp, start)])
        let aerr = rd_kafka_assign(rk, list.list)
        if aerr != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdErrorMap.map(aerr, nil, ctx) }

        var out: [Record] = []
        var bytes = 0
        var lastTransport: ClusterError?
        while !control.isStopped {
            if deadline.hasPassed {
                throw lastTransport.map { e -> ClusterError in
                    var e = e
                    e.message = "\(ctx.operation) did not finish in time; \(e.message)"
                    return e
                } ?? ClusterError.timeout(ctx.operation, bootstrap: ctx.bootstrap)
            }
            guard let msg = rd_kafka_consumer_poll(rk, min(100, deadline.remainingMilliseconds)) else { continue }
            defer { rd_kafka_message_destroy(msg) }
            let m = msg.pointee
            if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { break }
            // The start was clamped to the log start, so "out of range" means past the log end: nothing more.
            if m.err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET || m.err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE { break }
            if m.err == RD_KAFKA_RESP_ERR__TRANSPORT || m.err == RD_KAFKA_RESP_ERR__RESOLVE {
                // librdkafka reconnects by itself; remember why, in case the deadline passes.
                lastTransport = RdErrorMap.map(m.err, rd_kafka_message_errstr(msg).string, ctx)
                continue
            }
            if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                if m.err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, let lastTransport { throw lastTransport }
                throw RdErrorMap.map(m.err, rd_kafka_message_errstr(msg).string, ctx)
            }
            if m.offset >= end { break }
            let record = Self.record(msg)
            let size = record.sizeInBytes
            // Always return at least one record, so one larger than maxBytes can still be seen.
            if !out.isEmpty && bytes + size > request.maxBytes { break }
            out.append(record)
            bytes += size
            if out.count >= request.maxRecords || bytes >= request.maxBytes || m.offset + 1 >= end { break }
        }
        // When the call was answered otherwise (cancelled, deadline), this result is dropped.
        return out
    }

    static func noPartition(_ ctx: ErrorContext) -> ClusterError {
        ClusterError(.unknownPartition, "\(ctx.operation): the partition does not exist",
                     hint: "check the topic name and partition number", code: "UNKNOWN_TOPIC_OR_PART")
    }

    /// An unknown topic or partition is said as such; other errors pass through.
    static func partitionError(_ e: ClusterError, _ ctx: ErrorContext) -> ClusterError {
        e.kind == .unknownTopic || e.kind == .unknownPartition ? noPartition(ctx) : e
    }

    static func record(_ msg: UnsafeMutablePointer<rd_kafka_message_t>) -> Record {
        let m = msg.pointee
        var tsType = rd_kafka_timestamp_type_t(0)
        let ts = rd_kafka_message_timestamp(msg, &tsType)
        let type: TimestampType
        switch tsType {
        case RD_KAFKA_TIMESTAMP_CREATE_TIME: type = .createTime
        case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: type = .logAppendTime
        default: type = .none
        }
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) }
        var headers: [RecordHeader] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var i = 0
            while true {
                var name: UnsafePointer<CChar>?
                var val: UnsafeRawPointer?
                var size = 0
                if rd_kafka_header_get_all(hdrs, i, &name, &val, &size) != RD_KAFKA_RESP_ERR_NO_ERROR { break }
                headers.append(RecordHeader(name.string ?? "", val.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
                i += 1
            }
        }
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        return Record(topic: topic, partition: m.partition, offset: m.offset, timestamp: ts, timestampType: type,
                      key: key, value: value, headers: headers)
    }
}
