import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 13: the rules behind "what is wrong right now": brokers that left, groups whose lag
/// matters, names cut in the middle, findings worst first.
@Suite struct OnCallRulesTests {
    static func md(live: [Int32], replicas: [[Int32]] = [[1, 2, 3], [2, 3, 1]]) -> ClusterMetadata {
        ClusterMetadata(clusterID: "c", controllerID: live.first,
                        brokers: live.map { Broker(id: $0, host: "kafka-\($0).demo", port: 9092) },
                        topics: [TopicInfo(name: "orders", partitions: replicas.enumerated().map { i, r in
                            PartitionInfo(id: Int32(i), leader: r.first, replicas: r, isr: r.filter(live.contains))
                        })])
    }

    @Test func aBrokerThatLeftIsDownSinceTheFirstRefreshWithoutIt() {
        var roster = BrokerRoster()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        roster.observe(Self.md(live: [1, 2, 3]), at: t0)
        #expect(roster.down(Self.md(live: [1, 2, 3])).isEmpty)
        let without3 = Self.md(live: [1, 2])
        roster.observe(without3, at: t0.addingTimeInterval(10))
        roster.observe(without3, at: t0.addingTimeInterval(20))
        let down = roster.down(without3)
        #expect(down.map(\.id) == [3])
        #expect(down.first?.lastSeen?.host == "kafka-3.demo")
        #expect(down.first?.since == t0.addingTimeInterval(10), "the time it left, not the latest refresh")
        #expect(down.first?.replicas == 2)
        // Back: live again, no longer down.
        roster.observe(Self.md(live: [1, 2, 3]), at: t0.addingTimeInterval(30))
        #expect(roster.down(Self.md(live: [1, 2, 3])).isEmpty)
    }

    @Test func oneSnapshotKnowsTheDownBrokersThePartitionsName() {
        // A broker that no partition names and that was never seen cannot be known from one snapshot.
        let down = BrokerRoster.down(Self.md(live: [1, 2]))
        #expect(down.map(\.id) == [3])
        #expect(down.first?.lastSeen == nil && down.first?.since == nil)
        #expect(Self.md(live: [1, 2]).liveBrokerCount == 2)
    }

    @Test func laggingMeansTheLagMattersNotAnyLag() {
        // A consumer keeping up a few records behind is not lagging.
        #expect(!LaggingRule.matters(trend: .keepingUp, atRisk: false, maxTimeLagMs: 2_000))
        #expect(!LaggingRule.matters(trend: .catchingUp, atRisk: false, maxTimeLagMs: 60_000))
        #expect(!LaggingRule.matters(trend: .unknown, atRisk: false, maxTimeLagMs: nil))
        // Falling behind, stuck, or at risk of data loss is.
        #expect(LaggingRule.matters(trend: .fallingBehind, atRisk: false, maxTimeLagMs: 1_000))
        #expect(LaggingRule.matters(trend: .stalled, atRisk: false, maxTimeLagMs: nil))
        #expect(LaggingRule.matters(trend: .stopped, atRisk: false, maxTimeLagMs: nil))
        #expect(LaggingRule.matters(trend: .caughtUp, atRisk: true, maxTimeLagMs: nil))
        // So is any trend once the oldest unread record is older than the threshold.
        #expect(LaggingRule.matters(trend: .keepingUp, atRisk: false, maxTimeLagMs: LaggingRule.defaultTimeLagThresholdMs + 1))
    }

    @Test func namesAreCutInTheMiddleByDisplayWidth() {
        #expect(DisplayWidth.middleCut("search-index-updates", width: 18) == "search-in…-updates")
        #expect(DisplayWidth.middleCut("orders", width: 18) == "orders")
        #expect(DisplayWidth.of(DisplayWidth.middleCut("注文イベント注文イベント", width: 9)) <= 9)
        #expect(DisplayWidth.middleCut("注文イベント注文イベント", width: 9).hasPrefix("注文"))
        #expect(DisplayWidth.middleCut("注文イベント注文イベント", width: 9).hasSuffix("ント"))
        #expect(DisplayWidth.middleCut("abc", width: 1) == "…")
    }

    @Test func findingsAreWorstFirstThenByName() {
        func f(_ sev: FindingSeverity, _ kind: FindingTargetKind, _ target: String, _ rule: String = "r") -> Finding {
            Finding(rule: rule, severity: sev, targetKind: kind, target: target, current: "", expected: "", fix: "", reason: "")
        }
        let shuffled = [f(.warning, .topic, "a"), f(.info, .topic, "a"), f(.error, .topic, "zeta"),
                        f(.error, .cluster, "cluster"), f(.error, .topic, "alpha"), f(.warning, .group, "g")]
        let sorted = Finding.sortedWorstFirst(shuffled)
        #expect(sorted.map { "\($0.severity.rawValue):\($0.target)" }
                == ["error:cluster", "error:alpha", "error:zeta", "warning:a", "warning:g", "info:a"])
    }
}
