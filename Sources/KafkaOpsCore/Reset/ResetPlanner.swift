import Foundation

/// Something the operator should know about one partition of a reset plan.
public enum ResetNote: Hashable, Sendable, Codable {
    /// The group has no committed offset for the partition.
    case noCommittedOffset
    /// The requested offset was above the log end and was set to it.
    case clampedToLogEnd(requested: Int64, logEnd: Int64)
    /// The requested offset was below the log start and was set to it.
    case clampedToLogStart(requested: Int64, logStart: Int64)
    /// A time target found no record at or after the time: the log end is used.
    case fellBackToLogEnd
    /// The new offset is below the log start (only `--to-current` keeps such an offset): the records
    /// in between were deleted, and the consumer will apply its auto.offset.reset.
    case belowLogStart(offset: Int64, logStart: Int64)
    /// The plan file gives no offset (`topic,partition,`): the group's committed offset is deleted, as
    /// before a first commit (an undo of a partition that had none).
    case deletesCommit

    /// The note in Kafka's words where Kafka has them.
    public func message(for tp: TopicPartition) -> String {
        let name = Sanitizer.terminal(tp.description)
        switch self {
        case .noCommittedOffset:
            return "no committed offset"
        case .clampedToLogEnd(let requested, let end):
            return "New offset (\(requested)) is higher than latest offset for topic partition \(name). Value will be set to \(end)."
        case .clampedToLogStart(let requested, let start):
            return "New offset (\(requested)) is lower than earliest offset for topic partition \(name). Value will be set to \(start)."
        case .fellBackToLogEnd:
            return "Partition \(tp.partition) from topic \(Sanitizer.terminal(tp.topic)) is empty. Falling back to latest known offset."
        case .belowLogStart(let offset, let start):
            return "offset \(offset) is below the log start \(start): those records were deleted by retention"
        case .deletesCommit:
            return "no offset in the file: the committed offset of \(name) is deleted (the consumer then starts from its auto.offset.reset)"
        }
    }

    /// A short form for a table cell.
    public var short: String {
        switch self {
        case .noCommittedOffset: return "no committed offset"
        case .clampedToLogEnd(let r, _): return "clamped to log end (asked \(r))"
        case .clampedToLogStart(let r, _): return "clamped to log start (asked \(r))"
        case .fellBackToLogEnd: return "no record at/after time: log end"
        case .belowLogStart: return "below log start: data lost"
        case .deletesCommit: return "commit deleted"
        }
    }
}

/// One partition of a reset plan: where the group is and where it will be.
public struct ResetPlanRow: Hashable, Sendable, Codable {
    public var topic: String
    public var partition: Int32
    /// The committed offset now; nil when the group has none.
    public var current: Int64?
    /// The offset to commit; nil: no committed offset (the group's commit is deleted, see `ResetNote.deletesCommit`).
    public var new: Int64?
    public var logStart: Int64
    public var logEnd: Int64
    public var notes: [ResetNote]

    public init(topic: String, partition: Int32, current: Int64?, new: Int64?, logStart: Int64, logEnd: Int64,
                notes: [ResetNote] = []) {
        self.topic = topic; self.partition = partition; self.current = current; self.new = new
        self.logStart = logStart; self.logEnd = logEnd; self.notes = notes
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }

    /// new - current: positive moves forward (skips records), negative moves back (re-reads); nil without a
    /// commit before or after.
    public var delta: Int64? {
        guard let current, let new else { return nil }
        return new - current
    }

    public var changes: Bool { current != new }

    /// Records that exist in the log and that the group will now never read.
    public var recordsSkipped: Int64 {
        guard let current, let new, new > current else { return 0 }
        return max(0, min(new, logEnd) - max(current, logStart))
    }

    /// Records that exist in the log and that the group will read a second time.
    public var recordsReread: Int64 {
        guard let current, let new, new < current else { return 0 }
        return max(0, min(current, logEnd) - max(new, logStart))
    }

    /// Records between the committed offset and the log start: retention deleted them before the group
    /// read them. They are in the delta but neither skipped nor re-read by this reset (the skipped and
    /// re-read counts add up to the totals; the delta does not when this is above zero).
    public var recordsGone: Int64 {
        guard let current, current < logStart else { return 0 }
        return logStart - current
    }

    /// The per-partition count for a table, adding up to the plan's totals: "450 skipped", "300 re-read",
    /// "0"; "-" without a commit before or after.
    public var skippedOrRereadText: String {
        if recordsSkipped > 0 { return "\(recordsSkipped) skipped" }
        if recordsReread > 0 { return "\(recordsReread) re-read" }
        return delta == nil ? "-" : "0"
    }

    /// The notes for a table cell: first why the delta is more than the records skipped or re-read (an old
    /// offset below the log start), then the notes' short forms.
    public var noteTexts: [String] {
        (recordsGone > 0 ? ["old offset below log start: \(recordsGone) gone"] : []) + notes.map(\.short)
    }

