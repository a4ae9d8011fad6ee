import ArgumentParser
import Foundation
import KafkaOpsCore

/// `kafkaops produce T`: test records, written like any change (read-only refuses it, the audit log records it).
struct Produce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write records to a topic (acks=all, idempotent), previewed before they are sent.",
        discussion: """
        One record from --value (and --key), or one record per line from --file F or standard input \
        (--file - or neither --value nor --file). A line is the record's value; with --key-delimiter D it is \
        KEY, D, VALUE (split at the first D, as kcat -K), and a line without D is refused with nothing sent. \
        Empty lines are skipped; a trailing \\r is dropped. --header k=v (repeatable) and --partition apply to \
        every record. Without --execute it only prints the preview. Each delivery report is printed as \
        TOPIC/PARTITION@OFFSET; a record that fails is printed with its error, one without a delivery report as \
        unknown (it may be in the topic: look before sending it again), and then the exit code is 1.
        Example: kafkaops produce orders --key k1 --value '{"id":1}' --header source=ops --execute
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @Argument(help: "Topic name.", completion: Completions.topics) var topic: String
    @Option(name: .long, help: "The record's key (with --value).") var key: String?
    @Option(name: .long, help: "The record's value: one record.") var value: String?
    @Option(name: .customLong("header"), help: ArgumentHelp("A header for every record (repeatable).", valueName: "key=value")) var headers: [String] = []
    @Option(name: .long, help: "The partition for every record (default: the partitioner's, from the key).") var partition: Int32?
    @Option(name: .long, help: "Records, one per line ('-': standard input).", completion: .file()) var file: String?
    @Option(name: .customLong("key-delimiter"), help: "Each line is KEY, this delimiter, VALUE (kcat -K).") var keyDelimiter: String?
    @Flag(name: .long, help: "Send the records (default: preview only).") var execute = false
    @Option(name: .long, help: "The topic name again, required on a protected profile.") var confirm: String?

    func validate() throws {
        if value != nil && file != nil { throw ValidationError("give --value or --file, not both") }
        if key != nil && value == nil { throw ValidationError("--key goes with --value (from a file or stdin, use --key-delimiter)") }
        if keyDelimiter != nil && value != nil { throw ValidationError("--key-delimiter reads keys from lines: it does not go with --value") }
        if keyDelimiter == "" { throw ValidationError("--key-delimiter must not be empty") }
        if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more") }
        for h in headers { if case .failure(let e) = ProduceInput.header(h) { throw ValidationError(e.description) } }
    }

    func records() throws -> [OutgoingRecord] {
        let hs = headers.compactMap { try? ProduceInput.header($0).get() }
        if let value {
            return [OutgoingRecord(topic: topic, partition: partition, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: hs)]
        }
        let bytes: [UInt8]
        if let file, file != "-" {
            let path = expandingTilde(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError("cannot read \(Sanitizer.terminal(path)); nothing was sent")
            }
            bytes = Array(data)
        } else {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        switch ProduceInput.records(topic: topic, bytes: bytes, keyDelimiter: keyDelimiter, partition: partition, headers: hs) {
        case .success(let r): return r
        case .failure(let e): throw UsageError(e.description)
        }
    }

    struct ReportJSON: Encodable {
        let record: Int
        @NullEncoded var partition: Int32?
        @NullEncoded var offset: Int64?
        /// delivered, failed, unknown, or would-send (preview).
        let result: String
        @NullEncoded var error: String?
    }

    func run() async throws {
        let s = try Session.open(global)
        if execute { try requireWritable(s.resolved, action: "produce to topic \(topic)") }
        let records = try records()
        // Not a TimedCommand: standard input may take its time; from here on the run is bounded.
        Watchdog.arm(seconds: global.timeout + 5)
        let change = ProduceRecords(topic: topic, records: records)
        guard execute else {
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, RecordsDocument(records: records.indices.map {
                    ReportJSON(record: $0 + 1, partition: records[$0].partition, offset: nil, result: "would-send", error: nil)
                }, warnings: []))
            case .table:
                var o = "Would produce \(records.count) record(s) to topic \(Sanitizer.terminal(topic))"
                    + (partition.map { ", partition \($0)" } ?? "") + (headers.isEmpty ? "" : ", headers: \(headers.count)") + ":\n"
                for (i, r) in records.prefix(5).enumerated() {
                    o += "  \(i + 1): key \(r.key.map { Sanitizer.terminal(String(decoding: $0, as: UTF8.self)) } ?? "(none)"), "
                        + "value \(Sanitizer.terminal(String(decoding: (r.value ?? []).prefix(60), as: UTF8.self)))\n"
                }
                if records.count > 5 { o += "  ... \(records.count - 5) more\n" }
                emit(o + previewOnlyLine(s.resolved, verb: "send them", name: topic))
            }
            return
        }
        // Delivery reports may take the whole timeout per batch; a large file is one batch.
        try await s.run(change, confirm: confirm) { done in
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, RecordsDocument(records: done.outcome.map { r -> ReportJSON in
                    switch r.result {
                    case .success(let o): return ReportJSON(record: r.index + 1, partition: o.partition, offset: o.offset, result: "delivered", error: nil)
                    case .failure(let e):
                        return ReportJSON(record: r.index + 1, partition: nil, offset: nil, result: r.outcomeUnknown ? "unknown" : "failed", error: e.description)
                    }
                }, warnings: []))
            case .table:
                emit(done.outcome.map { ProduceRecords.line($0) + "\n" }.joined())
            }
            if done.result != "ok" {
                warn(Sanitizer.terminal(done.result))
                throw ExitCode(1)
            }
        }
    }
}
