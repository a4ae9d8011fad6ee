import Foundation

/// The shared AWS files: credentials (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials, sections
/// `[name]`) and config (AWS_CONFIG_FILE, else ~/.aws/config, sections `[default]` and `[profile name]`).
public struct SharedConfigFiles: Sendable {
    public let credentialsPath: String
    public let configPath: String
    /// profile name -> key -> value, from each file.
    let credentials: [String: [String: String]]
    let config: [String: [String: String]]

    public init(environment env: [String: String]) throws {
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func path(_ variable: String, _ fallback: String) -> String {
            let p = env[variable].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
            return p.hasPrefix("~/") ? home + p.dropFirst() : p
        }
        credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials")
        configPath = path("AWS_CONFIG_FILE", home + "/.aws/config")
        credentials = try Self.read(credentialsPath).mapValues { $0 }
        var cfg: [String: [String: String]] = [:]
        for (section, keys) in try Self.read(configPath) {
            // In the config file a profile is `[profile name]`, except `[default]`.
            if section == "default" { cfg["default", default: [:]].merge(keys) { a, _ in a } }
            else if section.hasPrefix("profile ") {
                cfg[section.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces), default: [:]].merge(keys) { _, b in b }
            }
        }
        config = cfg
    }

    /// The profile's keys: the credentials file's win over the config file's, as in the SDKs.
    /// nil: the profile is in neither file.
    public func profile(_ name: String) -> [String: String]? {
        let c = credentials[name], f = config[name]
        if c == nil && f == nil { return nil }
        return (f ?? [:]).merging(c ?? [:]) { _, fromCredentials in fromCredentials }
    }

    /// An INI file's sections (a missing file is empty). Comment lines start with # or ;, indented
    /// lines continue a nested value (ignored here), keys are lower-cased.
    static func read(_ path: String) throws -> [String: [String: String]] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSAuthError("cannot read \(path)")
        }
        var out: [String: [String: String]] = [:]
        var section: String?
        for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if raw.first == " " || raw.first == "\t" { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                section = name
                out[name, default: [:]] = out[name] ?? [:]
                continue
            }
            guard let s = section, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            out[s, default: [:]][key] = value
        }
        return out
    }
}
