import Foundation

// The parts of DLQ browsing and replay that the CLI (`kafkaops dlq browse|replay`) and the console's DLQ
// panel share: reading a page of a DLQ, the replay loop and the shape of its audit record.

/// Reads pages of a dead-letter topic without a group and without committing.
public enum DLQReader {
    /// Reads up to `limit` records (and about `maxBytes`) from the given partitions, each from its own start,
    /// one `readRecords` call per partition (never per record). Partitions are read in the order given and
    /// the read stops once `limit` records are in, except for `.lastN` starts, whose records are merged over
    /// every partition and the newest `limit` kept (oldest first). Stops between partitions when cancelled.
    public static func read(client: any ClusterClient, topic: String, starts: [(partition: Int32, start: ReadStart)],
                            limit: Int, maxBytes: Int = 64 << 20, deadline: Deadline) async throws -> [Record] {
        var out: [Record] = []
        var bytes = 0
        var newest = false
        for (p, start) in starts {
            if Task.isCancelled { throw ClusterError(.cancelled, "reading \(topic) was cancelled") }
            if case .lastN = start { newest = true } else if out.count >= limit || bytes >= maxBytes { break }
            let want = newest ? limit : limit - out.count
            let page = try await client.readRecords(ReadRequest(topic: topic, partition: p, start: start, maxRecords: want,
                                                                maxBytes: max(1, maxBytes - (newest ? 0 : bytes))), deadline: deadline)
            for r in page { bytes += r.sizeInBytes }
            out += page
        }
        if newest {
            out.sort { ($0.timestamp, $0.partition, $0.offset) < ($1.timestamp, $1.partition, $1.offset) }
            return Array(out.suffix(limit))
        }
        return Array(out.prefix(limit))
    }
}

extension DLQSummary {
    /// The error group a record falls in, as `DLQSummaryBuilder` groups it: the error class and the normalised
    /// pattern of the message's first line (or the stack trace's when there is no message).
    public static func errorGroupKey(_ c: DLQContext) -> (errorClass: String?, pattern: String) {
        if let m = c.message ?? c.stackTrace { return (c.errorClass, normalize(m)) }
        return (c.errorClass, c.family == .none ? "(no error context)" : "(no message)")
    }
}

/// How a replay run ended.
public struct ReplayRun: Sendable {
    public var progress: ReplayProgress
    /// Why the run stopped before every record was written (nil when it ran to the end).
    public var stoppedBy: String?
    /// The DLQ records this run tried to send (its part of the plan).
    public var attempted: [TopicPartitionOffset]
    /// The DLQ records found already written in the target before this run, and skipped.
    public var skipped: [TopicPartitionOffset] = []
    /// Where the target partitions ended when the replay's first run started (for a resume).
    public var checkpoint = ReplayCheckpoint()
}

/// The replay loop: produces a plan's records in batches with acks=all and idempotence (`client.produce`),
/// counts a record as written only from its delivery report, holds an average rate, and stops at the first
/// failed delivery, on `shouldStop` or when its task is cancelled, always returning exactly what was written.
public enum ReplayRunner {
    /// Runs (or continues) a replay prepared by `prepare` (the target checked for records already written).
    /// `start.includeFailed` sends again the records that failed before (a retry); records already written are
    /// never sent again, nor those whose outcome is unknown. `onBatch` sees the progress after every batch.
    /// `shouldStop` (Ctrl-C, SIGHUP, SIGTERM, a stop key) ends the run between batches: the batch in flight
    /// still gets its delivery reports (bounded by `timeout`).
    /// How often the wait between batches looks at `shouldStop`.
    static let stopCheck: Duration = .milliseconds(50)

    public static func run(_ start: ReplayStart, client: any ClusterClient,
                           rate: Double?, timeout: Duration, shouldStop: @Sendable () -> Bool = { false },
                           onBatch: @Sendable (ReplayProgress) async -> Void = { _ in }) async -> ReplayRun {
        var progress = start.progress
        let includeFailed = start.includeFailed
        let rate = rate.flatMap { $0 > 0 ? $0 : nil }
        let attempted = progress.nextBatch(limit: .max, includeFailed: includeFailed).map(\.source)
        var stoppedBy: String?
        let batchSize = rate.map { max(1, min(500, Int($0))) } ?? 500
        let clock = ContinuousClock()
        let started = clock.now
        var sent = 0
        while true {
            if shouldStop() || Task.isCancelled { stoppedBy = "interrupted"; break }
            // A failed delivery ends the run, so a failed record is sent at most once per run.
            let batch = progress.nextBatch(limit: batchSize, includeFailed: includeFailed)
            if batch.isEmpty { break }
            if let rate {
                // Hold the average at `rate` records per second.
                // The wait wakes on a stop (a signal, a stop key) within `stopCheck`: at --rate 0.01 it is 100 s.
                let wait = Double(sent) / rate
                let due = started.advanced(by: .milliseconds(Int64(min(wait * 1000, 1e15))))
                while !shouldStop() && !Task.isCancelled && due > clock.now {
                    try? await Task.sleep(until: min(due, clock.now.advanced(by: stopCheck)), clock: clock)
                }
                if shouldStop() || Task.isCancelled { stoppedBy = "interrupted"; break }
            }
            do {
                let reports = try await client.produce(batch.map(\.record), deadline: .after(timeout))
                progress.apply(reports: reports, for: batch)
                if let failure = reports.first(where: { if case .failure = $0.result { return true } else { return false } }),
                   case .failure(let e) = failure.result {
                    let unknown = reports.filter(\.outcomeUnknown).count
                    stoppedBy = unknown > 0 && failure.outcomeUnknown
                        ? "no delivery report for \(unknown) record(s) before the deadline: \(e.message)"
                        : "a delivery failed: \(e.message)"
                    await onBatch(progress)
                    break
                }
            } catch {
                let e = error as? ClusterError ?? ClusterError(.broker, "\(error)")
                progress.fail(batch: batch, error: e)
                stoppedBy = e.message
                await onBatch(progress)
                break
            }
            sent += batch.count
            await onBatch(progress)
        }
        return ReplayRun(progress: progress, stoppedBy: stoppedBy, attempted: attempted, skipped: start.skipped,
                         checkpoint: start.checkpoint)
    }
}

extension ReplayReport {
    /// The DLQ offsets not written yet (failed, unknown or never sent) as `--offsets` items: "0:12-14", "1:7".
    public var remainingOffsetItems: [String] {
        var byPartition: [Int32: [Int64]] = [:]
        for s in remaining { byPartition[s.partition, default: []].append(s.offset) }
        var items: [String] = []
        for p in byPartition.keys.sorted() {
            let offs = (byPartition[p] ?? []).sorted()
            var i = 0
            while i < offs.count {
                var j = i
                while j + 1 < offs.count && offs[j + 1] == offs[j] + 1 { j += 1 }
                items.append(i == j ? "\(p):\(offs[i])" : "\(p):\(offs[i])-\(offs[j])")
                i = j + 1
            }
        }
        return items
    }
}
