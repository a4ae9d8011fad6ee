import Foundation
import KafkaOpsCore

/// One cluster profile of the config file (`clusters.NAME`): where and how to connect, and what the
/// operator may do there (read_only, protected, the policy, the audit log).
struct Profile: Decodable, Sendable {
    struct TLS: Decodable, Sendable {
        var ca: String?
        var cert: String?
        var key: String?
        var keyPassword: SecretRef = SecretRef()
        /// PKCS#12 keystore holding the client certificate and key (instead of cert + key).
        var keystore: String?
        var keystorePassword: SecretRef = SecretRef()
        /// PKCS#12 truststore (Java's) holding the CA certificates (instead of ca).
        var truststore: String?
        var truststorePassword: SecretRef = SecretRef()
        var verify: Bool = true
        var verifyHostname: Bool = true

        enum CodingKeys: String, CodingKey, CaseIterable {
            case ca, cert, key, verify, keystore
            case verifyHostname = "verify_hostname"
            case keyPassword = "key_password", keyPasswordEnv = "key_password_env", keyPasswordFile = "key_password_file"
            case keystorePassword = "keystore_password", keystorePasswordEnv = "keystore_password_env"
            case keystorePasswordFile = "keystore_password_file"
            case truststore, truststorePasswordEnv = "truststore_password_env", truststorePasswordFile = "truststore_password_file"
        }

        init(from decoder: Decoder) throws {
            try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            ca = try c.decodeIfPresent(String.self, forKey: .ca)
            cert = try c.decodeIfPresent(String.self, forKey: .cert)
            key = try c.decodeIfPresent(String.self, forKey: .key)
            verify = try c.decodeIfPresent(Bool.self, forKey: .verify) ?? true
            verifyHostname = try c.decodeIfPresent(Bool.self, forKey: .verifyHostname) ?? true
            keyPassword = SecretRef(env: try c.decodeIfPresent(String.self, forKey: .keyPasswordEnv),
                                    file: try c.decodeIfPresent(String.self, forKey: .keyPasswordFile),
                                    inline: try c.decodeIfPresent(String.self, forKey: .keyPassword))
            keystore = try c.decodeIfPresent(String.self, forKey: .keystore)
            keystorePassword = SecretRef(env: try c.decodeIfPresent(String.self, forKey: .keystorePasswordEnv),
                                         file: try c.decodeIfPresent(String.self, forKey: .keystorePasswordFile),
                                         inline: try c.decodeIfPresent(String.self, forKey: .keystorePassword))
            truststore = try c.decodeIfPresent(String.self, forKey: .truststore)
            truststorePassword = SecretRef(env: try c.decodeIfPresent(String.self, forKey: .truststorePasswordEnv),
                                           file: try c.decodeIfPresent(String.self, forKey: .truststorePasswordFile))
        }
    }

    struct SASL: Decodable, Sendable {
        var mechanism: ConnectionSettings.SASLMechanism
        /// PLAIN and SCRAM (OAUTHBEARER takes `oauth:`, GSSAPI `kerberos:`).
        var username: String?
        var password: SecretRef

        enum CodingKeys: String, CodingKey, CaseIterable {
            case mechanism, username, password
            case passwordEnv = "password_env", passwordFile = "password_file"
        }

        init(from decoder: Decoder) throws {
            try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let m = try c.decode(String.self, forKey: .mechanism)
            guard let mech = ConnectionSettings.SASLMechanism(rawValue: m.uppercased()) else {
                throw DecodingError.dataCorruptedError(forKey: .mechanism, in: c, debugDescription:
                    "unknown SASL mechanism '\(m)' (use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI)")
            }
            mechanism = mech
            username = try c.decodeIfPresent(String.self, forKey: .username)
            password = SecretRef(env: try c.decodeIfPresent(String.self, forKey: .passwordEnv),
                                 file: try c.decodeIfPresent(String.self, forKey: .passwordFile),
                                 inline: try c.decodeIfPresent(String.self, forKey: .password))
        }
    }

