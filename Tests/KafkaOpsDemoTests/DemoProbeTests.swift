import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsDemo

/// Issue 16 on the demo cluster: what min.insync.replicas is for. With broker 3 down, acks=all
/// writes to partitions whose ISR fell under min.insync.replicas are refused
/// (NOT_ENOUGH_REPLICAS), and nothing acknowledged is lost.
@Suite struct DemoProbeTests {
    static let d = Deadline.after(.seconds(30))

    func probe(_ c: DemoCluster, topic: String, records: Int = 20, rate: Double? = nil) async throws -> ProbeReport {
        let md = try await c.metadata(deadline: Self.d)
        let info = try #require(md.topics.first { $0.name == topic })
        let (ps, leaders) = ProbeTopic.partitions(of: info)
        let start = try await c.endOffsets(ps.map { TopicPartition(topic, $0) }, deadline: Self.d)
        let session = try await ClientProbeSession.open(c, start: start, deadline: Self.d)
        var plan = ProbePlan(topic: topic, partitions: ps, leaders: leaders, recordsPerPartition: records,
                             duration: .seconds(20), rate: rate, timeout: .seconds(2))
        plan.startOffsets = Dictionary(uniqueKeysWithValues: start.map { ($0.key.partition, $0.value) })
        let r = await ProbeRunner.run(session, plan: plan)
        await session.close()
        return r
    }

    @Test func withBroker3DownWritesUnderMinISRAreRefusedAndNoneLost() async throws {
        let (c, clock) = cluster(at: 0)
        // RF 2 and min.insync.replicas 2: a partition with a replica on broker 3 cannot take acks=all writes without it.
        try await c.createTopic(NewTopic(name: "probe-rf2", partitions: 3, replicationFactor: 2,
                                         configs: ["min.insync.replicas": "2"]), validateOnly: false, deadline: Self.d)
        let before = try await probe(c, topic: "probe-rf2")
        #expect(before.passed, "\(before.problems)")

        clock.advance(by: 35)   // the standard scenario's broker 3 is down from 30 s to 70 s
        let md = try await c.metadata(deadline: Self.d)
        let info = try #require(md.topics.first { $0.name == "probe-rf2" })
        let withBroker3 = Set(info.partitions.filter { $0.replicas.contains(3) }.map(\.id))
        #expect(!withBroker3.isEmpty)

        let r = try await probe(c, topic: "probe-rf2")
        for p in r.partitions {
            if withBroker3.contains(p.partition) {
                #expect(p.acknowledged == 0 && (p.errors["NOT_ENOUGH_REPLICAS"] ?? 0) + (p.errors["LEADER_NOT_AVAILABLE"] ?? 0) == p.sent,
                        "partition \(p.partition): \(p.errors)")
            } else {
                #expect(p.acknowledged == p.sent && p.failed == 0, "partition \(p.partition): \(p.errors)")
            }
            #expect(p.lost == 0)
        }
        #expect(r.partitions.contains { ($0.errors["NOT_ENOUGH_REPLICAS"] ?? 0) > 0 })
        #expect(!r.passed)
    }

    /// metrics-raw has unclean leader election on; partition 2 is led by broker 3 and its follower
    /// (broker 1) is out of the ISR, 1,250 records behind. Records acknowledged there before broker 3
    /// fails are lost when broker 1 is elected: the probe reads them back, then finds them gone.
    @Test func anUncleanElectionLosesAcknowledgedRecordsAndTheProbeSaysSo() async throws {
        let (c, clock) = cluster(at: 25)
        let tp = TopicPartition("metrics-raw", 2)
        let before = try await c.endOffsets([tp], deadline: Self.d)[tp] ?? 0
        let run = Task { try await self.probe(c, topic: "metrics-raw", records: 10, rate: 30) }
        // Once the probe's first records are in partition 2, broker 3 fails (30 s into the timeline).
        let until = ContinuousClock.now.advanced(by: .seconds(20))
        while ContinuousClock.now < until {
            if let end = try? await c.endOffsets([tp], deadline: Self.d)[tp], end > before { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        clock.advance(by: 10)
        let r = try await run.value
        let p2 = try #require(r.partitions.first { $0.partition == 2 })
        #expect(p2.lost > 0, "records acknowledged by the out-of-sync leader's predecessor are lost: \(p2)")
        #expect(r.partitions.filter { $0.partition != 2 }.allSatisfy { $0.lost == 0 }, "\(r.partitions.map(\.lost))")
        #expect(r.problems.first?.contains("acknowledged record(s) lost") == true)
    }
}
