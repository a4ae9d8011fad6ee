import Foundation
import KafkaOpsCore
import Testing
@testable import KafkaOpsDemo

/// A fresh 30 s deadline for each call, a bound against hangs that a loaded machine cannot reach (a shared
/// absolute one would run out for the tests that come late).
var deadline: Deadline { .seconds(30) }

/// A standard demo cluster on a manual clock, moved to `t` seconds after its start.
func cluster(at t: Double = 0, _ scenario: DemoScenario = .standard) -> (DemoCluster, DemoClock) {
    let clock = DemoClock.manual()
    let c = DemoCluster(scenario: scenario, clock: clock)
    clock.advance(by: t)
    return (c, clock)
}

func snapshot(_ c: any ClusterClient) async throws -> ClusterSnapshot {
    try await SnapshotLoader(client: c).load(deadline: deadline)
}

func partition(_ s: ClusterSnapshot, _ topic: String, _ p: Int32) throws -> PartitionInfo {
    let t = try #require(s.topic(topic))
    return try #require(t.partitions.first { $0.id == p })
}

func health(_ s: ClusterSnapshot, _ topic: String, _ p: Int32) throws -> PartitionHealth {
    s.health(of: try partition(s, topic, p), topic: topic)
}

/// Every (topic, partition) with its health.
func allHealth(_ s: ClusterSnapshot) -> [(String, PartitionInfo, PartitionHealth)] {
    s.metadata.topics.flatMap { t in t.partitions.map { (t.name, $0, s.health(of: $0, topic: t.name)) } }
}

@Suite struct ScenarioShapeTests {
    @Test func standardClusterHasThreeRackedBrokersAndAboutTwentyTopics() async throws {
        let (c, _) = cluster()
        let s = try await snapshot(c)
        #expect(c.displayName == "DEMO")
        #expect(s.problems.isEmpty)
        #expect(s.metadata.brokers.map(\.id) == [1, 2, 3])
        #expect(Set(s.metadata.brokers.compactMap(\.rack)).count == 3)
        #expect(s.metadata.brokers.first?.host == "kafka-1.demo")
        #expect(s.metadata.controllerID == 1)
        #expect(s.metadata.clusterID?.isEmpty == false)
        let user = s.metadata.topics.filter { !$0.isInternal }
        #expect((18...24).contains(user.count))
        let offsets = try #require(s.topic("__consumer_offsets"))
        #expect(offsets.isInternal)
        #expect(offsets.partitions.count == 50)
        #expect(offsets.partitions.allSatisfy { $0.replicas.count == 3 })
        #expect(user.allSatisfy { t in (1...12).contains(t.partitions.count) })
    }

    @Test func unsafeTopicsArePresentWithTheirConfigSources() async throws {
        let (c, _) = cluster()
        let s = try await snapshot(c)
        // Safe: RF 3, min ISR 2 as a topic override.
        #expect(try partition(s, "orders", 0).replicas.count == 3)
        #expect(s.effectiveConfig("min.insync.replicas", topic: "orders")?.source == .topic)
        #expect(s.minISR(topic: "orders") == 2)
        // RF 1.
        #expect(try partition(s, "notifications", 0).replicas.count == 1)
        // Min ISR 1 from the broker default.
        let shipments = try #require(s.effectiveConfig("min.insync.replicas", topic: "shipments"))
        #expect(shipments.value == "1" && shipments.source == .defaultConfig)
        // RF == min ISR.
        let audit = try partition(s, "audit-log", 0)
        #expect(s.minISR(topic: "audit-log") == 3 && audit.replicas.count == 3)
        // Unclean leader election on.
        #expect(s.effectiveConfig("unclean.leader.election.enable", topic: "metrics-raw")?.value == "true")
        #expect(s.effectiveConfig("unclean.leader.election.enable", topic: "orders")?.value == "false")
        // Retention: the broker's log.retention.hours=168 seen as retention.ms on the topic.
        let retention = try #require(s.topicConfigs["orders"]?.first { $0.name == "retention.ms" })
        #expect(retention.value == "604800000" && retention.source == .staticBroker)
        #expect(s.effectiveConfig("retention.ms", topic: "clickstream")?.value == "3600000")
        #expect(s.effectiveConfig("cleanup.policy", topic: "user-profiles")?.value == "compact")
        // Broker configs with their source.
        let minISR = try #require(s.brokerConfigs.first { $0.name == "min.insync.replicas" })
        #expect(minISR.value == "1" && minISR.source == .defaultConfig)
        #expect(s.brokerConfigs.first { $0.name == "default.replication.factor" }?.source == .staticBroker)
        #expect(s.brokerConfigs.first { $0.name == "log.retention.hours" }?.value == "168")
        #expect(s.brokerConfigs.first { $0.name == "unclean.leader.election.enable" }?.value == "false")
        let secret = try #require(s.brokerConfigs.first { $0.name == "ssl.keystore.password" })
        #expect(secret.isSensitive && secret.value == nil)
    }