    var bootstrap: String?
    var clientID: String?
    var readOnly: Bool = false
    var protected: Bool = false
    var tls: TLS?
    var sasl: SASL?
    /// AWS MSK IAM (`sasl.mechanism: AWS_MSK_IAM` with `aws:`), instead of `sasl`.
    var awsIAM: AWSIAMProfile?
    /// OAUTHBEARER's OIDC client (SASLProfile.swift).
    var oauth: OAuth?
    /// GSSAPI's principal and keytab (SASLProfile.swift).
    var kerberos: Kerberos?
    /// A Kafka client `.properties` file (`--command-config`) the profile's own keys are laid over.
    var commandConfig: String?
    /// librdkafka properties given inline.
    var properties: [String: String] = [:]
    /// librdkafka properties given as `{env: NAME}` or `{file: PATH}`, read when the profile is resolved.
    var propertyRefs: [String: SecretRef] = [:]
    var theme: String?
    var policy: String?
    var auditLog: String?
    /// Seconds between background refreshes in the console.
    var refreshInterval: Double?
    var demo: Bool = false
    /// A reset that skips more records than this needs --allow-skip (CLI) or an extra confirmation (console).
    var resetSkipThreshold: Int64?
    /// Custom DLQ header names (original topic/partition/offset, error class, message, stack trace).
    var dlqHeaders: DLQHeaderMapping?
    /// Records per second for DLQ replay (absent: no limit).
    var replayRate: Double?
    /// Records per second the console's probe screen writes (absent: its default, 10).
    var probeRate: Double?
    /// Confluent's schema registry, read only (SchemaRegistryProfile.swift).
    var schemaRegistry: SchemaRegistryProfile?
    /// A local folder of schemas by id (`ID.avsc`, `ID.proto`, `ID.json`), used when there is no registry.
    var schemas: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case bootstrap, tls, sasl, properties, theme, policy, demo, protected, aws, oauth, kerberos
        case commandConfig = "command_config"
        case clientID = "client_id", readOnly = "read_only", auditLog = "audit_log", refreshInterval = "refresh_interval"
        case resetSkipThreshold = "reset_skip_threshold", dlqHeaders = "dlq_headers", replayRate = "replay_rate"
        case probeRate = "probe_rate"
        case schemaRegistry = "schema_registry", schemas
    }

    init() {}

    init(from decoder: Decoder) throws {
        // `properties:` stays free-form (librdkafka's keys); every other key must be one of ours.
        try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        /// A number outside its range is refused with the range (never silently treated as "off").
        func inRange<T: BinaryInteger & Decodable>(_ key: CodingKeys, _ range: SettingRange, as: T.Type) throws -> T? {
            guard let v = try c.decodeIfPresent(T.self, forKey: key) else { return nil }
            try Self.check(Double(v), key, range, c.codingPath)
            return v
        }
        func inRange(_ key: CodingKeys, _ range: SettingRange) throws -> Double? {
            guard let v = try c.decodeIfPresent(Double.self, forKey: key) else { return nil }
            try Self.check(v, key, range, c.codingPath)
            return v
        }
        bootstrap = try c.decodeIfPresent(String.self, forKey: .bootstrap)
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
        readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly) ?? false
        protected = try c.decodeIfPresent(Bool.self, forKey: .protected) ?? false
        tls = try c.decodeIfPresent(TLS.self, forKey: .tls)
        awsIAM = try AWSIAMProfile.decode(profile: decoder)
        sasl = awsIAM == nil ? try c.decodeIfPresent(SASL.self, forKey: .sasl) : nil
        oauth = try c.decodeIfPresent(OAuth.self, forKey: .oauth)
        kerberos = try c.decodeIfPresent(Kerberos.self, forKey: .kerberos)
        commandConfig = try c.decodeIfPresent(String.self, forKey: .commandConfig)
        (properties, propertyRefs) = PropertyValue.split(try c.decodeIfPresent([String: PropertyValue].self, forKey: .properties) ?? [:])
        theme = try c.decodeIfPresent(String.self, forKey: .theme)
        policy = try c.decodeIfPresent(String.self, forKey: .policy)
        auditLog = try c.decodeIfPresent(String.self, forKey: .auditLog)
        refreshInterval = try inRange(.refreshInterval, .refreshInterval)
        demo = try c.decodeIfPresent(Bool.self, forKey: .demo) ?? false
        resetSkipThreshold = try inRange(.resetSkipThreshold, .resetSkipThreshold, as: Int64.self)
        dlqHeaders = try c.decodeIfPresent(DLQHeaderMapping.self, forKey: .dlqHeaders)
        replayRate = try inRange(.replayRate, .replayRate)
        probeRate = try inRange(.probeRate, .probeRate)
        schemaRegistry = try c.decodeIfPresent(SchemaRegistryProfile.self, forKey: .schemaRegistry)
        schemas = try c.decodeIfPresent(String.self, forKey: .schemas)
    }

    private static func check(_ v: Double, _ key: CodingKeys, _ range: SettingRange, _ path: [any CodingKey]) throws {
        if let problem = range.problem(key.rawValue, v) {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: problem))
        }
    }
}

/// A usage or configuration problem: exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

extension Profile {
    /// Every path the profile holds with `~` expanded (`XDGPaths.expandingTilde`): TLS files, secret
    /// files, the policy and the audit log.
    mutating func expandPaths(_ env: [String: String]) {
        func x(_ p: inout String?) { p = p.map { XDGPaths.expandingTilde($0, env) } }
        x(&policy); x(&auditLog); x(&commandConfig)
        for k in Array(propertyRefs.keys) { x(&propertyRefs[k, default: SecretRef()].file) }
        if var o = oauth { x(&o.clientSecret.file); oauth = o }
        if var k = kerberos { x(&k.keytab); kerberos = k }
        if var t = tls {
            x(&t.ca); x(&t.cert); x(&t.key); x(&t.keystore); x(&t.keyPassword.file); x(&t.keystorePassword.file)
            x(&t.truststore); x(&t.truststorePassword.file)
            tls = t
        }
        if var sa = sasl { x(&sa.password.file); sasl = sa }
        x(&schemas)
        schemaRegistry?.expandPaths(env)
    }
}
