import Foundation
import KafkaOpsCore

extension Profile {
    /// `oauth:` for `sasl: {mechanism: OAUTHBEARER}`: an OIDC client (client credentials grant).
    ///
    /// ```yaml
    /// sasl: { mechanism: OAUTHBEARER }
    /// oauth: { token_endpoint: https://idp/oauth2/token, client_id: kafkaops, client_secret_env: OIDC_SECRET,
    ///          scope: kafka, extensions: { logicalCluster: lkc-1 } }
    /// ```
    struct OAuth: Decodable, Sendable {
        var tokenEndpoint: String?
        var clientID: String?
        var clientSecret = SecretRef()
        var scope: String?
        var extensions: [String: String] = [:]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case scope, extensions
            case tokenEndpoint = "token_endpoint", clientID = "client_id"
            case clientSecretEnv = "client_secret_env", clientSecretFile = "client_secret_file"
        }

        init() {}

        init(from decoder: Decoder) throws {
            try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            tokenEndpoint = try c.decodeIfPresent(String.self, forKey: .tokenEndpoint)
            clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
            clientSecret = SecretRef(env: try c.decodeIfPresent(String.self, forKey: .clientSecretEnv),
                                     file: try c.decodeIfPresent(String.self, forKey: .clientSecretFile))
            scope = try c.decodeIfPresent(String.self, forKey: .scope)
            extensions = try c.decodeIfPresent([String: String].self, forKey: .extensions) ?? [:]
        }
    }

    /// `kerberos:` for `sasl: {mechanism: GSSAPI}`; without a keytab the ticket cache of `kinit` is used.
    struct Kerberos: Decodable, Sendable {
        var serviceName: String?
        var principal: String?
        var keytab: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case principal, keytab
            case serviceName = "service_name"
        }

        init() {}

        init(from decoder: Decoder) throws {
            try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            serviceName = try c.decodeIfPresent(String.self, forKey: .serviceName)
            principal = try c.decodeIfPresent(String.self, forKey: .principal)
            keytab = try c.decodeIfPresent(String.self, forKey: .keytab)
        }
    }
}

extension Profile.SASL {
    init(mechanism: ConnectionSettings.SASLMechanism, username: String? = nil, password: SecretRef = SecretRef()) {
        self.mechanism = mechanism; self.username = username; self.password = password
    }
}

/// A value under `properties:`: inline, or `{env: NAME}` / `{file: PATH}` so a secret need not be written there.
enum PropertyValue: Decodable, Sendable, Equatable {
    case inline(String)
    case ref(SecretRef)

    enum CodingKeys: String, CodingKey, CaseIterable { case env, file }

    init(from decoder: Decoder) throws {
        if let s = try? decoder.singleValueContainer().decode(String.self) {
            self = .inline(s)
            return
        }
        guard let c = try? decoder.container(keyedBy: CodingKeys.self), c.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected a value, {env: NAME} or {file: PATH}"))
        }
        try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
        self = .ref(SecretRef(env: try c.decodeIfPresent(String.self, forKey: .env),
                              file: try c.decodeIfPresent(String.self, forKey: .file)))
    }

    static func split(_ all: [String: PropertyValue]) -> ([String: String], [String: SecretRef]) {
        var inline: [String: String] = [:]
        var refs: [String: SecretRef] = [:]
        for (k, v) in all {
            switch v {
            case .inline(let s): inline[k] = s
            case .ref(let r): refs[k] = r
            }
        }
        return (inline, refs)
    }
}

