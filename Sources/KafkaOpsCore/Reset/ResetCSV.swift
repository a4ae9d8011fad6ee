import Foundation

/// One parsed line of a reset plan file, with the group when the file has four columns.
public struct ResetCSVRow: Hashable, Sendable {
    public var line: Int
    public var group: String?
    public var entry: ResetFileEntry
}

/// Reset plan files as `kafka-consumer-groups.sh --export` writes them and `--from-file` reads them:
/// `topic,partition,offset` (one group) or `group,topic,partition,offset` (several groups). No quoting:
/// Kafka topic names cannot hold a comma. Lines end with LF or CRLF; blank lines are ignored; a header line
/// naming the columns is skipped. An empty offset (`topic,partition,`) means "no committed offset": the
/// group's offset for that partition is deleted (what an undo file says for a partition that had none).
/// A partition may appear once per group: a second line for it is an error naming both lines.
public enum ResetCSV {
    /// Parses every row; errors name the 1-based line.
    public static func parse(_ text: String) throws(ResetError) -> [ResetCSVRow] {
        var rows: [ResetCSVRow] = []
        var columns: Int?
        var lineNumber = 0
        // group (nil in a three-column file) -> partition -> the line it was first given on.
        var seen: [String?: [TopicPartition: Int]] = [:]
        // Character.isNewline: "\r\n" is one Character, so splitting on "\n" alone would not split a CRLF file.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let lower = fields.map { $0.lowercased() }
            if rows.isEmpty, lower == ["topic", "partition", "offset"] || lower == ["group", "topic", "partition", "offset"] {
                continue
            }
            guard fields.count == 3 || fields.count == 4 else {
                throw .csv(line: lineNumber, message:
                    "expected topic,partition,offset or group,topic,partition,offset, got \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            if let columns, columns != fields.count {
                throw .csv(line: lineNumber, message:
                    "expected \(columns) fields like the lines before (\(columns == 3 ? "topic,partition,offset" : "group,topic,partition,offset")), got \(fields.count)")
            }
            columns = fields.count
            let base = fields.count - 3
            let group: String? = base == 1 ? fields[0] : nil
            if let group, group.isEmpty { throw .csv(line: lineNumber, message: "the group is empty") }
            let topic = fields[base]
            guard !topic.isEmpty else { throw .csv(line: lineNumber, message: "the topic is empty") }
            guard let partition = Int32(fields[base + 1]) else {
                throw .csv(line: lineNumber, message: "partition '\(Sanitizer.terminal(fields[base + 1]))' is not a number")
            }
            guard partition >= 0 else { throw .csv(line: lineNumber, message: "partition \(partition) is negative") }
            let offsetField = fields[base + 2]
            let offset: Int64?
            if offsetField.isEmpty {
                offset = nil
            } else {
                guard let o = Int64(offsetField) else {
                    throw .csv(line: lineNumber, message: "offset '\(Sanitizer.terminal(offsetField))' is not a number")
                }
                guard o >= 0 else { throw .csv(line: lineNumber, message: "offset \(o) is negative") }
                offset = o
            }
            let tp = TopicPartition(topic, partition)
            if let first = seen[group]?[tp] {
                throw .csv(line: lineNumber, message: "\(Sanitizer.terminal(tp.description))\(group.map { " of group \(Sanitizer.terminal($0))" } ?? "") is already on line \(first); give each partition once")
            }
            seen[group, default: [:]][tp] = lineNumber
            rows.append(ResetCSVRow(line: lineNumber, group: group,
                                    entry: ResetFileEntry(topic: topic, partition: partition, offset: offset)))
        }
        return rows
    }

    /// The rows for one group: every row of a three-column file, or the group's rows of a four-column file.
    /// A file with no row for the group is Kafka's "No reset plan for group X found."
    public static func entries(_ text: String, group: String) throws(ResetError) -> [ResetFileEntry] {
        let rows = try parse(text)
        let selected = rows.filter { $0.group == nil || $0.group == group }.map(\.entry)
        guard !selected.isEmpty else { throw .noPlanForGroup(group) }
        return selected
    }

    /// The groups named in a four-column file, in first-seen order (empty for a three-column file).
    public static func groups(_ text: String) throws(ResetError) -> [String] {
        var seen = Set<String>()
        return try parse(text).compactMap(\.group).filter { seen.insert($0).inserted }
    }

    /// `topic,partition,offset` lines, one per entry, newline-terminated; an entry without an offset
    /// ("no committed offset") is `topic,partition,`.
    public static func export(_ entries: [ResetFileEntry]) -> String {
        var out = ""
        for e in entries { out += "\(e.topic),\(e.partition),\(e.offset.map(String.init) ?? "")\n" }
        return out
    }

    /// `group,topic,partition,offset` lines for several plans (Kafka's multi-group export).
    public static func export(plans: [ResetPlan]) -> String {
        var out = ""
        for p in plans {
            for r in p.rows { out += "\(p.group),\(r.topic),\(r.partition),\(r.new.map(String.init) ?? "")\n" }
        }
        return out
    }
}
