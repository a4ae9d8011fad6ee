/// Where kafkaops keeps its files, by the XDG base directory rules: a variable counts only when it
/// holds an absolute path (the spec says a relative one is invalid and ignored); else under HOME.
/// And `~` in any path an operator gives (config, policy, audit log, undo and export files, TLS files).
public enum XDGPaths {
    /// `$XDG_STATE_HOME/kafkaops`, else `~/.local/state/kafkaops`; nil without either.
    public static func stateDirectory(_ environment: [String: String]) -> String? {
        base("XDG_STATE_HOME", fallback: ".local/state", environment)
    }

    /// `$XDG_CONFIG_HOME/kafkaops`, else `~/.config/kafkaops`; nil without either.
    public static func configDirectory(_ environment: [String: String]) -> String? {
        base("XDG_CONFIG_HOME", fallback: ".config", environment)
    }

    static func base(_ variable: String, fallback: String, _ environment: [String: String]) -> String? {
        if let x = environment[variable], x.hasPrefix("/") { return trimmed(x) + "/kafkaops" }
        if let h = environment["HOME"], h.hasPrefix("/") { return trimmed(h) + "/" + fallback + "/kafkaops" }
        return nil
    }

    /// `~` and `~/x` with HOME expanded; every other path as given.
    public static func expandingTilde(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let h = environment["HOME"], !h.isEmpty else { return path }
        return trimmed(h) + path.dropFirst()
    }

    static func trimmed(_ p: String) -> String {
        p.count > 1 && p.hasSuffix("/") ? String(p.dropLast()) : p
    }
}