extension ProfileLoader {
    /// The `properties:` values given as `{env:}` / `{file:}`, read (a missing variable or unreadable file
    /// is an error naming the property; a world-readable file is a warning).
    static func propertyValues(_ refs: [String: SecretRef], name: String, env: [String: String],
                               warnings: inout [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for key in refs.keys.sorted() {
            if let ref = refs[key], let v = try secret(ref, what: "profile \(name): property \(key)", env: env, warnings: &warnings) {
                out[key] = v
            }
        }
        return out
    }

    /// The profile's SASL settings, checked against the mechanism: PLAIN and SCRAM take a username and
    /// a password, OAUTHBEARER an `oauth:` client, GSSAPI optionally `kerberos:`.
    static func saslSettings(_ profile: Profile, name: String, env: [String: String],
                             warnings: inout [String]) throws -> ConnectionSettings.SASL? {
        guard let s = profile.sasl else {
            if profile.oauth != nil { throw UsageError("profile \(name): oauth is for sasl: {mechanism: OAUTHBEARER}, and sasl is not set") }
            if profile.kerberos != nil { throw UsageError("profile \(name): kerberos is for sasl: {mechanism: GSSAPI}, and sasl is not set") }
            return nil
        }
        let mech = s.mechanism.rawValue
        if profile.oauth != nil && s.mechanism != .oauthbearer {
            throw UsageError("profile \(name): oauth is for sasl.mechanism OAUTHBEARER, not \(mech)")
        }
        if profile.kerberos != nil && s.mechanism != .gssapi {
            throw UsageError("profile \(name): kerberos is for sasl.mechanism GSSAPI, not \(mech)")
        }
        switch s.mechanism {
        case .plain, .scramSHA256, .scramSHA512:
            guard let user = s.username, !user.isEmpty else { throw UsageError("profile \(name): sasl.mechanism \(mech) needs sasl.username") }
            guard let pw = try secret(s.password, what: "SASL password", env: env, warnings: &warnings) else {
                throw UsageError("profile \(name): sasl needs password_env or password_file")
            }
            return ConnectionSettings.SASL(mechanism: s.mechanism, username: user, password: pw)
        case .oauthbearer, .gssapi:
            if s.username != nil || s.password.isSet {
                throw UsageError("profile \(name): sasl.mechanism \(mech) takes no username or password (use "
                                 + (s.mechanism == .gssapi ? "kerberos.principal and kerberos.keytab)" : "oauth.client_id and oauth.client_secret_env)"))
            }
        }
        if s.mechanism == .gssapi {
            let k = profile.kerberos ?? Profile.Kerberos()
            if let keytab = k.keytab, !FileManager.default.fileExists(atPath: keytab) {
                throw UsageError("profile \(name): kerberos.keytab \(keytab) does not exist")
            }
            return ConnectionSettings.SASL(kerberos: .init(serviceName: k.serviceName, principal: k.principal, keytab: k.keytab))
        }
        guard let o = profile.oauth else {
            throw UsageError("profile \(name): sasl.mechanism OAUTHBEARER needs oauth: token_endpoint, client_id and client_secret_env "
                             + "(or client_secret_file)")
        }
        guard let endpoint = o.tokenEndpoint, !endpoint.isEmpty else { throw UsageError("profile \(name): oauth needs token_endpoint") }
        guard let scheme = URL(string: endpoint)?.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw UsageError("profile \(name): oauth.token_endpoint must be an https:// URL")
        }
        guard let client = o.clientID, !client.isEmpty else { throw UsageError("profile \(name): oauth needs client_id") }
        guard let secret = try secret(o.clientSecret, what: "OAuth client secret", env: env, warnings: &warnings) else {
            throw UsageError("profile \(name): oauth needs client_secret_env or client_secret_file")
        }
        if scheme == "http" {
            warnings.append("profile \(name): oauth.token_endpoint is plain http: the client secret crosses the network unencrypted")
        }
        for key in o.extensions.keys where key.contains(",") || key.contains("=") || (o.extensions[key] ?? "").contains(",") {
            throw UsageError("profile \(name): oauth.extensions \(Sanitizer.terminal(key)): names and values cannot hold ',' (names not '=')")
        }
        return ConnectionSettings.SASL(oidc: .init(tokenEndpoint: endpoint, clientID: client, clientSecret: secret,
                                                   scope: o.scope, extensions: o.extensions))
    }
}