    @Test func snapshotLoaderLoadsEverything() async throws {
        let (c, _) = cluster(at: 5)
        let s = try await snapshot(c)
        #expect(s.problems.isEmpty)
        let partitions = s.metadata.topics.reduce(0) { $0 + $1.partitions.count }
        #expect(s.logOffsets.count == partitions)
        #expect(s.groups.count == c.scenario.groupIDs.count)
        #expect(s.committed["order-service"]?.count == 12)
        #expect(s.topicConfigs.count == s.metadata.topics.count)
        #expect(s.topicSummaries().first { $0.name == "orders" }?.consumerGroups == ["order-service"])
    }
}

@Suite struct BrokerFailureTests {
    @Test func beforeTheFailureNothingIsOffline() async throws {
        let (c, _) = cluster(at: 10)
        let s = try await snapshot(c)
        #expect(s.clusterHealth.offline == 0)
        #expect(s.clusterHealth.underMinISR == 0)
        #expect(s.clusterHealth.leaderNotPreferred == 0)
        // The one follower that fell behind: metrics-raw-2 (broker 1 out of its ISR).
        let under = allHealth(s).filter { $0.2.contains(.underReplicated) }.map { "\($0.0)-\($0.1.id)" }
        #expect(under == ["metrics-raw-2"])
    }

