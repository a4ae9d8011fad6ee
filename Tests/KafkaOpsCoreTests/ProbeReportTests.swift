import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 16: what a probe run's tallies say (lost, duplicated, out of order, refused), its
/// latency percentiles and the JSON shape `kafkaops probe --output json` promises.
@Suite struct ProbeReportTests {
    static func payload(_ p: Int32, _ s: Int64, sent: Int64) -> ProbePayload {
        ProbePayload(runID: "run1", partition: p, sequence: s, sentMicros: sent)
    }

    @Test func aPayloadReadsBackAndAnythingElseIsIgnored() {
        let p = ProbePayload(runID: "a1b2", partition: 3, sequence: 42, sentMicros: 1_800_000_000_000_000)
        #expect(ProbePayload(bytes: p.bytes) == p)
        #expect(ProbePayload(bytes: Array("{\"order\": 1}".utf8)) == nil)
        #expect(ProbePayload(bytes: Array("kafkaops-probe/2 a 1 2 3".utf8)) == nil)
        #expect(ProbePayload(bytes: Array("kafkaops-probe/1 a x 2 3".utf8)) == nil)
    }

    @Test func percentilesAreNearestRank() {
        let s = LatencySummary((1...100).map(Double.init))
        #expect(s.p50 == 50 && s.p99 == 99 && s.max == 100)
        let one = LatencySummary([7])
        #expect(one.p50 == 7 && one.p99 == 7 && one.max == 7)
        let none = LatencySummary([])
        #expect(none.p50 == nil && none.max == nil)
    }

    @Test func aCleanRunPasses() {
        var t = ProbePartitionTally(partition: 0)
        for s in Int64(0)..<10 {
            t.sent(sequence: s, atMicros: s * 1000)
            t.acknowledged(sequence: s, atMicros: s * 1000 + 2000)
        }
        for s in Int64(0)..<10 { t.received(Self.payload(0, s, sent: s * 1000), atMicros: s * 1000 + 5000) }
        let r = ProbeReport(topic: "kafkaops-probe", runID: "run1", tallies: [t], leaders: [0: 1])
        #expect(r.sent == 10 && r.acknowledged == 10 && r.received == 10)
        #expect(r.lost == 0 && r.duplicated == 0 && r.outOfOrder == 0 && r.failed == 0)
        #expect(r.ackMs.p50 == 2 && r.e2eMs.max == 5)
        #expect(r.passed)
        #expect(r.brokers.map(\.broker) == [1] && r.brokers[0].partitions == [0])
    }

    @Test func anAcknowledgedRecordNeverReadBackIsLost() {
        var t = ProbePartitionTally(partition: 1)
        for s in Int64(0)..<3 { t.sent(sequence: s, atMicros: 0); t.acknowledged(sequence: s, atMicros: 10) }
        t.received(Self.payload(1, 0, sent: 0), atMicros: 20)
        t.received(Self.payload(1, 2, sent: 0), atMicros: 20)
        let r = ProbeReport(topic: "t", runID: "run1", tallies: [t], leaders: [1: 2])
        #expect(r.lost == 1)
        #expect(!r.passed)
        #expect(r.problems.first == "1 acknowledged record(s) lost")
    }

    @Test func aRecordReadTwiceIsDuplicatedAndAnEarlierSequenceAfterALaterOneIsOutOfOrder() {
        var t = ProbePartitionTally(partition: 0)
        for s in Int64(0)..<3 { t.sent(sequence: s, atMicros: 0); t.acknowledged(sequence: s, atMicros: 1) }
        t.received(Self.payload(0, 0, sent: 0), atMicros: 2)
        t.received(Self.payload(0, 2, sent: 0), atMicros: 2)
        t.received(Self.payload(0, 1, sent: 0), atMicros: 2)
        t.received(Self.payload(0, 2, sent: 0), atMicros: 2)
        #expect(t.duplicated == 1 && t.outOfOrder == 1 && t.received == 3 && t.lost == 0)
    }

