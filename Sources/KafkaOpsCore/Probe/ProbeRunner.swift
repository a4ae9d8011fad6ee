import Foundation

/// The two halves of a probe run on a cluster: a producer (acks=all, idempotent) and a reader
/// assigned to the probe's partitions from given offsets (no group, nothing committed).
public protocol ProbeSession: Sendable {
    /// Sends the records and waits for their answers, bounded by the deadline: one outcome per
    /// record, in input order, each with the time its answer arrived.
    func send(_ records: [OutgoingRecord], deadline: Deadline) async -> [ProbeOutcome]
    /// Records read since the last call; waits at most `maxWait` when there are none yet.
    func poll(maxWait: Duration) async throws -> [Record]
    /// A second reader from the run's start offsets, for the check after the run: a record read
    /// once may be gone since (an unclean election truncated the log).
    func reread(from start: [Int32: Int64]) async throws -> any RecordTail
    func close() async
}

/// The answer to one probe record.
public struct ProbeOutcome: Sendable, Hashable {
    public enum Answer: Sendable, Hashable {
        case acknowledged
        /// The broker's or the client's reason, as Kafka names it (NOT_ENOUGH_REPLICAS, MSG_TIMED_OUT).
        case failed(String)
        /// No answer before the deadline.
        case unanswered
    }
    public var answer: Answer
    /// When the answer arrived, µs since the epoch.
    public var atMicros: Int64

    public init(_ answer: Answer, atMicros: Int64) { self.answer = answer; self.atMicros = atMicros }
}

/// What a run does: which partitions, how much, how fast and for how long.
public struct ProbePlan: Sendable {
    public var topic: String
    public var runID: String
    /// The partitions to write, each with its leader when the run starts.
    public var leaders: [Int32: Int32]
    public var partitions: [Int32]
    /// Records per partition; nil: as many as the duration allows.
    public var recordsPerPartition: Int?
    /// Sending stops after this, once every partition was written at least once.
    public var duration: Duration
    /// Records per second in all; nil: no limit.
    public var rate: Double?
    /// The bound of each wait: one batch's answers, and reading back after the last send.
    public var timeout: Duration
    /// Each partition's log end before the run; with it, the run ends by reading the partitions
    /// again from there (`ProbeSession.reread`): an acknowledged record no longer in the log is lost.
    public var startOffsets: [Int32: Int64]?

    public init(topic: String, runID: String = ProbePayload.newRunID(), partitions: [Int32], leaders: [Int32: Int32],
                recordsPerPartition: Int?, duration: Duration, rate: Double?, timeout: Duration) {
        self.topic = topic; self.runID = runID; self.partitions = partitions.sorted(); self.leaders = leaders
        self.recordsPerPartition = recordsPerPartition; self.duration = duration; self.rate = rate; self.timeout = timeout
    }
}

/// Runs a probe: sends numbered records to every partition while reading them back, then waits
/// (at most `timeout`) for every acknowledged record to come back. Bounded in time whatever the
/// cluster does: a frozen broker's batches end at their deadline and are reported unanswered.
public enum ProbeRunner {
    /// Records per partition in one batch when the rate is not limited.
    static let unlimitedBatchPerPartition = 250

