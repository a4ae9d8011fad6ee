/// A decoded key or value as a JSON value that keeps the order its schema gives (record fields, map entries)
/// and the exact spelling of numbers (a 64-bit id stays exact).
public indirect enum DecodedJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A JSON number exactly as spelled ("42", "-1.5e3").
    case number(String)
    case string(String)
    case array([DecodedJSON])
    case object([(String, DecodedJSON)])

    public static func == (a: DecodedJSON, b: DecodedJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let n): h.combine(n)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o): for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    /// The member named `key` of an object.
    public subscript(key: String) -> DecodedJSON? {
        guard case .object(let o) = self else { return nil }
        return o.first { $0.0 == key }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }

    /// Compact JSON text (UTF-8 bytes), in order, control characters escaped.
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        write(&out)
        return out
    }

    func write(_ out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let n): out += Array(n.utf8)
        case .string(let s): Self.writeString(s, &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (k, v) in a.enumerated() { if k > 0 { out.append(UInt8(ascii: ",")) }; v.write(&out) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (k, (key, v)) in o.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, &out); out.append(UInt8(ascii: ":")); v.write(&out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, _ out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [0x5C, b]
            case UInt8(ascii: "\\"): out += [0x5C, b]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case ..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The lines to draw: objects and arrays pretty-printed, everything sanitised (`PayloadView`'s printer).
    public func lines(maxLines: Int = 5_000, maxLineBytes: Int = 16_384) -> (lines: [String], truncated: Bool) {
        switch self {
        case .object, .array:
            if let r = JSONPretty.render(jsonBytes, maxLines: max(1, maxLines), maxLineBytes: maxLineBytes) { return r }
            return ([], false)
        case .string(let s):
            return PayloadView.textLines(Array(s.utf8), maxLines: max(1, maxLines), maxLineBytes: maxLineBytes)
        default:
            return ([String(decoding: jsonBytes, as: UTF8.self)], false)
        }
    }

    /// One line of the whole value (for a table cell and for search), sanitised.
    public var oneLine: String {
        if case .string(let s) = self { return Sanitizer.terminal(s) }
        return Sanitizer.terminal(String(decoding: jsonBytes, as: UTF8.self))
    }

    // MARK: parsing

    /// Strict JSON (any value at the top) into an ordered value; nil when the bytes are not one JSON value.
    public static func parse(_ bytes: [UInt8]) -> DecodedJSON? {
        var p = Parser(b: bytes)
        p.ws()
        guard let v = p.value(depth: 0) else { return nil }
        p.ws()
        return p.i == bytes.count ? v : nil
    }

    struct Parser {
        let b: [UInt8]
        var i = 0

        mutating func ws() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }

        mutating func value(depth: Int) -> DecodedJSON? {
            guard depth < JSONPretty.maxDepth, i < b.count else { return nil }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1; ws()
                var members: [(String, DecodedJSON)] = []
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    ws()
                    guard i < b.count, b[i] == UInt8(ascii: "\""), let k = string() else { return nil }
                    ws()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
                    i += 1; ws()
                    guard let v = value(depth: depth + 1) else { return nil }
                    members.append((k, v))
                    ws()
                    guard i < b.count else { return nil }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    return nil
                }
            case UInt8(ascii: "["):
                i += 1; ws()
                var items: [DecodedJSON] = []
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    ws()
                    guard let v = value(depth: depth + 1) else { return nil }
                    items.append(v)
                    ws()
                    guard i < b.count else { return nil }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        mutating func literal(_ w: String) -> Bool {
            let u = Array(w.utf8)
            guard i + u.count <= b.count, Array(b[i..<(i + u.count)]) == u else { return false }
            i += u.count
            return true
        }

        func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

        mutating func number() -> DecodedJSON? {
            let start = i
            if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, digit(b[i]) else { return nil }
            if b[i] == UInt8(ascii: "0") { i += 1 } else { while i < b.count, digit(b[i]) { i += 1 } }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard i < b.count, digit(b[i]) else { return nil }
                while i < b.count, digit(b[i]) { i += 1 }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard i < b.count, digit(b[i]) else { return nil }
                while i < b.count, digit(b[i]) { i += 1 }
            }
            return .number(String(decoding: b[start..<i], as: UTF8.self))
        }

        func hexValue(_ c: UInt8) -> UInt32? {
            switch c {
            case 0x30...0x39: return UInt32(c - 0x30)
            case 0x41...0x46: return UInt32(c - 0x41 + 10)
            case 0x61...0x66: return UInt32(c - 0x61 + 10)
            default: return nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= b.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 { guard let h = hexValue(b[i + k]) else { return nil }; v = v << 4 | h }
            i += 4
            return v
        }

        mutating func string() -> String? {
            i += 1
            var out: [UInt8] = []
            var run = i
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    out += b[run..<i]; i += 1
                    return String(validating: out, as: UTF8.self)
                }
                if c < 0x20 { return nil }
                if c == UInt8(ascii: "\\") {
                    out += b[run..<i]; i += 1
                    guard i < b.count else { return nil }
                    let e = b[i]; i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var v = hex4() else { return nil }
                        if v >= 0xD800, v < 0xDC00, i + 6 <= b.count, b[i] == 0x5C, b[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            guard let lo = hex4(), lo >= 0xDC00, lo < 0xE000 else { return nil }
                            v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                        }
                        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
                        out += Array(String(Character(scalar)).utf8)
                    default: return nil
                    }
                    run = i
                    continue
                }
                i += 1
            }
            return nil
        }
    }
}

extension DecodedJSON: Encodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in members { try c.encode(v, forKey: Key(k)) }
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for v in items { try c.encode(v) }
        case .null:
            var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer(); try c.encode(b)
        case .string(let s):
            var c = encoder.singleValueContainer(); try c.encode(s)
        case .number(let n):
            var c = encoder.singleValueContainer()
            if let i = Int64(n) { try c.encode(i) } else if let u = UInt64(n) { try c.encode(u) }
            else if let d = Double(n), d.isFinite { try c.encode(d) } else { try c.encode(n) }
        }
    }
}
