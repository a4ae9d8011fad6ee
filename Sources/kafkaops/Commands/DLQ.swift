import ArgumentParser
import Foundation
import KafkaOpsCore

struct DLQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Dead-letter queues: browse, summarise and replay records.",
        subcommands: [Browse.self, Summary.self, Replay.self])
}

/// Bytes as JSON: UTF-8 text when valid (JSON escapes control characters), otherwise hex.
struct BytesJSON: Encodable {
    @NullEncoded var text: String?
    @NullEncoded var hex: String?
    let size: Int

    init?(_ b: [UInt8]?) {
        guard let b else { return nil }
        size = b.count
        if let s = String(validating: b, as: UTF8.self) { text = s; hex = nil } else {
            text = nil; hex = b.map { String(format: "%02x", $0) }.joined()
        }
    }
}

/// A key, value or header for a table cell: sanitised UTF-8, or hex when it is not UTF-8.
func cellText(_ b: [UInt8]?, max: Int = 40) -> String {
    guard let b else { return "null" }
    let s: String
    if let t = Sanitizer.text(b) { s = t } else { s = "hex:" + b.prefix(max / 2).map { String(format: "%02x", $0) }.joined() }
    return DisplayWidth.endCut(s, width: max)   // terminal columns, not characters
}

struct DLQRecordJSON: Encodable {
    struct Header: Encodable { let key: String; let value: BytesJSON? }
    struct Context: Encodable {
        let family: String
        @NullEncoded var original_topic: String?
        @NullEncoded var original_partition: Int32?
        @NullEncoded var original_offset: Int64?
        @NullEncoded var original_timestamp: Int64?
        @NullEncoded var consumer_group: String?
        @NullEncoded var connector: String?
        @NullEncoded var task: String?
        @NullEncoded var stage: String?
        @NullEncoded var error_class: String?
        @NullEncoded var cause_class: String?
        @NullEncoded var message: String?
        @NullEncoded var stack_trace: String?
        let problems: [String]
    }
    let topic: String
    let partition: Int32
    let offset: Int64
    let timestamp: Int64
    let time: String
    @NullEncoded var key: BytesJSON?
    @NullEncoded var value: BytesJSON?
    /// Wire-format keys and values: the schema (id, format, subject) and the decoded value; raw bytes stay above.
    @NullEncoded var key_schema: SchemaJSON?
    @NullEncoded var key_decoded: DecodedJSON?
    @NullEncoded var value_schema: SchemaJSON?
    @NullEncoded var value_decoded: DecodedJSON?
    let headers: [Header]
    let context: Context

    init(_ r: Record, _ c: DLQContext, _ d: DecodedRecord = DecodedRecord()) {
        topic = r.topic; partition = r.partition; offset = r.offset; timestamp = r.timestamp
        time = ISO8601.string(milliseconds: r.timestamp)
        key = BytesJSON(r.key); value = BytesJSON(r.value)
        key_schema = SchemaJSON(d.key); key_decoded = d.key?.value
        value_schema = SchemaJSON(d.value); value_decoded = d.value?.value
        headers = r.headers.map { Header(key: $0.key, value: BytesJSON($0.value)) }
        context = Context(family: c.family.rawValue, original_topic: c.originalTopic, original_partition: c.originalPartition,
                          original_offset: c.originalOffset, original_timestamp: c.originalTimestamp, consumer_group: c.consumerGroup,
                          connector: c.connectorName, task: c.taskID, stage: c.stage, error_class: c.errorClass, cause_class: c.causeClass,
                          message: c.message, stack_trace: c.stackTrace, problems: c.problems)
    }
}

/// The topic's partition ids, or an operator's error when it does not exist.
func dlqPartitions(_ md: ClusterMetadata, topic: String) throws -> [Int32] {
    guard let t = md.topics.first(where: { $0.name == topic }) else {
        throw ClusterError(.unknownTopic, "topic '\(topic)' does not exist", hint: "list topics with: kafkaops topics")
    }
    return t.partitions.map(\.id).sorted()
}

/// Reads a topic's partitions (all, or one) from a start position, bounded by `limit` records in all.
/// `metadata` saves a request when the caller already has it.
func readDLQ(_ s: Session, topic: String, partition: Int32?, start: ReadStart, limit: Int, deadline: Deadline,
             metadata: ClusterMetadata? = nil) async throws -> [Record] {
    let md: ClusterMetadata
    if let metadata { md = metadata } else { md = try await s.client.metadata(deadline: deadline) }
    let partitions = try dlqPartitions(md, topic: topic)
    if let partition, !partitions.contains(partition) {
        throw ClusterError(.unknownPartition, "topic '\(topic)' has no partition \(partition) (it has \(partitions.count))")
    }
    let starts = (partition.map { [$0] } ?? partitions).map { (partition: $0, start: start) }
    if case .offset(let o) = start {
        try await refusePastLogEnd(s, topic: topic, offset: o, partitions: starts.map(\.partition), deadline: deadline)
    }
    return try await DLQReader.read(client: s.client, topic: topic, starts: starts, limit: limit, deadline: deadline)
}

