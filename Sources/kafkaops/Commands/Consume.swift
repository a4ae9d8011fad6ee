import ArgumentParser
import Foundation
import KafkaOpsCore

/// `kafkaops consume TOPIC`: the record browser for any topic (no DLQ columns). Reads assigned partitions
/// without a group and commits nothing; wire-format keys and values are decoded with the schema registry.
struct Consume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a topic's records, decoded when they carry a schema (no group is joined, nothing is committed).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: RecordOutputOptions
    @OptionGroup var schema: SchemaOptions
    @Argument(help: "The topic.", completion: Completions.topics) var topic: String
    @Option(name: .long, help: "Only this partition.") var partition: Int32?
    @Flag(name: .long, help: "Start at the earliest record (the default without --last, --from-offset, --from-time or --follow).")
    var fromBeginning = false
    @Option(name: .long, help: "Start at this offset (in each partition).") var fromOffset: Int64?
    @Option(name: .long, help: "Start at this time: 2026-11-30T19:32[:00[.000]][zone] (UTC when no zone), PT1H or 1h (now minus the duration), or epoch ms.") var fromTime: String?
    @Option(name: .long, help: "The last N records (of each partition read).") var last: Int?
    @Option(name: .long, help: "At most this many records (without --follow).") var limit: Int = 100
    @Flag(name: .long, help: "Keep showing new records until Ctrl-C (alone: only records that arrive from now on).")
    var follow = false

    func validate() throws {
        if [fromBeginning, fromOffset != nil, fromTime != nil, last != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give at most one of --from-beginning, --from-offset, --from-time, --last")
        }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        if let last, last <= 0 { throw ValidationError("--last must be at least 1") }
        if follow, out.output == .json || out.output == .yaml {
            throw ValidationError("--follow writes one record at a time: use -o jsonl or the table")
        }
    }

    func run() async throws {
        let s = try Session.open(global)
        let decoder = try RecordDecoders.make(s.resolved, schemaRegistry: schema.schemaRegistry)
        let md = try await s.client.metadata(deadline: s.deadline)
        let all = try dlqPartitions(md, topic: topic)
        if let partition, !all.contains(partition) {
            throw ClusterError(.unknownPartition, "topic '\(topic)' has no partition \(partition) (it has \(all.count))")
        }
        let partitions = partition.map { [$0] } ?? all
        let tps = partitions.map { TopicPartition(topic, $0) }
        // The log ends before the first read: where a follow starts on a partition that had nothing to read.
        let endsBefore = follow ? try await s.client.logOffsets(tps, deadline: s.deadline) : [:]

        var start: ReadStart? = .earliest
        var limit = self.limit
        if let o = fromOffset { start = .offset(o) } else if let t = fromTime { start = .timestamp(try parseTime(t)) }
        else if let n = last { start = .lastN(Int64(n)); limit = n * partitions.count }
        else if follow && !fromBeginning { start = nil }   // --follow alone: new records only

        var next: [TopicPartition: Int64] = [:]
        for tp in tps { next[tp] = endsBefore[tp]?.end ?? 0 }
        let printer = ConsumePrinter(output: out.output)
        if let start {
            let records = try await readDLQ(s, topic: topic, partition: partition, start: start,
                                            limit: follow ? max(limit, 100_000) : limit, deadline: s.deadline, metadata: md)
            let decoded = await DecodedRecord.decode(records, with: decoder)
            if out.output == .json || out.output == .yaml {
                var warnings = s.resolved.warnings
                if last == nil, records.count >= limit { warnings.append("stopped at \(limit) records (--limit): more may follow") }
                try emitStructured(out.output.document, RecordsDocument(records: records.indices.map { RecordJSON(records[$0], decoded[$0]) },
                                                                        warnings: warnings))
                return
            }
            for k in records.indices { try printer.print(records[k], decoded[k]) }
            if !follow, records.isEmpty, out.output == .table { emit("(no records)\n") }
            for r in records { next[TopicPartition(r.topic, r.partition)] = r.offset + 1 }
        }
        guard follow else { return }
        try await tail(s, from: next, decoder: decoder, printer: printer)
    }

    /// Follows until a stop signal: one assigned reader, each batch printed and dropped (memory stays that of
    /// one batch and the schema cache).
    func tail(_ s: Session, from next: [TopicPartition: Int64], decoder: any PayloadDecoding, printer: ConsumePrinter) async throws {
        let stop = InterruptFlag()
        let reader = try await s.client.openTail(next, deadline: s.deadline)
        defer { Task { await reader.close() } }
        while !stop.isSet {
            let batch = try await reader.poll(maxWait: .milliseconds(250))
            for r in batch {
                try printer.print(r, DecodedRecord(key: await decoder.decode(r.key), value: await decoder.decode(r.value)))
            }
        }
        await reader.close()
    }
}

/// One record of `consume -o json|yaml|jsonl`: the DLQ browser's record without the error context.
struct RecordJSON: Encodable {
    let topic: String
    let partition: Int32
    let offset: Int64
    let timestamp: Int64
    let time: String
    @NullEncoded var key: BytesJSON?
    @NullEncoded var value: BytesJSON?
    @NullEncoded var key_schema: SchemaJSON?
    @NullEncoded var key_decoded: DecodedJSON?
    @NullEncoded var value_schema: SchemaJSON?
    @NullEncoded var value_decoded: DecodedJSON?
    let headers: [DLQRecordJSON.Header]

    init(_ r: Record, _ d: DecodedRecord) {
        topic = r.topic; partition = r.partition; offset = r.offset; timestamp = r.timestamp
        time = ISO8601.string(milliseconds: r.timestamp)
        key = BytesJSON(r.key); value = BytesJSON(r.value)
        key_schema = SchemaJSON(d.key); key_decoded = d.key?.value
        value_schema = SchemaJSON(d.value); value_decoded = d.value?.value
        headers = r.headers.map { .init(key: $0.key, value: BytesJSON($0.value)) }
    }
}

/// Prints records one by one: a JSON line, or a table row (partition, offset, time, key, value) whose value
/// is the decoded one-line text when there is one, else the bytes as the DLQ table shows them.
struct ConsumePrinter {
    let output: RecordOutputFormat

    func print(_ r: Record, _ d: DecodedRecord) throws {
        switch output {
        case .jsonl: try emitJSONLine(RecordJSON(r, d))
        default:
            let key = d.key?.value.map { DisplayWidth.endCut($0.oneLine, width: 24) } ?? cellText(r.key, max: 24)
            let value: String
            if let v = d.value?.value { value = DisplayWidth.endCut(v.oneLine, width: 200) }
            else if let note = d.value?.note { value = "hex:" + (r.value ?? []).prefix(12).map { String(format: "%02x", $0) }.joined() + " (" + Sanitizer.terminal(note) + ")" }
            else { value = cellText(r.value, max: 200) }
            emit("\(r.partition)\t\(r.offset)\t\(ISO8601.string(milliseconds: r.timestamp))\t\(key)\t\(value)\n")
        }
    }
}