    @Test func duringTheOutageISRShrinksLeadersMoveAndRF1GoesOffline() async throws {
        let (c, _) = cluster(at: 10)
        let before = try await snapshot(c)
        c.clock.advance(by: 30)   // t = 40: broker 3 went down at 30
        let s = try await snapshot(c)
        #expect(c.downBrokers == [3])
        #expect(s.metadata.brokers.map(\.id) == [1, 2])
        for (topic, p, h) in allHealth(s) where p.replicas.contains(3) {
            let old = try partition(before, topic, p.id)
            // Replica list unchanged.
            #expect(p.replicas == old.replicas)
            #expect(p.offlineReplicas == [3])
            if p.replicas.count == 1 {
                #expect(p.leader == nil, "\(topic)-\(p.id)")
                #expect(h.contains(.offline))
                #expect(p.error == "LEADER_NOT_AVAILABLE")
                continue
            }
            #expect(!p.isr.contains(3), "\(topic)-\(p.id)")
            #expect(h.contains(.underReplicated))
            #expect(!h.contains(.offline))
            if old.leader == 3 {
                // First live replica in replica order (every survivor was in the ISR, or unclean election picked it).
                #expect(p.leader == p.replicas.first { $0 != 3 }, "\(topic)-\(p.id)")
                #expect(h.contains(.leaderNotPreferred))
            } else {
                #expect(p.leader == old.leader)
            }
        }
        // RF 3 / min ISR 3 topics: writes fail now.
        for p in try #require(s.topic("audit-log")).partitions {
            #expect(s.health(of: p, topic: "audit-log").contains(.underMinISR))
        }
        // RF 3 / min ISR 2 with broker 3 gone: one more failure and writes stop.
        #expect(try health(s, "orders", 0).contains(.atMinISR))
        #expect(!(try health(s, "orders", 0)).contains(.underMinISR))
        // Partitions without broker 3 are untouched.
        #expect(try health(s, "metrics-raw", 0) == .healthy)
        #expect(s.clusterHealth.offline == 2)   // notifications-2 and sessions-cache-0
    }

    @Test func afterReturnISRIsRestoredButLeadersStayUntilElection() async throws {
        let (c, clock) = cluster(at: 72)
        var s = try await snapshot(c)
        // Back, RF 1 partitions online again, followers still catching up.
        #expect(s.metadata.brokers.map(\.id) == [1, 2, 3])
        #expect(s.clusterHealth.offline == 0)
        #expect(try partition(s, "sessions-cache", 0).leader == 3)
        #expect(!(try partition(s, "orders", 0)).isr.contains(3))
        #expect(s.clusterHealth.underReplicated > 0)

        clock.advance(by: 5)   // t = 77: caught up (catchUpSeconds 5)
        s = try await snapshot(c)
        #expect(s.clusterHealth.underReplicated == 0)
        #expect(s.clusterHealth.underMinISR == 0)
        let notPreferred = s.clusterHealth.leaderNotPreferred
        #expect(notPreferred > 20)
        for (_, p, _) in allHealth(s) { #expect(p.leader != 3 || p.replicas.count == 1 || p.replicas.first == 3) }

        let results = try await c.electPreferredLeaders(nil, deadline: deadline)
        #expect(results.count == notPreferred)
        #expect(results.allSatisfy { $0.error == nil })
        s = try await snapshot(c)
        #expect(s.clusterHealth.leaderNotPreferred == 0)
        // Only the designed-in "at min ISR" remains: RF 1 topics and audit-log (RF 3, min ISR 3).
        #expect(s.clusterHealth.worst == .atMinISR)
        #expect(s.clusterHealth.atMinISR == 8)
    }

    @Test func theFailureRepeatsEveryCycleAndAutoRebalanceRestoresLeaders() async throws {
        let (c, clock) = cluster(at: 160)
        #expect(c.downBrokers == [3])      // second cycle: down 150..190
        clock.advance(by: 40)              // t = 200
        #expect(c.downBrokers.isEmpty)
        var s = try await snapshot(c)
        #expect(s.clusterHealth.leaderNotPreferred > 0)
        clock.advance(by: 401)             // t = 601: the rebalance check at 600 found broker 3 up and in sync
        s = try await snapshot(c)
        #expect(c.downBrokers.isEmpty)
        #expect(s.clusterHealth.leaderNotPreferred == 0)
    }

    @Test func uncleanElectionLosesTheRecordsTheFollowerLacked() async throws {
        let (c, clock) = cluster(at: 29)
        let tp = TopicPartition("metrics-raw", 2)
        let before = try #require(try await c.logOffsets([tp], deadline: deadline)[tp])
        clock.advance(by: 2)   // t = 31
        let s = try await snapshot(c)
        let p = try partition(s, "metrics-raw", 2)
        #expect(p.leader == 1)          // the out-of-sync follower
        #expect(p.isr == [1])
        let after = try #require(s.logOffsets[tp])
        #expect(after.end < before.end) // 1,250 records gone for good
        #expect(before.end - after.end > 1_000)
        #expect(c.events.contains { $0.message.contains("unclean leader election") })
        // With unclean election off, a partition with no live ISR member stays offline.
        #expect(try partition(s, "sessions-cache", 0).leader == nil)
    }

    @Test func setBrokerDownWorksWithoutTheTimer() async throws {
        let (c, clock) = cluster(at: 0, DemoScenario.standard.withoutFailures)
        clock.advance(by: 100)
        #expect(c.downBrokers.isEmpty)
        c.setBrokerDown(2, true)
        var s = try await snapshot(c)
        #expect(s.metadata.brokers.map(\.id) == [1, 3])
        #expect(try partition(s, "orders", 1).leader != 2)
        c.setBrokerDown(2, false)
        s = try await snapshot(c)
        #expect(s.metadata.brokers.map(\.id) == [1, 2, 3])
        #expect(!(try partition(s, "orders", 1)).isr.contains(2))   // still catching up
        clock.advance(by: 6)
        s = try await snapshot(c)
        #expect(try partition(s, "orders", 1).isr.contains(2))
    }

    @Test func brokerConfigsOfADownBrokerFail() async throws {
        let (c, _) = cluster(at: 40)
        await #expect(throws: ClusterError.self) { try await c.brokerConfigs(3, deadline: deadline) }
        #expect(try await c.brokerConfigs(1, deadline: deadline).contains { $0.name == "broker.rack" && $0.value == "eu-west-1a" })
    }
}

