import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 11: the bounded sample window, the analysis rows built from it, and the duration parser.
@Suite struct LagHistoryTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let tp = TopicPartition("orders", 0)

    static func record(_ h: inout LagHistory, _ i: Int, committed: Int64?, end: Int64, members: Bool = true, every: Double = 5) {
        h.record(group: "g", time: t0.addingTimeInterval(Double(i) * every), hasMembers: members,
                 partitions: [tp: (committed, end, 0)])
    }

    @Test func keepsTheWindowAndDropsTheOldest() {
        var h = LagHistory(window: 30, interval: 5)   // 7 samples
        #expect(h.capacity == 7)
        for i in 0..<20 { Self.record(&h, i, committed: Int64(i * 10), end: Int64(i * 10 + 100)) }
        // The oldest kept sample stays exact after the ones before it were dropped (it is stored absolute).
        let s = h.samples(group: "g", partition: Self.tp)
        #expect(s.count == 7)
        #expect(s.first?.committed == 130 && s.last?.committed == 190, "the 7 newest, oldest first")
        #expect(s.first?.time == Self.t0.addingTimeInterval(65))
        #expect(s.allSatisfy { $0.lag == 100 })
        #expect(s.last?.logStart == 0)
    }

    @Test func samplesOlderThanTheWindowGoEvenWhenTheRingHasRoom() {
        var h = LagHistory(window: 30, interval: 1)
        Self.record(&h, 0, committed: 1, end: 10)
        Self.record(&h, 1, committed: 2, end: 10, every: 20)
        Self.record(&h, 2, committed: 3, end: 10, every: 20)   // t = 40: the sample at 0 is 40 s old
        #expect(h.samples(group: "g", partition: Self.tp).map(\.committed) == [2, 3])
    }

    @Test func offsetsFarApartAndMissingCommitsSurviveTheCompactEncoding() {
        var h = LagHistory(window: 60, interval: 5)
        Self.record(&h, 0, committed: nil, end: 5_000_000_000)
        Self.record(&h, 1, committed: 4_999_999_000, end: 5_000_000_000)
        Self.record(&h, 2, committed: 4_999_999_500, end: 5_000_000_100)
        let s = h.samples(group: "g", partition: Self.tp)
        #expect(s.map(\.committed) == [nil, 4_999_999_000, 4_999_999_500])
        #expect(s.map(\.logEnd) == [5_000_000_000, 5_000_000_000, 5_000_000_100])
        // Jumps of any size (a reset to 1, billions of records produced) are kept exactly.
        Self.record(&h, 3, committed: 1, end: 10_000_000_000)
        Self.record(&h, 4, committed: 40_000, end: 10_000_000_001)
        #expect(h.samples(group: "g", partition: Self.tp).map(\.committed) == [nil, 4_999_999_000, 4_999_999_500, 1, 40_000])
        #expect(h.samples(group: "g", partition: Self.tp).last?.logEnd == 10_000_000_001)
    }

    @Test func aPartitionMissingFromARefreshHasNoSampleThere() {
        var h = LagHistory(window: 60, interval: 5)
        Self.record(&h, 0, committed: 1, end: 10)
        h.record(group: "g", time: Self.t0.addingTimeInterval(5), hasMembers: true, partitions: [:])
        Self.record(&h, 2, committed: 3, end: 10)
        #expect(h.samples(group: "g", partition: Self.tp).map(\.committed) == [1, 3])
    }

    @Test func emptySinceIsTheFirstSampleWithoutMembers() {
        var h = LagHistory(window: 60, interval: 5)
        Self.record(&h, 0, committed: 1, end: 10, members: true)
        Self.record(&h, 1, committed: 1, end: 10, members: false)
        Self.record(&h, 2, committed: 1, end: 10, members: false)
        #expect(h.emptySince(group: "g") == Self.t0.addingTimeInterval(5))
        Self.record(&h, 3, committed: 1, end: 10, members: true)
        #expect(h.emptySince(group: "g") == nil)
    }

    @Test func anAssignCommitterHasNoMembersButItsCommitsMove() {
        var idle = LagHistory(window: 60, interval: 5)
        Self.record(&idle, 0, committed: 5, end: 10, members: false)
        Self.record(&idle, 1, committed: 5, end: 12, members: false)
        #expect(!idle.isAssignCommitter(group: "g"), "Empty and not moving: idle")
        var assign = LagHistory(window: 60, interval: 5)
        Self.record(&assign, 0, committed: 5, end: 10, members: false)
        Self.record(&assign, 1, committed: 9, end: 12, members: false)
        #expect(assign.isAssignCommitter(group: "g"), "Empty is not idle")
        var rebalanced = LagHistory(window: 60, interval: 5)
        Self.record(&rebalanced, 0, committed: 5, end: 10, members: true)
        Self.record(&rebalanced, 1, committed: 9, end: 12, members: false)
        #expect(!rebalanced.isAssignCommitter(group: "g"), "the last commit came from members that then left")
        #expect(!LagHistory().isAssignCommitter(group: "g"))
    }

    // MARK: analysis rows

    static func lag(committed: Int64?, start: Int64 = 0, end: Int64) -> GroupLag {
        GroupLag(group: "g", partitions: [PartitionLag.compute(tp, committed: committed, logStart: start, logEnd: end)])
    }

    @Test func timeLagIsNowMinusTheNextRecordsTimestampAndUnknownWhenItCannotBeRead() {
        let now = Self.t0
        let at = TopicPartitionOffset(topic: "orders", partition: 0, offset: 40)
        var facts = LagFacts(recordTimes: [at: now.addingTimeInterval(-90)],
                             retention: ["orders": TopicRetention(cleanupPolicy: "delete", retentionMs: 3_600_000)])
        let row = LagAnalysis.group(Self.lag(committed: 40, end: 100), history: LagHistory(), hasMembers: true, facts: facts, now: now)
        #expect(row.trend == .unknown, "one sample: no trend")
        #expect(row.maxTimeLagMs == 90_000)
        #expect(row.minDataLossInMs == 3_510_000, "the next record is 90 s old, retention 1 h: from 58.5 min on")
        #expect(row.dataLossSeverity == .error, "under an hour, no ETA")
        facts.recordTimes = [:]
        let unknown = LagAnalysis.group(Self.lag(committed: 40, end: 100), history: LagHistory(), hasMembers: true, facts: facts, now: now)
        #expect(unknown.maxTimeLagMs == nil && unknown.minDataLossInMs == nil, "unknown, never a guess")
        let zero = LagAnalysis.group(Self.lag(committed: 100, end: 100), history: LagHistory(), hasMembers: true, facts: facts, now: now)
        #expect(zero.maxTimeLagMs == 0, "lag 0 is time lag 0")
    }

    @Test func theGroupRowTakesTheTrendFromTheHistory() {
        var h = LagHistory(window: 60, interval: 5)
        Self.record(&h, 0, committed: 40, end: 100)
        Self.record(&h, 1, committed: 40, end: 120)
        let row = LagAnalysis.group(Self.lag(committed: 40, end: 120), history: h, hasMembers: false, facts: LagFacts(),
                                    now: Self.t0.addingTimeInterval(5))
        #expect(row.trend == .stopped)
        #expect(row.partitions.first?.committedUnchangedSince == Self.t0)
        #expect(row.partitions.first?.lagSeries == [60, 80])
    }

    @Test func anOpenTransactionOlderThanTheTimeoutHoldsConsumersBack() {
        let now = Self.t0
        let lsoAt = TopicPartitionOffset(topic: "orders", partition: 0, offset: 90)
        let old = LagFacts(recordTimes: [lsoAt: now.addingTimeInterval(-16 * 60)], lastStableOffsets: [Self.tp: 90])
        let p = LagAnalysis.group(Self.lag(committed: 100, end: 100), history: LagHistory(), hasMembers: true, facts: old, now: now).partitions[0]
        #expect(p.lastStableOffset == 90 && p.openTransactionHoldsBack)
        let young = LagFacts(recordTimes: [lsoAt: now.addingTimeInterval(-60)], lastStableOffsets: [Self.tp: 90])
        #expect(!LagAnalysis.group(Self.lag(committed: 100, end: 100), history: LagHistory(), hasMembers: true, facts: young, now: now)
            .partitions[0].openTransactionHoldsBack)
        let none = LagFacts(lastStableOffsets: [Self.tp: 100])
        #expect(LagAnalysis.group(Self.lag(committed: 100, end: 100), history: LagHistory(), hasMembers: true, facts: none, now: now)
            .partitions[0].lastStableOffset == nil, "shown only where it differs from the log end")
    }

    // MARK: durations

    @Test(arguments: [("30s", Int64(30_000)), ("5m", 300_000), ("1h", 3_600_000), ("PT30S", 30_000), ("pt1m30s", 90_000),
                      ("500ms", 500), ("2d", 172_800_000)])
    func durations(input: String, ms: Int64) throws {
        #expect(try OffsetTime.parseShortDuration(input) == ms)
    }

    @Test(arguments: ["", "30", "s", "-5s", "0s", "5 minutes", "PT", "1y", "99999999999999999d"])
    func badDurations(input: String) {
        #expect(throws: OffsetTimeError.self) { try OffsetTime.parseShortDuration(input) }
    }
}

