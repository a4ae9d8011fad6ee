import Foundation

/// Records an operator writes to a topic (`kafkaops produce`): a write like any change, through the
/// pipeline (read-only refuses it, a protected profile wants the topic's name, the change log records it).
/// Sent by the idempotent producer with acks=all; a record whose delivery report never came is unknown
/// (it may be in the topic), never failed.
public struct ProduceRecords: ClusterChange {
    public var topic: String
    public var records: [OutgoingRecord]

    public init(topic: String, records: [OutgoingRecord]) { self.topic = topic; self.records = records }

    public var action: ChangeAction { .produce }
    public var target: String { topic }
    public var summary: String { "produce \(records.count) record(s) to topic \(topic)" }
    public var recordAfter: JSONValue { .object(["records": .int(Int64(records.count))]) }
    public var recordDetails: JSONValue {
        let partitions = Set(records.compactMap(\.partition)).sorted()
        return .object(["partition": partitions.count == 1 ? .int(Int64(partitions[0])) : .null,
                        "keyed": .bool(records.contains { $0.key != nil })])
    }

    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? {
        do {
            let md = try await client.metadata(deadline: .after(timeout), racks: false)
            guard let t = md.topics.first(where: { $0.name == topic }) else {
                return "topic '\(Sanitizer.terminal(topic))' does not exist (kafkaops does not create it by producing)"
            }
            for p in Set(records.compactMap(\.partition)) where !t.partitions.contains(where: { $0.id == p }) {
                return "topic '\(Sanitizer.terminal(topic))' has no partition \(p) (it has \(t.partitions.count))"
            }
            return nil
        } catch {
            return "cannot read topic '\(Sanitizer.terminal(topic))' before producing: \(Sanitizer.terminal(String(describing: error)))"
        }
    }

    /// One delivery report per record, in input order (a record without one is unknown).
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<[DeliveryReport]> {
        let answered = try await client.produce(records, deadline: .after(timeout))
        let byIndex = Dictionary(answered.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        let reports = records.indices.map { i in
            byIndex[i] ?? DeliveryReport(index: i, result: .failure(ClusterError(.timeout, "no delivery report")), outcomeUnknown: true)
        }
        return ChangeExecution(reports, result: Self.result(reports), details: Self.details(reports))
    }

    /// "ok"; "unknown: ..." when a report never came (it may be written); "partial" / "failed: ..." otherwise.
    public static func result(_ reports: [DeliveryReport]) -> String {
        let unknown = reports.filter(\.outcomeUnknown).count
        let failed = reports.filter { if case .failure = $0.result { return !$0.outcomeUnknown } else { return false } }
        let delivered = reports.count - unknown - failed.count
        if unknown > 0 {
            return "unknown: \(unknown) of \(reports.count) record(s) have no delivery report (they may be in the topic); "
                + "\(delivered) delivered, \(failed.count) failed"
        }
        if let first = failed.first, case .failure(let e) = first.result {
            return delivered == 0 ? "failed: \(e.description)" : "partial: \(delivered) of \(reports.count) delivered; \(failed.count) failed (\(e.description))"
        }
        return "ok"
    }

    static func details(_ reports: [DeliveryReport]) -> JSONValue {
        .array(reports.map { .string(line($0)) })
    }

    /// `topic/partition@offset` for a delivered record, "record N: failed: ..." or "record N: unknown: ..." (N from 1).
    public static func line(_ r: DeliveryReport) -> String {
        switch r.result {
        case .success(let o): return "\(Sanitizer.terminal(o.topic))/\(o.partition)@\(o.offset)"
        case .failure(let e):
            return r.outcomeUnknown
                ? "record \(r.index + 1): unknown: no delivery report (\(Sanitizer.terminal(e.description))); it may be in the topic, look before sending it again"
                : "record \(r.index + 1): failed: \(Sanitizer.terminal(e.description))"
        }
    }
}

/// The records of `kafkaops produce`, from its options or from lines of text.
public enum ProduceInput {
    /// A `--header k=v`: the key before the first '=', the value after it (may be empty).
    public static func header(_ arg: String) -> Result<RecordHeader, ProduceInputError> {
        guard let eq = arg.firstIndex(of: "="), eq != arg.startIndex else { return .failure(.header(arg)) }
        return .success(RecordHeader(String(arg[..<eq]), string: String(arg[arg.index(after: eq)...])))
    }

    /// One record per line (`\n` or `\r\n`; empty lines are skipped), bytes kept as they are. Without
    /// `keyDelimiter` the line is the value and the record has no key; with one (kcat's `-K`), the line is KEY,
    /// the delimiter, VALUE (split at the first delimiter; an empty key is an empty key, not none) and a line
    /// without it is refused, so nothing is sent.
    public static func records(topic: String, bytes: [UInt8], keyDelimiter: String?, partition: Int32?,
                               headers: [RecordHeader]) -> Result<[OutgoingRecord], ProduceInputError> {
        var out: [OutgoingRecord] = []
        let delimiter = keyDelimiter.map { Array($0.utf8) }
        for (i, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = raw.last == 0x0D ? Array(raw.dropLast()) : Array(raw)
            if line.isEmpty { continue }
            var key: [UInt8]?
            var value = line
            if let d = delimiter, let keyDelimiter {
                guard let at = firstIndex(of: d, in: line) else { return .failure(.noDelimiter(line: i + 1, delimiter: keyDelimiter)) }
                key = Array(line[..<at])
                value = Array(line[(at + d.count)...])
            }
            out.append(OutgoingRecord(topic: topic, partition: partition, key: key, value: value, headers: headers))
        }
        if out.isEmpty { return .failure(.noRecords) }
        return .success(out)
    }

    static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

public enum ProduceInputError: Error, Hashable, Sendable, CustomStringConvertible {
    case header(String)
    case noDelimiter(line: Int, delimiter: String)
    case noRecords

    public var description: String {
        switch self {
        case .header(let h): return "--header '\(Sanitizer.terminal(h))' is not key=value"
        case .noDelimiter(let n, let d):
            return "line \(n) has no key delimiter '\(Sanitizer.terminal(d))' (with --key-delimiter every line is KEY\(Sanitizer.terminal(d))VALUE); nothing was sent"
        case .noRecords: return "no records to produce: the input has no lines; nothing was sent"
        }
    }
}