@Suite struct GroupTests {
    @Test func lagOfEachKindOfGroup() async throws {
        let (c, clock) = cluster(at: 10)
        let s1 = try await snapshot(c)
        clock.advance(by: 50)   // t = 60
        let s2 = try await snapshot(c)
        clock.advance(by: 140)  // t = 200
        let s3 = try await snapshot(c)

        // Keeping up: small lag, every partition committed, 12 partitions over 3 members (range).
        let orders = s3.groupLag("order-service")
        #expect(orders.partitions.count == 12)
        #expect(orders.partitions.allSatisfy { $0.status == .ok })
        #expect((orders.totalLag ?? .max) < 1_000)
        let desc = try #require(s3.groups.first { $0.id == "order-service" })
        #expect(desc.state == .stable && desc.members.count == 3 && desc.assignor == "range")
        #expect(desc.members.map(\.assignment.count) == [4, 4, 4])
        #expect(Set(desc.members.flatMap(\.assignment)).count == 12)
        #expect(desc.members.allSatisfy { $0.host.hasPrefix("/10.") && $0.clientID.contains("order-service") })

        // Slow: lag grows.
        #expect((s1.groupLag("analytics-etl").totalLag ?? -1) < (s2.groupLag("analytics-etl").totalLag ?? -1))
        #expect((s2.groupLag("analytics-etl").totalLag ?? -1) < (s3.groupLag("analytics-etl").totalLag ?? -1))

        // Stalled at t=45: commits stop, lag grows.
        #expect(s2.committed["fraud-detector"] == s3.committed["fraud-detector"])
        #expect(s1.committed["fraud-detector"] != s2.committed["fraud-detector"])
        #expect((s2.groupLag("fraud-detector").totalLag ?? -1) < (s3.groupLag("fraud-detector").totalLag ?? -1))
        #expect(s3.groups.first { $0.id == "fraud-detector" }?.members.count == 2)

        // Empty, offsets below the log start: data lost.
        let billing = s3.groupLag("billing-reconciler")
        #expect(s3.groups.first { $0.id == "billing-reconciler" }?.state == .empty)
        #expect(billing.partitionsWithDataLoss == 12)
        #expect((billing.recordsLost ?? 0) > 0)

        // A partition never committed: lag unknown.
        let inventory = s3.groupLag("inventory-sync")
        #expect(inventory.partitionsWithoutCommit == 1)
        #expect(inventory.partitions.first { $0.partition == TopicPartition("inventory", 7) }?.lag == nil)

        // Committed above the log end.
        #expect(s3.groupLag("legacy-migrator").partitions.first?.status == .aheadOfLogEnd)

        // Rebalancing group: members without assignments.
        let tracker = try #require(s3.groups.first { $0.id == "shipment-tracker" })
        #expect(tracker.state == .preparingRebalance && tracker.members.allSatisfy { $0.assignment.isEmpty })

        // A KIP-848 group reconciling: every partition has a target owner.
        let geo = try #require(s3.groups.first { $0.id == "geo-enricher" })
        #expect(geo.state == .reconciling && geo.assignor == "uniform")
        #expect(Set(geo.members.flatMap(\.assignment)).count == 8)
        let states = Set(try await c.listGroups(deadline: deadline).map(\.state))
        #expect(states == [.stable, .empty, .preparingRebalance, .reconciling])
    }

    @Test func unknownGroupIsDead() async throws {
        let (c, _) = cluster()
        let d = try await c.describeGroups(["no-such-group"], deadline: deadline)
        #expect(d.count == 1)
        #expect(d.first?.state == .dead)
        #expect(d.first?.members.isEmpty == true)
        #expect(try await c.committedOffsets(group: "no-such-group", deadline: deadline).isEmpty)
        #expect(!(try await c.listGroups(deadline: deadline)).contains { $0.id == "no-such-group" })
    }

    @Test func alterOffsetsOfAnActiveGroupIsRefused() async throws {
        let (c, _) = cluster(at: 5)
        let before = try await c.committedOffsets(group: "order-service", deadline: deadline)
        do {
            _ = try await c.alterGroupOffsets(group: "order-service", offsets: [TopicPartition("orders", 0): 0], deadline: deadline)
            Issue.record("an active group's offsets were changed")
        } catch let e as ClusterError {
            #expect(e.kind == .groupNotEmpty)
            #expect(e.code == "UNKNOWN_MEMBER_ID")
            #expect(e.message.contains("Stable"))
        }
        #expect(try await c.committedOffsets(group: "order-service", deadline: deadline) == before)
    }

    @Test func alterOffsetsOfAnEmptyOrNewGroup() async throws {
        let (c, clock) = cluster(at: 5)
        let tp = TopicPartition("clickstream", 3)
        let start = try #require(try await c.logOffsets([tp], deadline: deadline)[tp]).start
        let r = try await c.alterGroupOffsets(group: "billing-reconciler",
                                              offsets: [tp: start, TopicPartition("clickstream", 99): 1], deadline: deadline)
        #expect(r.count == 2)
        #expect(r.first { $0.partition == tp }?.error == nil)
        #expect(r.first { $0.partition.partition == 99 }?.error?.kind == .unknownPartition)
        clock.advance(by: 30)
        let committed = try await c.committedOffsets(group: "billing-reconciler", deadline: deadline)
        #expect(committed[tp] == start)
        #expect(committed.count == 12)   // the other partitions keep their offsets

        // A group that does not exist is created by the commit.
        _ = try await c.alterGroupOffsets(group: "brand-new", offsets: [TopicPartition("orders", 1): 42], deadline: deadline)
        #expect(try await c.committedOffsets(group: "brand-new", deadline: deadline) == [TopicPartition("orders", 1): 42])
        let listed = try await c.listGroups(deadline: deadline).first { $0.id == "brand-new" }
        #expect(listed?.state == .empty)
    }
}

