import Foundation
import Testing
@testable import kafkaops
import KafkaOpsCore
@testable import KafkaOpsKafka

/// OAUTHBEARER (OIDC) and Kerberos in profiles, and `{env:}` / `{file:}` values under `properties:`
/// (issue 14, point 3).
@Suite struct SASLProfileTests {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-sasl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// A config file with one profile `p` whose body is `body` (indented under it).
    func config(_ body: String, in d: URL, mode: Int = 0o600) throws -> String {
        let f = d.appendingPathComponent("config.yaml")
        let indented = body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        try "clusters:\n  p:\n    bootstrap: k:9093\n\(indented)\n".write(to: f, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: f.path)
        return f.path
    }

    func resolve(_ cfg: String, _ env: [String: String] = [:]) throws -> ResolvedProfile {
        try ProfileLoader.resolve(try GlobalOptions.parse(["--config", cfg]), environment: env)
    }

    func librdkafka(_ r: ResolvedProfile) throws -> [String: String] {
        Dictionary(RdKafkaProperties.admin(try #require(r.settings)), uniquingKeysWith: { _, b in b })
    }

    @Test func oauthbearerWithTheClientSecretFromTheEnvironmentOrAFile() throws {
        let d = try tempDir()
        let cfg = try config("""
        sasl: { mechanism: OAUTHBEARER }
        oauth:
          token_endpoint: https://idp.example.com/token
          client_id: kafkaops
          client_secret_env: OIDC_SECRET
          scope: kafka.read
          extensions: { logicalCluster: lkc-1, identityPoolId: pool-2 }
        """, in: d)
        let r = try resolve(cfg, ["OIDC_SECRET": "from-env"])
        let p = try librdkafka(r)
        #expect(p["security.protocol"] == "sasl_plaintext")
        #expect(p["sasl.mechanisms"] == "OAUTHBEARER" && p["sasl.oauthbearer.method"] == "oidc")
        #expect(p["sasl.oauthbearer.token.endpoint.url"] == "https://idp.example.com/token")
        #expect(p["sasl.oauthbearer.client.id"] == "kafkaops" && p["sasl.oauthbearer.client.secret"] == "from-env")
        #expect(p["sasl.oauthbearer.scope"] == "kafka.read")
        #expect(p["sasl.oauthbearer.extensions"] == "identityPoolId=pool-2,logicalCluster=lkc-1")
        #expect(RdKafkaProperties.secrets(try #require(r.settings)).contains("from-env"))

        let secretFile = d.appendingPathComponent("oidc.secret")
        try "from-file\n".write(to: secretFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile.path)
        let cfg2 = try config("""
        sasl: { mechanism: oauthbearer }
        oauth: { token_endpoint: "https://idp/t", client_id: c, client_secret_file: \(secretFile.path) }
        """, in: d)
        #expect(try librdkafka(try resolve(cfg2))["sasl.oauthbearer.client.secret"] == "from-file")
    }

    @Test func oauthMistakesAreUsageErrors() throws {
        let d = try tempDir()
        let cases: [(String, String)] = [
            ("sasl: { mechanism: OAUTHBEARER }", "needs oauth"),
            ("sasl: { mechanism: OAUTHBEARER }\noauth: { client_id: c, client_secret_env: S }", "token_endpoint"),
            ("sasl: { mechanism: OAUTHBEARER }\noauth: { token_endpoint: \"https://i/t\", client_secret_env: S }", "client_id"),
            ("sasl: { mechanism: OAUTHBEARER }\noauth: { token_endpoint: \"https://i/t\", client_id: c }", "client_secret_env"),
            ("sasl: { mechanism: OAUTHBEARER }\noauth: { token_endpoint: \"https://i/t\", client_id: c, client_secret_env: UNSET }", "UNSET"),
            ("oauth: { token_endpoint: \"https://i/t\", client_id: c, client_secret_env: S }", "OAUTHBEARER"),
            ("sasl: { mechanism: PLAIN, username: u, password_env: S }\noauth: { client_id: c }", "OAUTHBEARER"),
            ("sasl: { mechanism: OAUTHBEARER, username: u }\noauth: { token_endpoint: \"https://i/t\", client_id: c, client_secret_env: S }",
             "no username"),
            ("sasl: { mechanism: OAUTHBEARER }\noauth: { token_endpoint: \"ftp://i/t\", client_id: c, client_secret_env: S }", "https"),
            ("sasl: { mechanism: PLAIN, password_env: S }", "sasl.username"),
        ]
        for (body, expected) in cases {
            let e = try #require(throws: UsageError.self, "\(body)") { try resolve(try config(body, in: d), ["S": "x"]) }
            #expect(e.description.contains(expected), "\(body): \(e.description)")
        }
        // An inline client secret is not a key of oauth: (the secret lives in the environment or a file).
        #expect(throws: UsageError.self) {
            try resolve(try config("sasl: { mechanism: OAUTHBEARER }\noauth: { token_endpoint: \"https://i/t\", client_id: c, client_secret: x }", in: d))
        }
    }

    @Test func kerberosWithAKeytabOrTheTicketCache() throws {
        let d = try tempDir()
        let keytab = d.appendingPathComponent("ops.keytab")
        try "kt".write(to: keytab, atomically: true, encoding: .utf8)
        let cfg = try config("""
        sasl: { mechanism: GSSAPI }
        kerberos: { service_name: kafka, principal: ops@EXAMPLE.COM, keytab: \(keytab.path) }
        """, in: d)
        let p = try librdkafka(try resolve(cfg))
        #expect(p["sasl.mechanisms"] == "GSSAPI")
        #expect(p["sasl.kerberos.service.name"] == "kafka" && p["sasl.kerberos.principal"] == "ops@EXAMPLE.COM")
        #expect(p["sasl.kerberos.keytab"] == keytab.path)
        #expect(p["sasl.username"] == nil)
        // No kerberos: section: the ticket cache, and librdkafka does not run kinit.
        let q = try librdkafka(try resolve(try config("sasl: { mechanism: GSSAPI }", in: d)))
        #expect(q["sasl.mechanisms"] == "GSSAPI" && q["sasl.kerberos.min.time.before.relogin"] == "0")
        let e = try #require(throws: UsageError.self) {
            try resolve(try config("sasl: { mechanism: GSSAPI }\nkerberos: { keytab: /nonexistent/k.keytab }", in: d))
        }
        #expect(e.description.contains("/nonexistent/k.keytab"))
    }

