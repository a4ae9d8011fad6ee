import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsDemo

/// Issue 11, point 10: the demo cluster plays each trend word, a group heading for data loss
/// within the hour, an assign() committer and a partition held by an open transaction, sampled
/// as the console does (every 5 s) over 70 s of its clock.
@Suite struct DemoLagTrendTests {
    @Test func eachTrendWordDataLossAssignAndAnOpenTransaction() async throws {
        let (c, clock) = cluster(at: 50)
        var history = LagHistory(window: 1_800, interval: 5)
        var last: ClusterSnapshot?
        for i in 0...14 {
            if i > 0 { clock.advance(by: 5) }
            let s = try await snapshot(c)
            let members = Dictionary(s.groups.map { ($0.id, !$0.members.isEmpty) }, uniquingKeysWith: { a, _ in a })
            for g in s.allGroupLags() { history.record(g, time: clock.now, hasMembers: members[g.group] ?? false) }
            last = s
        }
        let s = try #require(last)
        let lags = s.allGroupLags()
        let (facts, problems) = await LagFactsLoader.load(c, lags: lags, broker: 1, deadline: deadline)
        #expect(problems.isEmpty, "\(problems)")
        var rows: [String: GroupTrendRow] = [:]
        for g in lags {
            let hasMembers = !(s.groups.first { $0.id == g.group }?.members.isEmpty ?? true)
            rows[g.group] = LagAnalysis.group(g, history: history, hasMembers: hasMembers, facts: facts, now: clock.now)
        }
        let expected: [String: LagTrend] = [
            "billing-reconciler": .stopped, "fraud-detector": .stalled, "analytics-etl": .fallingBehind,
            "price-rewinder": .rewound, "inventory-sync": .unknown, "order-service": .keepingUp,
            "recommendations-trainer": .catchingUp, "legacy-auditor": .caughtUp,
            // Committed past the log end: its lag cannot be known, so neither can its trend (issue 23, point 7).
            "legacy-migrator": .unknown,
        ]
        for (group, trend) in expected { #expect(rows[group]?.trend == trend, "\(group): \(rows[group]?.trend.word ?? "missing")") }
        #expect(Set(LagTrend.allCases).isSubset(of: Set(rows.values.map(\.trend))), "every trend word is played")

        // analytics-etl reads clickstream (retention 1 h) slower than it is written: data loss within the hour.
        #expect(rows["analytics-etl"]?.dataLossSeverity == .error)
        #expect((rows["analytics-etl"]?.minDataLossInMs ?? .max) < 3_600_000)
        #expect(rows["recommendations-trainer"]?.partitions.contains { $0.eta != nil } == true, "catching up: an ETA")

        #expect(rows["ledger-assign-exporter"]?.assignCommitter == true)
        #expect(rows.filter { $0.value.assignCommitter }.map(\.key) == ["ledger-assign-exporter"])

        let p0 = try #require(rows["payment-processor"]?.partitions.first { $0.partition == TopicPartition("payments", 0) })
        #expect(p0.lastStableOffset != nil && p0.openTransactionHoldsBack, "a transaction open for 20 minutes")
        #expect(rows["payment-processor"]?.partitions.filter(\.openTransactionHoldsBack).count == 1)
    }
}
