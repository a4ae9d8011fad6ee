import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 11: the trend rules over sample sequences, rates, ETA and data-loss arithmetic.
@Suite struct LagTrendTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Samples 5 s apart from (committed, log end) pairs.
    static func samples(_ points: [(Int64?, Int64)]) -> [LagSample] {
        points.enumerated().map { i, p in LagSample(time: t0.addingTimeInterval(Double(i) * 5), committed: p.0, logEnd: p.1) }
    }

    @Test(arguments: [
        // (committed, log end) per sample, members, expected
        ([(Int64(100), Int64(100)), (100, 100), (100, 100)], true, LagTrend.caughtUp),            // idle topic, lag 0: never an alarm
        ([(100, 150), (150, 150), (160, 200)], true, .caughtUp),                                    // lag 0 in one sample
        ([(100, 200), (100, 260), (100, 300)], true, .stalled),                                     // stuck with members
        ([(100, 200), (100, 260), (100, 300)], false, .stopped),                                    // stuck, nobody there
        ([(100, 200), (100, 200), (100, 200)], false, .stopped),                                    // idle topic, lag > 0, no consumer
        ([(100, 1_000), (400, 1_100), (800, 1_200)], true, .catchingUp),                            // lag 900 -> 400
        ([(100, 1_000), (150, 1_300), (200, 1_600)], true, .fallingBehind),                         // lag 900 -> 1400
        ([(100, 1_000), (200, 1_100), (300, 1_210)], true, .keepingUp),                             // lag 900 -> 910: noise
        ([(500, 1_000), (100, 1_000), (150, 1_000)], true, .rewound),                               // committed went back
        ([(100, 1_000)], true, .unknown),                                                           // one sample
        ([(nil, 1_000), (nil, 1_100)], true, .unknown),                                             // no commit
    ] as [([(Int64?, Int64)], Bool, LagTrend)])
    func trendOverAWindow(points: [(Int64?, Int64)], members: Bool, expected: LagTrend) {
        #expect(LagTrendRules.trend(Self.samples(points), hasMembers: members) == expected)
    }

    /// Issue 23, point 6: a group committed at 10 while its topic grows to 100 records is not caught
    /// up (it was at the log end once, then stopped reading), whether the records come one at a time or
    /// in batches, with members (stalled) or without (stopped); its lag series rises.
    @Test(arguments: [false, true])
    func aGroupThatDoesNotConsumeIsNeverCaughtUp(members: Bool) {
        let oneAtATime = Self.samples((10...100).map { (Int64(10), Int64($0)) })
        let batches = Self.samples([(10, 10), (10, 40), (10, 70), (10, 100)])
        let oneBatch = Self.samples([(10, 10), (10, 100)])
        // Read up to 10 first, then stopped: lag was 0 twice before growing.
        let readThenStopped = Self.samples([(0, 0), (5, 5), (10, 10), (10, 55), (10, 100)])
        for s in [oneAtATime, batches, oneBatch] {
            #expect(LagTrendRules.trend(s, hasMembers: members) == (members ? .stalled : .stopped), "\(s.map(\.lag))")
        }
        #expect(LagTrendRules.trend(readThenStopped, hasMembers: members) != .caughtUp)
        for s in [oneAtATime, batches, oneBatch, readThenStopped] {
            #expect(s.last?.lag == 90)
            let series = s.map(\.lag).compactMap { $0 }
            #expect(series == series.sorted() && series.first == 0, "the sparkline rises from 0 to 90")
        }
    }

    /// A consumer that keeps reading what arrives since it was at the log end is caught up; one whose
    /// lag went back to 0 in the latest sample too.
    @Test func aConsumerReadingAtTheLogEndIsCaughtUp() {
        #expect(LagTrendRules.trend(Self.samples([(10, 10), (10, 100), (100, 100)]), hasMembers: true) == .caughtUp)
        #expect(LagTrendRules.trend(Self.samples([(10, 10), (12, 13), (14, 15)]), hasMembers: true) == .caughtUp)
        // A commit past the log end: the lag cannot be known, so neither can the trend.
        #expect(LagTrendRules.trend(Self.samples([(120, 100), (120, 100)]), hasMembers: false) == .unknown)
    }

    @Test func noiseIsTenPercentOrOneIntervalsProduction() {
        // Lag 1,000 at the start: 10 % is 100; the busiest interval produced 300.
        let s = Self.samples([(0, 1_000), (200, 1_300), (400, 1_400)])
        #expect(LagTrendRules.noise(s) == 300)
        // A lag growth equal to the noise is keeping up; one record more is falling behind.
        #expect(LagTrendRules.trend(Self.samples([(0, 1_000), (10, 1_100), (20, 1_120)]), hasMembers: true) == .keepingUp)
        #expect(LagTrendRules.trend(Self.samples([(0, 1_000), (10, 1_100), (20, 1_121)]), hasMembers: true) == .fallingBehind)
    }

    @Test func theGroupTakesItsWorstPartitionsTrend() {
        #expect(LagTrend.worst([.caughtUp, .catchingUp, .stalled, .fallingBehind]) == .stalled)
        #expect(LagTrend.worst([.caughtUp, .unknown]) == .unknown)
        #expect(LagTrend.worst([]) == .unknown)
        #expect(LagTrend.allCases.map(\.word) == ["stopped", "stalled", "falling_behind", "rewound", "unknown",
                                                  "keeping_up", "catching_up", "caught_up"])
    }

    @Test func ratesAndETA() throws {
        // 10 s: consumed 1,000 (100/s), produced 500 (50/s); lag 1,500: 30 s at the net 50/s.
        let s = Self.samples([(0, 2_000), (500, 2_250), (1_000, 2_500)])
        let r = try #require(LagTrendRules.rates(s))
        #expect(r.consumed == 100 && r.produced == 50)
        #expect(LagTrendRules.eta(lag: 1_500, rates: r, trend: .catchingUp) == 30)
        #expect(LagTrendRules.eta(lag: 1_500, rates: r, trend: .keepingUp) == nil, "no ETA unless catching up")
        #expect(LagTrendRules.eta(lag: 1_500, rates: LagRates(consumed: 10, produced: 20), trend: .catchingUp) == nil)
        #expect(LagTrendRules.rates(Array(s.prefix(1))) == nil)
    }

    @Test func dataLossFromTheNextRecordsTimestampPlusRetention() {
        let next = Self.t0.addingTimeInterval(-3_000)  // the next unread record is 50 minutes old
        let hour: Int64 = 3_600_000
        let e = DataLossRules.estimate(lag: 10, nextRecordTime: next, cleanupPolicy: "delete", retentionMs: hour)
        #expect(e == .from(next.addingTimeInterval(3_600)))
        #expect(e.milliseconds(now: Self.t0) == 600_000)   // 10 minutes
        #expect(DataLossRules.severity(e, eta: nil, now: Self.t0) == .error, "under an hour and no ETA")
        #expect(DataLossRules.atRisk(e, eta: 60, now: Self.t0) == false, "catching up in a minute, before retention")
        #expect(DataLossRules.atRisk(e, eta: 3_600, now: Self.t0) == true)
        let day = DataLossRules.estimate(lag: 10, nextRecordTime: next, cleanupPolicy: "delete", retentionMs: 12 * hour)
        #expect(DataLossRules.severity(day, eta: nil, now: Self.t0) == .warning)
        let week = DataLossRules.estimate(lag: 10, nextRecordTime: next, cleanupPolicy: "delete", retentionMs: 7 * 24 * hour)
        #expect(DataLossRules.severity(week, eta: nil, now: Self.t0) == nil)
    }

    @Test func noEstimateWhereRetentionDoesNotDeleteByTimeOrTheRecordIsUnknown() {
        #expect(DataLossRules.estimate(lag: 10, nextRecordTime: Self.t0, cleanupPolicy: "delete", retentionMs: -1) == .notByTime)
        #expect(DataLossRules.estimate(lag: 10, nextRecordTime: Self.t0, cleanupPolicy: "compact", retentionMs: 1_000) == .notByTime)
        #expect(DataLossRules.estimate(lag: 10, nextRecordTime: Self.t0, cleanupPolicy: "compact,delete", retentionMs: 1_000)
                == .from(Self.t0.addingTimeInterval(1)))
        #expect(DataLossRules.estimate(lag: 10, nextRecordTime: nil, cleanupPolicy: "delete", retentionMs: 1_000) == .unknown,
                "the record at the committed offset could not be read: unknown, never a guess")
        #expect(DataLossRules.estimate(lag: 0, nextRecordTime: nil, cleanupPolicy: "delete", retentionMs: 1_000) == .nothingUnread)
        #expect(DataLossRules.estimate(lag: nil, nextRecordTime: Self.t0, cleanupPolicy: "delete", retentionMs: 1_000) == .unknown)
    }
}
