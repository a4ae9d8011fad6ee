import Foundation
import Testing
@testable import KafkaOpsCore

/// A small cluster: brokers 1..live, topics with the given replica lists, configs as DescribeConfigs returns them.
private func cluster(live: [Int32] = [1, 2, 3], topics: [(String, [[Int32]])], topicConfigs: [String: [String: String]] = [:],
                     broker: [String: String] = ["min.insync.replicas": "2", "default.replication.factor": "3",
                                                 "unclean.leader.election.enable": "false"]) -> ClusterSnapshot {
    let md = ClusterMetadata(
        clusterID: "c", controllerID: live.first,
        brokers: live.map { Broker(id: $0, host: "b\($0)", port: 9092) },
        topics: topics.map { name, parts in
            TopicInfo(name: name, isInternal: TopicInfo.looksInternal(name),
                      partitions: parts.enumerated().map { i, r in
                          PartitionInfo(id: Int32(i), leader: r.first, replicas: r, isr: r.filter(live.contains))
                      })
        })
    var tc: [String: [ConfigEntry]] = [:]
    for (name, _) in topics {
        // DescribeConfigs returns the defaults too; only overrides have source DYNAMIC_TOPIC_CONFIG.
        var entries = [ConfigEntry(name: "segment.bytes", value: "1073741824", source: .defaultConfig)]
        for (k, v) in topicConfigs[name] ?? [:] { entries.append(ConfigEntry(name: k, value: v, source: .topic)) }
        tc[name] = entries
    }
    return ClusterSnapshot(metadata: md, topicConfigs: tc,
                           brokerConfigs: broker.map { ConfigEntry(name: $0.key, value: $0.value, source: .staticBroker) })
}

private let r3: [[Int32]] = [[1, 2, 3], [2, 3, 1], [3, 1, 2]]

@Suite("Durability audit")
struct AuditTests {
    @Test func safeClusterHasNoFindings() {
        let r = DurabilityAudit.run(cluster(topics: [("orders", r3)]))
        #expect(r.findings.isEmpty)
        #expect(r.topicsChecked == 1)
        #expect(!r.hasErrors)
        #expect(r.notes.isEmpty)
        #expect(r.summary == "no findings (1 topic, 0 groups checked)")
    }