/// A start offset past the log end of every partition read is an error naming the log end, said at once
/// (there is nothing to wait for: the offset does not exist yet).
func refusePastLogEnd(_ s: Session, topic: String, offset: Int64, partitions: [Int32], deadline: Deadline) async throws {
    let tps = partitions.map { TopicPartition(topic, $0) }
    let logs = try await s.client.logOffsets(tps, deadline: deadline)
    let ends = tps.compactMap { tp in logs[tp].map { (partition: tp.partition, end: $0.end) } }.sorted { $0.partition < $1.partition }
    guard !ends.isEmpty, ends.allSatisfy({ offset > $0.end }) else { return }
    let where_ = ends.count == 1 ? "\(topic) partition \(ends[0].partition) (log end \(ends[0].end))"
        : "every partition of \(topic) (log ends: " + ends.map { "\($0.partition): \($0.end)" }.joined(separator: ", ") + ")"
    throw ClusterError(.invalidRequest, "offset \(offset) is past the log end of \(where_)",
                       hint: "the log end is the offset the next record will get; use a smaller --from-offset or --last N")
}

/// `--from-time`: ms since the epoch, or any time `OffsetTime.parseTimePoint` reads (a date-time,
/// `-1h`, `PT1H`: now minus the duration), as the reset wizard and `--to-datetime` take them.
func parseTime(_ s: String) throws -> Int64 {
    if let ms = Int64(s), ms >= 0 { return ms }
    do { return try OffsetTime.parseTimePoint(s).milliseconds(now: Date()) } catch { throw UsageError(error.message) }
}

extension DLQ {
    struct Browse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a DLQ's records with their error context (no group is joined, nothing is committed).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: RecordOutputOptions
        @OptionGroup var schema: SchemaOptions
        @Argument(help: "The dead-letter topic.", completion: Completions.topics) var topic: String
        @Option(name: .long, help: "Only this partition.") var partition: Int32?
        @Option(name: .long, help: "Start at this offset (in each partition).") var fromOffset: Int64?
        @Option(name: .long, help: "Start at this time: 2026-11-30T19:32[:00[.000]][zone] (UTC when no zone), PT1H or 1h (now minus the duration), or epoch ms.") var fromTime: String?
        @Option(name: .long, help: "The last N records.") var last: Int?
        @Option(name: .long, help: "At most this many records.") var limit: Int = 100

        func validate() throws {
            if [fromOffset != nil, fromTime != nil, last != nil].filter({ $0 }).count > 1 {
                throw ValidationError("give at most one of --from-offset, --from-time, --last")
            }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            if let last, last <= 0 { throw ValidationError("--last must be at least 1") }
        }