    @Test func refusedWritesAreCountedByReasonAndFailTheRun() {
        var t = ProbePartitionTally(partition: 2)
        for s in Int64(0)..<4 { t.sent(sequence: s, atMicros: 0) }
        t.acknowledged(sequence: 0, atMicros: 5)
        t.failed(sequence: 1, reason: "NOT_ENOUGH_REPLICAS")
        t.failed(sequence: 2, reason: "NOT_ENOUGH_REPLICAS")
        t.failed(sequence: 2, reason: "NOT_ENOUGH_REPLICAS")   // one report per record
        t.received(Self.payload(2, 0, sent: 0), atMicros: 9)
        let r = ProbeReport(topic: "t", runID: "run1", tallies: [t], leaders: [2: 3])
        #expect(r.failed == 2 && r.partitions[0].errors == ["NOT_ENOUGH_REPLICAS": 2])
        #expect(r.unanswered == 1 && r.lost == 0)
        #expect(r.problems == ["2 write(s) refused or failed (NOT_ENOUGH_REPLICAS 2)",
                               "1 write(s) never answered (partition 2)"])
    }

    @Test func theJSONHasTheFieldsTheIssueNames() throws {
        var t = ProbePartitionTally(partition: 0)
        t.sent(sequence: 0, atMicros: 0); t.acknowledged(sequence: 0, atMicros: 1500)
        t.received(Self.payload(0, 0, sent: 0), atMicros: 2500)
        let r = ProbeReport(topic: "kafkaops-probe", runID: "run1", tallies: [t], leaders: [0: 1])
        let data = try JSONEncoder().encode(r)
        let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["topic", "run_id", "sent", "acknowledged", "failed", "received", "lost", "duplicated",
                    "out_of_order", "ack_ms", "e2e_ms", "partitions", "brokers"] {
            #expect(obj[key] != nil, "missing \(key)")
        }
        let part = try #require((obj["partitions"] as? [[String: Any]])?.first)
        for key in ["partition", "leader", "sent", "acknowledged", "failed", "errors", "received", "lost",
                    "duplicated", "out_of_order", "ack_ms", "e2e_ms"] {
            #expect(part[key] != nil, "missing partitions[].\(key)")
        }
        let ack = try #require(obj["ack_ms"] as? [String: Any])
        #expect(ack["p50"] as? Double == 1.5 && ack["max"] as? Double == 1.5 && ack["p99"] != nil)
        let broker = try #require((obj["brokers"] as? [[String: Any]])?.first)
        #expect(broker["broker"] as? Int == 1 && broker["partitions"] as? [Int] == [0])
    }
}

/// A probe session over an in-memory log per partition: what it acknowledges it keeps, unless
/// told to lose it; a frozen partition never answers.
final class MemoryProbeSession: ProbeSession, @unchecked Sendable {
    private let lock = NSLock()
    private var logs: [Int32: [Record]] = [:]
    private var readUpTo: [Int32: Int] = [:]
    let refuse: Set<Int32>
    let frozen: Set<Int32>
    /// Acknowledged but never stored: (partition, sequence).
    let lose: Set<[Int64]>
    private var _sentPartitions: [Int32] = []
    /// The partition of every record sent, in sending order.
    var sentPartitions: [Int32] { lock.withLock { _sentPartitions } }

    init(refuse: Set<Int32> = [], frozen: Set<Int32> = [], lose: Set<[Int64]> = []) {
        self.refuse = refuse; self.frozen = frozen; self.lose = lose
    }

    func send(_ records: [OutgoingRecord], deadline: Deadline) async -> [ProbeOutcome] {
        if records.contains(where: { frozen.contains($0.partition ?? -1) }) {
            try? await Task.sleep(for: deadline.remaining)
        }
        return lock.withLock {
            _sentPartitions += records.map { $0.partition ?? -1 }
            return records.map { r in
                let p = r.partition ?? 0
                let at = ProbeRunner.nowMicros()
                if frozen.contains(p) { return ProbeOutcome(.unanswered, atMicros: at) }
                if refuse.contains(p) { return ProbeOutcome(.failed("NOT_ENOUGH_REPLICAS"), atMicros: at) }
                let payload = ProbePayload(bytes: r.value ?? [])
                if let payload, lose.contains([Int64(p), payload.sequence]) { return ProbeOutcome(.acknowledged, atMicros: at) }
                let offset = Int64(logs[p, default: []].count)
                logs[p, default: []].append(Record(topic: r.topic, partition: p, offset: offset, timestamp: 0,
                                                   key: r.key, value: r.value, headers: []))
                return ProbeOutcome(.acknowledged, atMicros: at)
            }
        }
    }

    func poll(maxWait: Duration) async throws -> [Record] {
        let out: [Record] = lock.withLock {
            var out: [Record] = []
            for (p, log) in logs {
                let from = readUpTo[p] ?? 0
                out += log[from...]
                readUpTo[p] = log.count
            }
            return out
        }
        if out.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        return out
    }

    /// Removes the records of `partition` from `count` on (an unclean election's truncation).
    func truncate(_ partition: Int32, to count: Int) {
        lock.withLock { if let l = logs[partition], l.count > count { logs[partition] = Array(l.prefix(count)) } }
    }

    func reread(from start: [Int32: Int64]) async throws -> any RecordTail {
        let all = lock.withLock { logs.flatMap { p, log in log.filter { $0.offset >= (start[p] ?? 0) } } }
        return OnceTail(records: all)
    }

