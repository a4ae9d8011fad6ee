import Foundation
import Testing
@testable import KafkaOpsCore

/// A fake client that answers from fixed data and counts the calls that would go to the network.
final class FixedClient: ClusterClient, @unchecked Sendable {
    let md: ClusterMetadata
    let configs: [String: [ConfigEntry]]
    let broker: [ConfigEntry]
    let offsets: [TopicPartition: LogOffsets]
    let groups: [GroupDescription]
    let commits: [String: [TopicPartition: Int64]]
    var failGroups = false
    var failConfigs = false
    private let lock = NSLock()
    private var _calls: [String] = []
    var calls: [String] { lock.withLock { _calls } }

    init(md: ClusterMetadata, configs: [String: [ConfigEntry]] = [:], broker: [ConfigEntry] = [],
         offsets: [TopicPartition: LogOffsets] = [:], groups: [GroupDescription] = [], commits: [String: [TopicPartition: Int64]] = [:]) {
        self.md = md; self.configs = configs; self.broker = broker; self.offsets = offsets; self.groups = groups; self.commits = commits
    }

    func record(_ c: String) { lock.withLock { _calls.append(c) } }
    var displayName: String { "fixed" }
    func metadata(deadline: Deadline) async throws -> ClusterMetadata { record("metadata"); return md }
    func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        record("topicConfigs")
        if failConfigs { throw ClusterError(.timeout, "DescribeConfigs timed out") }
        return configs.filter { topics.contains($0.key) }
    }
    func brokerConfigs(_ b: Int32, deadline: Deadline) async throws -> [ConfigEntry] { record("brokerConfigs"); return broker }
    func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] { record("describeAcls"); return [] }
    func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        record("listGroups")
        if failGroups { throw ClusterError(.timeout, "ListGroups timed out") }
        return groups.map { GroupListing(id: $0.id, state: $0.state) }
    }
    func describeGroups(_ ids: [String], deadline: Deadline) async throws -> [GroupDescription] {
        record("describeGroups"); return groups.filter { ids.contains($0.id) }
    }
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        record("committedOffsets"); return commits[group] ?? [:]
    }
    func logOffsets(_ ps: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        record("logOffsets"); return offsets.filter { ps.contains($0.key) }
    }
    func offsetsForTimes(_ q: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] { [:] }
    func readRecords(_ r: ReadRequest, deadline: Deadline) async throws -> [Record] { [] }
    func createTopic(_ t: NewTopic, validateOnly: Bool, deadline: Deadline) async throws { record("createTopic") }
    func alterTopicConfigs(_ t: String, set: [String: String], delete: [String], deadline: Deadline) async throws { record("alterTopicConfigs") }
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        record("alterGroupOffsets"); return []
    }
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        record("deleteGroupOffsets"); return []
    }
    func electPreferredLeaders(_ p: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] { record("elect"); return [] }
    func produce(_ r: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { record("produce"); return [] }
}

