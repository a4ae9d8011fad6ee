import Foundation
import KafkaOpsCore
import KafkaOpsSchemas
import ArgumentParser

/// The profile's `schema_registry:` (Confluent's schema registry, read only):
///
///     schema_registry:
///       url: https://registry:8081          # or a list: [https://a:8081, https://b:8081]
///       username: ops                       # basic auth, with password_env or password_file
///       password_env: REGISTRY_PASSWORD
///       token_env: REGISTRY_TOKEN           # or a bearer token (token_env / token_file)
///       tls: {ca: ca.pem, cert: client.pem, key: client.key}
///       timeout: 5                          # seconds per request
///
/// and `schemas: DIR`, a local folder of `ID.avsc` / `ID.proto` / `ID.json` used when there is no registry.
struct SchemaRegistryProfile: Decodable, Sendable {
    struct TLS: Decodable, Sendable {
        var ca: String?
        var cert: String?
        var key: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case ca, cert, key }
        init(from decoder: Decoder) throws {
            try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            ca = try c.decodeIfPresent(String.self, forKey: .ca)
            cert = try c.decodeIfPresent(String.self, forKey: .cert)
            key = try c.decodeIfPresent(String.self, forKey: .key)
        }
    }

    var urls: [String]
    var username: String?
    var password: SecretRef
    var token: SecretRef
    var tls: TLS?
    var timeout: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, username, tls, timeout
        case passwordEnv = "password_env", passwordFile = "password_file"
        case tokenEnv = "token_env", tokenFile = "token_file"
    }

    init(urls: [String]) { self.urls = urls; password = SecretRef(); token = SecretRef() }

    init(from decoder: Decoder) throws {
        try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let one = try? c.decode(String.self, forKey: .url) { urls = [one] } else {
            urls = try c.decode([String].self, forKey: .url)
        }
        for u in urls where !(u.hasPrefix("http://") || u.hasPrefix("https://")) {
            throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: "schema registry url must start with http:// or https://")
        }
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = SecretRef(env: try c.decodeIfPresent(String.self, forKey: .passwordEnv),
                             file: try c.decodeIfPresent(String.self, forKey: .passwordFile))
        token = SecretRef(env: try c.decodeIfPresent(String.self, forKey: .tokenEnv),
                          file: try c.decodeIfPresent(String.self, forKey: .tokenFile))
        if username != nil && token.isSet {
            throw DecodingError.dataCorruptedError(forKey: .tokenEnv, in: c, debugDescription: "give username + password or a token, not both")
        }
        if username != nil && !password.isSet {
            throw DecodingError.dataCorruptedError(forKey: .username, in: c, debugDescription: "username needs password_env or password_file")
        }
        tls = try c.decodeIfPresent(TLS.self, forKey: .tls)
        timeout = try c.decodeIfPresent(Double.self, forKey: .timeout)
        if let t = timeout, !(t > 0 && t <= 300) {
            throw DecodingError.dataCorruptedError(forKey: .timeout, in: c, debugDescription: "timeout must be more than 0 and at most 300 seconds")
        }
    }

    mutating func expandPaths(_ env: [String: String]) {
        func x(_ p: inout String?) { p = p.map { XDGPaths.expandingTilde($0, env) } }
        x(&password.file); x(&token.file)
        if var t = tls { x(&t.ca); x(&t.cert); x(&t.key); tls = t }
    }

    /// The client's config, secrets read now (a missing one is a usage error naming the variable or file, never the value).
    func config(env: [String: String], warnings: inout [String]) throws -> SchemaRegistryConfig {
        var auth = SchemaRegistryConfig.Auth.none
        if let u = username, let p = try ProfileLoader.secret(password, what: "schema_registry password", env: env, warnings: &warnings) {
            auth = .basic(username: u, password: p)
        } else if let t = try ProfileLoader.secret(token, what: "schema_registry token", env: env, warnings: &warnings) {
            auth = .bearer(token: t)
        }
        return SchemaRegistryConfig(urls: urls, auth: auth, caFile: tls?.ca, certFile: tls?.cert, keyFile: tls?.key, timeout: timeout ?? 5)
    }
}

enum RecordDecoders {
    /// The decoder for a command: `--schema-registry URL` over the profile's `schema_registry:`, else its
    /// `schemas:` folder, else none (wire-format records then say how to configure one).
    static func make(_ resolved: ResolvedProfile, schemaRegistry: String?, environment env: [String: String] = ProcessInfo.processInfo.environment)
        throws -> SchemaDecoder {
        var warnings: [String] = []
        if let url = schemaRegistry {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw UsageError("--schema-registry must be an http:// or https:// URL")
            }
            var p = resolved.profile.schemaRegistry ?? SchemaRegistryProfile(urls: [])
            p.urls = [url]
            return SchemaDecoder(source: SchemaRegistryClient(try p.config(env: env, warnings: &warnings)))
        }
        if let p = resolved.profile.schemaRegistry {
            return SchemaDecoder(source: SchemaRegistryClient(try p.config(env: env, warnings: &warnings)))
        }
        if let dir = resolved.profile.schemas { return SchemaDecoder(source: SchemaFolder(directory: dir)) }
        return SchemaDecoder(source: nil)
    }
}

/// `--schema-registry URL` for the commands that show records.
struct SchemaOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Decode wire-format records with this schema registry (read only; over the profile's schema_registry:).")
    var schemaRegistry: String?
}

/// A key's or value's schema in JSON output: `{"id", "format", "subject"}`, and `error` when it did not decode.
struct SchemaJSON: Encodable, Sendable {
    let id: Int
    @NullEncoded var format: String?
    @NullEncoded var subject: String?
    @NullEncoded var error: String?

    init?(_ p: DecodedPayload?) {
        guard let p else { return nil }
        id = p.schemaID; format = p.format?.rawValue; subject = p.subject; error = p.note
    }
}

/// The decoded key and value of each record, decoded in order (schemas are fetched once per id).
struct DecodedRecord: Sendable {
    var key: DecodedPayload?
    var value: DecodedPayload?

    static func decode(_ records: [Record], with decoder: any PayloadDecoding) async -> [DecodedRecord] {
        var out: [DecodedRecord] = []
        out.reserveCapacity(records.count)
        for r in records { out.append(DecodedRecord(key: await decoder.decode(r.key), value: await decoder.decode(r.value))) }
        return out
    }
}
