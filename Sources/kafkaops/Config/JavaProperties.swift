import Foundation

/// A Java `.properties` file read as `java.util.Properties.load` reads it: `#` and `!` comments,
/// `key=value`, `key: value` or `key value`, a backslash at the end of a line continuing it, and the
/// escapes `\t \n \r \f \uXXXX` (any other escaped character stands for itself). The last of a key wins.
enum JavaProperties {
    static func parse(_ text: String) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        for line in logicalLines(text) {
            let (k, v) = split(line)
            out.removeAll { $0.key == k }
            out.append((k, v))
        }
        return out
    }

    static let blank: Set<Character> = [" ", "\t", "\u{0C}"]

    /// Lines with comments and blank lines dropped and continuations joined (the continuation's
    /// leading white space is dropped, as Java does). Backslashes stay for `split` to unescape.
    static func logicalLines(_ text: String) -> [[Character]] {
        var lines: [[Character]] = []
        var current: [Character]?
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            var chars = Array(raw)
            let continuing = current != nil
            chars = Array(chars.drop { blank.contains($0) })
            if !continuing && (chars.isEmpty || chars[0] == "#" || chars[0] == "!") { continue }
            let trailing = chars.reversed().prefix { $0 == "\\" }.count
            if trailing % 2 == 1 {
                current = (current ?? []) + chars.dropLast()
                continue
            }
            lines.append((current ?? []) + chars)
            current = nil
        }
        if let c = current, !c.isEmpty { lines.append(c) }
        return lines
    }

    /// The key ends at the first unescaped `=`, `:` or white space; then white space, at most one `=`
    /// or `:`, and white space again separate it from the value.
    static func split(_ line: [Character]) -> (String, String) {
        var i = 0
        var keyEnd = line.count
        while i < line.count {
            let c = line[i]
            if c == "\\" { i += 2; continue }
            if c == "=" || c == ":" || blank.contains(c) { keyEnd = i; break }
            i += 1
        }
        var j = min(keyEnd, line.count)
        while j < line.count, blank.contains(line[j]) { j += 1 }
        if j < line.count, line[j] == "=" || line[j] == ":" {
            j += 1
            while j < line.count, blank.contains(line[j]) { j += 1 }
        }
        return (unescape(line[..<min(keyEnd, line.count)]), unescape(line[min(j, line.count)...]))
    }

    static func unescape(_ s: ArraySlice<Character>) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            guard c == "\\", i + 1 < s.endIndex else { out.append(c); i += 1; continue }
            let e = s[i + 1]
            i += 2
            switch e {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "f": out.append("\u{0C}")
            case "u":
                let hex = String(s[i..<min(i + 4, s.endIndex)])
                if hex.count == 4, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) {
                    out.unicodeScalars.append(u)
                    i += 4
                } else {
                    out.append("u")
                }
            default: out.append(e)
            }
        }
        return out
    }
}

/// A JAAS configuration as Kafka's `sasl.jaas.config` holds it: one login module, its control flag,
/// and `name=value` options, the values bare or double-quoted (`\"` and `\\` inside quotes), ending in `;`.
struct JAASConfig: Equatable {
    var loginModule: String
    var flag: String
    var options: [String: String]

    /// The short name of the login module class (`PlainLoginModule`).
    var moduleName: String { loginModule.split(separator: ".").last.map(String.init) ?? loginModule }

    /// Parse errors never repeat the text: it holds passwords.
    static func parse(_ text: String) throws -> JAASConfig {
        var tokens: [String] = []
        var quoted: [Bool] = []
        let chars = Array(text)
        var i = 0
        func fail(_ why: String) -> UsageError { UsageError("sasl.jaas.config: \(why) (expected: LoginModuleClass required name=\"value\" ...;)") }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "=" || c == ";" { tokens.append(String(c)); quoted.append(false); i += 1; continue }
            if c == "\"" {
                var v = ""
                i += 1
                var closed = false
                while i < chars.count {
                    let d = chars[i]
                    if d == "\\", i + 1 < chars.count { v.append(chars[i + 1]); i += 2; continue }
                    if d == "\"" { closed = true; i += 1; break }
                    v.append(d); i += 1
                }
                guard closed else { throw fail("a quoted value is not closed") }
                tokens.append(v); quoted.append(true)
                continue
            }
            var v = ""
            while i < chars.count, !chars[i].isWhitespace, !"=;\"".contains(chars[i]) { v.append(chars[i]); i += 1 }
            tokens.append(v); quoted.append(false)
        }
        func isWord(_ k: Int) -> Bool { k < tokens.count && (quoted[k] || !["=", ";"].contains(tokens[k])) }
        guard isWord(0), !quoted[0] else { throw fail("no login module class") }
        guard isWord(1), !quoted[1] else { throw fail("no control flag after the login module") }
        let flag = tokens[1].lowercased()
        guard ["required", "requisite", "sufficient", "optional"].contains(flag) else {
            throw fail("the control flag must be required, requisite, sufficient or optional")
        }
        var options: [String: String] = [:]
        var k = 2
        while k < tokens.count, !(tokens[k] == ";" && !quoted[k]) {
            guard isWord(k), !quoted[k], k + 2 < tokens.count, tokens[k + 1] == "=", !quoted[k + 1], isWord(k + 2) else {
                throw fail("options must be name=value")
            }
            options[tokens[k]] = tokens[k + 2]
            k += 3
        }
        guard k < tokens.count else { throw fail("it must end with ';'") }
        guard k == tokens.count - 1 else { throw fail("one login module only") }
        return JAASConfig(loginModule: tokens[0], flag: flag, options: options)
    }
}