@Suite struct SnapshotTests {
    static func cluster() -> FixedClient {
        let md = ClusterMetadata(clusterID: "c1", controllerID: 1,
            brokers: [Broker(id: 1, host: "k1", port: 9092), Broker(id: 2, host: "k2", port: 9092)],
            topics: [
                TopicInfo(name: "orders", partitions: [
                    PartitionInfo(id: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2]),
                    PartitionInfo(id: 1, leader: 2, replicas: [2, 1, 3], isr: [2, 1]),
                ]),
                TopicInfo(name: "audit", partitions: [PartitionInfo(id: 0, leader: nil, replicas: [3], isr: [])]),
                TopicInfo(name: "__consumer_offsets", isInternal: true, partitions: [PartitionInfo(id: 0, leader: 1, replicas: [1], isr: [1])]),
            ])
        return FixedClient(
            md: md,
            configs: ["orders": [ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic)], "audit": []],
            broker: [ConfigEntry(name: "min.insync.replicas", value: "1", source: .staticBroker)],
            offsets: [TopicPartition("orders", 0): LogOffsets(start: 0, end: 100), TopicPartition("orders", 1): LogOffsets(start: 0, end: 50),
                      TopicPartition("audit", 0): LogOffsets(start: 0, end: 7)],
            groups: [GroupDescription(id: "billing", state: .empty)],
            commits: ["billing": [TopicPartition("orders", 0): 90, TopicPartition("orders", 1): 50]])
    }

    @Test func summariesCombineHealthConfigsOffsetsAndLag() async throws {
        let client = Self.cluster()
        let snap = try await SnapshotLoader(client: client).load(deadline: .after(.seconds(5)))
        #expect(snap.problems.isEmpty)
        let s = snap.topicSummaries()
        #expect(s.map(\.name) == ["audit", "orders"])      // internal topics hidden by default
        let orders = try #require(s.last)
        #expect(orders.replicationFactor == 3)
        #expect(orders.minISR == 2)
        #expect(orders.minISRSource == .topic)
        #expect(orders.health.underReplicated == 2)
        #expect(orders.health.atMinISR == 2)
        #expect(orders.endOffsetSum == 150)
        #expect(orders.totalLag == 10)
        #expect(orders.consumerGroups == ["billing"])
        let audit = try #require(s.first)
        #expect(audit.minISR == 1)                           // the broker's default
        #expect(audit.health.offline == 1)
        #expect(audit.totalLag == nil)
        #expect(snap.topicSummaries(includeInternal: true).count == 3)
    }

    /// Issue 10 point 9: configs that were not read are not Kafka's default of 1.
    @Test func minISRIsUnknownWhenTheConfigsWereNotRead() async throws {
        let client = Self.cluster()
        client.failConfigs = true
        let snap = try await SnapshotLoader(client: client).load(deadline: .after(.seconds(5)))
        #expect(snap.problems.contains { $0.contains("topic configs") })
        let orders = try #require(snap.topicSummaries().first { $0.name == "orders" })
        #expect(orders.minISR == nil && orders.minISRSource == nil)
        // ISR 2 of 3 would be "at min ISR" with min ISR 2, under it with 3: neither is claimed.
        #expect(orders.health.atMinISR == 0 && orders.health.underMinISR == 0)
        #expect(orders.healthLevel == nil)
        // The offline topic stays offline: that does not depend on min ISR.
        let audit = try #require(snap.topicSummaries().first { $0.name == "audit" })
        #expect(audit.healthLevel == .offline)
        // The audit says what it could not read instead of passing.
        let r = DurabilityAudit.run(snap)
        #expect(!r.isComplete && r.fails)
        #expect(r.incomplete.contains { $0.contains("topic configs") })
        #expect(r.summary.hasPrefix("INCOMPLETE"))
    }

    @Test func aFailingPartIsReportedAndTheRestStillLoads() async throws {
        let client = Self.cluster()
        client.failGroups = true
        let snap = try await SnapshotLoader(client: client).load(deadline: .after(.seconds(5)))
        #expect(snap.problems.count == 1)
        #expect(snap.problems.first?.contains("consumer groups") == true)
        #expect(snap.topicSummaries().count == 2)
    }

    @Test func topicFilterLimitsConfigAndOffsetRequestsButKeepsGroupOffsets() async throws {
        let client = Self.cluster()
        let snap = try await SnapshotLoader(client: client).load(topics: [], deadline: .after(.seconds(5)))
        // No topic offsets in the first pass; group partitions fetched afterwards.
        #expect(snap.logOffsets.keys.sorted() == [TopicPartition("orders", 0), TopicPartition("orders", 1)])
        #expect(!client.calls.contains("topicConfigs"))
        #expect(snap.groupLag("billing").totalLag == 10)
    }

    @Test func readOnlyClientRefusesEveryMutationBeforeAnyRequest() async throws {
        let base = Self.cluster()
        let ro = base.readOnly(true)
        let d = Deadline.after(.seconds(1))
        await #expect(throws: ClusterError.self) { try await ro.createTopic(NewTopic(name: "x", partitions: 1, replicationFactor: 3), validateOnly: false, deadline: d) }
        await #expect(throws: ClusterError.self) { try await ro.alterTopicConfigs("x", set: ["a": "b"], delete: [], deadline: d) }
        await #expect(throws: ClusterError.self) { _ = try await ro.alterGroupOffsets(group: "g", offsets: [:], deadline: d) }
        await #expect(throws: ClusterError.self) { _ = try await ro.deleteGroupOffsets(group: "g", partitions: [TopicPartition("t", 0)], deadline: d) }
        await #expect(throws: ClusterError.self) { _ = try await ro.electPreferredLeaders(nil, deadline: d) }
        await #expect(throws: ClusterError.self) { _ = try await ro.produce([], deadline: d) }
        #expect(base.calls.isEmpty)
        do {
            try await ro.createTopic(NewTopic(name: "x", partitions: 1, replicationFactor: 3), validateOnly: false, deadline: d)
        } catch let e as ClusterError {
            #expect(e.kind == .readOnly)
            #expect(e.message.contains("read-only"))
        }
        // A validate-only creation changes nothing (`topic create --dry-run`): it goes through.
        try await ro.createTopic(NewTopic(name: "x", partitions: 1, replicationFactor: 3), validateOnly: true, deadline: d)
        _ = try await ro.metadata(deadline: d)
        #expect(base.calls == ["createTopic", "metadata"])
    }
}

@Suite struct DeadlineTests {
    @Test func remainingMillisecondsNeverDropsBelowOne() {
        #expect(Deadline.after(.seconds(-5)).remainingMilliseconds == 1)
        let ms = Deadline.after(.seconds(2)).remainingMilliseconds
        #expect(ms > 1900 && ms <= 2000)
    }
}