    @Test func propertiesFromTheEnvironmentOrAFile() throws {
        let d = try tempDir()
        let secretFile = d.appendingPathComponent("jaas")
        try "file-value\n".write(to: secretFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile.path)
        let cfg = try config("""
        properties:
          sasl.oauthbearer.client.secret: { env: CS }
          ssl.key.password: { file: \(secretFile.path) }
          linger.ms: 5
        """, in: d, mode: 0o644)
        let r = try resolve(cfg, ["CS": "env-value"])
        let props = try #require(r.settings?.properties)
        #expect(props == ["sasl.oauthbearer.client.secret": "env-value", "ssl.key.password": "file-value", "linger.ms": "5"])
        // Not inline: no world-readable warning for the config file, no "looks like a secret" warning.
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        #expect(Set(RdKafkaProperties.secrets(try #require(r.settings))) == ["env-value", "file-value"])
        // A variable not set, a file missing, a value that is neither: errors naming the property.
        let e = try #require(throws: UsageError.self) { try resolve(cfg) }
        #expect(e.description.contains("sasl.oauthbearer.client.secret") && e.description.contains("CS"), "\(e.description)")
        let bad = try config("properties:\n  a: { env: X, file: Y }", in: d)
        #expect(throws: UsageError.self) { try resolve(bad, ["X": "1"]) }
        // -X replaces a property given by reference (its variable is then not needed).
        let rack = try config("properties: { client.rack: { env: RACK } }", in: d)
        let x = try ProfileLoader.resolve(try GlobalOptions.parse(["--config", rack, "-X", "client.rack=r2"]), environment: [:])
        #expect(x.settings?.properties["client.rack"] == "r2")
    }

    @Test func worldReadableWarningCoversInlineProperties() throws {
        let d = try tempDir()
        let cfg = try config("properties: { sasl.oauthbearer.client.secret: inline-value }", in: d, mode: 0o644)
        let r = try resolve(cfg)
        #expect(r.warnings.contains { $0.contains("world-readable") && $0.contains("chmod 600 \(cfg)") }, "\(r.warnings)")
        #expect(r.warnings.contains { $0.contains("sasl.oauthbearer.client.secret") && $0.contains("{env: NAME}") }, "\(r.warnings)")
        #expect(!r.warnings.joined().contains("inline-value"))
    }
}