    func close() async {}
}

/// A session whose partition is truncated to `keep` records once the run is over (before the check).
struct TruncatingSession: ProbeSession {
    let base: MemoryProbeSession
    let partition: Int32
    let keep: Int
    func send(_ records: [OutgoingRecord], deadline: Deadline) async -> [ProbeOutcome] { await base.send(records, deadline: deadline) }
    func poll(maxWait: Duration) async throws -> [Record] { try await base.poll(maxWait: maxWait) }
    func reread(from start: [Int32: Int64]) async throws -> any RecordTail {
        base.truncate(partition, to: keep)
        return try await base.reread(from: start)
    }
    func close() async {}
}

/// A tail that hands out its records once.
actor OnceTail: RecordTail {
    var records: [Record]
    init(records: [Record]) { self.records = records }
    func poll(maxWait: Duration) async throws -> [Record] { defer { records = [] }; return records }
    func close() async {}
}

@Suite struct ProbeRunnerTests {
    static func plan(records: Int?, duration: Duration = .seconds(30), timeout: Duration = .seconds(1)) -> ProbePlan {
        ProbePlan(topic: "kafkaops-probe", partitions: [0, 1, 2], leaders: [0: 1, 1: 2, 2: 3],
                  recordsPerPartition: records, duration: duration, rate: nil, timeout: timeout)
    }

    @Test func everyRecordComesBackOnceInOrder() async {
        let r = await ProbeRunner.run(MemoryProbeSession(), plan: Self.plan(records: 200))
        #expect(r.sent == 600 && r.acknowledged == 600 && r.received == 600)
        #expect(r.lost == 0 && r.duplicated == 0 && r.outOfOrder == 0 && r.passed)
        #expect(r.partitions.allSatisfy { $0.sent == 200 && $0.received == 200 })
        #expect(r.ackMs.p50 != nil && r.e2eMs.p99 != nil)
    }

    @Test func aRecordAcknowledgedAndNotStoredIsReportedLost() async {
        let r = await ProbeRunner.run(MemoryProbeSession(lose: [[1, 7]]), plan: Self.plan(records: 20))
        #expect(r.lost == 1 && r.partitions[1].lost == 1 && !r.passed)
    }

    /// Read back during the run, then truncated away (an unclean election): the check after the run
    /// finds them missing, so they are lost.
    @Test func recordsReadAndThenTruncatedAreLost() async {
        let session = MemoryProbeSession()
        var plan = Self.plan(records: 10)
        plan.startOffsets = [0: 0, 1: 0, 2: 0]
        let r = await Task {
            // Truncate partition 1 after the run read it: between the drain and the check.
            await ProbeRunner.run(session, plan: plan) { _ in }
        }.value
        #expect(r.lost == 0 && r.passed, "nothing truncated yet: \(r.problems)")
        var again = plan
        again.runID = "run2"
        let wrapped = TruncatingSession(base: session, partition: 1, keep: 13)
        let r2 = await ProbeRunner.run(wrapped, plan: again)
        #expect(r2.partitions[1].received == 10, "every record was read back during the run")
        #expect(r2.partitions[1].lost == 7 && !r2.passed, "\(r2.partitions[1])")
    }

