import Foundation

/// A topic and a partition number: the unit of every offset in Kafka.
public struct TopicPartition: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        a.topic == b.topic ? a.partition < b.partition : a.topic < b.topic
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// The moment by which a cluster call must have answered. Every ClusterClient call takes one.
public struct Deadline: Sendable, Hashable {
    public let instant: ContinuousClock.Instant

    public init(_ instant: ContinuousClock.Instant) { self.instant = instant }

    public static func after(_ duration: Duration) -> Deadline {
        Deadline(ContinuousClock.now.advanced(by: duration))
    }

    public static func seconds(_ s: Double) -> Deadline {
        .after(.milliseconds(Int64(s * 1000)))
    }

    public var remaining: Duration { max(.zero, instant - ContinuousClock.now) }

    /// Remaining time in whole milliseconds, at least 1 (librdkafka treats 0 as "do not wait").
    public var remainingMilliseconds: Int32 {
        let c = remaining.components
        let ms = c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(1, ms))
    }

    public var hasPassed: Bool { ContinuousClock.now >= instant }
}