    public static func run(_ session: any ProbeSession, plan: ProbePlan,
                           progressEvery: Duration = .seconds(1),
                           progress: @escaping @Sendable (ProbeReport) async -> Void = { _ in }) async -> ProbeReport {
        let state = ProbeState(plan: plan)
        let started = ContinuousClock.now
        let reporter = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: progressEvery)
                await progress(await state.report())
            }
        }
        async let sending: Void = {
            await send(session, plan: plan, state: state, started: started)
            await state.finishSending()
        }()
        async let reading: Void = read(session, plan: plan, state: state)
        _ = await (sending, reading)
        reporter.cancel()
        if let start = plan.startOffsets, !Task.isCancelled { await verify(session, plan: plan, start: start, state: state) }
        return await state.report()
    }

    /// Reads the partitions again from the run's start: every acknowledged record still there is
    /// found; one missing once no more arrive (at most `timeout`) is lost, even if it was read before.
    private static func verify(_ session: any ProbeSession, plan: ProbePlan, start: [Int32: Int64], state: ProbeState) async {
        guard let tail = try? await session.reread(from: start) else { return }
        var present: [Int32: Set<Int64>] = [:]
        let until = ContinuousClock.now.advanced(by: plan.timeout)
        var quietSince = ContinuousClock.now
        while ContinuousClock.now < until, !Task.isCancelled {
            let records = (try? await tail.poll(maxWait: .milliseconds(100))) ?? []
            for r in records {
                guard let p = ProbePayload(bytes: r.value ?? []), p.runID == plan.runID, p.partition == r.partition else { continue }
                present[p.partition, default: []].insert(p.sequence)
            }
            if !records.isEmpty { quietSince = ContinuousClock.now }
            if await state.everyAcknowledgedRecordIn(present) { break }
            // Nothing new for a while: what is missing is not coming.
            if ContinuousClock.now - quietSince > .seconds(1) { break }
        }
        await tail.close()
        // A check cut short (the run cancelled: the screen closed, watch stopping) proves nothing missing.
        if Task.isCancelled { return }
        await state.verified(present)
    }

    static func nowMicros() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }

    private static func send(_ session: any ProbeSession, plan: ProbePlan, state: ProbeState,
                             started: ContinuousClock.Instant) async {
        var next: [Int32: Int64] = Dictionary(uniqueKeysWithValues: plan.partitions.map { ($0, 0) })
        var sentTotal = 0
        // Round robin over the partitions across batches: a low rate sends one record per batch.
        var cursor = 0
        let stopAt = started.advanced(by: plan.duration)
        func remaining(_ p: Int32) -> Int {
            guard let n = plan.recordsPerPartition else { return Int.max }
            return max(0, n - Int(next[p] ?? 0))
        }
        // A run writes every partition at least once, however long its sends take: a window that a
        // slow answer (or a busy machine) ends early still says something about each partition.
        func everyPartitionWritten() -> Bool { plan.partitions.allSatisfy { (next[$0] ?? 0) > 0 || remaining($0) == 0 } }
        while ContinuousClock.now < stopAt || !everyPartitionWritten(), !Task.isCancelled {
            let open = plan.partitions.filter { remaining($0) > 0 }
            if open.isEmpty { break }
            var budget: Int
            if let rate = plan.rate {
                let elapsed = (ContinuousClock.now - started) / .seconds(1)
                budget = min(Int((rate * elapsed).rounded(.down)) + 1 - sentTotal, max(1, Int(rate / 10)) + 1)
                if budget <= 0 {
                    try? await Task.sleep(for: .milliseconds(max(1, Int(1000 / rate) / 2)))
                    continue
                }
            } else {
                budget = unlimitedBatchPerPartition * open.count
            }
            var records: [OutgoingRecord] = []
            var sequences: [(Int32, Int64)] = []
            let sentAt = nowMicros()
            while budget > 0 {
                let live = open.filter { remaining($0) > 0 }
                if live.isEmpty { break }
                let p = live[cursor % live.count]
                cursor += 1
                let seq = next[p] ?? 0
                next[p] = seq + 1
                let payload = ProbePayload(runID: plan.runID, partition: p, sequence: seq, sentMicros: sentAt)
                records.append(OutgoingRecord(topic: plan.topic, partition: p, key: Array(plan.runID.utf8), value: payload.bytes))
                sequences.append((p, seq))
                budget -= 1
            }
            sentTotal += records.count
            await state.sent(sequences, atMicros: sentAt)
            let outcomes = await session.send(records, deadline: .after(plan.timeout))
            await state.answered(sequences, outcomes)
        }
    }

    private static func read(_ session: any ProbeSession, plan: ProbePlan, state: ProbeState) async {
        var drainUntil: ContinuousClock.Instant?
        while !Task.isCancelled {
            if let records = try? await session.poll(maxWait: .milliseconds(100)) {
                let at = nowMicros()
                await state.received(records.compactMap { r in
                    ProbePayload(bytes: r.value ?? []).flatMap { $0.runID == plan.runID && $0.partition == r.partition ? $0 : nil }
                }, atMicros: at)
            }
            if await state.sendingDone {
                if await state.everyAcknowledgedRecordReceived { break }
                let until = drainUntil ?? ContinuousClock.now.advanced(by: plan.timeout)
                drainUntil = until
                if ContinuousClock.now >= until { break }
            }
        }
        // Reading cut short (cancelled) is not the end of reading: what was acknowledged within the last
        // `timeout` may still come back, so it is not counted lost (`ProbeState.report`).
        if !Task.isCancelled { await state.finishReading() }
    }
}

/// The tallies a run's sender and reader share.
actor ProbeState {
    let plan: ProbePlan
    var tallies: [Int32: ProbePartitionTally]
    private(set) var sendingDone = false
    private(set) var readingDone = false

    init(plan: ProbePlan) {
        self.plan = plan
        tallies = Dictionary(uniqueKeysWithValues: plan.partitions.map { ($0, ProbePartitionTally(partition: $0)) })
    }

    func sent(_ seqs: [(Int32, Int64)], atMicros: Int64) {
        for (p, s) in seqs { tallies[p]?.sent(sequence: s, atMicros: atMicros) }
    }

    func answered(_ seqs: [(Int32, Int64)], _ outcomes: [ProbeOutcome]) {
        for ((p, s), o) in zip(seqs, outcomes) {
            switch o.answer {
            case .acknowledged: tallies[p]?.acknowledged(sequence: s, atMicros: o.atMicros)
            case .failed(let reason): tallies[p]?.failed(sequence: s, reason: reason)
            case .unanswered: break
            }
        }
    }

    func received(_ payloads: [ProbePayload], atMicros: Int64) {
        for p in payloads { tallies[p.partition]?.received(p, atMicros: atMicros) }
    }

    func everyAcknowledgedRecordIn(_ present: [Int32: Set<Int64>]) -> Bool {
        tallies.allSatisfy { p, t in t.acknowledgedSequences.isSubset(of: present[p] ?? []) }
    }

    func verified(_ present: [Int32: Set<Int64>]) {
        for p in Array(tallies.keys) { tallies[p]?.verified(present: present[p] ?? []) }
    }

    var everyAcknowledgedRecordReceived: Bool { tallies.values.allSatisfy { $0.lost == 0 } }

    func finishSending() { sendingDone = true }
    func finishReading() { readingDone = true }

    /// Final once reading is done; before that, what was acknowledged within the last `timeout`
    /// is not counted lost yet.
    func report() -> ProbeReport {
        let t = plan.timeout.components
        let timeoutMicros = t.seconds * 1_000_000 + t.attoseconds / 1_000_000_000_000
        return ProbeReport(topic: plan.topic, runID: plan.runID, tallies: Array(tallies.values), leaders: plan.leaders,
                           lostCutoffMicros: readingDone ? nil : ProbeRunner.nowMicros() - timeoutMicros)
    }
}
