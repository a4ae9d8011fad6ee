import Foundation
import KafkaOpsCore

/// One DLQ record in full (Enter in the DLQ browser): the error context, the stack trace, the headers and
/// the key and value in a payload view (`v` cycles: pretty JSON when it parses / text / hex), scrolled
/// with ↑↓ PgUp PgDn. Every line is sanitised: record content is shown, never executed.
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
    public private(set) var index: Int
    public var entry: DLQEntry { records[index] }
    public var dlqTopic: String
    public var mode: PayloadMode = .auto
    /// Lines to draw, wrapped to `width`, already sanitised.
    public private(set) var lines: [(text: String, role: Role)] = []
    public private(set) var width: Int
    /// The first line shown.
    public var nav = ListNavigation()

    public var title: String { "Record \(entry.id)" }

    public init(records: [DLQEntry], index: Int, dlqTopic: String, width: Int) {
        self.records = records; self.index = max(0, min(index, records.count - 1)); self.dlqTopic = dlqTopic; self.width = width
        lines = Self.build(records[self.index], dlq: dlqTopic, mode: mode, width: width)
    }

    public enum Action: Sendable { case close, move(ListNavigation.Move), record(Int), cycleView }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([.note("↑↓/PgUp/PgDn", "scroll")] + ListNavigation.bindings { Action.move($0) } + [
            FlowBinding([.enter], .move(.lines(1)), "down a row"),
            FlowBinding([.char(" ")], .move(.pages(1)), "down a page"),
            .note("n/N", "next/prev"),
            FlowBinding([.char("n")], .record(1), "the next record of the list"),
            FlowBinding([.char("N")], .record(-1), "the previous record of the list"),
            FlowBinding([.char("v")], .cycleView, "payload view: pretty JSON / text / hex", short: "view: " + mode.label),
            FlowBinding([.escape, .char("q"), .backspace], .close, "back to the list", short: "back", label: "Esc"),
        ], readOnly: ctx.readOnly)
    }

    /// The lines shown below the panel's info line.
    static func visible(_ ctx: PanelContext) -> Int { max(1, ctx.content.height - 1) }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        if ctx.size.width != width {
            width = ctx.size.width
            lines = Self.build(entry, dlq: dlqTopic, mode: mode, width: width)
        }
        guard case .action(let action) = keys(ctx).lookup(key) else { return .none }
        switch action {
        case .close: return .closed
        case .move(let m): nav.scroll(m, count: lines.count, page: Self.visible(ctx))
        case .record(let by):
            let next = index + by
            guard records.indices.contains(next) else { return .info(by > 0 ? "this is the last record" : "this is the first record") }
            index = next
            nav.reset()
            lines = Self.build(entry, dlq: dlqTopic, mode: mode, width: width)
            return .none
        case .cycleView:
            let all = PayloadMode.allCases
            mode = all[((all.firstIndex(of: mode) ?? 0) + 1) % all.count]
            lines = Self.build(entry, dlq: dlqTopic, mode: mode, width: width)
            return .info("payload view: \(mode.label)")
        }
        return .none
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let page = max(1, area.height - 1)
        let start = max(0, min(nav.position, max(0, lines.count - page)))
        let end = min(lines.count, start + page)
        let pos = lines.isEmpty ? "empty" : "lines \(start + 1)-\(end) of \(lines.count)"
        g.put(Fmt.safe(dlqTopic) + " " + entry.id + "  ·  view: " + mode.label + "  ·  " + pos,
              x: 1, y: area.y, maxWidth: area.width - 2, role: .muted)
        for i in start..<end {
            g.put(lines[i].text, x: 1, y: area.y + 1 + i - start, maxWidth: area.width - 2, role: lines[i].role)
        }
        if start > 0 { g.put("▲", x: area.width - 1, y: area.y + 1, role: .muted) }
        if end < lines.count { g.put("▼", x: area.width - 1, y: area.y + page, role: .muted) }
    }

    // MARK: building the lines (once per record, view or width; never per frame)

    static func build(_ e: DLQEntry, dlq: String, mode: PayloadMode, width: Int) -> [(text: String, role: Role)] {
        var out: [(text: String, role: Role)] = []
        let w = max(10, width - 2)
        func add(_ text: String, _ role: Role = .body) {
            for piece in WrappedText.lines(text, width: w, .characters) { out.append((piece, role)) }
        }
        func section(_ name: String) { out.append(("── " + name + " " + String(repeating: "─", count: max(0, w - DisplayWidth.of(name) - 4)), .title)) }
        /// A labelled field; multi-line values continue under the value column.
        func field(_ label: String, _ value: String?, _ role: Role = .body) {
            guard let value, !value.isEmpty else { return }
            let pad = label.padding(toLength: 14, withPad: " ", startingAt: 0)
            let valueLines = Sanitizer.multiline(value).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, l) in valueLines.enumerated() {
                for (j, piece) in WrappedText.lines(l, width: max(4, w - 14), .characters).enumerated() {
                    out.append(((i == 0 && j == 0 ? pad : String(repeating: " ", count: 14)) + piece, role))
                }
            }
        }
        let r = e.record, c = e.context
        add("\(Fmt.safe(dlq)) partition \(r.partition) offset \(r.offset)  ·  \(ISO8601.string(milliseconds: r.timestamp)) (\(r.timestampType.rawValue))  ·  \(PayloadView.byteCount(r.sizeInBytes))")

        section("Error context (\(c.family.rawValue))")
        if c.family == .none { add("no error headers: this record carries no error context", .muted) }
        field("original", c.originDescription)
        field("original time", c.originalTimestamp.map { ISO8601.string(milliseconds: $0) + (c.originalTimestampType.map { " (\($0))" } ?? "") })
        field("group", c.consumerGroup)
        field("connector", c.connectorName.map { $0 + (c.taskID.map { " task \($0)" } ?? "") })
        field("stage", c.stage)
        field("executing", c.executingClass)
        field("error class", c.errorClass.map { $0 + (c.isKeyError ? " (in the key)" : "") }, .warning)
        field("cause", c.causeClass)
        field("message", c.message)
        for p in c.problems { field("problem", p, .critical) }

        if let st = c.stackTrace, !st.isEmpty {
            section("Stack trace")
            for l in Sanitizer.multiline(st).split(separator: "\n", omittingEmptySubsequences: false) { add(String(l)) }
        }

        section("Headers (\(r.headers.count))")
        if r.headers.isEmpty { add("none", .muted) }
        for h in r.headers {
            let value: String
            if let v = h.value {
                // Binary headers (Spring's 4- and 8-byte numbers) as hex; text sanitised.
                value = !v.contains(0) ? (Sanitizer.text(v).map { "\"\($0)\"" } ?? "hex " + hexBytes(v)) : "hex " + hexBytes(v)
            } else {
                value = "null"
            }
            add(Fmt.safe(h.key) + " = " + value, DLQContext.isErrorHeader(h.key) ? .muted : .body)
        }

        for (name, bytes) in [("Key", r.key), ("Value", r.value)] {
            let (head, lines, truncated) = payload(name, bytes, mode: mode)
            section(head)
            for l in lines { add(Fmt.safe(l)) }
            if truncated { add(cutNote(lines.count), .muted) }
        }
        return out
    }

    /// What the view left out: the lines after the first `maxPayloadLines`, or only the ends of lines
    /// too long to draw (each of those says how many bytes it lost).
    static func cutNote(_ shown: Int) -> String {
        shown >= maxPayloadLines
            ? "… cut here (\(shown) lines shown); the rest is not drawn"
            : "… all \(shown) lines shown; lines too long to draw are cut where marked \"more bytes\""
    }

    /// At most 256 bytes as hex ("ff fe 00 …").
    static func hexBytes(_ b: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = b.prefix(256).map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined(separator: " ")
        if b.count > 256 { s += " … (\(b.count) bytes)" }
        return s
    }

    /// The heading and lines of a key or value in a view.
    static func payload(_ name: String, _ bytes: [UInt8]?, mode: PayloadMode) -> (String, [String], Bool) {
        if mode == .hex, let bytes, !bytes.isEmpty {
            let (lines, truncated) = PayloadView.hexDump(bytes, maxLines: maxPayloadLines)
            return ("\(name) · hex · \(PayloadView.byteCount(bytes.count))", lines, truncated)
        }
        let v = PayloadView.render(bytes, maxLines: maxPayloadLines, prettyJSON: mode == .auto)
        return ("\(name) · \(v.summary)" + (v.note.map { " · " + $0 } ?? ""), v.lines, v.truncated)
    }
}