/// Issue 11, point 6: a group without members whose committed offsets move between two samples is
/// refused a reset as an active group.
@Suite struct AssignCommitterResetTests {
    static let tp = TopicPartition("orders", 0)

    static func inputs(moved: [TopicPartition]) -> ResetInputs {
        var i = ResetInputs(group: "g", state: .empty, members: [], committed: [tp: 5],
                            topology: ResetTopology(metadata: ClusterMetadata(clusterID: nil, controllerID: nil, brokers: [], topics: [])))
        i.movedWhileEmpty = moved
        return i
    }

    @Test func movedOffsetsAreThoseThatAppearedMovedOrWent() {
        let a = TopicPartition("a", 0), b = TopicPartition("a", 1), c = TopicPartition("a", 2)
        #expect(ResetInputs.movedOffsets([a: 1, b: 2], [a: 1, b: 3, c: 0]) == [b, c])
        #expect(ResetInputs.movedOffsets([a: 1], [a: 1]).isEmpty)
    }

    @Test func anEmptyGroupWhoseCommitsMovedIsRefusedAsActive() {
        #expect(throws: Never.self) { try Self.inputs(moved: []).checkInactive() }
        do {
            try Self.inputs(moved: [Self.tp]).checkInactive()
            Issue.record("an assign() committer must be refused")
        } catch {
            #expect(String(describing: error).contains("committed offsets moved a moment ago (orders-0)"))
            #expect(String(describing: error).contains("assign()"))
        }
    }
}

@Suite struct LagSparklineTests {
    @Test func scalesToTheLargestAndKeepsTheNewest() {
        #expect(LagSparkline.render([0, 25, 50, 75, 100], width: 10) == "▁▃▅▆█")
        #expect(LagSparkline.render([100, 0, 0], width: 2) == "▁▁", "the newest two")
        #expect(LagSparkline.render([nil, 5, 10], width: 3) == " ▅█")
        #expect(LagSparkline.render([0, 0], width: 3) == "▁▁")
        #expect(LagSparkline.render([1, 2], width: 0) == "")
    }
}