    /// Lag after the reset (log end - new offset, never negative); nil when the commit is deleted.
    public var newLag: Int64? { new.map { max(0, logEnd - $0) } }

    public var messages: [String] { notes.map { $0.message(for: topicPartition) } }
}

/// The previewed outcome of a reset, sorted by topic then partition.
public struct ResetPlan: Hashable, Sendable, Codable {
    public var group: String
    public var target: ResetTarget
    public var rows: [ResetPlanRow]

    public init(group: String, target: ResetTarget, rows: [ResetPlanRow]) {
        self.group = group; self.target = target
        self.rows = rows.sorted { $0.topic == $1.topic ? $0.partition < $1.partition : $0.topic < $1.topic }
    }

    /// Records that exist and that the group will skip (sum over partitions moving forward).
    public var recordsSkipped: Int64 { rows.reduce(0) { $0 + $1.recordsSkipped } }
    /// Records that exist and that the group will read again (sum over partitions moving back).
    public var recordsReread: Int64 { rows.reduce(0) { $0 + $1.recordsReread } }
    /// Records that were deleted by retention below committed offsets (see `ResetPlanRow.recordsGone`).
    public var recordsGone: Int64 { rows.reduce(0) { $0 + $1.recordsGone } }
    public var partitionsChanged: Int { rows.reduce(0) { $0 + ($1.changes ? 1 : 0) } }
    public var partitionsWithoutCommit: Int { rows.reduce(0) { $0 + ($1.current == nil ? 1 : 0) } }

    /// One line for the preview footer and the CLI: "3 of 3 partitions change: 120 records skipped, 0 re-read;
    /// 1 partition has no committed offset".
    public var summaryLine: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var s = "\(partitionsChanged) of \(plural(rows.count, "partition")) change: "
        s += "\(recordsSkipped) record\(recordsSkipped == 1 ? "" : "s") skipped, \(recordsReread) re-read"
        let noCommit = partitionsWithoutCommit
        if noCommit > 0 { s += "; \(plural(noCommit, "partition")) \(noCommit == 1 ? "has" : "have") no committed offset" }
        let gone = recordsGone
        if gone > 0 { s += "; \(gone) record\(gone == 1 ? "" : "s") below the log start already deleted (neither skipped nor re-read)" }
        return s
    }

    /// True when the reset would skip more than `threshold` records: ask for an extra confirmation.
    public func skipsMoreThan(_ threshold: Int64) -> Bool { recordsSkipped > threshold }

    /// The offsets to commit (AlterConsumerGroupOffsets).
    public var offsets: [TopicPartition: Int64] {
        Dictionary(uniqueKeysWithValues: rows.compactMap { r in r.new.map { (r.topicPartition, $0) } })
    }

    /// The partitions whose committed offset is deleted (DeleteConsumerGroupOffsets), sorted.
    public var deletions: [TopicPartition] {
        rows.filter { $0.new == nil }.map(\.topicPartition)
    }

    /// Whether some partition moves back: its undo moves forward again, over records the group
    /// re-read or has yet to re-read (the undo "skips" them).
    public var movesBack: Bool {
        rows.contains { r in
            guard let current = r.current, let new = r.new else { return false }
            return new < current
        }
    }

    /// The offsets committed before the reset (the undo file), every partition of the plan: one that had
    /// no commit has no offset (its undo deletes the commit the reset made).
    public var previousOffsets: [ResetFileEntry] {
        rows.map { ResetFileEntry(topic: $0.topic, partition: $0.partition, offset: $0.current) }
    }

    /// Every note of every row, in Kafka's words, in row order.
    public var messages: [String] { rows.flatMap(\.messages) }

    /// The plan as a CSV that `--from-file` accepts (`topic,partition,offset`, no header line, as Kafka's `--export`).
    public func csv() -> String {
        ResetCSV.export(rows.map { ResetFileEntry(topic: $0.topic, partition: $0.partition, offset: $0.new) })
    }
}

/// Plans an offset reset exactly as Apache Kafka's GroupOffsetsResetter computes it; no I/O.
///
/// The caller: (1) `partitions(...)` to learn what to fetch, (2) fetches log offsets for them and, for time
/// targets, `offsetsForTimes(timeQuery(...))`, (3) `plan(...)`.
public enum ResetPlanner {
    /// The partitions a reset covers, validated: every one must exist and have a leader.
    /// `scope` may be nil only with `.fromFile` (whose rows give the partitions; a scope is then ignored, as in Kafka).
    public static func partitions(scope: ResetScope?, target: ResetTarget, committed: [TopicPartition: Int64],
                                  topology: ResetTopology) throws(ResetError) -> [TopicPartition] {
        var result: [TopicPartition] = []
        var seen = Set<TopicPartition>()
        func add(_ tp: TopicPartition) { if seen.insert(tp).inserted { result.append(tp) } }

        if case .fromFile(let entries) = target {
            for e in entries { add(e.topicPartition) }
        } else {
            guard let scope else { throw .scopeRequired }
            switch scope {
            case .allTopics:
                for tp in committed.keys { add(tp) }
                guard !result.isEmpty else {
                    throw .nothingToReset("the group has no committed offsets, so --all-topics selects no partition; name the partitions with --topic")
                }
            case .topics(let topics):
                var unknownTopics: [String] = []
                for t in topics {
                    if let ps = t.partitions {
                        for p in ps { add(TopicPartition(t.topic, p)) }
                    } else if let ps = topology.partitions[t.topic] {
                        for p in ps { add(TopicPartition(t.topic, p)) }
                    } else {
                        unknownTopics.append(t.topic)
                    }
                }
                if !unknownTopics.isEmpty { throw .unknownTopics(unknownTopics) }
            }
        }
        let unknown = result.filter { !topology.exists($0) }
        if !unknown.isEmpty { throw .unknownPartitions(unknown) }
        let noLeader = result.filter { topology.leaderless.contains($0) }
        if !noLeader.isEmpty { throw .partitionsWithoutLeader(noLeader) }
        return result.sorted()
    }

