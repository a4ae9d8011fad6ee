import Foundation
import KafkaOpsCore

/// The record view: drawing (a pure function of the model).
extension DLQRecordPanel {
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


    static func build(_ e: DLQEntry, dlq: String, mode: PayloadMode, width: Int, replayedTo: String? = nil) -> [(text: String, role: Role)] {
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

        // 1. Why it failed and where it came from.
        section("Error context (\(c.family.rawValue))")
        if c.family == .none { add("no error headers: this record carries no error context", .muted) }
        field("replayed to", replayedTo.map { $0 + " (from this console)" }, .healthy)
        field("original", c.originDescription)
        field("original time", c.originalTimestamp.map { ISO8601.string(milliseconds: $0) + (c.originalTimestampType.map { " (\($0))" } ?? "") })
        field("group", c.consumerGroup)
        field("connector", c.connectorName.map { $0 + (c.taskID.map { " task \($0)" } ?? "") })
        field("stage", c.stage)
        field("executing", c.executingClass)
        field("error class", c.errorClass.map { $0 + (c.isKeyError ? " (in the key)" : "") }, .warning)
        field("cause", c.causeClass)
        field("message", c.message)
        let trace = c.stackTrace.flatMap { $0.isEmpty ? nil : Sanitizer.multiline($0).split(separator: "\n", omittingEmptySubsequences: false) }
        if let trace {
            let top = trace.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("at ") }
            field("stack trace", "\(trace.count) lines, in full at the end" + (top.map { "\n" + $0.trimmingCharacters(in: .whitespaces) } ?? ""), .muted)
        }
        for p in c.problems { field("problem", p, .critical) }

        // 2. The record itself.
        for (name, bytes, decoded) in [("Key", r.key, e.decodedKey), ("Value", r.value, e.decodedValue)] {
            let (head, lines, truncated) = payload(name, bytes, decoded: decoded, mode: mode)
            section(head)
            for l in lines { add(Fmt.safe(l)) }
            if truncated { add(cutNote(lines.count), .muted) }
        }

        // 3. Its headers; a multi-line value the error context shows (the stack trace) is referred to, not repeated.
        section("Headers (\(r.headers.count))")
        if r.headers.isEmpty { add("none", .muted) }
        for h in r.headers {
            let value: String
            if let v = h.value {
                let text = String(validating: v, as: UTF8.self)
                if let text, text.contains("\n"), text == c.stackTrace {
                    value = "(the stack trace: \(trace?.count ?? 0) lines, at the end)"
                } else if let text, text.contains("\n"), text == c.message {
                    value = "(the message, in the error context above)"
                } else {
                    // Binary headers (Spring's 4- and 8-byte numbers) as hex; text sanitised.
                    value = !v.contains(0) ? (Sanitizer.text(v).map { "\"\($0)\"" } ?? "hex " + hexBytes(v)) : "hex " + hexBytes(v)
                }
            } else {
                value = "null"
            }
            add(Fmt.safe(h.key) + " = " + value, DLQContext.isErrorHeader(h.key) ? .muted : .body)
        }

        // 4. The stack trace in full, last: the longest part, and the least read.
        if let trace {
            section("Stack trace")
            for l in trace { add(String(l)) }
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

    /// The heading and lines of a key or value in a view. A wire-format one shows its decoded value, its
    /// format, schema id and subject in the heading (hex, with why, when it did not decode; `x` shows the raw hex).
    static func payload(_ name: String, _ bytes: [UInt8]?, decoded: DecodedPayload? = nil, mode: PayloadMode) -> (String, [String], Bool) {
        if mode == .hex, let bytes, !bytes.isEmpty {
            let (lines, truncated) = PayloadView.hexDump(bytes, maxLines: maxPayloadLines)
            return ("\(name) · hex · \(PayloadView.byteCount(bytes.count))", lines, truncated)
        }
        if let decoded, let bytes {
            let size = PayloadView.byteCount(bytes.count)
            if let value = decoded.value {
                let (lines, truncated) = value.lines(maxLines: maxPayloadLines)
                return ("\(name) · \(decoded.header) · \(size)" + (decoded.note.map { " · " + Sanitizer.terminal($0) } ?? ""), lines, truncated)
            }
            let (lines, truncated) = PayloadView.hexDump(bytes, maxLines: maxPayloadLines)
            return ("\(name) · \(decoded.header) · \(size) · " + Sanitizer.terminal(decoded.note ?? "not decoded") + ": shown as hex",
                    lines, truncated)
        }
        let v = PayloadView.render(bytes, maxLines: maxPayloadLines, prettyJSON: mode == .auto)
        return ("\(name) · \(v.summary)" + (v.note.map { " · " + $0 } ?? ""), v.lines, v.truncated)
    }
}