    @Test func topicRulesUseOverridesThenBrokerDefaults() {
        let snap = cluster(topics: [("orders", r3), ("payments", [[1, 2], [2, 3]]), ("audit", r3)],
                           topicConfigs: ["orders": ["min.insync.replicas": "1"], "audit": ["unclean.leader.election.enable": "true"]])
        let r = DurabilityAudit.run(snap)
        #expect(r.findings.map { "\($0.target):\($0.rule)" } == [
            "audit:unclean-leader-election", "orders:min-insync-replicas",
            "payments:replication-factor", "payments:rf-above-min-isr",
        ])
        let fix = r.findings(forTopic: "orders").first?.fix
        #expect(fix == "set min.insync.replicas=2 (kafka-configs.sh --alter --entity-type topics --entity-name orders --add-config min.insync.replicas=2)")
        #expect(r.findings(forTopic: "payments").first?.current == "2")
        #expect(r.errorCount == 4 && r.warningCount == 0)
        #expect(r.hasErrors)
        #expect(r.topicsWithFindings == ["audit", "orders", "payments"])
        #expect(r.worstByTopic["orders"] == .error)
        #expect(r.summary == "4 errors (3 topics, 0 groups checked)")
    }

    @Test func unsafeBrokerDefaults() {
        let snap = cluster(topics: [], broker: ["min.insync.replicas": "1", "default.replication.factor": "1",
                                                "unclean.leader.election.enable": "true"])
        let r = DurabilityAudit.run(snap)
        #expect(r.findings.map(\.rule) == ["broker-default-replication-factor", "broker-default-min-insync-replicas",
                                           "broker-default-unclean-leader-election"])
        #expect(r.findings.allSatisfy { $0.targetKind == .brokerDefaults && $0.target == "broker defaults" && $0.severity == .warning })
        #expect(r.findings[1].fix.contains("kafka-configs.sh --alter --entity-type brokers --entity-default --add-config min.insync.replicas=2"))
        #expect(!r.hasErrors)
    }

    @Test func brokerDefaultsMissingAreKafkasDefaults() {
        // A broker that lists other configs but not these has Kafka's defaults: RF 1, min ISR 1.
        let r = DurabilityAudit.run(cluster(topics: [], broker: ["log.retention.hours": "168"]))
        #expect(r.findings.map(\.rule) == ["broker-default-replication-factor", "broker-default-min-insync-replicas"])
        #expect(r.findings.first?.current == "default.replication.factor=1 (Kafka default)")
    }

    /// Issue 10 point 9: what was not read makes the audit incomplete (it fails), never "no findings".
    @Test func brokerConfigsNotLoadedMakeTheAuditIncomplete() {
        let r = DurabilityAudit.run(cluster(topics: [("orders", r3)], topicConfigs: ["orders": ["min.insync.replicas": "2"]], broker: [:]))
        #expect(r.findings.isEmpty)
        #expect(r.incomplete.contains { $0.contains("broker configs were not loaded") })
        #expect(r.fails && !r.hasErrors)
        #expect(r.summary.hasPrefix("INCOMPLETE, no findings in what could be checked"))
    }

    @Test(arguments: [([Int32(1), 2], true), ([1, 2, 3], false), ([1, 2, 3, 4], false)])
    func brokersBelowLargestRF(_ live: [Int32], _ flagged: Bool) {
        let r = DurabilityAudit.run(cluster(live: live, topics: [("orders", r3)]))
        let f = r.findings.filter { $0.rule == "brokers-below-max-rf" }
        #expect(f.count == (flagged ? 1 : 0))
        if flagged {
            #expect(f.first?.current == "2 live brokers")
            #expect(f.first?.expected == ">= 3 (the largest replication factor, topic orders)")
            #expect(f.first?.targetKind == .cluster && f.first?.severity == .error)
        }
    }

    @Test func internalTopicsSkippedUnlessAsked() {
        let snap = cluster(topics: [("__consumer_offsets", [[1]]), ("orders", r3)])
        #expect(DurabilityAudit.run(snap).findings.isEmpty)
        let all = DurabilityAudit.run(snap, options: AuditOptions(includeInternal: true))
        #expect(all.findings.map(\.target) == ["__consumer_offsets", "__consumer_offsets"])
        #expect(Set(all.findings.map(\.rule)) == ["replication-factor", "rf-above-min-isr"])
        #expect(all.topicsChecked == 2)
    }

    @Test func groupsThatLostDataToRetention() throws {
        var snap = cluster(topics: [("orders", r3)])
        snap.logOffsets = [TopicPartition("orders", 0): LogOffsets(start: 100, end: 200),
                           TopicPartition("orders", 1): LogOffsets(start: 0, end: 50),
                           TopicPartition("orders", 2): LogOffsets(start: 10, end: 20)]
        snap.committed = ["billing": [TopicPartition("orders", 0): 40, TopicPartition("orders", 1): 50],
                          "reporting": [TopicPartition("orders", 0): 150, TopicPartition("orders", 2): 10]]
        let r = DurabilityAudit.run(snap)
        let f = try #require(r.findings.first { $0.rule == "group-data-lost" })
        #expect(r.findings.filter { $0.rule == "group-data-lost" }.count == 1)
        #expect(f.target == "billing" && f.targetKind == .group && f.severity == .error)
        #expect(f.current == "60 records lost on 1 partition (orders-0 committed 40 < log start 100)")
        #expect(f.fix.contains("--reset-offsets --group billing --topic orders --to-earliest"))
        #expect(r.groupsChecked == 2)
    }

    /// Issue 10 point 9: committed partitions whose log start was not read cannot be checked for loss.
    @Test func committedPartitionsWithoutTheirLogStartMakeTheAuditIncomplete() {
        var snap = cluster(topics: [("orders", r3)])
        snap.committed = ["billing": [TopicPartition("orders", 0): 40]]
        let r = DurabilityAudit.run(snap)
        #expect(r.incomplete.contains { $0.contains("log start offsets of 1 committed partition") })
        #expect(r.fails)
        // Read: complete again (and a group that committed nothing needs nothing read).
        snap.logOffsets = [TopicPartition("orders", 0): LogOffsets(start: 0, end: 50)]
        snap.groups = [GroupDescription(id: "idle", state: .empty)]
        #expect(DurabilityAudit.run(snap).isComplete)
    }

    @Test func severityOffHidesAndWarningDoesNotFail() {
        let snap = cluster(topics: [("payments", [[1, 2]])])
        let p = TopicPolicy(severity: ["replication-factor": .warning, "rf-above-min-isr": .off])
        let r = DurabilityAudit.run(snap, policy: p)
        #expect(r.findings.map(\.rule) == ["replication-factor"])
        #expect(!r.hasErrors && r.warningCount == 1)
    }

    @Test func customNamePatternIsApplied() {
        let snap = cluster(topics: [("orders.created", r3), ("misc", r3)])
        let r = DurabilityAudit.run(snap, policy: TopicPolicy(namePattern: "orders\\..+"))
        #expect(r.findings.map { "\($0.target):\($0.rule)" } == ["misc:name-pattern"])
    }

    @Test func fiveThousandTopicsInWellUnderASecond() {
        let live: [Int32] = Array(1...6)
        var topics: [(String, [[Int32]])] = []
        var configs: [String: [String: String]] = [:]
        for i in 0..<5000 {
            let name = "topic-\(i)"
            topics.append((name, (0..<6).map { p in (0..<3).map { Int32((i + p + $0) % 6 + 1) } }))
            configs[name] = i % 2 == 0 ? ["min.insync.replicas": "1"] : ["retention.ms": "-1"]
        }
        var snap = cluster(live: live, topics: topics, topicConfigs: configs)
        // A realistic broker config list: a few hundred entries.
        snap.brokerConfigs += (0..<300).map { ConfigEntry(name: "some.broker.config.\($0)", value: "x", source: .defaultConfig) }
        for (name, _) in topics {
            snap.topicConfigs[name, default: []] += (0..<30).map { ConfigEntry(name: "topic.config.\($0)", value: "y", source: .defaultConfig) }
        }
        // Speed is measured in scripts/bench.sh, not asserted here.
        let r: AuditResult? = DurabilityAudit.run(snap)
        #expect(r?.topicsChecked == 5000)
        #expect(r?.findings.count == 2500)
    }
}

