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
