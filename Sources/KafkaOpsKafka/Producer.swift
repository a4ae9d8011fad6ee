import Foundation
import KafkaOpsCore
import CRdKafka

/// The idempotent producer behind `produce`: acks=all, one batch of records at a time,
/// each record counted only from its delivery report.
final class Producer: @unchecked Sendable {
    let handle: RdKafkaHandle
    let context: ErrorContext
    /// Serial: one produce() batch at a time, so delivery reports belong to the current batch.
    private let queue = DispatchQueue(label: "kafkaops.librdkafka.producer")
    private let lock = NSLock()
    private var fatal = false
    private var connectionFailure: ClusterError?
    private var lastTransportError: ClusterError?
    /// Delivery reports of the batch in flight, by record index. Touched only on `queue` (the
    /// thread that calls rd_kafka_poll) but guarded anyway.
    private var batchID = 0
    private var reports: [Int: Result<TopicPartitionOffset, ClusterError>] = [:]
    /// When each report of the batch in flight arrived.
    private var answeredAt: [Int: Date] = [:]
    /// Failed records of the batch in flight that librdkafka says may have been written anyway.
    private var possiblyWritten: Set<Int> = []

    init(settings: ConnectionSettings, context: ErrorContext) throws {
        self.context = context
        handle = try RdKafkaHandle(.producer, properties: RdKafkaProperties.producer(settings),
                                   verbose: settings.verbose, context: context,
                                   tokenSource: RdKafkaProperties.tokenSource(settings))
        handle.callbacks.onDelivery { [weak self] msg in self?.delivered(msg) }
        handle.callbacks.onError { [weak self] code, reason in self?.clientError(code, reason) }
    }

    var isFatal: Bool { lock.withLock { fatal } }

    private func clientError(_ code: rd_kafka_resp_err_t, _ reason: String) {
        let mapped = RdErrorMap.map(code, reason, context)
        lock.withLock {
            switch code {
            case RD_KAFKA_RESP_ERR__FATAL:
                fatal = true
                connectionFailure = mapped
            case RD_KAFKA_RESP_ERR__SSL, RD_KAFKA_RESP_ERR__AUTHENTICATION:
                connectionFailure = mapped
            case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
                connectionFailure = lastTransportError ?? mapped
            case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__RESOLVE:
                lastTransportError = mapped
            default:
                break
            }
        }
    }

