import Foundation
import KafkaOpsCore

/// A Kafka client `.properties` file, the one `kafka-topics.sh --command-config` takes, mapped onto a
/// profile (so the profile's checks apply to it). Keys with no mapping are listed in a warning, never
/// dropped in silence; what cannot be honoured (a JKS store, an unknown mechanism) is refused.
enum CommandConfig {
    /// Keys read; every other key is listed as not used.
    static let mapped: Set<String> = [
        "bootstrap.servers", "client.id", "security.protocol", "sasl.mechanism", "sasl.jaas.config",
        "sasl.oauthbearer.token.endpoint.url", "sasl.kerberos.service.name", "sasl.login.callback.handler.class",
        "ssl.truststore.location", "ssl.truststore.type", "ssl.truststore.password",
        "ssl.keystore.location", "ssl.keystore.type", "ssl.keystore.password", "ssl.key.password",
        "ssl.endpoint.identification.algorithm",
    ]

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
        func value(_ k: String) -> String? {
            props[k].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        func fail(_ why: String) -> UsageError { UsageError("command config \(file): \(why)") }

        var profile = Profile()
        var notUsed = props.keys.filter { !mapped.contains($0) }
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
        let sslKeys = props.keys.filter { $0.hasPrefix("ssl.") && mapped.contains($0) }
        let saslKeys = props.keys.filter { $0.hasPrefix("sasl.") && mapped.contains($0) }
        if usesTLS {
            profile.tls = try tls(value, endpointIdentification: props["ssl.endpoint.identification.algorithm"], file: file)
        } else {
            notUsed += sslKeys
        }
        if usesSASL {
            try sasl(value, props["sasl.jaas.config"], into: &profile, file: file)
        } else {
            notUsed += saslKeys
        }
        var warnings: [String] = []
        if !notUsed.isEmpty {
            warnings.append("command config \(file): not used: \(notUsed.sorted().map { Sanitizer.terminal($0) }.joined(separator: ", "))"
                            + " (kafkaops maps bootstrap.servers, client.id, security.protocol, sasl.* and ssl.* keys"
                            + (usesTLS && usesSASL ? "" : " of security.protocol \(protocolName)") + ")")
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

    static func tls(_ value: (String) -> String?, endpointIdentification: String?, file: String) throws -> Profile.TLS {
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
                t.keyPassword.inline = value("ssl.key.password")
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
        if let algorithm = endpointIdentification {
            switch algorithm.trimmingCharacters(in: .whitespaces).lowercased() {
            case "": t.verifyHostname = false
            case "https": t.verifyHostname = true
            default: throw fail("ssl.endpoint.identification.algorithm \(Sanitizer.terminal(algorithm)) is not https or empty")
            }
        }
        return t
    }

    // MARK: SASL

    static func sasl(_ value: (String) -> String?, _ jaasText: String?, into profile: inout Profile, file: String) throws {
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