@Suite("Config resolution used by the audit")
struct AuditConfigResolutionTests {
    static let topicSets: [[ConfigEntry]?] = [
        nil,
        [],
        [ConfigEntry(name: "min.insync.replicas", value: "3", source: .topic)],
        [ConfigEntry(name: "min.insync.replicas", value: nil, source: .topic),
         ConfigEntry(name: "retention.ms", value: "1000", source: .staticBroker)],
        [ConfigEntry(name: "unclean.leader.election.enable", value: "true", source: .dynamicDefaultBroker),
         ConfigEntry(name: "cleanup.policy", value: "compact", source: .topic)],
    ]
    static let brokerSets: [[ConfigEntry]] = [
        [],
        [ConfigEntry(name: "min.insync.replicas", value: "2", source: .staticBroker),
         ConfigEntry(name: "log.retention.hours", value: "24", source: .staticBroker),
         ConfigEntry(name: "log.cleanup.policy", value: "delete", source: .defaultConfig)],
        [ConfigEntry(name: "log.retention.ms", value: "5000", source: .dynamicBroker),
         ConfigEntry(name: "log.retention.hours", value: "24", source: .staticBroker),
         ConfigEntry(name: "unclean.leader.election.enable", value: "true", source: .staticBroker)],
    ]

    /// The audit's dictionary-based resolution must agree with EffectiveConfig.resolve, which the screens use.
    @Test(arguments: topicSets.indices, brokerSets.indices)
    func agreesWithEffectiveConfig(_ ti: Int, _ bi: Int) {
        let topic = Self.topicSets[ti], broker = Self.brokerSets[bi]
        let resolver = ConfigResolver(policy: .default, brokerConfigs: broker)
        let eff = resolver.resolve(topicEntries: topic).effective
        for name in resolver.names {
            #expect(eff[name] == EffectiveConfig.resolve(name, topic: topic, broker: broker), "\(name)")
        }
    }
}
