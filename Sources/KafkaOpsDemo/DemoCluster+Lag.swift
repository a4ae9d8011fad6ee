import Foundation
import KafkaOpsCore

/// Issue 11's reads on the simulated cluster: record timestamps at offsets and last stable offsets.
extension DemoCluster {
    /// One fetch per leader broker, as the librdkafka client does; a partition whose record is
    /// deleted, past the log end or without a leader is absent (unknown).
    public func recordTimestamps(_ offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Date] {
        let leaders = sync { s in Set(offsets.keys.compactMap { tp in Self.locate(s, tp).flatMap { s.topics[$0.0].partitions[$0.1].leader } }) }
        for _ in leaders { try await enter("fetch", deadline: deadline) }
        return sync { s in
            var out: [TopicPartition: Date] = [:]
            for (tp, o) in offsets {
                guard let (ti, pi) = Self.locate(s, tp), s.topics[ti].partitions[pi].leader != nil else { continue }
                let bounds = s.logOffsets(ti, pi)
                guard o >= bounds.start, o < bounds.end else { continue }
                out[tp] = Date(timeIntervalSince1970: Double(s.recordTimestamp(s.topics[ti].partitions[pi], o)) / 1000)
            }
            return out
        }
    }

    /// The log end, except where the scenario holds a transaction open (then its first offset).
    public func lastStableOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try await enter("listOffsets(read_committed)", deadline: deadline)
        return sync { s in
            var out: [TopicPartition: Int64] = [:]
            for tp in partitions {
                guard let (ti, pi) = Self.locate(s, tp), s.topics[ti].partitions[pi].leader != nil else { continue }
                out[tp] = s.lastStableOffset(ti, pi)
            }
            return out
        }
    }
}
