import Foundation

/// A record key or value made ready to draw: every line is sanitised, binary is a hex dump, never mangled.
public struct PayloadView: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A null key or value (Kafka distinguishes it from empty; a null value is a tombstone).
        case null
        case empty
        case text
        /// A JSON object or array, pretty-printed with the input's key order.
        case json
        /// Not valid UTF-8, or mostly control bytes: shown as a hex dump.
        case binary
    }

    public var kind: Kind
    /// Size in bytes (0 for null).
    public var size: Int
    /// Lines to draw, already sanitised (no control characters, no escape sequences).
    public var lines: [String]
    /// True when `lines` stops before the end of the payload (`maxLines`, `maxLineBytes`).
    public var truncated: Bool
    /// Why a view was chosen when it is not obvious ("not valid UTF-8 at byte 12").
    public var note: String?

    /// Whether the bytes are one JSON object or array (what the pretty view shows as JSON), checked in full.
    public static func isJSON(_ bytes: [UInt8]) -> Bool {
        JSONPretty.render(bytes, maxLines: 1, maxLineBytes: 1) != nil
    }

    /// "null", "empty", "JSON · 1.2 KB", "text · 12 B", "binary · 4 B".
    public var summary: String {
        switch kind {
        case .null: return "null"
        case .empty: return "empty"
        case .text: return "text · \(Self.byteCount(size))"
        case .json: return "JSON · \(Self.byteCount(size))"
        case .binary: return "binary · \(Self.byteCount(size))"
        }
    }

    /// Renders bytes. `maxLines` bounds the work as well as the output; `maxLineBytes` cuts very long text lines.
    /// `prettyJSON: false` shows JSON as plain text.
    public static func render(_ bytes: [UInt8]?, maxLines: Int = 5_000, maxLineBytes: Int = 16_384,
                              prettyJSON: Bool = true) -> PayloadView {
        guard let bytes else { return PayloadView(kind: .null, size: 0, lines: [], truncated: false, note: nil) }
        if bytes.isEmpty { return PayloadView(kind: .empty, size: 0, lines: [], truncated: false, note: nil) }
        let limit = max(1, maxLines)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            let (lines, truncated) = hexDump(bytes, maxLines: limit)
            let bad = firstInvalidUTF8(bytes)
            return PayloadView(kind: .binary, size: bytes.count, lines: lines, truncated: truncated,
                               note: bad.map { "not valid UTF-8 at byte \($0): shown as hex" })
        }
        if looksBinary(bytes) {
            let (lines, truncated) = hexDump(bytes, maxLines: limit)
            return PayloadView(kind: .binary, size: bytes.count, lines: lines, truncated: truncated,
                               note: "mostly control bytes: shown as hex")
        }
        if prettyJSON, let (lines, truncated) = JSONPretty.render(bytes, maxLines: limit, maxLineBytes: maxLineBytes) {
            return PayloadView(kind: .json, size: bytes.count, lines: lines, truncated: truncated, note: nil)
        }
        let (lines, truncated) = textLines(bytes, maxLines: limit, maxLineBytes: maxLineBytes)
        return PayloadView(kind: .text, size: bytes.count, lines: lines, truncated: truncated, note: nil)
    }

    /// `hexdump -C` style lines: offset, 16 hex bytes in two groups of 8, ASCII gutter with '.' for the rest.
    /// 78 columns wide, so a line fits an 80-column terminal.
    public static func hexDump(_ bytes: [UInt8], maxLines: Int = .max) -> (lines: [String], truncated: Bool) {
        let total = (bytes.count + 15) / 16
        let count = min(total, max(0, maxLines))
        var lines: [String] = []
        lines.reserveCapacity(count)
        let hex = Array("0123456789abcdef".utf8)
        var line = [UInt8]()
        line.reserveCapacity(80)
        for row in 0..<count {
            line.removeAll(keepingCapacity: true)
            let base = row * 16
            var off = UInt32(truncatingIfNeeded: base)
            var offDigits = [UInt8](repeating: 0, count: 8)
            for k in stride(from: 7, through: 0, by: -1) { offDigits[k] = hex[Int(off & 0xF)]; off >>= 4 }
            line += offDigits
            line += [0x20, 0x20]
            for k in 0..<16 {
                if k == 8 { line.append(0x20) }
                if base + k < bytes.count {
                    let b = bytes[base + k]
                    line.append(hex[Int(b >> 4)]); line.append(hex[Int(b & 0xF)]); line.append(0x20)
                } else {
                    line += [0x20, 0x20, 0x20]
                }
            }
            line += [0x20, 0x7C]
            for k in base..<min(base + 16, bytes.count) {
                let b = bytes[k]
                line.append(b >= 0x20 && b < 0x7F ? b : 0x2E)
            }
            line.append(0x7C)
            lines.append(String(decoding: line, as: UTF8.self))
        }
        return (lines, count < total)
    }

    /// "512 B", "1.5 KB", "1.0 MB" (1024-based).
    public static func byteCount(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var v = Double(n) / 1024
        var u = 0
        while v >= 1024, u < units.count - 1 { v /= 1024; u += 1 }
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[u])"
    }

    // MARK: helpers

    /// Valid UTF-8 that is still binary: more than 10 % C0 control bytes other than tab, CR, LF
    /// (e.g. a Confluent wire-format prefix followed by Avro or Protobuf).
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let sample = bytes.prefix(4096)
        var controls = 0
        for b in sample where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { controls += 1 }
        if bytes.first == 0 { return true }
        return controls * 10 > sample.count
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    static func textLines(_ bytes: [UInt8], maxLines: Int, maxLineBytes: Int) -> ([String], Bool) {
        var lines: [String] = []
        var start = 0
        var truncated = false
        let n = bytes.count
        while start <= n {
            if lines.count == maxLines { truncated = start < n; break }
            var end = start
            while end < n, bytes[end] != 0x0A { end += 1 }
            if start == n && !lines.isEmpty { break } // trailing newline: no empty last line
            // CRLF text: the CR before the newline is part of the line ending, not content.
            let lineEnd = end > start && end < n && bytes[end - 1] == 0x0D ? end - 1 : end
            lines.append(sanitizedLine(bytes[start..<lineEnd], maxLineBytes: maxLineBytes, truncated: &truncated))
            start = end + 1
        }
        return (lines, truncated)
    }

    static func sanitizedLine(_ slice: ArraySlice<UInt8>, maxLineBytes: Int, truncated: inout Bool) -> String {
        var cut = slice
        var more = 0
        if slice.count > maxLineBytes {
            var end = slice.startIndex + maxLineBytes
            while end > slice.startIndex, slice[end] & 0xC0 == 0x80 { end -= 1 } // stay on a character boundary
            cut = slice[slice.startIndex..<end]
            more = slice.count - cut.count
            truncated = true
        }
        let s = String(decoding: cut, as: UTF8.self)
        let hasTab = cut.contains(0x09)
        var line = hasTab ? Sanitizer.multiline(s) : Sanitizer.terminal(s)
        if more > 0 { line += " … (\(more) more bytes)" }
        return line
    }
}

