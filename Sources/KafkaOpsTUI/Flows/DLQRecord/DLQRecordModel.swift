import Foundation
import KafkaOpsCore

/// One DLQ record in full (Enter in the DLQ browser): the error context (why it failed, where it came from,
/// where a replay from here wrote it), then the key and value in a payload view (`v` cycles: pretty JSON when it
/// parses / text / hex), then the headers (those the error context already shows in full are referred to, not
/// repeated), then the stack trace; scrolled with ↑↓ PgUp PgDn. Every line is sanitised: record content is
/// shown, never executed.
public struct DLQRecordPanel: FlowPanel {
    public enum PayloadMode: Sendable, Hashable, CaseIterable {
        /// PayloadView's choice: pretty JSON when it parses, hex for binary, text otherwise.
        case auto
        case text
        case hex

        var label: String {
            switch self {
            case .auto: return "pretty JSON / auto"
            case .text: return "text"
            case .hex: return "hex"
            }
        }
    }

    /// Payload lines drawn at most (per key and per value); the rest is summarised.
    public static let maxPayloadLines = 2_000

    /// The records of the list as shown (n/N step through them) and the one shown.
    public let records: [DLQEntry]
    public internal(set) var index: Int
    public var entry: DLQEntry { records[index] }
    public var dlqTopic: String
    /// Where records replayed from the browser landed, by id ("orders/3@1042").
    public let replayed: [String: String]
    public var mode: PayloadMode = .auto
    /// Lines to draw, wrapped to `width`, already sanitised.
    public internal(set) var lines: [(text: String, role: Role)] = []
    public internal(set) var width: Int
    /// The first line shown.
    public var nav = ListNavigation()
    /// Opened from a group's partition row: the record at its committed offset (`s` skips it). nil from the DLQ browser.
    public let origin: CommittedRecordOrigin?

    public var title: String {
        guard let origin else { return "Record \(entry.id)" }
        return "Group \(Fmt.safe(origin.group)) › record at its commit \(Fmt.safe(origin.partition.description))@\(origin.committed)"
    }

    public init(records: [DLQEntry], index: Int, dlqTopic: String, width: Int, replayed: [String: String] = [:],
                origin: CommittedRecordOrigin? = nil) {
        self.records = records; self.index = max(0, min(index, records.count - 1)); self.dlqTopic = dlqTopic; self.width = width
        self.replayed = replayed
        self.origin = origin
        rebuild()
    }

    /// The lines of the record shown, for the width and payload view now.
    mutating func rebuild() {
        lines = Self.originLines(origin, entry, width: width)
            + Self.build(entry, dlq: dlqTopic, mode: mode, width: width, replayedTo: replayed[entry.id])
    }

    /// What the record is to the group it was opened from, and what `s` would do.
    static func originLines(_ origin: CommittedRecordOrigin?, _ e: DLQEntry, width: Int) -> [(text: String, role: Role)] {
        guard let origin else { return [] }
        var text = "group \(Fmt.safe(origin.group)) committed offset \(origin.committed) on \(Fmt.safe(origin.partition.description)): "
        if e.record.offset == origin.committed {
            text += "this is the record it reads next."
        } else {
            text += "no record is at that offset (a transaction marker or a compacted record); the next is this one, at \(e.record.offset)."
        }
        text += " s: skip it (reset wizard, \(origin.skipTarget(recordOffset: e.record.offset).summary) on this partition)."
        return WrappedText.lines(text, width: max(10, width - 2), .characters).map { ($0, Role.warning) }
    }
}
