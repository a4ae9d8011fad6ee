import Foundation

// "A written record is never sent again", across retries and processes: a replay records where its target
// partitions ended when it started (its checkpoint, in the started audit record and in the printed resume
// command); a retry or resume reads the target from there before sending anything and skips every DLQ record
// whose replay (by its `kafkaops.replay.source` header) is already there. The CLI and the console both go
// through `ReplayRunner.prepare`.

/// The end offsets of a replay's target partitions when its first run started. Everything the replay wrote is
/// at or after them.
public struct ReplayCheckpoint: Hashable, Sendable {
    public var offsets: [TopicPartition: Int64]

    public init(_ offsets: [TopicPartition: Int64] = [:]) { self.offsets = offsets }

    /// "orders/0=120,orders/1=7": the `--since-offsets` argument (topic names cannot hold "/" or "=").
    public var argument: String {
        offsets.keys.sorted().map { "\($0.topic)/\($0.partition)=\(offsets[$0] ?? 0)" }.joined(separator: ",")
    }

    /// For the audit record: {"orders/0": 120, ...}.
    public var json: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: offsets.map { ("\($0.key.topic)/\($0.key.partition)", .int($0.value)) }))
    }

    /// Parses `argument`'s form; every item is TOPIC/PARTITION=OFFSET, a partition at most once.
    public static func parse(_ text: String) throws(ReplayCheckpointError) -> ReplayCheckpoint {
        var out: [TopicPartition: Int64] = [:]
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            let fail = ReplayCheckpointError(item: item)
            let kv = item.split(separator: "=", omittingEmptySubsequences: false)
            guard kv.count == 2, let offset = Int64(kv[1]), offset >= 0, let slash = kv[0].lastIndex(of: "/") else { throw fail }
            let topic = String(kv[0][..<slash])
            guard !topic.isEmpty, let p = Int32(kv[0][kv[0].index(after: slash)...]), p >= 0 else { throw fail }
            let tp = TopicPartition(topic, p)
            guard out[tp] == nil else { throw ReplayCheckpointError(item: item, duplicate: true) }
            out[tp] = offset
        }
        return ReplayCheckpoint(out)
    }
}

public struct ReplayCheckpointError: Error, Sendable, Hashable, CustomStringConvertible {
    public var item: String
    public var duplicate = false
    public var description: String {
        duplicate ? "--since-offsets names partition '\(Sanitizer.terminal(item))' twice"
            : "invalid --since-offsets item '\(Sanitizer.terminal(item))': expected TOPIC/PARTITION=OFFSET (e.g. orders/0=120), separated by commas"
    }
}

/// A replay run ready to send: its progress after the target was checked, and the checkpoint to record.
public struct ReplayStart: Sendable {
    public var progress: ReplayProgress
    /// Sends again the records that failed before (a retry); records already written never are.
    public var includeFailed: Bool
    /// Where the target partitions ended when the first run of this replay started.
    public var checkpoint: ReplayCheckpoint
    /// The DLQ records this check found already written in the target (skipped, never sent again).
    public var skipped: [TopicPartitionOffset]
    /// The DLQ records this run will send.
    public var toSend: [TopicPartitionOffset] { progress.nextBatch(limit: .max, includeFailed: includeFailed).map(\.source) }
}

extension ReplayRunner {
    /// Most records a check may read from the target before it gives up (and refuses to send).
    public static let checkLimit = 1_000_000