        func run() async throws {
            let s = try Session.open(global)
            let start: ReadStart
            var limit = self.limit
            if let o = fromOffset { start = .offset(o) } else if let t = fromTime { start = .timestamp(try parseTime(t)) }
            else if let n = last { start = .lastN(Int64(n)); limit = n } else { start = .earliest }
            let records = try await readDLQ(s, topic: topic, partition: partition, start: start, limit: limit, deadline: s.deadline)
            let mapping = s.resolved.profile.dlqHeaders ?? .none
            let contexts = records.map { DLQContext.decode(record: $0, mapping: mapping) }
            switch out.output {
            case .jsonl:
                let decoded = await DecodedRecord.decode(records, with: try RecordDecoders.make(s.resolved, schemaRegistry: schema.schemaRegistry))
                for k in records.indices { try emitJSONLine(DLQRecordJSON(records[k], contexts[k], decoded[k])) }
            case .json, .yaml:
                let decoded = await DecodedRecord.decode(records, with: try RecordDecoders.make(s.resolved, schemaRegistry: schema.schemaRegistry))
                var warnings = s.resolved.warnings
                if last == nil, records.count >= limit { warnings.append("stopped at \(limit) records (--limit): more may follow") }
                try emitStructured(out.output.document, RecordsDocument(records: records.indices.map { DLQRecordJSON(records[$0], contexts[$0], decoded[$0]) },
                                                                        warnings: warnings))
            case .table:
                var t = TextTable([("P", .right), ("OFFSET", .right), ("TIME", .left), ("KEY", .left), ("ORIGIN", .left),
                                   ("ERROR", .left), ("MESSAGE", .left)])
                t.maxWidth[6] = 60
                for (r, c) in zip(records, contexts) {
                    let msg = (c.message ?? "").split(separator: "\n").first.map(String.init) ?? ""
                    t.add([String(r.partition), String(r.offset), ISO8601.string(milliseconds: r.timestamp),
                           cellText(r.key, max: 24), c.originDescription ?? "-", c.shortErrorClass ?? "-",
                           msg])
                }
                emit(records.isEmpty ? "(no records)\n" : t.render())
            }
        }
    }

    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Group a DLQ's records by error class and message pattern, and by original topic.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "The dead-letter topic.", completion: Completions.topics) var topic: String
        @Option(name: .long, help: "Only this partition.") var partition: Int32?
        @Option(name: .long, help: "Read at most this many records.") var limit: Int = 100_000

        struct SummaryJSON: Encodable {
            struct E: Encodable {
                @NullEncoded var error_class: String?
                let pattern: String
                @NullEncoded var example: String?
                let count: Int
                let first_offset: Int64, last_offset: Int64, first_time: String, last_time: String
                let original_topics: [String: Int]
            }
            struct T: Encodable {
                @NullEncoded var original_topic: String?
                let count: Int, first_time: String, last_time: String
                @NullEncoded var min_original_offset: Int64?
                @NullEncoded var max_original_offset: Int64?
            }
            let topic: String
            let total: Int
            let without_context: Int
            let families: [String: Int]
            let by_error: [E]
            let by_original_topic: [T]
            /// The read stopped at --limit while the DLQ holds more: the summary covers `total` of `records_in_dlq`.
            let capped: Bool
            @NullEncoded var records_in_dlq: Int?
        }

        func run() async throws {
            let s = try Session.open(global)
            let d = Deadline.after(.seconds(max(global.timeout, 120)))
            let md = try await s.client.metadata(deadline: s.deadline)
            let partitions = try dlqPartitions(md, topic: topic)
            let mapping = s.resolved.profile.dlqHeaders ?? .none
            var builder = DLQSummaryBuilder()
            var read = 0
            // Page through each partition so memory stays bounded by one page, not the whole DLQ.
            for p in partition.map({ [$0] }) ?? partitions {
                var next: Int64? = nil
                while read < limit {
                    let page = try await s.client.readRecords(
                        ReadRequest(topic: topic, partition: p, start: next.map { .offset($0) } ?? .earliest,
                                    maxRecords: min(20_000, limit - read), maxBytes: 64 << 20), deadline: d)
                    for r in page { builder.add(record: r, context: DLQContext.decode(record: r, mapping: mapping)) }
                    read += page.count
                    guard let lastOffset = page.last?.offset else { break }
                    next = lastOffset + 1
                }
            }
            let sum = builder.summary
            // Stopped at --limit: how many records the partitions hold, so the cap is said, never silent.
            var inDLQ: Int?
            if read >= limit {
                let tps = (partition.map { [$0] } ?? partitions).map { TopicPartition(topic, $0) }
                let logs = try await s.client.logOffsets(tps, deadline: s.deadline)
                let held = tps.reduce(Int64(0)) { n, tp in n + (logs[tp].map { max(0, $0.end - $0.start) } ?? 0) }
                if held > Int64(read) { inDLQ = Int(held) }
            }
            let capNote = inDLQ.map { "capped at --limit \(limit): summarised \(read) of about \($0) record(s); --limit \($0) reads them all" }
            if let capNote { warn("warning: " + capNote) }
            func time(_ ms: Int64) -> String { ISO8601.string(milliseconds: ms) }
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, SummaryJSON(
                    topic: topic, total: sum.total, without_context: sum.withoutContext,
                    families: Dictionary(uniqueKeysWithValues: sum.families.map { ($0.key.rawValue, $0.value) }),
                    by_error: sum.byError.map { .init(error_class: $0.errorClass, pattern: $0.pattern, example: $0.example, count: $0.count,
                                                      first_offset: $0.firstOffset, last_offset: $0.lastOffset,
                                                      first_time: time($0.firstTimestamp), last_time: time($0.lastTimestamp),
                                                      original_topics: $0.originalTopics) },
                    by_original_topic: sum.byTopic.map { .init(original_topic: $0.originalTopic, count: $0.count,
                                                               first_time: time($0.firstTimestamp), last_time: time($0.lastTimestamp),
                                                               min_original_offset: $0.minOriginalOffset, max_original_offset: $0.maxOriginalOffset) },
                    capped: inDLQ != nil, records_in_dlq: inDLQ))
            case .table:
                var o = "\(Sanitizer.terminal(topic)): \(sum.total) record(s), \(sum.withoutContext) without error context\n\nBy error:\n"
                var e = TextTable([("COUNT", .right), ("ERROR", .left), ("MESSAGE PATTERN", .left), ("LAST", .left)])
                e.maxWidth[2] = 70
                for g in sum.byError { e.add([String(g.count), g.errorClass ?? "-", g.pattern, time(g.lastTimestamp)]) }
                o += sum.byError.isEmpty ? "(none)\n" : e.render()
                o += "\nBy original topic:\n"
                var tt = TextTable([("COUNT", .right), ("ORIGINAL TOPIC", .left), ("ORIGINAL OFFSETS", .left), ("LAST", .left)])
                for g in sum.byTopic {
                    let range = g.minOriginalOffset.map { "\($0)-\(g.maxOriginalOffset ?? $0)" } ?? "-"
                    tt.add([String(g.count), g.originalTopic ?? "(unknown)", range, time(g.lastTimestamp)])
                }
                o += sum.byTopic.isEmpty ? "(none)\n" : tt.render()
                if let capNote { o += "\n" + capNote.prefix(1).uppercased() + capNote.dropFirst() + "\n" }
                emit(o)
            }
        }
    }
}

extension DLQ.Browse: TimedCommand { var timeoutSeconds: Double { global.timeout } }
