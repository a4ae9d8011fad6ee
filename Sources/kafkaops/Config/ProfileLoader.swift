import Foundation
import KafkaOpsCore
import Yams

/// What a command runs against once options, config file and profile are put together.
struct ResolvedProfile: Sendable {
    var name: String
    var profile: Profile
    var settings: ConnectionSettings?
    var isDemo: Bool
    var readOnly: Bool
    var warnings: [String]
}

enum ProfileLoader {
    static func defaultConfigPath(environment env: [String: String]) -> String {
        (XDGPaths.configDirectory(env) ?? NSHomeDirectory() + "/.config/kafkaops") + "/config.yaml"
    }

    /// The config file asked for: `--config`, else KAFKAOPS_CONFIG (nil: the default path).
    static func requestedConfig(_ option: String?, environment env: [String: String]) -> String? {
        (option ?? env["KAFKAOPS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }).map { XDGPaths.expandingTilde($0, env) }
    }

    /// The profile asked for: `--profile`, else KAFKAOPS_PROFILE. The variable is a default, as the file's
    /// `current:` is: `--bootstrap`, `--command-config` or `--demo` without `--profile` does not use it.
    static func requestedProfile(_ o: some ConnectionArguments, environment env: [String: String]) -> (name: String, fromEnvironment: Bool)? {
        if let p = o.profile { return (p, false) }
        guard o.bootstrap == nil, o.commandConfig == nil, !o.demo, let p = env["KAFKAOPS_PROFILE"], !p.isEmpty else { return nil }
        return (p, true)
    }

    /// Reads the config file; a missing default file is an empty config, a missing `--config` (or KAFKAOPS_CONFIG) file is an error.
    static func loadConfig(path: String?, environment env: [String: String]) throws -> (ConfigFile, String?, [String]) {
        let asked = requestedConfig(path, environment: env)
        let p = asked ?? defaultConfigPath(environment: env)
        guard FileManager.default.fileExists(atPath: p) else {
            if asked != nil {
                throw UsageError("config file \(p)\(path == nil ? " (KAFKAOPS_CONFIG)" : "") does not exist; " + SampleConfig.hint(missing: p))
            }
            return (ConfigFile(), nil, [])
        }
        guard let data = FileManager.default.contents(atPath: p), let text = String(data: data, encoding: .utf8) else {
            throw UsageError("cannot read config file \(p)")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return (ConfigFile(), p, []) }
        let cfg: ConfigFile
        do {
            cfg = try ConfigFile.parse(text)
        } catch {
            throw UsageError("config file \(p) is not valid: \(describe(error))")
        }
        var warnings: [String] = []
        // Inline secrets only: values under properties: given as {env:} or {file:} are not in the file.
        let holdsSecret = cfg.clusters.values.contains {
            $0.sasl?.password.inline != nil || $0.tls?.keyPassword.inline != nil || $0.tls?.keystorePassword.inline != nil
                || $0.properties.keys.contains(where: isSecretProperty)
        }
        if holdsSecret, let mode = permissions(p), mode & 0o004 != 0 {
            warnings.append("config file \(p) holds a secret and is world-readable: run chmod 600 \(p)")
        }
        return (cfg, p, warnings)
    }

    static func permissions(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    /// A property under `properties:` whose value is a secret (the secret-key rule the audit log redacts by).
    static func isSecretProperty(_ key: String) -> Bool { Secrets.isSecretKey(key) }

    static func describe(_ error: Error) -> String {
        if let y = (error as? YamlError) ?? ((error as? DecodingError).flatMap(underlyingYAMLError)) { return describe(yaml: y) }
        if let d = error as? DecodingError {
            switch d {
            case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
                let path = place(c.codingPath.map(\.stringValue))
                return (path.isEmpty ? "" : "\(path): ") + c.debugDescription
            case .keyNotFound(let k, let c):
                let path = c.codingPath.map(\.stringValue)
                return (path.isEmpty ? "" : "\(place(path)): ") + "\(k.stringValue) is missing"
            @unknown default:
                return "\(error)"
            }
        }
        return "\(error)"
    }

    static func underlyingYAMLError(_ d: DecodingError) -> YamlError? {
        if case .dataCorrupted(let c) = d { return c.underlyingError as? YamlError }
        return nil
    }

    /// A YAML syntax error as one line with its place: "line 4, column 4: did not find expected key".
    static func describe(yaml y: YamlError) -> String {
        func at(_ m: Mark, _ problem: String) -> String { "line \(m.line), column \(m.column): \(problem)" }
        switch y {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return at(mark, problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            return at(context.mark, "duplicate key(s) \(duplicates.joined(separator: ", "))")
        default:
            return String(describing: y).split(separator: "\n").first.map(String.init) ?? "not valid YAML"
        }
    }

    /// Where in the config file: `clusters.prod.tls` reads "profile prod: tls".
    static func place(_ path: [String]) -> String {
        if path.count >= 2, path[0] == "clusters" {
            return (["profile \(path[1])"] + (path.count > 2 ? [path[2...].joined(separator: ".")] : [])).joined(separator: ": ")
        }
        return path.joined(separator: ".")
    }

    static func resolve(_ o: some ConnectionArguments, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> ResolvedProfile {
        let commandLine = try commandLineProperties(o.properties)
        let (cfg, path, warnings) = try loadConfig(path: o.configFile, environment: env)
        var name: String
        var profile: Profile
        if let (want, fromEnvironment) = requestedProfile(o, environment: env) {
            guard let p = cfg.clusters[want] else {
                let known = cfg.clusters.keys.sorted()
                if path == nil {
                    let p = defaultConfigPath(environment: env)
                    throw UsageError("no profile '\(want)'\(fromEnvironment ? " (KAFKAOPS_PROFILE)" : ""): config file \(p) does not exist; "
                        + SampleConfig.hint(missing: p))
                }
                throw UsageError("no profile '\(want)'\(fromEnvironment ? " (KAFKAOPS_PROFILE)" : "") in \(path ?? defaultConfigPath(environment: env))"
                    + (known.isEmpty ? "" : " (profiles: \(known.joined(separator: ", ")))"))
            }
            name = want; profile = p
        } else if o.bootstrap == nil && o.commandConfig == nil && !o.demo, let cur = cfg.current ?? (cfg.clusters.count == 1 ? cfg.clusters.keys.first : nil) {
            guard let p = cfg.clusters[cur] else {
                throw UsageError("config file \(path ?? defaultConfigPath(environment: env)) says current: \(cur), but has no such profile")
            }
            name = cur; profile = p
        } else {
            name = o.demo ? "demo" : (o.bootstrap ?? o.commandConfig ?? "default")
            profile = Profile()
        }
        var w = warnings
        profile.expandPaths(env)
        try applyCommandConfigs(&profile, option: o.commandConfig, environment: env, warnings: &w)
        let inlineSecrets = profile.properties.keys.filter(isSecretProperty).sorted()
        profile.properties.merge(commandLine) { _, given in given }
        for key in commandLine.keys { profile.propertyRefs[key] = nil }
        profile.properties.merge(try propertyValues(profile.propertyRefs, name: name, env: env, warnings: &w)) { _, read in read }
        try takeBootstrapFromProperties(&profile, name: name)
        if let b = o.bootstrap { profile.bootstrap = b }
        let isDemo = o.demo || profile.demo
        let readOnly = o.readOnly || profile.readOnly
        if isDemo {
            return ResolvedProfile(name: name, profile: profile, settings: nil, isDemo: true, readOnly: readOnly, warnings: w)
        }
        guard let bootstrap = profile.bootstrap, !bootstrap.isEmpty else {
            let p = path ?? defaultConfigPath(environment: env)
            throw UsageError("no cluster given: use --bootstrap host:port, --profile NAME (config: \(p)), or --demo"
                + (path == nil ? "; config file \(p) does not exist: " + SampleConfig.hint(missing: p) : ""))
        }
        try validateBootstrap(bootstrap)
        var settings = ConnectionSettings(bootstrapServers: bootstrap, clientID: profile.clientID ?? "kafkaops",
                                          properties: profile.properties, verbose: o.verbose)
        if let t = profile.tls {
            for f in [t.ca, t.cert, t.key, t.keystore, t.truststore].compactMap({ $0 }) where !FileManager.default.fileExists(atPath: f) {
                throw UsageError("profile \(name): TLS file \(f) does not exist")
            }
            if t.keystore != nil && (t.cert != nil || t.key != nil) {
                throw UsageError("profile \(name): give tls.keystore or tls.cert and tls.key, not both")
            }
            if t.truststore != nil && t.ca != nil {
                throw UsageError("profile \(name): give tls.truststore or tls.ca, not both")
            }
            settings.tls = ConnectionSettings.TLS(caFile: t.ca, certFile: t.cert, keyFile: t.key,
                                                  keyPassword: try secret(t.keyPassword, what: "tls key password", env: env, warnings: &w),
                                                  keystoreFile: t.keystore,
                                                  keystorePassword: try secret(t.keystorePassword, what: "tls keystore password",
                                                                               env: env, warnings: &w),
                                                  verify: t.verify, verifyHostname: t.verifyHostname)
            settings.tls?.caPEM = try truststoreCertificates(t, name: name, env: env, warnings: &w)
            if !t.verify {
                w.append("profile \(name): TLS certificate verification is OFF (tls.verify: false): the brokers are not authenticated "
                         + "and the connection can be intercepted")
            } else if !t.verifyHostname {
                w.append("profile \(name): TLS host name verification is off (tls.verify_hostname: false); the certificate chain is still verified")
            }
        }
        settings.sasl = try saslSettings(profile, name: name, env: env, warnings: &w)
        settings.awsMSKIAM = profile.awsIAM?.settings
        for k in inlineSecrets {
            w.append("profile \(name): property \(k) looks like a secret written inline; give it as {env: NAME} or {file: PATH}")
        }
        return ResolvedProfile(name: name, profile: profile, settings: settings, isDemo: false, readOnly: readOnly, warnings: w)
    }

    /// `-X key=value` arguments as librdkafka properties (the last of a key wins). Refused, with nothing
    /// of a value repeated: a key the secret-key rule (the audit log's) matches, since the command line
    /// shows in `ps` and shell history; a bootstrap key (`-b` says that); anything not key=value.
    static func commandLineProperties(_ args: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for a in args {
            let eq = a.firstIndex(of: "=")
            let key = a[..<(eq ?? a.endIndex)].trimmingCharacters(in: .whitespaces)
            guard !isSecretProperty(key) else {
                // Without '=' the "key" may hold the value itself (-X sasl.password:hunter2): not repeated.
                throw UsageError("-X \(eq == nil ? "" : Sanitizer.terminal(key) + " ")holds a secret, which does not belong on the "
                                 + "command line (ps, shell history): set it in the profile through the environment or a file "
                                 + "(sasl.password_env, sasl.password_file)")
            }
            guard let eq, !key.isEmpty else {
                throw UsageError("-X \(Sanitizer.terminal(a)): expected key=value, a librdkafka property (-X client.id=oncall)")
            }
            guard !bootstrapProperties.contains(key) else {
                throw UsageError("-X \(key): give the brokers with -b/--bootstrap HOST:PORT")
            }
            out[key] = String(a[a.index(after: eq)...])
        }
        return out
    }

    /// librdkafka's names for the bootstrap list. One given under `properties:` is the profile's bootstrap
    /// (it is what librdkafka would connect to), so errors name the address really used; one that
    /// disagrees with `bootstrap:` is refused rather than guessed.
    static let bootstrapProperties = ["bootstrap.servers", "metadata.broker.list"]

    static func takeBootstrapFromProperties(_ profile: inout Profile, name: String) throws {
        var found: (key: String, value: String)?
        for key in bootstrapProperties {
            guard let v = profile.properties.removeValue(forKey: key) else { continue }
            let value = v.trimmingCharacters(in: .whitespaces)
            if let f = found, f.value != value {
                throw UsageError("profile \(name): properties \(f.key) (\(f.value)) and \(key) (\(value)) disagree; keep one")
            }
            found = (key, value)
        }
        guard let found else { return }
        if let b = profile.bootstrap, b.trimmingCharacters(in: .whitespaces) != found.value {
            throw UsageError("profile \(name): bootstrap (\(b)) and properties \(found.key) (\(found.value)) disagree; keep one")
        }
        profile.bootstrap = found.value
    }

    static func secret(_ ref: SecretRef, what: String, env: [String: String], warnings: inout [String]) throws -> String? {
        if let e = ref.env {
            guard let v = env[e], !v.isEmpty else { throw UsageError("\(what): environment variable \(e) is not set") }
            return v
        }
        if let f = ref.file {
            guard let data = FileManager.default.contents(atPath: f), let v = String(data: data, encoding: .utf8) else {
                throw UsageError("\(what): cannot read \(f)")
            }
            if let mode = permissions(f), mode & 0o004 != 0 {
                warnings.append("\(what) file \(f) is world-readable: run chmod 600 \(f)")
            }
            return v.trimmingCharacters(in: .newlines)
        }
        return ref.inline
    }

    static func validateBootstrap(_ b: String) throws {
        for part in b.split(separator: ",", omittingEmptySubsequences: false) {
            let s = part.trimmingCharacters(in: .whitespaces)
            let hostPort = s.split(separator: "://").last.map(String.init) ?? s
            guard let colon = hostPort.lastIndex(of: ":"), colon != hostPort.startIndex,
                  let port = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(port) else {
                throw UsageError("bootstrap server '\(s)' is not host:port")
            }
        }
    }
}
