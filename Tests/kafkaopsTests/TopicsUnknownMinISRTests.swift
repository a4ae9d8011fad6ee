import Foundation
import Testing
@testable import kafkaops
import KafkaOpsCore

/// Issue 27 point 9: `topics --under-min-isr` with the topic configs unread dropped the topics whose
/// min ISR is unknown (and counted only the rows shown). They may be under min ISR: listed, as unknown.
@Suite struct TopicsUnknownMinISRTests {
    func snapshot(configsRead: Bool) -> ClusterSnapshot {
        let brokers = (1...3).map { Broker(id: Int32($0), host: "b\($0)", port: 9092) }
        let md = ClusterMetadata(clusterID: "c", controllerID: 1, brokers: brokers, topics: [
            // ISR 2 of 3: under min ISR if min.insync.replicas is 3, at it with 2.
            TopicInfo(name: "orders", partitions: [PartitionInfo(id: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2])]),
            TopicInfo(name: "healthy", partitions: [PartitionInfo(id: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3])]),
        ])
        let configs: [String: [ConfigEntry]] = configsRead
            ? ["orders": [ConfigEntry(name: "min.insync.replicas", value: "3", source: .topic)],
               "healthy": [ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic)]]
            : [:]
        return ClusterSnapshot(metadata: md, topicConfigs: configs, brokerConfigs: [])
    }

    @Test func unknownMinISRTopicsAreListedByTheMinISRFilters() throws {
        let unread = snapshot(configsRead: false).topicSummaries()
        #expect(unread.allSatisfy { $0.minISR == nil }, "the fixture has no configs")
        let under = Topics.filtered(unread, underReplicated: false, underMinISR: true, atMinISR: false, unavailable: false)
        #expect(Set(under.map(\.name)) == ["orders", "healthy"], "unknown is listed, not dropped")
        let at = Topics.filtered(unread, underReplicated: false, underMinISR: false, atMinISR: true, unavailable: false)
        #expect(Set(at.map(\.name)) == ["orders", "healthy"])
        // With the configs read, the filter is exact.
        let read = snapshot(configsRead: true).topicSummaries()
        #expect(Topics.filtered(read, underReplicated: false, underMinISR: true, atMinISR: false, unavailable: false).map(\.name) == ["orders"])
        #expect(Topics.filtered(read, underReplicated: false, underMinISR: false, atMinISR: false, unavailable: true).isEmpty)
    }
}
