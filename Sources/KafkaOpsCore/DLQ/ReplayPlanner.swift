import Foundation

/// Where replayed records go.
public enum ReplayTarget: Hashable, Sendable, Codable {
    /// The topic each record came from (from its error context).
    case original
    /// One chosen topic for every record.
    case topic(String)
}

/// Which timestamp a replayed record carries.
public enum ReplayTimestampPolicy: String, Hashable, Sendable, Codable {
    /// The original record's time (Spring's original-timestamp header, else the DLQ record's timestamp).
    case keepOriginal = "keep"
    /// Let the producer stamp the time of the replay.
    case producerTime = "now"
}

/// How replayed records are partitioned.
public enum ReplayPartitioning: String, Hashable, Sendable, Codable {
    /// To the original topic: the original partition when known (librdkafka's default partitioner differs from
    /// Java's, so partitioning by key could move a key to another partition and break its order). Elsewhere: by key.
    case originalWhenKnown = "original"
    /// Always let the producer's partitioner choose from the key.
    case byKey = "key"
}

public struct ReplayOptions: Hashable, Sendable, Codable {
    public var timestamp: ReplayTimestampPolicy
    public var partitioning: ReplayPartitioning
    /// Custom error headers to drop too (the profile's DLQ mapping).
    public var mapping: DLQHeaderMapping

    public init(timestamp: ReplayTimestampPolicy = .keepOriginal, partitioning: ReplayPartitioning = .originalWhenKnown,
                mapping: DLQHeaderMapping = .none) {
        self.timestamp = timestamp; self.partitioning = partitioning; self.mapping = mapping
    }
}

/// One record to replay: where it is in the DLQ and what will be produced.
public struct ReplayItem: Hashable, Sendable {
    /// The dead-letter record's own topic, partition and offset (the unit of progress).
    public var source: TopicPartitionOffset
    public var record: OutgoingRecord
}

/// A record that cannot be replayed, and why.
public struct ReplaySkip: Hashable, Sendable {
    public var source: TopicPartitionOffset
    public var reason: String
}

/// What the confirmation screen shows before anything is produced.
public struct ReplayPreview: Hashable, Sendable {
    public struct Destination: Hashable, Sendable {
        public var topic: String
        /// nil: the producer's partitioner chooses.
        public var partition: Int32?
        public var count: Int
    }
    public var total: Int
    public var notReplayable: Int
    /// Sorted by topic then partition (partitioner-chosen last).
    public var destinations: [Destination]
    /// Up to five keys, sanitised ("null" for a null key, hex for binary keys).
    public var keysSample: [String]
}

public struct ReplayPlan: Hashable, Sendable {
    public var items: [ReplayItem]
    public var notReplayable: [ReplaySkip]
    public var preview: ReplayPreview

    /// The records whose value is not valid JSON while most of the others' are (at least two, and at least
    /// as many as those that are not): probably the reason they failed, and likely to fail again. Null and
    /// empty values (tombstones) are not counted. Empty when the values are not mostly JSON.
    public var nonJSONOutliers: [TopicPartitionOffset] {
        var json = 0
        var other: [TopicPartitionOffset] = []
        for i in items {
            guard let v = i.record.value, !v.isEmpty else { continue }
            if PayloadView.isJSON(v) { json += 1 } else { other.append(i.source) }
        }
        return json >= 2 && json >= other.count ? other : []
    }

    /// The warning shown before a replay sends such records: "2 value(s) not valid JSON while 18 are: dlq/0: 7, 9"
    /// (nil when there are none).
    public var nonJSONWarning: String? {
        let odd = nonJSONOutliers
        guard !odd.isEmpty else { return nil }
        let valid = items.filter { $0.record.value.map { !$0.isEmpty && PayloadView.isJSON($0) } ?? false }.count
        return "\(odd.count) value\(odd.count == 1 ? " is" : "s are") not valid JSON while \(valid) other\(valid == 1 ? " is" : "s are")"
            + " (likely to fail again): " + ReplayOffsetRange.compress(odd).joined(separator: "; ")
    }
}