    /// CI's WatchProbeTansuTests failure: `kafkaops watch` stopped (SIGTERM) during a window's read-back
    /// and the run's outcome said "40 acknowledged record(s) lost". A run cancelled before its records
    /// could come back counts none of them lost: cut short while reading them, and while checking the log.
    @Test func aRunCancelledBeforeItsRecordsCameBackCountsNoneLost() async throws {
        for cutDuring in ["reading", "checking"] {
            let session = SilentSession(base: MemoryProbeSession(), silentReading: cutDuring == "reading")
            var plan = Self.plan(records: 10, timeout: .seconds(10))
            plan.startOffsets = [0: 0, 1: 0, 2: 0]
            let run = Task { await ProbeRunner.run(session, plan: plan) }
            let until = ContinuousClock.now.advanced(by: .seconds(20))
            while ContinuousClock.now < until {
                if cutDuring == "reading" ? session.base.sentPartitions.count == 30 : session.rereadStarted { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(100))
            run.cancel()
            let r = await run.value
            #expect(r.acknowledged == 30, "\(cutDuring): \(r.acknowledged)")
            #expect(r.lost == 0, "cut short while \(cutDuring): \(r.problems)")
        }
    }

    @Test func refusedWritesAreNamedWithTheBrokersReason() async {
        let r = await ProbeRunner.run(MemoryProbeSession(refuse: [2]), plan: Self.plan(records: 10))
        #expect(r.partitions[2].errors == ["NOT_ENOUGH_REPLICAS": 10] && r.partitions[2].lost == 0)
        #expect(!r.passed)
    }

    /// A frozen partition's batches end at their deadline; the run ends after its duration and
    /// names the partition.
    @Test func aFrozenPartitionEndsTheRunWithItsPartitionNamed() async {
        let r = await ProbeRunner.run(MemoryProbeSession(frozen: [0]),
                                      plan: Self.plan(records: 5, duration: .seconds(30), timeout: .milliseconds(200)))
        #expect(r.partitions[0].unanswered > 0 && r.partitions[0].acknowledged == 0)
        #expect(r.problems.contains { $0.contains("never answered (partition 0)") })
    }

    /// 12 records at 20/s cannot all go out in less than (12 - 1) / 20 s: the limiter waits (a lower
    /// bound only, which load cannot break).
    @Test func theRateLimitsWhatIsSent() async {
        var p = Self.plan(records: 4)
        p.rate = 20
        let started = ContinuousClock.now
        let r = await ProbeRunner.run(MemoryProbeSession(), plan: p)
        #expect(r.sent == 12)
        #expect(ContinuousClock.now - started >= .milliseconds(500))
    }
}

@Suite struct ProbeRoundRobinTests {
    /// At a low rate each batch holds one or two records: every partition still gets its share.
    @Test func aLowRateStillWritesEveryPartition() async {
        let plan = ProbePlan(topic: "t", partitions: [0, 1, 2], leaders: [:], recordsPerPartition: 4,
                             duration: .seconds(30), rate: 50, timeout: .seconds(1))
        let session = MemoryProbeSession()
        _ = await ProbeRunner.run(session, plan: plan)
        // Round robin across batches: 0, 1, 2, 0, 1, 2... whatever the batch sizes were.
        #expect(session.sentPartitions == (0..<12).map { Int32($0 % 3) })
    }

    /// CI's failure of stop 29: a busy machine held the sender past a console window's 2 s, and the
    /// window reported nothing sent. A window now writes every partition, however slow its sends.
    @Test func aWindowWhoseFirstSendOutlastsItStillWritesEveryPartition() async {
        let plan = ProbePlan(topic: "t", partitions: [0, 1, 2], leaders: [:], recordsPerPartition: nil,
                             duration: .milliseconds(100), rate: 10, timeout: .seconds(1))
        let session = SlowFirstSendSession(base: MemoryProbeSession(), delay: .milliseconds(300))
        let r = await ProbeRunner.run(session, plan: plan)
        #expect(Set(session.base.sentPartitions) == [0, 1, 2], "\(session.base.sentPartitions)")
        #expect(r.partitions.allSatisfy { $0.sent > 0 && $0.acknowledged > 0 }, "\(r.partitions.map(\.sent))")
    }
}

/// A session whose first send answers only after `delay` (a loaded machine, a slow leader).
final class SlowFirstSendSession: ProbeSession {
    let base: MemoryProbeSession
    let delay: Duration
    private let slowed = Locked(false)
    init(base: MemoryProbeSession, delay: Duration) { self.base = base; self.delay = delay }
    func send(_ records: [OutgoingRecord], deadline: Deadline) async -> [ProbeOutcome] {
        let slow = slowed.withLock { done in defer { done = true }; return !done }
        if slow { try? await Task.sleep(for: delay) }
        return await base.send(records, deadline: deadline)
    }
    func poll(maxWait: Duration) async throws -> [Record] { try await base.poll(maxWait: maxWait) }
    func reread(from start: [Int32: Int64]) async throws -> any RecordTail { try await base.reread(from: start) }
    func close() async {}
}

/// A session whose records do not come back: the run's reading (`silentReading`) or its check of the log
/// after the run (`reread`) hears nothing, as when the run is cut short before they arrive.
final class SilentSession: ProbeSession {
    let base: MemoryProbeSession
    let silentReading: Bool
    private let rereadCalled = Locked(false)
    var rereadStarted: Bool { rereadCalled.value }
    init(base: MemoryProbeSession, silentReading: Bool) { self.base = base; self.silentReading = silentReading }
    func send(_ records: [OutgoingRecord], deadline: Deadline) async -> [ProbeOutcome] { await base.send(records, deadline: deadline) }
    func poll(maxWait: Duration) async throws -> [Record] {
        if silentReading { try await Task.sleep(for: maxWait); return [] }
        return try await base.poll(maxWait: maxWait)
    }
    func reread(from start: [Int32: Int64]) async throws -> any RecordTail {
        rereadCalled.set(true)
        return SilentTail()
    }
    func close() async {}
}

/// A tail that never hands out a record.
struct SilentTail: RecordTail {
    func poll(maxWait: Duration) async throws -> [Record] { try? await Task.sleep(for: maxWait); return [] }
    func close() async {}
}