    /// The timestamp (ms since the epoch) a time target looks up, or nil for other targets.
    public static func timestamp(for target: ResetTarget, now: Date) -> Int64? {
        switch target {
        case .toDatetime(let ms): return ms
        case .byDuration(let d): return OffsetTime.milliseconds(now) - d
        default: return nil
        }
    }

    /// The offsetsForTimes query a time target needs (empty for other targets): fetch only these.
    public static func timeQuery(target: ResetTarget, partitions: [TopicPartition], now: Date) -> [TopicPartition: Int64] {
        guard let ts = timestamp(for: target, now: now) else { return [:] }
        var q: [TopicPartition: Int64] = [:]
        q.reserveCapacity(partitions.count)
        for tp in partitions { q[tp] = ts }
        return q
    }

    /// Plans the reset. `timeLookup` holds offsetsForTimes answers (nil value: no record at or after the time).
    public static func plan(group: String, scope: ResetScope?, target: ResetTarget,
                            committed: [TopicPartition: Int64], logOffsets: [TopicPartition: LogOffsets],
                            timeLookup: [TopicPartition: Int64?] = [:], topology: ResetTopology,
                            now: Date = Date()) throws(ResetError) -> ResetPlan {
        let tps = try partitions(scope: scope, target: target, committed: committed, topology: topology)
        let missing = tps.filter { logOffsets[$0] == nil }
        if !missing.isEmpty { throw .missingLogOffsets(missing) }
        if target.needsTimeLookup {
            let noAnswer = tps.filter { timeLookup[$0] == nil }
            if !noAnswer.isEmpty { throw .missingTimeLookup(noAnswer) }
        }
        var fileOffsets: [TopicPartition: Int64?] = [:]
        if case .fromFile(let entries) = target {
            // ResetCSV refuses a partition given twice; a hand-made list keeps its last row, as Kafka's map.
            for e in entries { fileOffsets[e.topicPartition] = e.offset }
        }
        var rows: [ResetPlanRow] = []
        rows.reserveCapacity(tps.count)
        for tp in tps {
            guard let log = logOffsets[tp] else { continue }
            let current = committed[tp].flatMap { $0 >= 0 ? $0 : nil }
            var notes: [ResetNote] = []
            if current == nil { notes.append(.noCommittedOffset) }

            func clamped(_ requested: Int64) -> Int64 {
                if requested > log.end {
                    notes.append(.clampedToLogEnd(requested: requested, logEnd: log.end)); return log.end
                }
                if requested < log.start {
                    notes.append(.clampedToLogStart(requested: requested, logStart: log.start)); return log.start
                }
                return requested
            }

            let new: Int64?
            switch target {
            case .toEarliest:
                new = log.start
            case .toLatest:
                new = log.end
            case .toCurrent:
                new = current ?? log.end
                if let current, current < log.start { notes.append(.belowLogStart(offset: current, logStart: log.start)) }
            case .toOffset(let o):
                new = clamped(o)
            case .shiftBy(let n):
                guard let current else { throw .noCommittedOffsetToShift(tp) }
                let (sum, overflow) = current.addingReportingOverflow(n)
                new = clamped(overflow ? (n > 0 ? Int64.max : Int64.min) : sum)
            case .toDatetime, .byDuration:
                if let found = timeLookup[tp] ?? nil, found >= 0 {
                    new = found
                } else {
                    notes.append(.fellBackToLogEnd)
                    new = log.end
                }
            case .fromFile:
                switch fileOffsets[tp] {
                case .some(.some(let o)): new = clamped(o)
                case .some(.none):
                    notes.append(.deletesCommit)
                    new = nil
                case .none: new = clamped(log.end)
                }
            }
            rows.append(ResetPlanRow(topic: tp.topic, partition: tp.partition, current: current, new: new,
                                     logStart: log.start, logEnd: log.end, notes: notes))
        }
        return ResetPlan(group: group, target: target, rows: rows)
    }
}