public enum ReplayPlanner {
    public static let sourceHeader = "kafkaops.replay.source"
    public static let timeHeader = "kafkaops.replay.time"

    /// The DLQ record a replayed record came from, by its `kafkaops.replay.source` header ("topic/partition/offset";
    /// topic names cannot hold "/"); nil for a record without a valid one.
    public static func source(of record: Record) -> TopicPartitionOffset? {
        guard let h = record.headers.last(where: { $0.key == sourceHeader }), let v = h.value,
              let text = String(bytes: v, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let p = Int32(parts[1]), p >= 0, let o = Int64(parts[2]), o >= 0 else { return nil }
        return TopicPartitionOffset(topic: String(parts[0]), partition: p, offset: o)
    }

    /// Plans a replay of dead-letter records (with their decoded contexts, same order): key, value and headers
    /// minus the error headers, plus `kafkaops.replay.source` ("topic/partition/offset" of the DLQ record) and
    /// `kafkaops.replay.time` (ISO-8601 UTC).
    public static func plan(records: [Record], contexts: [DLQContext], target: ReplayTarget,
                            options: ReplayOptions = ReplayOptions(), now: Date = Date()) -> ReplayPlan {
        let replayTime = Array(ISO8601.string(now).utf8)
        var items: [ReplayItem] = []
        var skips: [ReplaySkip] = []
        var seen = Set<TopicPartitionOffset>()
        for (index, r) in records.enumerated() {
            let source = TopicPartitionOffset(topic: r.topic, partition: r.partition, offset: r.offset)
            guard seen.insert(source).inserted else { continue } // the same DLQ record twice is replayed once
            let ctx = index < contexts.count ? contexts[index] : DLQContext.decode(record: r, mapping: options.mapping)
            let topic: String
            var partition: Int32?
            switch target {
            case .topic(let t):
                topic = t
            case .original:
                guard let t = ctx.originalTopic, !t.isEmpty else {
                    skips.append(ReplaySkip(source: source, reason: ctx.family == .none
                        ? "no error context says which topic it came from; choose a target topic"
                        : "the error context does not name the original topic; choose a target topic"))
                    continue
                }
                topic = t
                if options.partitioning == .originalWhenKnown { partition = ctx.originalPartition }
            }
            if topic == r.topic {
                skips.append(ReplaySkip(source: source, reason: "the target is the dead-letter topic itself"))
                continue
            }
            var headers = r.headers.filter { !DLQContext.isErrorHeader($0.key, mapping: options.mapping) }
            headers.append(RecordHeader(sourceHeader, string: "\(r.topic)/\(r.partition)/\(r.offset)"))
            headers.append(RecordHeader(timeHeader, replayTime))
            let timestamp: Int64?
            switch options.timestamp {
            case .keepOriginal: timestamp = ctx.originalTimestamp ?? (r.timestampType == .none ? nil : r.timestamp)
            case .producerTime: timestamp = nil
            }
            items.append(ReplayItem(source: source, record: OutgoingRecord(
                topic: topic, partition: partition, key: r.key, value: r.value, headers: headers, timestamp: timestamp)))
        }
        return ReplayPlan(items: items, notReplayable: skips, preview: preview(items: items, skipped: skips.count))
    }

    static func preview(items: [ReplayItem], skipped: Int) -> ReplayPreview {
        struct Key: Hashable { var topic: String; var partition: Int32? }
        var counts: [Key: Int] = [:]
        for i in items { counts[Key(topic: i.record.topic, partition: i.record.partition), default: 0] += 1 }
        let destinations = counts.map { ReplayPreview.Destination(topic: $0.key.topic, partition: $0.key.partition, count: $0.value) }
            .sorted {
                if $0.topic != $1.topic { return $0.topic < $1.topic }
                return ($0.partition ?? Int32.max) < ($1.partition ?? Int32.max)
            }
        let keys = items.prefix(5).map { keyText($0.record.key) }
        return ReplayPreview(total: items.count, notReplayable: skipped, destinations: destinations, keysSample: keys)
    }

    /// A key for one line: sanitised text, "null", "empty", or hex for binary keys (at most 64 characters).
    public static func keyText(_ key: [UInt8]?) -> String {
        guard let key else { return "null" }
        if key.isEmpty { return "empty" }
        if !key.contains(0), let s = Sanitizer.text(key) {
            return s.count > 64 ? String(s.prefix(63)) + "…" : s
        }
        let hex = key.prefix(32).map { b -> String in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
        return "0x" + hex + (key.count > 32 ? "…" : "")
    }
}

/// What happened to one DLQ record during a replay run.
public enum ReplayRecordState: Hashable, Sendable {
    case pending
    /// Its delivery report says it was written here.
    case written(TopicPartitionOffset)
    /// Found in the target (by its `kafkaops.replay.source` header) before a retry or resume: written by an
    /// earlier run, so skipped.
    case alreadyWritten(TopicPartitionOffset)
    /// Sent, but no delivery report said whether it was written (a timeout after sending). Never sent again
    /// before the target is checked for it (`ReplayRunner.prepare`).
    case unknown(String)
    case failed(String)
}

/// Tracks a replay run per source record, from delivery reports. A record counts as replayed only when its
/// delivery report says so; a record already written is never handed out again (so a retry after an interruption
/// or a partial failure does not duplicate it).
public struct ReplayProgress: Sendable {
    public private(set) var items: [ReplayItem]
    public private(set) var states: [ReplayRecordState]
    private var index: [TopicPartitionOffset: Int]

    public init(plan: ReplayPlan) {
        items = plan.items
        states = Array(repeating: .pending, count: plan.items.count)
        var idx: [TopicPartitionOffset: Int] = [:]
        for (i, item) in plan.items.enumerated() { idx[item.source] = i }
        index = idx
    }

    public func state(of source: TopicPartitionOffset) -> ReplayRecordState? {
        index[source].map { states[$0] }
    }

    /// The next records to produce, in plan order: those not yet written (pending, and failed ones when
    /// `includeFailed`). A record whose outcome is unknown is never handed out: the target must be checked
    /// for it first (`checkedTarget`), which makes it pending or already written.
    public func nextBatch(limit: Int = 500, includeFailed: Bool = true) -> [ReplayItem] {
        var out: [ReplayItem] = []
        for (i, s) in states.enumerated() {
            if out.count >= limit { break }
            switch s {
            case .pending: out.append(items[i])
            case .failed where includeFailed: out.append(items[i])
            default: break
            }
        }
        return out
    }

    /// Applies the delivery reports of one `produce(batch.map(\.record))` call (report.index indexes `batch`).
    public mutating func apply(reports: [DeliveryReport], for batch: [ReplayItem]) {
        for report in reports where report.index >= 0 && report.index < batch.count {
            guard let i = index[batch[report.index].source] else { continue }
            if isDone(states[i]) { continue } // idempotent: a written record stays written
            switch report.result {
            case .success(let destination): states[i] = .written(destination)
            case .failure(let e): states[i] = report.outcomeUnknown ? .unknown(e.description) : .failed(e.description)
            }
        }
    }

    private func isDone(_ s: ReplayRecordState) -> Bool {
        switch s {
        case .written, .alreadyWritten: return true
        default: return false
        }
    }

    /// The dedupe rule: given what the target partitions hold since the replay's first run started (read from
    /// its checkpoint to their end), every record of this plan that is there (by its `kafkaops.replay.source`
    /// header) becomes already written and is never sent again; every record whose outcome was unknown and is
    /// not there becomes pending (it can be sent) when it is among `checked` (the records every partition of whose
    /// destination was read; nil: all). Returns the DLQ records found, in plan order.
    @discardableResult
    public mutating func checkedTarget(_ targetRecords: [Record], checked: Set<TopicPartitionOffset>? = nil) -> [TopicPartitionOffset] {
        var found: [TopicPartitionOffset: TopicPartitionOffset] = [:]
        for r in targetRecords {
            guard let source = ReplayPlanner.source(of: r) else { continue }
            if found[source] == nil { found[source] = TopicPartitionOffset(topic: r.topic, partition: r.partition, offset: r.offset) }
        }
        var skipped: [TopicPartitionOffset] = []
        for (i, s) in states.enumerated() where !isDone(s) {
            if let at = found[items[i].source] {
                states[i] = .alreadyWritten(at)
                skipped.append(items[i].source)
            } else if case .unknown = s, checked?.contains(items[i].source) ?? true {
                states[i] = .pending
            }
        }
        return skipped
    }

    /// The whole produce call failed (no reports): every record of the batch not yet written failed.
    public mutating func fail(batch: [ReplayItem], error: ClusterError) {
        for item in batch {
            guard let i = index[item.source] else { continue }
            if isDone(states[i]) { continue }
            states[i] = .failed(error.description)
        }
    }

    public var isComplete: Bool { states.allSatisfy(isDone) }

    public var report: ReplayReport {
        var r = ReplayReport(written: [], failed: [], pending: [])
        for (i, s) in states.enumerated() {
            let source = items[i].source
            switch s {
            case .written(let to): r.written.append(ReplayReport.Written(source: source, destination: to))
            case .alreadyWritten(let at): r.alreadyWritten.append(ReplayReport.Written(source: source, destination: at))
            case .unknown(let why): r.unknown.append(ReplaySkip(source: source, reason: why))
            case .failed(let why): r.failed.append(ReplaySkip(source: source, reason: why))
            case .pending: r.pending.append(source)
            }
        }
        return r
    }
}

/// The outcome of a replay run, complete or interrupted.
public struct ReplayReport: Hashable, Sendable {
    public struct Written: Hashable, Sendable {
        public var source: TopicPartitionOffset
        public var destination: TopicPartitionOffset
    }
    public var written: [Written]
    public var failed: [ReplaySkip]
    /// Never sent.
    public var pending: [TopicPartitionOffset]
    /// Found in the target by a retry or resume (written by an earlier run) and skipped.
    public var alreadyWritten: [Written] = []
    /// Sent without an answer: may or may not be in the target; checked before any resend.
    public var unknown: [ReplaySkip] = []

    public init(written: [Written], failed: [ReplaySkip], pending: [TopicPartitionOffset],
                alreadyWritten: [Written] = [], unknown: [ReplaySkip] = []) {
        self.written = written; self.failed = failed; self.pending = pending
        self.alreadyWritten = alreadyWritten; self.unknown = unknown
    }

    public var isComplete: Bool { failed.isEmpty && pending.isEmpty && unknown.isEmpty }

    /// What the outcome of an unknown record is called wherever it is shown.
    public static let unknownLabel = "unknown (will be checked before any resend)"

    /// "written 98, failed 1, not sent 1", with "skipped as already written N" and "unknown (...) N" when
    /// there are any.
    public var summary: String {
        var parts = ["written \(written.count)"]
        if !alreadyWritten.isEmpty { parts.append("skipped as already written \(alreadyWritten.count)") }
        if !unknown.isEmpty { parts.append("\(Self.unknownLabel) \(unknown.count)") }
        parts += ["failed \(failed.count)", "not sent \(pending.count)"]
        return parts.joined(separator: ", ")
    }

    /// The records a retry or resume has left to do: failed, unknown and never sent.
    public var remaining: [TopicPartitionOffset] { failed.map(\.source) + unknown.map(\.source) + pending }

    /// The DLQ offsets written, compressed per partition: "dlq/0: 100-149, 151; dlq/1: 7".
    public var writtenRanges: [String] {
        ReplayOffsetRange.compress(written.map(\.source))
    }

    /// Where each record landed, from its delivery report (written now) or the target check (written before):
    /// "0:12 → orders/3@1042", "0:13 → orders/1@77 (written before)", in DLQ order.
    public var landings: [String] {
        let all = written.map { ($0, false) } + alreadyWritten.map { ($0, true) }
        return all.sorted { ($0.0.source.partition, $0.0.source.offset) < ($1.0.source.partition, $1.0.source.offset) }.map { w, before in
            "\(w.source.partition):\(w.source.offset) → \(w.destination.topic)/\(w.destination.partition)@\(w.destination.offset)"
                + (before ? " (written before)" : "")
        }
    }
}

/// One `--offsets P:N-M` item: a partition and an inclusive offset range (`last` nil: up to the log end).
public struct ReplayOffsetRange: Hashable, Sendable, Codable {
    public var partition: Int32
    public var first: Int64
    public var last: Int64?

    public init(partition: Int32, first: Int64, last: Int64?) {
        self.partition = partition; self.first = first; self.last = last
    }

    public func contains(_ offset: Int64) -> Bool { offset >= first && (last.map { offset <= $0 } ?? true) }

    /// Parses `0:100-200`, `0:100-200,1:5-9`, `2:42` (one offset) and `0:100-` (to the log end).
    public static func parse(_ text: String) throws(ReplayOffsetError) -> [ReplayOffsetRange] {
        var out: [ReplayOffsetRange] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            let fail = ReplayOffsetError(item: item)
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let p = Int32(parts[0]), p >= 0 else { throw fail }
            let range = parts[1]
            if let dash = range.firstIndex(of: "-") {
                guard let a = Int64(range[..<dash]), a >= 0 else { throw fail }
                let tail = range[range.index(after: dash)...]
                if tail.isEmpty {
                    out.append(ReplayOffsetRange(partition: p, first: a, last: nil))
                } else {
                    guard let b = Int64(tail), b >= a else { throw fail }
                    out.append(ReplayOffsetRange(partition: p, first: a, last: b))
                }
            } else {
                guard let a = Int64(range), a >= 0 else { throw fail }
                out.append(ReplayOffsetRange(partition: p, first: a, last: a))
            }
        }
        return out
    }

    /// Read requests for these ranges of a topic (`endOffset` is exclusive, hence last + 1).
    public func readRequest(topic: String, maxRecords: Int = 10_000) -> ReadRequest {
        ReadRequest(topic: topic, partition: partition, start: .offset(first), endOffset: last.map { $0 + 1 },
                    maxRecords: maxRecords)
    }

    /// Offsets grouped per topic partition as "topic/p: a-b, c".
    public static func compress(_ sources: [TopicPartitionOffset]) -> [String] {
        var byTP: [TopicPartition: [Int64]] = [:]
        for s in sources { byTP[TopicPartition(s.topic, s.partition), default: []].append(s.offset) }
        return byTP.keys.sorted().compactMap { tp in
            let offs = (byTP[tp] ?? []).sorted()
            guard let first = offs.first else { return nil }
            var parts: [String] = []
            var start = first, prev = first
            func close() { parts.append(start == prev ? "\(start)" : "\(start)-\(prev)") }
            for o in offs.dropFirst() {
                if o == prev || o == prev + 1 { prev = o; continue }
                close(); start = o; prev = o
            }
            close()
            return "\(tp.topic)/\(tp.partition): " + parts.joined(separator: ", ")
        }
    }
}

public struct ReplayOffsetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var item: String
    public var description: String {
        "invalid offset range '\(Sanitizer.terminal(item))': expected PARTITION:FIRST-LAST (e.g. 0:100-200), PARTITION:OFFSET or PARTITION:FIRST-, separated by commas"
    }
}
