import Testing
@testable import KafkaOpsCore

@Suite struct PartitionHealthTests {
    static let live: Set<Int32> = [1, 2, 3]

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let leader: Int32?
        let replicas: [Int32]
        let isr: [Int32]
        let minISR: Int
        let expected: PartitionHealth
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "healthy RF3 minISR2", leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3], minISR: 2, expected: []),
        Case(name: "one replica out: under-replicated and at min ISR", leader: 1, replicas: [1, 2, 3], isr: [1, 2], minISR: 2,
             expected: [.underReplicated, .atMinISR]),
        Case(name: "two out: under min ISR", leader: 1, replicas: [1, 2, 3], isr: [1], minISR: 2,
             expected: [.underReplicated, .underMinISR]),
        Case(name: "RF == minISR is at min ISR when healthy", leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3], minISR: 3,
             expected: [.atMinISR]),
        Case(name: "no leader: under min ISR and offline", leader: nil, replicas: [1, 2, 3], isr: [], minISR: 2,
             expected: [.underReplicated, .underMinISR, .offline]),
        Case(name: "leader -1 is no leader", leader: -1, replicas: [2], isr: [2], minISR: 1,
             expected: [.underMinISR, .atMinISR, .offline]),
        Case(name: "leader on a dead broker is offline", leader: 9, replicas: [9, 1], isr: [9, 1], minISR: 1,
             expected: [.offline]),
        Case(name: "leader not preferred", leader: 2, replicas: [1, 2, 3], isr: [1, 2, 3], minISR: 2,
             expected: [.leaderNotPreferred]),
        Case(name: "RF1 minISR1 is at min ISR", leader: 1, replicas: [1], isr: [1], minISR: 1, expected: [.atMinISR]),
        Case(name: "minISR above RF: under min ISR even when fully in sync", leader: 1, replicas: [1, 2], isr: [1, 2], minISR: 3,
             expected: [.underMinISR]),
    ])
    func evaluate(_ c: Case) {
        let p = PartitionInfo(id: 0, leader: c.leader, replicas: c.replicas, isr: c.isr)
        #expect(PartitionHealth.evaluate(p, minISR: c.minISR, liveBrokers: Self.live) == c.expected)
    }

    @Test func worstOrdersBySeverity() {
        #expect(PartitionHealth([.atMinISR, .underReplicated]).worst == .underReplicated)
        #expect(PartitionHealth([.underMinISR, .offline]).worst == .offline)
        #expect(PartitionHealth([.leaderNotPreferred]).worst == .healthy)
        #expect(PartitionHealth([.atMinISR]).worst == .atMinISR)
    }

    @Test func countsAddUp() {
        var c = HealthCounts()
        c.add([.underReplicated, .atMinISR])
        c.add([.underReplicated, .underMinISR, .offline])
        c.add([])
        #expect(c.partitions == 3)
        #expect(c.underReplicated == 2)
        #expect(c.offline == 1)
        #expect(c.worst == .offline)
        #expect(!c.isHealthy)
    }
}

@Suite struct EffectiveConfigTests {
    @Test func topicOverrideWinsOverBrokerAndDefault() {
        let topic = [ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic)]
        let broker = [ConfigEntry(name: "min.insync.replicas", value: "1", source: .staticBroker)]
        let e = EffectiveConfig.resolve("min.insync.replicas", topic: topic, broker: broker)
        #expect(e == EffectiveConfig(name: "min.insync.replicas", value: "2", source: .topic))
    }

    @Test func brokerDefaultAppliesWhenTheTopicHasNone() {
        let broker = [ConfigEntry(name: "min.insync.replicas", value: "2", source: .staticBroker)]
        #expect(EffectiveConfig.resolve("min.insync.replicas", topic: [], broker: broker)?.value == "2")
        #expect(EffectiveConfig.resolve("min.insync.replicas", topic: [], broker: broker)?.source.summary == "broker")
    }

    @Test func kafkaDefaultWhenNobodySays() {
        let e = EffectiveConfig.resolve("min.insync.replicas", topic: nil, broker: nil)
        #expect(e?.value == "1")
        #expect(e?.source == .defaultConfig)
        #expect(EffectiveConfig.resolve("unclean.leader.election.enable", topic: nil, broker: nil)?.value == "false")
    }

    @Test func retentionHoursOnTheBrokerBecomesMilliseconds() {
        let broker = [ConfigEntry(name: "log.retention.hours", value: "24", source: .staticBroker)]
        #expect(EffectiveConfig.resolve("retention.ms", topic: nil, broker: broker)?.value == "86400000")
    }
}