@Suite struct MutationTests {
    @Test func createTopicValidateOnlyCreatesNothing() async throws {
        let (c, _) = cluster()
        let topic = NewTopic(name: "checkout-events", partitions: 6, replicationFactor: 3, configs: ["min.insync.replicas": "2"])
        try await c.createTopic(topic, validateOnly: true, deadline: deadline)
        #expect(try await c.metadata(deadline: deadline).topics.contains { $0.name == "checkout-events" } == false)
        try await c.createTopic(topic, validateOnly: false, deadline: deadline)
        let md = try await c.metadata(deadline: deadline)
        let created = try #require(md.topics.first { $0.name == "checkout-events" })
        #expect(created.partitions.count == 6)
        #expect(created.partitions.allSatisfy { Set($0.replicas).count == 3 && $0.isr.count == 3 })
        #expect(try await c.topicConfigs(["checkout-events"], deadline: deadline)["checkout-events"]?
            .first { $0.name == "min.insync.replicas" }?.source == .topic)
        do {
            try await c.createTopic(topic, validateOnly: true, deadline: deadline)
            Issue.record("duplicate accepted")
        } catch let e as ClusterError {
            #expect(e.kind == .topicExists && e.code == "TOPIC_ALREADY_EXISTS")
        }
    }

    @Test(arguments: [
        (NewTopic(name: "too-many-replicas", partitions: 1, replicationFactor: 4), "INVALID_REPLICATION_FACTOR"),
        (NewTopic(name: "bad name!", partitions: 1, replicationFactor: 3), "INVALID_TOPIC_EXCEPTION"),
        (NewTopic(name: "no-partitions", partitions: 0, replicationFactor: 3), "INVALID_PARTITIONS"),
        (NewTopic(name: "bad-config", partitions: 1, replicationFactor: 3, configs: ["min.insync.replicas": "two"]), "INVALID_CONFIG"),
        (NewTopic(name: "payments_DLQ", partitions: 1, replicationFactor: 3), "INVALID_TOPIC_EXCEPTION"),
    ])
    func createTopicRejectsWhatKafkaRejects(topic: NewTopic, code: String) async throws {
        let (c, _) = cluster()
        do {
            try await c.createTopic(topic, validateOnly: false, deadline: deadline)
            Issue.record("accepted \(topic.name)")
        } catch let e as ClusterError {
            #expect(e.kind == .invalidRequest)
            #expect(e.code == code)
        }
        #expect(try await c.metadata(deadline: deadline).topics.contains { $0.name == topic.name } == false)
    }

    @Test func replicationFactorAboveLiveBrokersFailsDuringTheOutage() async throws {
        let (c, _) = cluster(at: 40)
        do {
            try await c.createTopic(NewTopic(name: "x", partitions: 1, replicationFactor: 3), validateOnly: true, deadline: deadline)
            Issue.record("RF 3 accepted with 2 live brokers")
        } catch let e as ClusterError {
            #expect(e.code == "INVALID_REPLICATION_FACTOR")
            #expect(e.message.contains("only 2 broker(s)"))
        }
    }

    @Test func alterTopicConfigsSetsAndDeletesOverrides() async throws {
        let (c, _) = cluster(at: 40)
        let tp = TopicPartition("audit-log", 0)
        var r = try await c.produce([OutgoingRecord(topic: "audit-log", partition: 0, key: nil, value: Array("x".utf8))], deadline: deadline)
        #expect(throws: ClusterError.self) { try r[0].result.get() }
        #expect((try? r[0].result.get()) == nil)
        if case .failure(let e) = r[0].result { #expect(e.code == "NOT_ENOUGH_REPLICAS") }

        try await c.alterTopicConfigs("audit-log", set: ["min.insync.replicas": "2"], delete: [], deadline: deadline)
        // The override is set: described as the topic's own value, and acks=all writes land at the log end.
        let set = try #require(try await c.topicConfigs(["audit-log"], deadline: deadline)["audit-log"]?
            .first { $0.name == "min.insync.replicas" })
        #expect(set.value == "2" && set.source == .topic)
        let endBefore = try #require(try await c.logOffsets([tp], deadline: deadline)[tp]).end
        r = try await c.produce([OutgoingRecord(topic: "audit-log", partition: 0, key: nil, value: Array("x".utf8))], deadline: deadline)
        let written = try r[0].result.get()
        #expect(written.partition == 0 && written.offset == endBefore)
        #expect(try await c.logOffsets([tp], deadline: deadline)[tp]?.end == endBefore + 1)

        try await c.alterTopicConfigs("audit-log", set: [:], delete: ["min.insync.replicas"], deadline: deadline)
        let entry = try #require(try await c.topicConfigs(["audit-log"], deadline: deadline)["audit-log"]?
            .first { $0.name == "min.insync.replicas" })
        #expect(entry.value == "1" && entry.source == .defaultConfig)

        await #expect(throws: ClusterError.self) {
            try await c.alterTopicConfigs("audit-log", set: ["no.such.config": "1"], delete: [], deadline: deadline)
        }
        await #expect(throws: ClusterError.self) {
            try await c.alterTopicConfigs("no-such-topic", set: ["retention.ms": "1"], delete: [], deadline: deadline)
        }
    }

    @Test func produceAppendsAndReadsBack() async throws {
        let (c, clock) = cluster(at: 10)
        let tp = TopicPartition("orders", 4)
        let end = try #require(try await c.logOffsets([tp], deadline: deadline)[tp]).end
        let value = Array("{\"replayed\":true}".utf8)
        let reports = try await c.produce([
            OutgoingRecord(topic: "orders", partition: 4, key: Array("k".utf8), value: value,
                           headers: [RecordHeader("kafkaops-replay-from", string: "orders-dlt-0@5")]),
            OutgoingRecord(topic: "orders", key: Array("customer-42".utf8), value: value),
            OutgoingRecord(topic: "nope", key: nil, value: value),
        ], deadline: deadline)
        #expect(reports.map(\.index) == [0, 1, 2])
        let first = try reports[0].result.get()
        #expect(first.offset == end && first.partition == 4)
        let keyed = try reports[1].result.get()
        // Kafka's murmur2 partitioner: the same key always lands on the same partition.
        let again = try await c.produce([OutgoingRecord(topic: "orders", key: Array("customer-42".utf8), value: value)], deadline: deadline)
        #expect(try again[0].result.get().partition == keyed.partition)
        if case .failure(let e) = reports[2].result { #expect(e.kind == .unknownTopic) } else { Issue.record("unknown topic accepted") }

        clock.advance(by: 5)
        let back = try await c.readRecords(ReadRequest(topic: "orders", partition: 4, start: .offset(end), maxRecords: 3), deadline: deadline)
        #expect(back.first?.offset == end)
        #expect(back.first?.value == value)
        #expect(back.first?.headers.first?.key == "kafkaops-replay-from")
        #expect(back.count == 3)   // the demo's producers kept writing after it
        let after = try #require(try await c.logOffsets([tp], deadline: deadline)[tp]).end
        #expect(after > end + 1)
    }

    @Test func produceToAnOfflinePartitionFails() async throws {
        let (c, _) = cluster(at: 40)
        let r = try await c.produce([OutgoingRecord(topic: "sessions-cache", partition: 0, key: nil, value: [1])], deadline: deadline)
        if case .failure(let e) = r[0].result { #expect(e.code == "LEADER_NOT_AVAILABLE" && e.isRetriable) } else {
            Issue.record("produce to an offline partition succeeded")
        }
        await #expect(throws: ClusterError.self) {
            try await c.readRecords(ReadRequest(topic: "sessions-cache", partition: 0, start: .earliest), deadline: deadline)
        }
    }

    @Test func readOnlyWrapperSendsNothing() async throws {
        let (c, _) = cluster()
        let ro = ReadOnlyClusterClient(c)
        _ = try await ro.metadata(deadline: deadline)
        let count = c.requestCount
        #expect(count == 1)
        await #expect(throws: ClusterError.self) {
            try await ro.createTopic(NewTopic(name: "x", partitions: 1, replicationFactor: 3), validateOnly: false, deadline: deadline)
        }
        await #expect(throws: ClusterError.self) { try await ro.alterTopicConfigs("orders", set: ["retention.ms": "1"], delete: [], deadline: deadline) }
        await #expect(throws: ClusterError.self) {
            try await ro.alterGroupOffsets(group: "billing-reconciler", offsets: [TopicPartition("clickstream", 0): 0], deadline: deadline)
        }
        await #expect(throws: ClusterError.self) { try await ro.electPreferredLeaders(nil, deadline: deadline) }
        await #expect(throws: ClusterError.self) {
            try await ro.produce([OutgoingRecord(topic: "orders", key: nil, value: [1])], deadline: deadline)
        }
        #expect(c.requestCount == count)
        #expect(c.requestCounts["produce"] == nil)
    }

    @Test func hangSwitchTimesOutAtTheDeadline() async throws {
        let (c, _) = cluster()
        c.hang = true
        let started = ContinuousClock.now
        do {
            _ = try await c.metadata(deadline: .after(.milliseconds(100)))
            Issue.record("a hung cluster answered")
        } catch let e as ClusterError {
            #expect(e.kind == .timeout)
        }
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        c.hang = false
        #expect(try await c.metadata(deadline: deadline).brokers.count == 3)
    }
}