    private static func opaque(batch: Int, index: Int) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: (batch << 32) | (index + 1))
    }

    private func delivered(_ msg: UnsafePointer<rd_kafka_message_t>) {
        let bits = Int(bitPattern: msg.pointee._private)
        let batch = bits >> 32
        let index = (bits & 0xFFFF_FFFF) - 1
        let m = msg.pointee
        // A failure after the record was sent (a timeout, an in-flight purge) may still have been written.
        let maybe = m.err != RD_KAFKA_RESP_ERR_NO_ERROR
            && rd_kafka_message_status(msg) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED
        let result: Result<TopicPartitionOffset, ClusterError>
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            result = .success(TopicPartitionOffset(topic: topic, partition: m.partition, offset: m.offset))
        } else {
            var c = context
            c.operation = "produce to \(topic)"
            result = .failure(RdErrorMap.map(m.err, nil, c))
        }
        lock.withLock {
            if batch == batchID && index >= 0 {
                reports[index] = result
                answeredAt[index] = Date()
                if maybe { possiblyWritten.insert(index) }
            }
        }
    }

    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        let control = CallControl()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<[DeliveryReport], Error>) in
                queue.async { [self] in
                    c.resume(returning: run(records, deadline: deadline, control: control))
                }
            }
        } onCancel: {
            control.stop()
        }
    }

    private func run(_ records: [OutgoingRecord], deadline: Deadline, control: CallControl) -> [DeliveryReport] {
        let batch = lock.withLock { () -> Int in
            batchID += 1
            reports = [:]
            answeredAt = [:]
            possiblyWritten = []
            if !fatal { connectionFailure = nil }
            return batchID
        }
        let rk = handle.rk
        if deadline.hasPassed || control.isStopped {
            // Waited behind another batch past the deadline: nothing was sent.
            return records.indices.map {
                DeliveryReport(index: $0, result: .failure(ClusterError(
                    control.isStopped ? .cancelled : .timeout,
                    "produce to \(records[$0].topic): not sent before the deadline, so not written",
                    hint: "safe to retry", isRetriable: true)))
            }
        }
        for (i, r) in records.enumerated() {
            while true {
                let err = enqueue(r, rk: rk, opaque: Self.opaque(batch: batch, index: i))
                if err == RD_KAFKA_RESP_ERR__QUEUE_FULL && !deadline.hasPassed && !control.isStopped {
                    rd_kafka_poll(rk, 10)
                    continue
                }
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    var c = context
                    c.operation = "produce to \(r.topic)"
                    let e = RdErrorMap.map(err, nil, c)
                    lock.withLock { reports[i] = .failure(e) }
                }
                break
            }
        }
        // Wait for every delivery report, within the deadline.
        var stopReason: ClusterError?
        while lock.withLock({ reports.count }) < records.count {
            if deadline.hasPassed { break }
            if control.isStopped { stopReason = ClusterError(.cancelled, "produce was cancelled"); break }
            if let f = lock.withLock({ connectionFailure }) { stopReason = f; break }
            rd_kafka_poll(rk, min(50, deadline.remainingMilliseconds))
        }
        if lock.withLock({ reports.count }) < records.count {
            // Drop what was never sent (reported as purged: definitely not written), then collect those reports.
            rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_NON_BLOCKING)
            let until = ContinuousClock.now.advanced(by: .milliseconds(200))
            while lock.withLock({ reports.count }) < records.count && ContinuousClock.now < until {
                rd_kafka_poll(rk, 10)
            }
        }
        let (final, maybe, times) = lock.withLock { () -> ([Int: Result<TopicPartitionOffset, ClusterError>], Set<Int>, [Int: Date]) in
            let r = (reports, possiblyWritten, answeredAt)
            batchID += 1  // late reports of this batch are ignored from now on
            return r
        }
        return records.indices.map { i in
            if let r = final[i] {
                // A purged record was not written; say why it was purged when we know.
                if case .failure(let e) = r, e.code == "_PURGE_QUEUE", let stopReason {
                    return DeliveryReport(index: i, result: .failure(stopReason))
                }
                return DeliveryReport(index: i, result: r, outcomeUnknown: maybe.contains(i), answeredAt: times[i])
            }
            var e = ClusterError(.timeout, "produce to \(records[i].topic): no delivery report before the deadline; "
                                 + "the record may or may not have been written",
                                 hint: "check the topic before retrying, to avoid a duplicate")
            if let stopReason { e.message += " (\(stopReason.message))" }
            // Sent, and never answered: it may be in the topic.
            return DeliveryReport(index: i, result: .failure(e), outcomeUnknown: true)
        }
    }

    private func enqueue(_ r: OutgoingRecord, rk: OpaquePointer, opaque: UnsafeMutableRawPointer?) -> rd_kafka_resp_err_t {
        var hdrs: OpaquePointer?
        if !r.headers.isEmpty {
            hdrs = rd_kafka_headers_new(r.headers.count)
            for h in r.headers {
                if let v = h.value {
                    v.withUnsafeBytes { b in _ = rd_kafka_header_add(hdrs, h.key, -1, b.baseAddress, b.count) }
                } else {
                    _ = rd_kafka_header_add(hdrs, h.key, -1, nil, 0)
                }
            }
        }
        let key = r.key ?? []
        let value = r.value ?? []
        let err = key.withUnsafeBytes { k in
            value.withUnsafeBytes { v in
                kafkaops_produce(rk, r.topic, r.partition ?? -1 /* RD_KAFKA_PARTITION_UA */,
                                 k.baseAddress, k.count, r.key == nil ? 0 : 1,
                                 v.baseAddress, v.count, r.value == nil ? 0 : 1,
                                 hdrs, r.timestamp ?? 0, opaque)
            }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs { rd_kafka_headers_destroy(hdrs) }
        return err
    }
}