/// A strict JSON validator and pretty-printer over bytes that keeps key order, number spelling and string
/// escapes exactly as in the input. Only objects and arrays count as JSON (a bare `42` is text).
enum JSONPretty {
    static let maxDepth = 256

    static func render(_ bytes: [UInt8], maxLines: Int, maxLineBytes: Int) -> ([String], Bool)? {
        var p = Printer(b: bytes, maxLines: maxLines, maxLineBytes: maxLineBytes)
        p.skipWS()
        guard p.i < bytes.count, bytes[p.i] == UInt8(ascii: "{") || bytes[p.i] == UInt8(ascii: "[") else { return nil }
        guard p.value(depth: 0) else { return nil }
        p.skipWS()
        guard p.i == bytes.count else { return nil }
        p.flush()
        return (p.lines, p.truncated)
    }

    struct Printer {
        let b: [UInt8]
        let maxLines: Int
        let maxLineBytes: Int
        var i = 0
        var lines: [String] = []
        var cur: [UInt8] = []
        var truncated = false

        init(b: [UInt8], maxLines: Int, maxLineBytes: Int) {
            self.b = b; self.maxLines = maxLines; self.maxLineBytes = maxLineBytes
        }

        var emitting: Bool { lines.count < maxLines }

        mutating func emit(_ byte: UInt8) { if emitting { cur.append(byte) } }
        mutating func emit(_ s: ArraySlice<UInt8>) { if emitting { cur += s } }

        mutating func flush() {
            guard emitting else { truncated = true; return }
            var t = false
            lines.append(PayloadView.sanitizedLine(cur[...], maxLineBytes: maxLineBytes, truncated: &t))
            if t { truncated = true }
            cur.removeAll(keepingCapacity: true)
        }

        mutating func newline(_ depth: Int) {
            flush()
            if emitting { cur += repeatElement(0x20, count: depth * 2) }
        }

        mutating func skipWS() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) -> Bool {
            guard depth < JSONPretty.maxDepth else { return false }
            skipWS()
            guard i < b.count else { return false }
            switch b[i] {
            case UInt8(ascii: "{"): return container(depth: depth, close: UInt8(ascii: "}"), keyed: true)
            case UInt8(ascii: "["): return container(depth: depth, close: UInt8(ascii: "]"), keyed: false)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func container(depth: Int, close: UInt8, keyed: Bool) -> Bool {
            emit(b[i]); i += 1
            skipWS()
            guard i < b.count else { return false }
            if b[i] == close { emit(close); i += 1; return true }
            while true {
                newline(depth + 1)
                skipWS()
                if keyed {
                    guard i < b.count, b[i] == UInt8(ascii: "\""), string() else { return false }
                    skipWS()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
                    i += 1
                    emit(UInt8(ascii: ":")); emit(0x20)
                }
                guard value(depth: depth + 1) else { return false }
                skipWS()
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: ",") { emit(b[i]); i += 1; continue }
                if b[i] == close { newline(depth); emit(close); i += 1; return true }
                return false
            }
        }

        mutating func string() -> Bool {
            let start = i
            i += 1
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    emit(b[start..<i])
                    return true
                }
                if c < 0x20 { return false }
                if c == UInt8(ascii: "\\") {
                    i += 1
                    guard i < b.count else { return false }
                    switch b[i] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 1
                    case UInt8(ascii: "u"):
                        guard i + 4 < b.count else { return false }
                        for k in 1...4 where !isHex(b[i + k]) { return false }
                        i += 5
                    default:
                        return false
                    }
                    continue
                }
                i += 1
            }
            return false
        }

        func isHex(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
        }

        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

        mutating func literal(_ word: StaticString) -> Bool {
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard i + w.count <= b.count else { return false }
            for k in 0..<w.count where b[i + k] != w[k] { return false }
            emit(b[i..<(i + w.count)])
            i += w.count
            return true
        }

        mutating func number() -> Bool {
            let start = i
            if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { return false }
            if b[i] == UInt8(ascii: "0") { i += 1 } else { while i < b.count, isDigit(b[i]) { i += 1 } }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard i < b.count, isDigit(b[i]) else { return false }
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard i < b.count, isDigit(b[i]) else { return false }
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            emit(b[start..<i])
            return true
        }
    }
}