@Suite struct RecordTests {
    func header(_ r: Record, _ key: String) -> [UInt8]? { r.headers.first { $0.key == key }?.value }

    func int(_ bytes: [UInt8]) -> Int64 { bytes.reduce(Int64(0)) { $0 << 8 | Int64($1) } }

    @Test func springDLTRecordsCarryTheirHeaders() async throws {
        let (c, _) = cluster()
        let records = try await c.readRecords(ReadRequest(topic: "orders-dlt", partition: 0, start: .earliest, maxRecords: 30), deadline: deadline)
        #expect(records.count == 30)
        for r in records {
            #expect(String(decoding: try #require(header(r, "kafka_dlt-original-topic")), as: UTF8.self) == "orders")
            let p = try #require(header(r, "kafka_dlt-original-partition"))
            #expect(p.count == 4)
            #expect((0..<12).contains(int(p)))
            let o = try #require(header(r, "kafka_dlt-original-offset"))
            #expect(o.count == 8 && int(o) > 0)
            let ts = try #require(header(r, "kafka_dlt-original-timestamp"))
            #expect(ts.count == 8 && int(ts) <= r.timestamp && int(ts) > r.timestamp - 60_000)
            #expect(header(r, "kafka_dlt-exception-fqcn") != nil)
            #expect(header(r, "kafka_dlt-exception-message") != nil)
            #expect(String(decoding: try #require(header(r, "kafka_dlt-exception-stacktrace")), as: UTF8.self).contains("\n\tat "))
        }
        // A few binary values (Confluent wire format) among the JSON ones.
        #expect(records.contains { $0.value?.first == 0x00 })
        #expect(records.contains { $0.value?.first == UInt8(ascii: "{") })
        // The hostile key: escape sequences that the sanitiser must neutralise.
        let hostile = try #require(records.first { $0.offset == 5 })
        let key = try #require(hostile.key)
        #expect(key.contains(0x1B))
        let shown = try #require(Sanitizer.text(key))
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(shown.contains("^[]52;c;"))
        let message = try #require(header(hostile, "kafka_dlt-exception-message"))
        #expect(message.contains(0x1B))
        #expect(try #require(Sanitizer.text(message)).contains("^[]8;;http://evil.example/^G"))
    }

