import Foundation
import KafkaOpsCore

/// A Kafka client `.properties` file, the one `kafka-topics.sh --command-config` takes, mapped onto a
/// profile (so the profile's checks apply to it). Keys with no mapping are listed in a warning, never
/// dropped in silence; what cannot be honoured (a JKS store, an unknown mechanism) is refused.
enum CommandConfig {
    /// The file's keys; each key read is marked, and those never read are the ones listed as not used
    /// (a key with no mapping, or one the security protocol or mechanism does not use).
    final class Keys {
        let all: [String: String]
        private(set) var read: Set<String> = []
        init(_ all: [String: String]) { self.all = all }

        /// The value as given (nil when absent); `value` treats empty as absent.
        func raw(_ k: String) -> String? { read.insert(k); return all[k] }
        func value(_ k: String) -> String? {
            raw(k).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var unread: [String] { all.keys.filter { !read.contains($0) }.sorted() }
    }

    /// Reads `path` (`~` expanded) into a profile holding only connection settings, and warnings: keys not
    /// used, and the file being world-readable while it holds a secret.
    static func load(_ path: String, environment env: [String: String]) throws -> (Profile, [String]) {
        let p = XDGPaths.expandingTilde(path, env)
        guard FileManager.default.fileExists(atPath: p) else { throw UsageError("command config \(p) does not exist") }
        guard let data = FileManager.default.contents(atPath: p), let text = String(data: data, encoding: .utf8) else {
            throw UsageError("cannot read command config \(p)")
        }
        let pairs = JavaProperties.parse(text)
        var (profile, warnings) = try self.profile(from: pairs, file: p)
        if pairs.contains(where: { Secrets.isSecretKey($0.key) }), let mode = ProfileLoader.permissions(p), mode & 0o004 != 0 {
            warnings.append("command config \(p) holds a secret and is world-readable: run chmod 600 \(p)")
        }
        profile.expandPaths(env)
        return (profile, warnings)
    }

    /// The mapping itself (`file` names the file in messages; store files are read to tell PEM, PKCS#12 and JKS apart).
    static func profile(from pairs: [(key: String, value: String)], file: String) throws -> (Profile, [String]) {
        var props: [String: String] = [:]
        for (k, v) in pairs { props[k] = v }
        let keys = Keys(props)
        let value = keys.value
        func fail(_ why: String) -> UsageError { UsageError("command config \(file): \(why)") }

        var profile = Profile()
        profile.bootstrap = value("bootstrap.servers")
        profile.clientID = value("client.id")

        let protocolName = (value("security.protocol") ?? "PLAINTEXT").uppercased()
        let (usesTLS, usesSASL): (Bool, Bool)
        switch protocolName {
        case "PLAINTEXT": (usesTLS, usesSASL) = (false, false)
        case "SSL": (usesTLS, usesSASL) = (true, false)
        case "SASL_PLAINTEXT": (usesTLS, usesSASL) = (false, true)
        case "SASL_SSL": (usesTLS, usesSASL) = (true, true)
        default:
            throw fail("security.protocol \(Sanitizer.terminal(protocolName)) is not PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
        }
        if usesTLS { profile.tls = try tls(keys, file: file) }
        if usesSASL { try sasl(keys, into: &profile, file: file) }
        var warnings: [String] = []
        if !keys.unread.isEmpty {
            let mechanism = usesSASL ? ", sasl.mechanism \(profile.sasl?.mechanism.rawValue ?? "?")" : ""
            warnings.append("command config \(file): not used: \(keys.unread.map { Sanitizer.terminal($0) }.joined(separator: ", "))"
                            + " (no mapping in kafkaops, or not used with security.protocol \(protocolName)\(mechanism))")
        }
        return (profile, warnings)
    }

    // MARK: TLS

    enum StoreKind: String { case pem = "PEM", pkcs12 = "PKCS12", jks = "JKS" }

    /// What a store file is, by its first bytes (Java 9+ writes PKCS#12 even where the type says JKS),
    /// else by its declared type (Java's default is JKS).
    static func storeKind(_ path: String, declared: String?) -> StoreKind {
        if let h = FileHandle(forReadingAtPath: path) {
            defer { try? h.close() }
            let head = (try? h.read(upToCount: 64)) ?? Data()
            if head.starts(with: [0xFE, 0xED, 0xFE, 0xED]) || head.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]) { return .jks }
            if let s = String(data: head, encoding: .utf8), s.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("-----BEGIN") {
                return .pem
            }
            if head.first == 0x30 { return .pkcs12 }
        }
        return StoreKind(rawValue: (declared ?? "JKS").uppercased()) ?? .jks
    }

