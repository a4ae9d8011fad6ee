import Foundation
import KafkaOpsCore

/// A Java `.properties` file (`--command-config`), read by Core's `PropertiesFile` (as
/// `java.util.Properties.load` reads it; `lint-client` reads client files with it too): the last of a key wins.
enum JavaProperties {
    static func parse(_ text: String) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        for e in PropertiesFile.parse(text).entries {
            out.removeAll { $0.key == e.key }
            out.append((e.key, e.value))
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
