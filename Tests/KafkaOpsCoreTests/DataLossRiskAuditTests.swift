import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 11, point 5: the audit rule `group-data-loss-risk` (error under an hour, warning under a day).
@Suite struct DataLossRiskAuditTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// orders (retention 1 day): the next record "soon" reads is 23.5 h old, "later"'s 2 h, "day"'s
    /// a minute; "caught" has lag 0.
    static func snapshot() -> ClusterSnapshot {
        let r: [Int32] = [1]
        let md = ClusterMetadata(clusterID: "c", controllerID: 1, brokers: [Broker(id: 1, host: "b1", port: 9092)],
                                 topics: [TopicInfo(name: "orders", isInternal: false, partitions: [
                                     PartitionInfo(id: 0, leader: 1, replicas: r, isr: r)])])
        var s = ClusterSnapshot(metadata: md, topicConfigs: [:], brokerConfigs: [], fetchedAt: now)
        let tp = TopicPartition("orders", 0)
        s.logOffsets = [tp: LogOffsets(start: 0, end: 1_000)]
        s.committed = ["soon": [tp: 10], "later": [tp: 20], "day": [tp: 30], "caught": [tp: 1_000]]
        return s
    }

    static func facts(retentionMs: Int64?, policy: String = "delete") -> LagFacts {
        func at(_ o: Int64, _ age: TimeInterval) -> (TopicPartitionOffset, Date) {
            (TopicPartitionOffset(topic: "orders", partition: 0, offset: o), now.addingTimeInterval(-age))
        }
        return LagFacts(recordTimes: Dictionary(uniqueKeysWithValues: [at(10, 23.5 * 3600), at(20, 2 * 3600), at(30, 60)]),
                        retention: ["orders": TopicRetention(cleanupPolicy: policy, retentionMs: retentionMs)])
    }

    @Test func groupsHeadingForDataLossAreFindingsGradedByTime() throws {
        let r = DurabilityAudit.run(Self.snapshot(), lagFacts: Self.facts(retentionMs: 86_400_000))
        let f = r.findings.filter { $0.rule == "group-data-loss-risk" }
        #expect(Set(f.map(\.target)) == ["soon", "later", "day"], "lag 0 is never a finding")
        #expect(f.first { $0.target == "soon" }?.severity == .error, "from 30 minutes on: under an hour")
        #expect(f.first { $0.target == "later" }?.severity == .warning, "from 22 hours on: under a day")
        #expect(f.first { $0.target == "day" }?.severity == .warning, "from 23 h 59 m on: under a day")
        let week = DurabilityAudit.run(Self.snapshot(), lagFacts: Self.facts(retentionMs: 7 * 86_400_000))
        #expect(week.findings.filter { $0.rule == "group-data-loss-risk" }.isEmpty, "retention a week: days away, no finding")
        #expect(try #require(f.first { $0.target == "soon" }).current.hasPrefix("retention may delete unread records of orders-0 from 30m on"))
    }

    @Test func noFindingWithoutTimeRetentionFactsOrWhenThePolicyTurnsItOff() {
        func risks(_ r: AuditResult) -> [Finding] { r.findings.filter { $0.rule == "group-data-loss-risk" } }
        #expect(risks(DurabilityAudit.run(Self.snapshot(), lagFacts: Self.facts(retentionMs: -1))).isEmpty, "retention -1: never")
        #expect(risks(DurabilityAudit.run(Self.snapshot(), lagFacts: Self.facts(retentionMs: 86_400_000, policy: "compact"))).isEmpty)
        #expect(risks(DurabilityAudit.run(Self.snapshot())).isEmpty, "no facts: nothing checked")
        let off = TopicPolicy(severity: [PolicyRule.groupDataLossRisk: .off])
        #expect(risks(DurabilityAudit.run(Self.snapshot(), policy: off, lagFacts: Self.facts(retentionMs: 86_400_000))).isEmpty)
    }

    @Test func factsThatCouldNotBeReadMakeTheAuditIncomplete() {
        var facts = Self.facts(retentionMs: 86_400_000)
        facts.problems = ["record timestamps (time lag unknown): timed out"]
        let r = DurabilityAudit.run(Self.snapshot(), lagFacts: facts)
        #expect(!r.isComplete && r.fails)
        #expect(r.incomplete.contains { $0.contains("group-data-loss-risk") && $0.contains("timed out") })
    }
}
