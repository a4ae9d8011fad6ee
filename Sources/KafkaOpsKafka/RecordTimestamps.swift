import Foundation
import KafkaOpsCore
import CRdKafka

/// The timestamps of the records at given offsets (issue 11, time lag): one consumer that assigns
/// every partition at its offset (no group joined, nothing committed), so librdkafka sends one
/// fetch per leader broker for all of them, with small fetch sizes; each partition is paused as
/// soon as its first record (or its end, or an error) arrives. Partitions not answered are absent.
struct RecordTimestampReader {
    let client: KafkaClusterClient

    /// Bytes per partition and per fetch: enough for the first record of a batch in most topics.
    static let partitionFetchBytes = 65_536
    static let fetchBytes = 1_048_576

    func read(_ offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Date] {
        let wanted = offsets.filter { $0.value >= 0 }
        if wanted.isEmpty { return [:] }
        let ctx = client.ctx("read the timestamps of \(wanted.count) record(s)")
        let settings = client.settings
        return try await client.runtime.blocking(ctx.operation, deadline: deadline) { control in
            try Self.consume(wanted, settings: settings, ctx: ctx, deadline: deadline, control: control)
        }
    }

    static func properties(_ settings: ConnectionSettings) -> [(String, String)] {
        var p = RdKafkaProperties.browser(settings)
        p.removeAll { ["max.partition.fetch.bytes", "fetch.max.bytes", "isolation.level"].contains($0.0) }
        return p + [
            ("max.partition.fetch.bytes", String(partitionFetchBytes)),
            ("fetch.max.bytes", String(fetchBytes)),
            // The record at a committed offset may sit in an open transaction: its timestamp is still the answer.
            ("isolation.level", "read_uncommitted"),
        ]
    }

    private static func consume(_ offsets: [TopicPartition: Int64], settings: ConnectionSettings, ctx: ErrorContext,
                                deadline: Deadline, control: CallControl) throws -> [TopicPartition: Date] {
        var handle: RdKafkaHandle? = try RdKafkaHandle(.consumer, properties: properties(settings),
                                                       verbose: settings.verbose, context: ctx,
                                                       tokenSource: RdKafkaProperties.tokenSource(settings))
        guard let rk = handle?.rk else { return [:] }
        defer {
            AdminRuntime.blockingQueue.async { [h = handle] in withExtendedLifetime(h) {} }
            handle = nil
        }
        rd_kafka_poll_set_consumer(rk)
        let list = RdPartitionList(offsets.map { ($0.key, $0.value) })
        let aerr = rd_kafka_assign(rk, list.list)
        if aerr != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdErrorMap.map(aerr, nil, ctx) }

        var out: [TopicPartition: Date] = [:]
        var open = Set(offsets.keys)
        while !open.isEmpty && !control.isStopped && !deadline.hasPassed {
            guard let msg = rd_kafka_consumer_poll(rk, min(100, deadline.remainingMilliseconds)) else { continue }
            defer { rd_kafka_message_destroy(msg) }
            let m = msg.pointee
            guard let rkt = m.rkt else { continue }   // a client-level error: librdkafka retries by itself
            let tp = TopicPartition(String(cString: rd_kafka_topic_name(rkt)), m.partition)
            guard open.contains(tp) else { continue }
            if m.err == RD_KAFKA_RESP_ERR__TRANSPORT || m.err == RD_KAFKA_RESP_ERR__RESOLVE { continue }
            if m.err == RD_KAFKA_RESP_ERR_NO_ERROR, let want = offsets[tp], m.offset >= want {
                let ts = rd_kafka_message_timestamp(msg, nil)
                if ts >= 0 { out[tp] = Date(timeIntervalSince1970: Double(ts) / 1000) }
            } else if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                continue
            }
            // A record, the partition's end, or an error (deleted: out of range): this partition is done.
            open.remove(tp)
            let one = RdPartitionList([(tp, 0)])
            _ = rd_kafka_pause_partitions(rk, one.list)
        }
        return out
    }
}

extension KafkaClusterClient {
    public func recordTimestamps(_ offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Date] {
        try await RecordTimestampReader(client: self).read(offsets, deadline: deadline)
    }
}
