import Foundation
import KafkaOpsCore
import CRdKafka

extension KafkaClusterClient {
    public func openTail(_ start: [TopicPartition: Int64], deadline: Deadline) async throws -> any RecordTail {
        try TailConsumer(settings: settings, start: start, context: ctx("read back \(start.count) partition(s)"))
    }
}

extension RdKafkaProperties {
    /// A consumer that follows partitions as they are written: assigned, no commits, records
    /// handed out as soon as they arrive.
    static func tail(_ s: ConnectionSettings) -> [(String, String)] {
        var p = base(s)
        p.removeAll { $0.0 == "group.id" || $0.0 == "group.instance.id" }
        return p + [
            ("group.id", "kafkaops-tail-\(UUID().uuidString.lowercased())"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
            // After an unclean election truncated the log below the position, follow the new log end:
            // what was acknowledged and truncated is then reported lost, as it is.
            ("auto.offset.reset", "latest"),
            ("fetch.wait.max.ms", "100"),
        ]
    }
}

/// `openTail` on librdkafka: one consumer assigned to the partitions. Polls run one at a time on
/// its own queue; closing hands the handle to a background queue (destroying a consumer whose
/// broker is frozen can take seconds) and never waits.
final class TailConsumer: RecordTail, @unchecked Sendable {
    private let lock = NSLock()
    private var handle: RdKafkaHandle?
    private let queue = DispatchQueue(label: "kafkaops.librdkafka.tail")
    private let context: ErrorContext
    /// At most this many records per poll, so one poll never holds a large backlog.
    static let maxRecordsPerPoll = 10_000

    init(settings: ConnectionSettings, start: [TopicPartition: Int64], context: ErrorContext) throws {
        self.context = context
        let h = try RdKafkaHandle(.consumer, properties: RdKafkaProperties.tail(settings),
                                  verbose: settings.verbose, context: context)
        rd_kafka_poll_set_consumer(h.rk)
        let list = RdPartitionList(start.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let err = rd_kafka_assign(h.rk, list.list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdErrorMap.map(err, nil, context) }
        handle = h
    }

    func poll(maxWait: Duration) async throws -> [Record] {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<[Record], Error>) in
            queue.async { [self] in c.resume(with: Result { try pollNow(maxWait) }) }
        }
    }

    private func pollNow(_ maxWait: Duration) throws -> [Record] {
        guard let h = lock.withLock({ handle }) else { return [] }
        let until = Deadline.after(maxWait)
        var out: [Record] = []
        while out.count < Self.maxRecordsPerPoll {
            // Wait only for the first record; then take what is already there.
            let wait: Int32 = out.isEmpty ? (until.hasPassed ? 0 : until.remainingMilliseconds) : 0
            guard let msg = rd_kafka_consumer_poll(h.rk, wait) else {
                if out.isEmpty && !until.hasPassed { continue }
                break
            }
            defer { rd_kafka_message_destroy(msg) }
            let m = msg.pointee
            if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                out.append(RecordReader.record(msg))
                continue
            }
            // Connection trouble and offset resets are librdkafka's to recover from; the reader
            // keeps going and the run's bounds end it. Anything else is said.
            switch m.err {
            case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
                 RD_KAFKA_RESP_ERR__PARTITION_EOF, RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET,
                 RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE, RD_KAFKA_RESP_ERR__LOG_TRUNCATION:
                continue
            default:
                throw RdErrorMap.map(m.err, rd_kafka_message_errstr(msg).string, context)
            }
        }
        return out
    }

    func close() async {
        queue.async { [self] in
            let h = lock.withLock { () -> RdKafkaHandle? in defer { handle = nil }; return handle }
            AdminRuntime.blockingQueue.async { withExtendedLifetime(h) {} }
        }
    }
}