    static func keytool(_ path: String) -> String {
        "keytool -importkeystore -srckeystore \(path) -srcstoretype JKS -destkeystore \(path).p12 -deststoretype PKCS12"
    }

    static func tls(_ keys: Keys, file: String) throws -> Profile.TLS {
        let value = keys.value
        func fail(_ why: String) -> UsageError { UsageError("command config \(file): \(why)") }
        var t = Profile.TLS()
        if let declared = value("ssl.truststore.type"), !["PEM", "PKCS12", "JKS"].contains(declared.uppercased()) {
            throw fail("ssl.truststore.type \(Sanitizer.terminal(declared)) is not PEM, PKCS12 or JKS")
        }
        if let declared = value("ssl.keystore.type"), !["PEM", "PKCS12", "JKS"].contains(declared.uppercased()) {
            throw fail("ssl.keystore.type \(Sanitizer.terminal(declared)) is not PEM, PKCS12 or JKS")
        }
        if let ts = value("ssl.truststore.location") {
            switch storeKind(ts, declared: value("ssl.truststore.type")) {
            case .pem:
                t.ca = ts
            case .jks:
                throw fail("ssl.truststore.location \(ts) is a JKS keystore, which librdkafka cannot read: convert it with "
                           + "`\(keytool(ts))` and point ssl.truststore.location at \(ts).p12 (ssl.truststore.type=PKCS12)")
            case .pkcs12:
                t.truststore = ts
                t.truststorePassword.inline = value("ssl.truststore.password")
            }
        }
        if let ks = value("ssl.keystore.location") {
            switch storeKind(ks, declared: value("ssl.keystore.type")) {
            case .pkcs12:
                t.keystore = ks
                t.keystorePassword.inline = value("ssl.keystore.password")
                // librdkafka's ssl.key.password is for a PEM key; in a PKCS#12 store the store's password opens the key.
                if let kp = value("ssl.key.password"), kp != t.keystorePassword.inline {
                    throw fail("ssl.key.password differs from ssl.keystore.password; librdkafka opens a PKCS12 keystore's key "
                               + "with the store's password: re-export the keystore with one password")
                }
            case .pem:
                // A PEM keystore holds the certificate chain and the private key.
                t.cert = ks
                t.key = ks
                t.keyPassword.inline = value("ssl.key.password") ?? value("ssl.keystore.password")
            case .jks:
                throw fail("ssl.keystore.location \(ks) is a JKS keystore, which librdkafka cannot read: convert it with "
                           + "`\(keytool(ks))` and point ssl.keystore.location at \(ks).p12 (ssl.keystore.type=PKCS12)")
            }
        }
        // Java: present and empty turns host name verification off; https (the default) keeps it on.
        if let algorithm = keys.raw("ssl.endpoint.identification.algorithm") {
            switch algorithm.trimmingCharacters(in: .whitespaces).lowercased() {
            case "": t.verifyHostname = false
            case "https": t.verifyHostname = true
            default: throw fail("ssl.endpoint.identification.algorithm \(Sanitizer.terminal(algorithm)) is not https or empty")
            }
        }
        return t
    }

    // MARK: SASL

