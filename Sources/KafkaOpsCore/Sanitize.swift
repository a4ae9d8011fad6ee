import Foundation

/// Makes text from the cluster (topic names, keys, values, headers) safe to put on a terminal:
/// control characters, escape sequences, bidi overrides and other invisible characters are
/// shown, never executed. ESC becomes `^[`, other C0 controls `^X`, DEL `^?`, C1 controls and
/// invisible format characters `\u{XXXX}`. Printable text, including CJK and emoji, is kept.
public enum Sanitizer {
    /// Sanitises a string for one table cell or screen line (newlines and tabs shown too).
    public static func terminal(_ s: String) -> String {
        if isPlain(s) { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { appendVisible(u, to: &out, keepNewlines: false) }
        return String(out)
    }

    /// Like `terminal` but keeps "\n" (for multi-line views such as stack traces); tabs become spaces.
    public static func multiline(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { appendVisible(u, to: &out, keepNewlines: true) }
        return String(out)
    }

    /// Decodes bytes as UTF-8 and sanitises; invalid UTF-8 is not mangled but returned as nil.
    public static func text(_ bytes: [UInt8]) -> String? {
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        return terminal(s)
    }

    /// Fast path: printable ASCII only.
    @inline(__always)
    static func isPlain(_ s: String) -> Bool {
        for b in s.utf8 where b < 0x20 || b >= 0x7f { return false }
        return true
    }

    static func appendVisible(_ u: Unicode.Scalar, to out: inout String.UnicodeScalarView, keepNewlines: Bool) {
        let v = u.value
        switch v {
        case 0x0A where keepNewlines:
            out.append(u)
        case 0x09 where keepNewlines:
            out.append(contentsOf: "    ".unicodeScalars)
        case 0x1B:
            out.append(contentsOf: "^[".unicodeScalars)
        case 0x00..<0x20:
            out.append("^")
            out.append(Unicode.Scalar(UInt8(v + 0x40)))
        case 0x7F:
            out.append(contentsOf: "^?".unicodeScalars)
        case 0x80..<0xA0:
            out.append(contentsOf: escaped(v).unicodeScalars)
        default:
            if isInvisible(u) { out.append(contentsOf: escaped(v).unicodeScalars) } else { out.append(u) }
        }
    }

    static func escaped(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return "\\u{" + String(repeating: "0", count: max(0, 4 - h.count)) + h + "}"
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
