/// The one rule for which settings are secret: their values never reach the change log, the screen,
/// `--verbose` output or argv, and a world-readable file holding one is refused.
public enum Secrets {
    /// Key fragments whose values are secret.
    static let markers = ["password", "secret", "jaas", "token", "credential", "private.key", "keystore.key",
                          "sasl.oauthbearer", "api.key", "apikey"]

    public static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        return markers.contains { k.contains($0) } || k.hasSuffix(".pem")
    }

    /// The value with every object member whose key looks secret replaced by "[redacted]".
    public static func redacted(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var r: [String: JSONValue] = [:]
            for (k, x) in o { r[k] = isSecretKey(k) ? .string("[redacted]") : redacted(x) }
            return .object(r)
        case .array(let a): return .array(a.map(redacted))
        default: return v
        }
    }
}

extension Secrets {
    /// The one filter for text that comes from librdkafka (its errors and every log line): each secret
    /// value we set is replaced by "***", and a `key = value` or `key=value` whose key is secret
    /// (librdkafka's `debug=conf` dump: `sasl.oauthbearer.client.secret = …`) has its value replaced,
    /// whatever its length. Values shorter than 4 characters are not replaced elsewhere in the text:
    /// they would mangle ordinary words and reveal little.
    public static func scrub(_ text: String, values: [String]) -> String {
        var t = text
        for s in values.sorted(by: { $0.count > $1.count }) where s.count >= 4 {
            t = t.replacingOccurrences(of: s, with: "***")
        }
        return redactingSecretAssignments(t)
    }

    /// `… some.secret.key = VALUE` -> `… some.secret.key = ***`, for each secret key in the text.
    static func redactingSecretAssignments(_ text: String) -> String {
        guard text.contains("=") else { return text }
        var out = ""
        var rest = Substring(text)
        while let eq = rest.firstIndex(of: "=") {
            let before = rest[..<eq]
            // The key is the word right before "=" (spaces around "=" allowed).
            let trimmed = before.reversed().drop { $0 == " " }
            let keyChars = trimmed.prefix { !$0.isWhitespace && $0 != "," && $0 != "(" && $0 != "\"" && $0 != "'" }
            let key = String(keyChars.reversed())
            out += rest[...eq]
            rest = rest[rest.index(after: eq)...]
            guard !key.isEmpty, isSecretKey(key) else { continue }
            // The value runs to the end of the line (a secret may hold commas and spaces).
            let spaces = rest.prefix { $0 == " " }
            rest = rest.dropFirst(spaces.count)
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            out += spaces
            if rest.startIndex != end { out += "***" }
            rest = rest[end...]
        }
        return out + rest
    }
}