    static func sasl(_ keys: Keys, into profile: inout Profile, file: String) throws {
        let value = keys.value
        let jaasText = keys.raw("sasl.jaas.config")
        func fail(_ why: String) -> UsageError { UsageError("command config \(file): \(why)") }
        // Java's default mechanism is GSSAPI.
        let name = (value("sasl.mechanism") ?? "GSSAPI").uppercased()
        guard let mechanism = ConnectionSettings.SASLMechanism(rawValue: name) else {
            throw fail("sasl.mechanism \(Sanitizer.terminal(name)) is not supported (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI)")
        }
        let jaas: JAASConfig?
        do {
            jaas = try jaasText.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try JAASConfig.parse($0) }
        } catch let e as UsageError {
            throw fail(e.description)
        }
        func expectModule(_ names: [String]) throws -> JAASConfig {
            guard let jaas else { throw fail("sasl.mechanism \(name) needs sasl.jaas.config (\(names[0]) required ...;)") }
            guard names.contains(jaas.moduleName) else {
                throw fail("sasl.mechanism \(name) takes \(names.joined(separator: " or ")) in sasl.jaas.config, not "
                           + Sanitizer.terminal(jaas.moduleName))
            }
            return jaas
        }
        switch mechanism {
        case .plain, .scramSHA256, .scramSHA512:
            let j = try expectModule(mechanism == .plain ? ["PlainLoginModule"] : ["ScramLoginModule"])
            guard let user = j.options["username"], let pw = j.options["password"] else {
                throw fail("sasl.jaas.config needs username=\"...\" and password=\"...\"")
            }
            profile.sasl = Profile.SASL(mechanism: mechanism, username: user, password: SecretRef(inline: pw))
        case .oauthbearer:
            let j = try expectModule(["OAuthBearerLoginModule"])
            guard let endpoint = value("sasl.oauthbearer.token.endpoint.url") else {
                throw fail("sasl.mechanism OAUTHBEARER needs sasl.oauthbearer.token.endpoint.url (kafkaops speaks OIDC client credentials)")
            }
            guard let client = j.options["clientId"], let secret = j.options["clientSecret"] else {
                throw fail("sasl.jaas.config needs clientId=\"...\" and clientSecret=\"...\" for OAUTHBEARER")
            }
            var o = Profile.OAuth()
            o.tokenEndpoint = endpoint
            o.clientID = client
            o.clientSecret = SecretRef(inline: secret)
            o.scope = j.options["scope"]
            // Java's OIDC handler (what librdkafka's method=oidc does itself); another handler class is not used.
            if keys.all["sasl.login.callback.handler.class"]?.hasSuffix("OAuthBearerLoginCallbackHandler") == true {
                _ = keys.raw("sasl.login.callback.handler.class")
            }
            for (k, v) in j.options where k.hasPrefix("extension_") { o.extensions[String(k.dropFirst("extension_".count))] = v }
            profile.sasl = Profile.SASL(mechanism: .oauthbearer)
            profile.oauth = o
        case .gssapi:
            var k = Profile.Kerberos()
            if let j = jaas {
                guard j.moduleName == "Krb5LoginModule" else {
                    throw fail("sasl.mechanism GSSAPI takes Krb5LoginModule in sasl.jaas.config, not \(Sanitizer.terminal(j.moduleName))")
                }
                k.principal = j.options["principal"]
                if j.options["useKeyTab"]?.lowercased() == "true" { k.keytab = j.options["keyTab"] }
                k.serviceName = j.options["serviceName"]
            }
            k.serviceName = value("sasl.kerberos.service.name") ?? k.serviceName
            profile.sasl = Profile.SASL(mechanism: .gssapi)
            profile.kerberos = k
        }
    }
}

extension Profile {
    /// This profile with the connection settings of `file` (a command config) laid over it (`fileWins`:
    /// `--command-config` on the command line) or under it (a profile's `command_config:`). Only what a
    /// command config can set is touched: read_only, protected, policy and the rest stay the profile's.
    mutating func combine(connectionOf file: Profile, fileWins: Bool) {
        func pick<T>(_ mine: T?, _ theirs: T?) -> T? { fileWins ? (theirs ?? mine) : (mine ?? theirs) }
        bootstrap = pick(bootstrap, file.bootstrap)
        clientID = pick(clientID, file.clientID)
        if let theirs = file.tls, var mine = tls {
            mine.ca = pick(mine.ca, theirs.ca)
            mine.truststore = pick(mine.truststore, theirs.truststore)
            mine.truststorePassword = pick(mine.truststorePassword.isSet ? mine.truststorePassword : nil,
                                           theirs.truststorePassword.isSet ? theirs.truststorePassword : nil) ?? SecretRef()
            mine.cert = pick(mine.cert, theirs.cert)
            mine.key = pick(mine.key, theirs.key)
            mine.keystore = pick(mine.keystore, theirs.keystore)
            mine.keyPassword = pick(mine.keyPassword.isSet ? mine.keyPassword : nil, theirs.keyPassword.isSet ? theirs.keyPassword : nil)
                ?? SecretRef()
            mine.keystorePassword = pick(mine.keystorePassword.isSet ? mine.keystorePassword : nil,
                                         theirs.keystorePassword.isSet ? theirs.keystorePassword : nil) ?? SecretRef()
            if fileWins { mine.verifyHostname = theirs.verifyHostname }
            tls = mine
        } else {
            tls = tls ?? file.tls
        }
        // A mechanism comes with what it needs: the SASL settings are taken as a whole.
        if fileWins ? file.sasl != nil : sasl == nil {
            sasl = file.sasl; oauth = file.oauth; kerberos = file.kerberos
        }
    }
}

extension ProfileLoader {
    /// Lays the command configs onto the profile: the profile's `command_config:` under it, then
    /// `--command-config` over it.
    static func applyCommandConfigs(_ profile: inout Profile, option: String?, environment env: [String: String],
                                    warnings: inout [String]) throws {
        if let named = profile.commandConfig {
            let (file, w) = try CommandConfig.load(named, environment: env)
            profile.combine(connectionOf: file, fileWins: false)
            warnings += w
        }
        if let option {
            let (file, w) = try CommandConfig.load(option, environment: env)
            profile.combine(connectionOf: file, fileWins: true)
            warnings += w
        }
    }
}
