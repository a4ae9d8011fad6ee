import Foundation

/// Makes text from the cluster (topic names, keys, values, headers) safe to put on a terminal:
/// control characters, escape sequences, bidi overrides and other invisible characters are
/// shown, never executed. ESC becomes `^[`, other C0 controls `^X`, DEL `^?`, C1 controls and
/// invisible format characters `\u{XXXX}`. Printable text, including CJK and emoji, is kept.
public enum Sanitizer {
    /// Sanitises a string for one table cell or screen line (newlines and tabs shown too).
    public static func terminal(_ s: String) -> String {
        if isPlain(s) { return s }
        return sanitize(s, keepNewlines: false)
    }

    /// Like `terminal` but keeps "\n" (for multi-line views such as stack traces); tabs become spaces and a CR
    /// right before a LF (a CRLF line ending) is dropped.
    public static func multiline(_ s: String) -> String {
        sanitize(s, keepNewlines: true)
    }

    /// Decodes bytes as UTF-8 and sanitises; invalid UTF-8 is not mangled but returned as nil.
    public static func text(_ bytes: [UInt8]) -> String? {
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        return terminal(s)
    }

    static func sanitize(_ s: String, keepNewlines: Bool) -> String {
        var s = s
        return s.withUTF8 { sanitizeUTF8($0, keepNewlines: keepNewlines) }
    }

    /// The work of `terminal`/`multiline` on valid UTF-8 bytes: a byte loop, so a 1 MB value stays fast.
    static func sanitizeUTF8(_ b: UnsafeBufferPointer<UInt8>, keepNewlines: Bool) -> String {
        let n = b.count
        var out: [UInt8] = []
        out.reserveCapacity(n + n / 8 + 16)
        var previous: UInt32 = 0
        var i = 0
        while i < n {
            let c = b[i]
            if c < 0x80 {
                switch c {
                case 0x20..<0x7F: out.append(c)
                case 0x0A where keepNewlines: out.append(c)
                case 0x0D where keepNewlines && i + 1 < n && b[i + 1] == 0x0A: break // CRLF line ending: keep the LF only
                case 0x09 where keepNewlines: out.append(contentsOf: [0x20, 0x20, 0x20, 0x20])
                case 0x7F: out.append(0x5E); out.append(0x3F)           // ^?
                default: out.append(0x5E); out.append(c + 0x40)         // ^[ for ESC, ^@ for NUL, ...
                }
                previous = UInt32(c)
                i += 1
                continue
            }
            let (v, len) = decodeScalar(b, at: i)
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            var keep: Bool
            if v == 0x200D {
                // A zero-width joiner inside an emoji sequence (👨‍👩‍👧) is part of the picture, not hidden text.
                let next: UInt32 = i + len < n ? decodeScalar(b, at: i + len).0 : 0
                keep = isEmojiPart(previous) && isEmojiPart(next)
            } else {
                keep = !isDangerous(scalar)
            }
            if keep {
                for k in i..<(i + len) { out.append(b[k]) }
            } else {
                appendEscaped(v, to: &out)
            }
            previous = v
            i += len
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes one scalar of valid UTF-8 starting at a lead byte >= 0x80.
    @inline(__always)
    static func decodeScalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let c = UInt32(b[i])
        let n = b.count
        func cont(_ k: Int) -> UInt32 { i + k < n ? UInt32(b[i + k] & 0x3F) : 0 }
        if c >= 0xF0 { return (((c & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), min(4, n - i)) }
        if c >= 0xE0 { return (((c & 0x0F) << 12) | (cont(1) << 6) | cont(2), min(3, n - i)) }
        if c >= 0xC0 { return (((c & 0x1F) << 6) | cont(1), min(2, n - i)) }
        return (0xFFFD, 1)
    }

    static func appendEscaped(_ v: UInt32, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        out.append(contentsOf: [0x5C, 0x75, 0x7B])                       // \u{
        var digits: [UInt8] = []
        var x = v
        repeat { digits.append(hex[Int(x & 0xF)]); x >>= 4 } while x > 0
        while digits.count < 4 { digits.append(0x30) }
        out.append(contentsOf: digits.reversed())
        out.append(0x7D)                                                 // }
    }

    static func isEmojiPart(_ v: UInt32) -> Bool {
        guard let u = Unicode.Scalar(v) else { return false }
        return isEmojiPart(u)
    }

    /// Emoji, skin-tone modifiers and the emoji variation selector; ASCII digits, '#' and '*' do not count.
    static func isEmojiPart(_ u: Unicode.Scalar) -> Bool {
        u.value == 0xFE0F || (u.value > 0x7F && u.properties.isEmoji)
    }

    /// Fast path: printable ASCII only.
    @inline(__always)
    static func isPlain(_ s: String) -> Bool {
        if let plain = s.utf8.withContiguousStorageIfAvailable({ buf -> Bool in
            for b in buf where b < 0x20 || b >= 0x7f { return false }
            return true
        }) { return plain }
        for b in s.utf8 where b < 0x20 || b >= 0x7f { return false }
        return true
    }

    /// The one rule for characters that must never reach a terminal as they are: C0 and C1 controls, DEL,
    /// and the invisible ones below. The terminal sanitiser shows them as `^X` / `\u{XXXX}`, JSON output
    /// writes them as `\uxxxx` escapes (`jsonEscapingDangerous`).
    public static func isDangerous(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F..<0xA0).contains(u.value) || isInvisible(u)
    }

    /// JSON text as an encoder wrote it, with every dangerous character inside its strings written as a
    /// `\uxxxx` escape (lowercase hex; a surrogate pair above U+FFFF): the same JSON value, but a terminal
    /// showing it executes nothing and reorders nothing (U+202E becomes `\u202e`). Control characters
    /// below U+0020 are left alone: the encoder escapes those inside strings, and between tokens they
    /// are the layout.
    public static func jsonEscapingDangerous(_ json: Data) -> Data {
        guard json.contains(where: { $0 >= 0x7F }) else { return json }
        let text = String(decoding: json, as: UTF8.self)
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        let hex = Array("0123456789abcdef")
        func escape(_ unit: UInt16) {
            out += "\\u"
            for shift in [12, 8, 4, 0] { out.append(hex[Int((unit >> UInt16(shift)) & 0xF)]) }
        }
        for u in text.unicodeScalars {
            if u.value >= 0x7F && isDangerous(u) {
                for unit in String(u).utf16 { escape(unit) }
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return Data(out.utf8)
    }

    /// Bidi controls, zero-width and other format characters, line/paragraph separators,
    /// private-use and unassigned scalars: anything that could hide or reorder text.
    static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0xFEFF, 0xFFF9...0xFFFB, 0x061C, 0x180E,
             0xE0000...0xE007F:
            return true
        default:
            break
        }
        switch u.properties.generalCategory {
        case .format, .control, .unassigned, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return false
        }
    }
}
