import Foundation
import Testing
@testable import KafkaOpsCore

@Suite struct SanitizerTests {
    /// Nothing that a terminal could act on survives: no C0 (< 0x20), no DEL, no C1, no bidi or format characters
    /// (except a zero-width joiner between two emoji, which is part of one emoji).
    static func isSafe(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        for (i, u) in scalars.enumerated() {
            if u.value == 0x200D, i > 0, i + 1 < scalars.count, scalars[i - 1].properties.isEmoji, scalars[i + 1].properties.isEmoji {
                continue
            }
            let v = u.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return false }
            if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFEFF {
                return false
            }
            if u.properties.generalCategory == .format { return false }
        }
        return true
    }

    static let corpus: [(String, String)] = [
        ("\u{1B}[31mred\u{1B}[0m", "^[[31mred^[[0m"),                 // CSI colour
        ("\u{1B}[2J\u{1B}[H", "^[[2J^[[H"),                           // clear screen, home
        ("\u{1B}]52;c;ZXZpbA==\u{07}", "^[]52;c;ZXZpbA==^G"),          // OSC 52 clipboard write
        ("\u{1B}]0;pwned\u{07}title", "^[]0;pwned^Gtitle"),            // OSC 0 window title
        ("a\u{9B}31mb", "a\\u{009B}31mb"),                              // C1 CSI
        ("file\u{202E}gpj.exe", "file\\u{202E}gpj.exe"),               // right-to-left override
        ("\u{2066}x\u{2067}y\u{2068}z\u{2069}", "\\u{2066}x\\u{2067}y\\u{2068}z\\u{2069}"), // isolates
        ("nul\u{0}byte", "nul^@byte"),
        ("del\u{7F}", "del^?"),
        ("zero\u{200B}width\u{FEFF}", "zero\\u{200B}width\\u{FEFF}"),
        ("tab\tnew\nline\r", "tab^Inew^Jline^M"),
        ("日本語のトピック", "日本語のトピック"),
        ("emoji 🚀🔥 ok", "emoji 🚀🔥 ok"),
        ("family 👨‍👩‍👧 ok", "family 👨‍👩‍👧 ok"),               // ZWJ sequence kept whole
        ("flag 🇩🇪 é", "flag 🇩🇪 é"),
        ("plain-topic.name_1", "plain-topic.name_1"),
    ]

    @Test(arguments: corpus)
    func terminalShowsControlsAndKeepsText(input: String, expected: String) {
        let out = Sanitizer.terminal(input)
        #expect(out == expected)
        #expect(Self.isSafe(out))
    }

    @Test func zeroWidthJoinerOutsideEmojiIsShown() {
        #expect(Sanitizer.terminal("ad\u{200D}min") == "ad\\u{200D}min")
        #expect(Sanitizer.terminal("🚀\u{200D}") == "🚀\\u{200D}")
    }

    @Test func multilineKeepsNewlinesOnly() {
        let out = Sanitizer.multiline("line1\n\tat Foo\u{1B}[2K\r\nbar\rbaz\r")
        #expect(out == "line1\n    at Foo^[[2K\nbar^Mbaz^M")
        #expect(Self.isSafe(out.replacingOccurrences(of: "\n", with: "")))
    }

    @Test func invalidUTF8IsNilSoTheCallerShowsHex() {
        #expect(Sanitizer.text([0x66, 0x6F, 0xC3, 0x28]) == nil)
        #expect(Sanitizer.text([0xED, 0xA0, 0x80]) == nil) // encoded surrogate
        #expect(Sanitizer.text(Array("ok\u{1B}".utf8)) == "ok^[")
        #expect(PayloadView.render([0x66, 0x6F, 0xC3, 0x28]).kind == .binary)
    }

    @Test func everyScalarBelow0xA0IsNeutralised() {
        var s = ""
        for v in 0..<0xA0 { if let u = Unicode.Scalar(v) { s.unicodeScalars.append(u) } }
        let out = Sanitizer.terminal(s)
        #expect(Self.isSafe(out))
        #expect(out.contains("^["))
        #expect(out.contains(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"))
    }

    @Test func oneMegabyteHostileValueIsSanitised() {
        let chunk = "ok \u{1B}]52;c;AAAA\u{07} \u{202E} \u{9B} 日本 \u{0}"
        let big = String(repeating: chunk, count: (1 << 20) / chunk.utf8.count + 1)
        let out = Sanitizer.terminal(big)
        #expect(Self.isSafe(out))
        #expect(out.contains("^[]52;c;AAAA^G"))
    }
}
