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

    public var title: String { "Record \(entry.id)" }

    public init(records: [DLQEntry], index: Int, dlqTopic: String, width: Int, replayed: [String: String] = [:]) {
        self.records = records; self.index = max(0, min(index, records.count - 1)); self.dlqTopic = dlqTopic; self.width = width
        self.replayed = replayed
        lines = Self.build(records[self.index], dlq: dlqTopic, mode: mode, width: width, replayedTo: replayed[records[self.index].id])
    }

    /// The lines of the record shown, for the width and payload view now.
    mutating func rebuild() {
        lines = Self.build(entry, dlq: dlqTopic, mode: mode, width: width, replayedTo: replayed[entry.id])
    }
}
