import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// What `kafkaops topics` and `kafkaops lag` ask of a 1,000-topic cluster, with bounds loose enough
/// for a shared 2-core machine but far below what one request per partition or per topic would take.
@Suite(.serialized)
struct KafkaClusterClientScaleTests {
    @Test func thousandTopicsSnapshotAndFiftyGroupsAreBatched() async throws {
        let broker = try await TansuBroker.start()
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        try await withThrowingTaskGroup(of: Void.self) { tg in
            for i in 0..<1000 {
                tg.addTask {
                    try await client.createTopic(NewTopic(name: "topic-\(i)", partitions: 6, replicationFactor: 1,
                                                          configs: ["retention.ms": "\(86_400_000 + i)"]),
                                                 validateOnly: false, deadline: .seconds(120))
                }
                if i % 50 == 49 { try await tg.next() }
            }
            try await tg.waitForAll()
        }
        let groups = (0..<50).map { "lag-group-\($0)" }
        for g in groups {
            _ = try await client.alterGroupOffsets(group: g, offsets: [TopicPartition("topic-1", 0): 0, TopicPartition("topic-2", 3): 0],
                                                   deadline: .seconds(10))
        }

        // A fresh client, as the CLI has: metadata, then configs and log offsets concurrently.
        let fresh = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        let md = try await fresh.metadata(deadline: .seconds(30))
        let tps = md.topics.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }
        async let configsR = fresh.topicConfigs(md.topics.map(\.name), deadline: .seconds(30))
        async let offsetsR = fresh.logOffsets(tps, deadline: .seconds(30))
        let (configs, offsets) = try await (configsR, offsetsR)
        #expect(md.topics.count == 1000)
        #expect(tps.count == 6000)
        #expect(configs.count == 1000)
        #expect(configs["topic-7"]?.first { $0.name == "retention.ms" }?.value == "86400007")
        #expect(offsets.count == 6000)
        #expect(offsets.values.allSatisfy { $0 == LogOffsets(start: 0, end: 0) })
        // How fast: scripts/bench.sh cli (a quadratic regression would run past the 30 s deadlines above).

        // kafkaops lag: committed offsets of 50 groups, concurrently.
        let committed = try await withThrowingTaskGroup(of: (String, [TopicPartition: Int64]).self) { tg in
            for g in groups { tg.addTask { (g, try await fresh.committedOffsets(group: g, deadline: .seconds(20))) } }
            var out: [String: [TopicPartition: Int64]] = [:]
            for try await (g, o) in tg { out[g] = o }
            return out
        }
        #expect(committed.count == 50)
        #expect(committed.values.allSatisfy { $0.count == 2 })
    }
}
