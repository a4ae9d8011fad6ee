import Foundation

/// The Apache Kafka versions a broker's ApiVersions answer implies: each release below added client
/// APIs (by key), so the newest one present is a lower bound and the next one absent an upper bound.
public struct KafkaVersionRange: Sendable, Equatable {
    public var atLeast: String?
    /// The first release whose APIs are missing (the broker is older), nil when none is.
    public var before: String?

    /// (the lowest API key a release added that clients see, the release), oldest first.
    static let markers: [(key: Int, version: String)] = [
        (18, "0.10.0"),  // ApiVersions
        (19, "0.10.1"),  // CreateTopics
        (21, "0.11.0"),  // DeleteRecords, transactions, DescribeConfigs
        (34, "1.0"),     // AlterReplicaLogDirs, DescribeLogDirs, SaslAuthenticate, CreatePartitions
        (42, "1.1"),     // DeleteGroups
        (43, "2.2"),     // ElectLeaders
        (44, "2.3"),     // IncrementalAlterConfigs
        (47, "2.4"),     // OffsetDelete
        (48, "2.6"),     // DescribeClientQuotas
        (50, "2.7"),     // DescribeUserScramCredentials
        (60, "2.8"),     // DescribeCluster
        (65, "3.0"),     // DescribeTransactions
        (71, "3.7"),     // GetTelemetrySubscriptions
        (75, "3.8"),     // DescribeTopicPartitions
    ]

    public static func implied(by keys: Set<Int>) -> KafkaVersionRange {
        var r = KafkaVersionRange(atLeast: nil, before: nil)
        for m in markers {
            if keys.contains(m.key) { r.atLeast = m.version; r.before = nil }
            else if r.before == nil { r.before = m.version }
        }
        return r
    }

    public var text: String {
        switch (atLeast, before) {
        case (let a?, let b?): return "Kafka \(a) or later, before \(b) (its APIs are missing)"
        case (let a?, nil): return "Kafka \(a) or later"
        case (nil, _): return "older than Kafka 0.10 (no ApiVersions)"
        }
    }
}