    /// Before a replay run sends anything. Reads the end offsets of the target partitions (every partition of a
    /// topic that records go to by key). Without `since` (a first run) they are the checkpoint. With `since` (a
    /// retry or a resume: the checkpoint of the replay's first run), reads the target partitions from those offsets
    /// to their end, no group and nothing committed, and marks every record already there as already written;
    /// records whose outcome was unknown and are not there become sendable. Throws when the target cannot be read
    /// completely (or holds more than `limit` records since the checkpoint): the caller sends nothing.
    public static func prepare(_ progress: ReplayProgress, includeFailed: Bool = false, since: ReplayCheckpoint?,
                               client: any ClusterClient, timeout: Duration, limit: Int = checkLimit,
                               quiet: Duration = .milliseconds(500)) async throws -> ReplayStart {
        var progress = progress
        var candidates: [ReplayItem] = []
        for (i, s) in progress.states.enumerated() {
            switch s {
            case .pending: candidates.append(progress.items[i])
            case .failed, .unknown: if includeFailed { candidates.append(progress.items[i]) }
            case .written, .alreadyWritten: break
            }
        }
        // The partitions these records can land on.
        var targets = Set<TopicPartition>()
        let byKey = Set(candidates.filter { $0.record.partition == nil }.map(\.record.topic))
        for c in candidates { if let p = c.record.partition { targets.insert(TopicPartition(c.record.topic, p)) } }
        if !byKey.isEmpty {
            let md = try await client.metadata(deadline: .after(timeout))
            for t in byKey {
                guard let info = md.topics.first(where: { $0.name == t }), !info.partitions.isEmpty else {
                    throw ClusterError(.unknownTopic, "replay target topic \(t) does not exist", hint: "create it first, or choose another with --to")
                }
                for p in info.partitions { targets.insert(TopicPartition(t, p.id)) }
            }
        }
        let ends = targets.isEmpty ? [:] : try await client.endOffsets(Array(targets), deadline: .after(timeout))
        var checkpoint = since ?? ReplayCheckpoint()
        for tp in targets {
            guard let end = ends[tp] else {
                throw ClusterError(.unknownPartition, "cannot read the end offset of the replay target \(tp.topic)/\(tp.partition)")
            }
            if checkpoint.offsets[tp] == nil { checkpoint.offsets[tp] = end }
        }
        var skipped: [TopicPartitionOffset] = []
        if let since {
            // Read every target partition from the first run's start to its end now.
            var ranges: [(TopicPartition, Int64, Int64)] = []
            for tp in targets.sorted() {
                if let from = since.offsets[tp], let end = ends[tp] { ranges.append((tp, from, end)) }
            }
            let total = ranges.reduce(Int64(0)) { $0 + max(0, $1.2 - $1.1) }
            if total > Int64(limit) {
                throw ClusterError(.invalidRequest, "cannot check the replay target for records already written: \(total) records since the first run started, more than \(limit)",
                                   hint: "replay the rest without --since-offsets only if you accept duplicates")
            }
            var found: [Record] = []
            var read = 0
            /// Where each partition's paged read stopped on a record at the reported end (the last one it saw).
            var reachedEnd: [TopicPartition: Int64] = [:]
            func keep(_ page: [Record]) {
                // Only where each replayed record is and where it came from (not its key and value).
                for r in page {
                    guard let h = r.headers.last(where: { $0.key == ReplayPlanner.sourceHeader }) else { continue }
                    found.append(Record(topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp,
                                        key: nil, value: nil, headers: [h]))
                }
            }
            for (tp, from, end) in ranges {
                // To the end of the log as the read finds it (at least the end offset above; a broker that
                // reports a low end offset must not hide records), page by page, bounded by `limit` in all.
                var pos = from
                while true {
                    if Task.isCancelled { throw ClusterError(.cancelled, "checking the replay target was cancelled") }
                    let page = try await client.readRecords(
                        ReadRequest(topic: tp.topic, partition: tp.partition, start: .offset(pos),
                                    maxRecords: 10_000, maxBytes: 64 << 20), deadline: .after(timeout))
                    guard let last = page.last, last.offset >= pos else { break }  // the end of the log
                    read += page.count
                    if read > limit {
                        throw ClusterError(.invalidRequest, "cannot check the replay target for records already written: more than \(limit) records since the first run started",
                                           hint: "replay the rest without --since-offsets only if you accept duplicates")
                    }
                    keep(page)
                    if last.offset + 1 >= end { reachedEnd[tp] = last.offset }
                    pos = last.offset + 1
                }
            }
            // Records past the reported end: a broker may report the end of a partition as the first offset of
            // its last multi-record batch + 1 (tansu does), and a bounded read stops there. A reader that does
            // not stop at the end reads on from the last record seen until nothing more comes.
            if !reachedEnd.isEmpty {
                let beyond = try await readPastEnd(reachedEnd, client: client, timeout: timeout, quiet: quiet)
                read += beyond.count
                if read > limit {
                    throw ClusterError(.invalidRequest, "cannot check the replay target for records already written: more than \(limit) records since the first run started",
                                       hint: "replay the rest without --since-offsets only if you accept duplicates")
                }
                keep(beyond)
            }
            // A record is checked when every partition it can land on was read.
            let covered = Set(targets.filter { since.offsets[$0] != nil })
            let checked = Set(candidates.filter { c in
                if let p = c.record.partition { return covered.contains(TopicPartition(c.record.topic, p)) }
                return targets.filter { $0.topic == c.record.topic }.allSatisfy(covered.contains)
            }.map(\.source))
            skipped = progress.checkedTarget(found, checked: checked)
        }
        return ReplayStart(progress: progress, includeFailed: includeFailed, checkpoint: checkpoint, skipped: skipped)
    }

    /// Reads each partition from `last` (a record already read at its reported end) with a reader that does not
    /// stop at the end (`openTail`): waits (at most `timeout`) for that record, which shows the reader is
    /// fetching, then takes what comes after it until nothing new arrived for `quiet`. Throws when the known
    /// record never comes (the target cannot be checked: nothing is sent).
    static func readPastEnd(_ last: [TopicPartition: Int64], client: any ClusterClient, timeout: Duration,
                            quiet: Duration) async throws -> [Record] {
        let tail = try await client.openTail(last, deadline: .after(timeout))
        defer { Task { await tail.close() } }
        var seen = Set<TopicPartition>()
        var out: [Record] = []
        let clock = ContinuousClock()
        let until = clock.now.advanced(by: timeout)
        var quietSince = clock.now
        while true {
            if Task.isCancelled { throw ClusterError(.cancelled, "checking the replay target was cancelled") }
            let got = try await tail.poll(maxWait: .milliseconds(100))
            for r in got {
                let tp = TopicPartition(r.topic, r.partition)
                guard let known = last[tp] else { continue }
                if r.offset >= known { seen.insert(tp) }
                if r.offset > known { out.append(r) }
            }
            if !got.isEmpty { quietSince = clock.now }
            if seen.count == last.count && clock.now - quietSince >= quiet { break }
            if seen.count < last.count && clock.now >= until {
                let missing = last.keys.filter { !seen.contains($0) }.sorted().map { "\($0.topic)/\($0.partition)" }
                throw ClusterError(.timeout, "cannot check the replay target for records already written: \(missing.joined(separator: ", ")) could not be read to its end in time")
            }
        }
        return out
    }
}
