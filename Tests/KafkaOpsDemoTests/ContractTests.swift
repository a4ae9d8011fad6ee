import Foundation
import KafkaOpsCore
import Testing
@testable import KafkaOpsDemo

/// What the contract suite does against a real broker, on an empty demo cluster.
@Suite struct EmptyClusterTests {
    @Test func createProduceReadCommitRoundTrip() async throws {
        let clock = DemoClock.manual()
        let c = DemoCluster(scenario: .empty(), clock: clock)
        #expect(try await c.metadata(deadline: deadline).topics.map(\.name) == ["__consumer_offsets"])
        try await c.createTopic(NewTopic(name: "contract", partitions: 2, replicationFactor: 3), validateOnly: false, deadline: deadline)
        let tp = TopicPartition("contract", 1)
        #expect(try await c.logOffsets([tp], deadline: deadline)[tp] == LogOffsets(start: 0, end: 0))

        clock.advance(by: 1)
        let t0 = Int64(clock.now.timeIntervalSince1970 * 1000)
        let records = (0..<5).map { i in
            OutgoingRecord(topic: "contract", partition: 1, key: Array("k\(i)".utf8), value: Array("v\(i)".utf8),
                           headers: [RecordHeader("i", string: "\(i)")], timestamp: t0 + Int64(i) * 1000)
        }
        let reports = try await c.produce(records, deadline: deadline)
        #expect(try reports.map { try $0.result.get().offset } == [0, 1, 2, 3, 4])
        clock.advance(by: 1)
        let more = try await c.produce([OutgoingRecord(topic: "contract", partition: 1, key: nil, value: Array("late".utf8))], deadline: deadline)
        #expect(try more[0].result.get().offset == 5)
        #expect(try await c.logOffsets([tp], deadline: deadline)[tp] == LogOffsets(start: 0, end: 6))

        let read = try await c.readRecords(ReadRequest(topic: "contract", partition: 1, start: .earliest), deadline: deadline)
        #expect(read.map(\.offset) == [0, 1, 2, 3, 4, 5])
        #expect(read.prefix(5).map(\.timestamp) == (0..<5).map { t0 + Int64($0) * 1000 })
        #expect(read[2].key == Array("k2".utf8) && read[2].headers == [RecordHeader("i", string: "2")])
        // Earliest offset whose timestamp is >= the time.
        let q = try await c.offsetsForTimes([tp: t0 + 2_500], deadline: deadline)
        #expect(q[tp] == .some(3))
        let fromTime = try await c.readRecords(ReadRequest(topic: "contract", partition: 1, start: .timestamp(t0 + 2_000), maxRecords: 2),
                                               deadline: deadline)
        #expect(fromTime.map(\.offset) == [2, 3])
        let last = try await c.readRecords(ReadRequest(topic: "contract", partition: 1, start: .lastN(2)), deadline: deadline)
        #expect(last.map(\.offset) == [4, 5])
        let bounded = try await c.readRecords(ReadRequest(topic: "contract", partition: 1, start: .offset(1), endOffset: 3), deadline: deadline)
        #expect(bounded.map(\.offset) == [1, 2])

        // A commit creates an Empty group with offsets.
        let r = try await c.alterGroupOffsets(group: "contract-group", offsets: [tp: 3], deadline: deadline)
        #expect(r == [PartitionResult(tp)])
        #expect(try await c.committedOffsets(group: "contract-group", deadline: deadline) == [tp: 3])
        let d = try await c.describeGroups(["contract-group"], deadline: deadline)
        #expect(d.first?.state == .empty && d.first?.members.isEmpty == true)
        // Nothing more is written by itself.
        clock.advance(by: 600)
        #expect(try await c.logOffsets([tp], deadline: deadline)[tp]?.end == 6)
    }

    @Test func latencyIsAppliedAndBoundedByTheDeadline() async throws {
        var scenario = DemoScenario.empty()
        scenario.latency = .milliseconds(30)
        let c = DemoCluster(scenario: scenario, clock: .manual())
        let started = ContinuousClock.now
        _ = try await c.listGroups(deadline: deadline)
        #expect(ContinuousClock.now - started >= .milliseconds(30))
        c.latency = .milliseconds(500)
        do {
            _ = try await c.listGroups(deadline: .after(.milliseconds(20)))
            Issue.record("answered after its deadline")
        } catch let e as ClusterError {
            #expect(e.kind == .timeout && e.isRetriable)
        }
    }

    @Test func syntheticValuesAreJSONWhereTheTopicIsJSON() async throws {
        let (c, _) = cluster(at: 2)
        for topic in ["orders", "payments", "clickstream", "inventory", "audit-log", "user-profiles", "shipments",
                      "notifications", "metrics-raw", "fraud-scores", "legacy-events"] {
            let rs = try await c.readRecords(ReadRequest(topic: topic, partition: 0, start: .lastN(5)), deadline: deadline)
            #expect(rs.count == 5, "\(topic)")
            for r in rs {
                let v = try #require(r.value)
                #expect((try? JSONSerialization.jsonObject(with: Data(v))) != nil, "\(topic): \(String(decoding: v, as: UTF8.self))")
            }
        }
    }

    @Test func timelineIsDescribed() {
        #expect(DemoScenario.standard.timeline.contains("broker 3 goes down 30 s after start for 40 s, every 120 s"))
        #expect(DemoScenario.standard.withoutFailures.timeline.contains("no scripted broker failure"))
    }
}

@Suite struct PartitionerTests {
    /// Apache Kafka's UtilsTest vectors: keyed records land where a Java producer would put them.
    @Test(arguments: [
        ("21", Int32(-973_932_308)), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829), ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ])
    func murmur2MatchesKafka(key: String, hash: Int32) {
        #expect(murmur2(Array(key.utf8)) == hash)
    }

    @Test func groupCoordinatorFollowsJavaHashCode() {
        // Java's String.hashCode, which places a group on __consumer_offsets (Utils.abs(hash) % 50).
        #expect(javaHashCode("abc") == 96_354)
        #expect(javaHashCode("") == 0)
    }
}