    @Test func connectDLQRecordsCarryContextHeadersExceptWhenTheyDoNot() async throws {
        let (c, _) = cluster()
        let records = try await c.readRecords(ReadRequest(topic: "payments.DLQ", partition: 0, start: .earliest, maxRecords: 20), deadline: deadline)
        #expect(records.count == 20)
        let names = ["topic", "partition", "offset", "connector.name", "task.id", "stage", "class.name",
                     "exception.class.name", "exception.message", "exception.stacktrace"].map { "__connect.errors.\($0)" }
        let bare = try #require(records.first { $0.offset == 3 })
        #expect(bare.headers.isEmpty)
        #expect(bare.value != nil)
        for r in records where r.offset != 3 && r.offset != 13 {
            #expect(r.headers.map(\.key) == names)
            for h in r.headers { #expect(String(validating: h.value ?? [], as: UTF8.self) != nil) }
            #expect(String(decoding: try #require(header(r, "__connect.errors.topic")), as: UTF8.self) == "payments")
            #expect(Int(String(decoding: try #require(header(r, "__connect.errors.partition")), as: UTF8.self)) != nil)
        }
    }

    @Test func offsetsForTimesMatchesRecordTimestamps() async throws {
        let (c, clock) = cluster(at: 20)
        let tp = TopicPartition("payments", 2)
        let records = try await c.readRecords(ReadRequest(topic: "payments", partition: 2, start: .lastN(50)), deadline: deadline)
        #expect(records.count == 50)
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp && $0.offset + 1 == $1.offset })
        let target = records[25]
        let found = try #require(try await c.offsetsForTimes([tp: target.timestamp], deadline: deadline)[tp] ?? nil)
        #expect(found <= target.offset)
        let at = try await c.readRecords(ReadRequest(topic: "payments", partition: 2, start: .offset(found), maxRecords: 1), deadline: deadline)
        #expect(at.first.map { $0.timestamp >= target.timestamp } == true)
        if found > records[0].offset {
            #expect(records[Int(found - records[0].offset) - 1].timestamp < target.timestamp)
        }
        // Reading from a timestamp starts at the same offset.
        let byTime = try await c.readRecords(ReadRequest(topic: "payments", partition: 2, start: .timestamp(target.timestamp), maxRecords: 1), deadline: deadline)
        #expect(byTime.first?.offset == found)
        // After the last record: none.
        let future = Int64((clock.now.timeIntervalSince1970 + 3600) * 1000)
        let none = try await c.offsetsForTimes([tp: future], deadline: deadline)
        #expect(none.keys.contains(tp))
        #expect(none[tp] == .some(nil))
        // Before the first record: the log start.
        let start = try #require(try await c.logOffsets([tp], deadline: deadline)[tp]).start
        #expect(try await c.offsetsForTimes([tp: 0], deadline: deadline)[tp] == .some(start))
    }

    @Test func retentionMovesTheLogStartAndProducersMoveTheEnd() async throws {
        let (c, clock) = cluster(at: 0)
        let tp = TopicPartition("clickstream", 0)
        let o1 = try #require(try await c.logOffsets([tp], deadline: deadline)[tp])
        clock.advance(by: 1_200)
        let o2 = try #require(try await c.logOffsets([tp], deadline: deadline)[tp])
        #expect(o1.start > 0)
        #expect(o2.start > o1.start)
        #expect(o2.end > o1.end)
        // Kafka deletes whole segments: the first record kept is younger than the cutoff's segment.
        let first = try await c.readRecords(ReadRequest(topic: "clickstream", partition: 0, start: .earliest, maxRecords: 1), deadline: deadline)
        #expect(first.first?.offset == o2.start)
        // An infinite-retention topic keeps everything.
        let ledger = TopicPartition("ledger", 0)
        #expect(try await c.logOffsets([ledger], deadline: deadline)[ledger]?.start == 0)
    }

    @Test func everyTopicCanBeRead() async throws {
        let (c, _) = cluster(at: 3)
        let md = try await c.metadata(deadline: deadline)
        for t in md.topics {
            let r = try await c.readRecords(ReadRequest(topic: t.name, partition: 0, start: .lastN(2)), deadline: deadline)
            #expect(!r.isEmpty, "\(t.name)")
            #expect(r.allSatisfy { $0.topic == t.name && $0.partition == 0 })
        }
    }
}

@Suite struct ScaleTests {
    @Test func scaledScenarioBuildsTenThousandPartitionsAndAThousandGroups() async throws {
        let c = DemoCluster(scenario: .scaled(topics: 1_000, partitionsPerTopic: 10, groups: 1_000), clock: .manual())
        let md = try await c.metadata(deadline: deadline)
        let user = md.topics.filter { !$0.isInternal }
        #expect(user.count == 1_000)
        #expect(user.reduce(0) { $0 + $1.partitions.count } == 10_000)
        #expect(try await c.listGroups(deadline: deadline).count == 1_000)
        let s = try await snapshot(c)
        #expect(s.problems.isEmpty)
        #expect(s.committed.count == 1_000)
        #expect(s.allGroupLags().contains { $0.partitionsWithDataLoss > 0 || ($0.totalLag ?? 0) > 0 })
    }

    @Test func topicsOnlyScenarioForTheAudit() async throws {
        let c = DemoCluster(scenario: .topicsOnly(5_000), clock: .manual())
        let md = try await c.metadata(deadline: deadline)
        #expect(md.topics.filter { !$0.isInternal }.count == 5_000)
        #expect(try await c.listGroups(deadline: deadline).isEmpty)
        let configs = try await c.topicConfigs(md.topics.map(\.name), deadline: deadline)
        #expect(configs.count == 5_001)
        #expect(md.topics.contains { $0.partitions.first?.replicas.count == 1 })
    }
}
