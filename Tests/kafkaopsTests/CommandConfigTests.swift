import Foundation
import Testing
@testable import kafkaops
import KafkaOpsCore
@testable import KafkaOpsKafka
import TestSupport

/// `--command-config client.properties` (issue 14, point 1): Java properties and JAAS read as Java
/// reads them, each key mapped onto the profile model, stores librdkafka cannot read refused.
@Suite struct CommandConfigTests {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-cc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func write(_ text: String, _ name: String = "client.properties", in d: URL, mode: Int = 0o600) throws -> String {
        let f = d.appendingPathComponent(name)
        try text.write(to: f, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: f.path)
        return f.path
    }

    func resolve(_ args: [String], _ env: [String: String] = [:]) throws -> ResolvedProfile {
        try ProfileLoader.resolve(try GlobalOptions.parse(args), environment: env.merging(["HOME": "/nonexistent"]) { a, _ in a })
    }

    func librdkafka(_ r: ResolvedProfile) throws -> [String: String] {
        let s = try #require(r.settings)
        return Dictionary(RdKafkaProperties.admin(s), uniquingKeysWith: { _, b in b })
    }

    // MARK: Java properties and JAAS syntax

    @Test func javaPropertiesSyntax() {
        let text = """
        # comment
          ! another
        a=1
        b : 2
        c 3
        d=with\\
            continuation
        e=tab\\there \\u00e9\\=\\:
        f\\ key=x
        a=last
        empty=
        """
        let p = Dictionary(JavaProperties.parse(text), uniquingKeysWith: { _, b in b })
        #expect(p == ["a": "last", "b": "2", "c": "3", "d": "withcontinuation", "e": "tab\there é=:", "f key": "x", "empty": ""])
    }

    @Test func jaasWithQuotesAndEscapes() throws {
        let j = try JAASConfig.parse(#"org.apache.kafka.common.security.scram.ScramLoginModule required username="ops" password="p\"w;d \\x" extra=bare;"#)
        #expect(j.moduleName == "ScramLoginModule")
        #expect(j.flag == "required")
        #expect(j.options == ["username": "ops", "password": #"p"w;d \x"#, "extra": "bare"])
        for bad in [#"PlainLoginModule required username="u" password="secretvalue""#,   // no ';'
                    #"PlainLoginModule required username="u" password="secretvalue;"#,   // unclosed quote
                    #"PlainLoginModule maybe username="u";"#, #"PlainLoginModule required username;"#,
                    #"A required a="1"; B required b="secretvalue";"#] {
            let e = try #require(throws: UsageError.self) { try JAASConfig.parse(bad) }
            #expect(e.description.hasPrefix("sasl.jaas.config:"))
            #expect(!e.description.contains("secretvalue"), "\(e.description)")
        }
    }

    // MARK: Mapping, key by key

    @Test func bootstrapClientIdAndScramOverSSL() throws {
        let d = try tempDir()
        let ca = try write("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n", "ca.pem", in: d)
        let f = try write("""
        bootstrap.servers=k1:9093,k2:9093
        client.id=oncall
        security.protocol=SASL_SSL
        sasl.mechanism=SCRAM-SHA-512
        sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
            username="ops" password="s3cr\\\\"et";
        ssl.truststore.location=\(ca)
        ssl.truststore.type=PEM
        """, in: d)
        let r = try resolve(["--command-config", f])
        let p = try librdkafka(r)
        #expect(p["bootstrap.servers"] == "k1:9093,k2:9093")
        #expect(p["client.id"] == "oncall")
        #expect(p["security.protocol"] == "sasl_ssl")
        #expect(p["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(p["sasl.username"] == "ops")
        #expect(p["sasl.password"] == #"s3cr"et"#)
        #expect(p["ssl.ca.location"] == ca)
        #expect(p["ssl.endpoint.identification.algorithm"] == "https")
        #expect(r.warnings.isEmpty, "\(r.warnings)")
    }

    @Test func plainOverSaslPlaintextAndSslOnly() throws {
        let d = try tempDir()
        let plain = try write("""
        bootstrap.servers=k:9092
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=u password=pw;
        """, in: d)
        let p = try librdkafka(try resolve(["--command-config", plain]))
        #expect(p["security.protocol"] == "sasl_plaintext" && p["sasl.mechanisms"] == "PLAIN" && p["sasl.username"] == "u")
        // SSL with no store: the system's CAs, hostname checked.
        let ssl = try write("bootstrap.servers=k:9093\nsecurity.protocol=SSL\n", "ssl.properties", in: d)
        let q = try librdkafka(try resolve(["--command-config", ssl]))
        #expect(q["security.protocol"] == "ssl" && q["ssl.ca.location"] == nil && q["sasl.mechanisms"] == nil)
    }

    @Test func oauthbearerOIDC() throws {
        let d = try tempDir()
        let f = try write("""
        bootstrap.servers=k:9093
        security.protocol=SASL_SSL
        sasl.mechanism=OAUTHBEARER
        sasl.oauthbearer.token.endpoint.url=https://idp.example.com/oauth2/token
        sasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler
        sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required \\
            clientId="kafkaops" clientSecret="oidc-secret" scope="kafka" extension_logicalCluster="lkc-1";
        """, in: d)
        let r = try resolve(["--command-config", f])
        let p = try librdkafka(r)
        #expect(p["sasl.mechanisms"] == "OAUTHBEARER")
        #expect(p["sasl.oauthbearer.method"] == "oidc")
        #expect(p["sasl.oauthbearer.token.endpoint.url"] == "https://idp.example.com/oauth2/token")
        #expect(p["sasl.oauthbearer.client.id"] == "kafkaops")
        #expect(p["sasl.oauthbearer.client.secret"] == "oidc-secret")
        #expect(p["sasl.oauthbearer.scope"] == "kafka")
        #expect(p["sasl.oauthbearer.extensions"] == "logicalCluster=lkc-1")
        #expect(p["sasl.username"] == nil)
        #expect(RdKafkaProperties.secrets(try #require(r.settings)).contains("oidc-secret"))
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        // Without the endpoint librdkafka would fall back to unsecured JWTs: refused.
        let noURL = try write("security.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\nbootstrap.servers=k:1\n"
                              + #"sasl.jaas.config=x.OAuthBearerLoginModule required clientId="a" clientSecret="b";"#, "o.properties", in: d)
        let e = try #require(throws: UsageError.self) { try resolve(["--command-config", noURL]) }
        #expect(e.description.contains("sasl.oauthbearer.token.endpoint.url"))
    }

    @Test func kerberos() throws {
        let d = try tempDir()
        let keytab = try write("kt", "ops.keytab", in: d)
        let f = try write("""
        bootstrap.servers=k:9092
        security.protocol=SASL_PLAINTEXT
        sasl.kerberos.service.name=kafka
        sasl.jaas.config=com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true \\
            keyTab="\(keytab)" principal="ops@EXAMPLE.COM";
        """, in: d)
        let p = try librdkafka(try resolve(["--command-config", f]))
        // No sasl.mechanism: Java's default, GSSAPI.
        #expect(p["sasl.mechanisms"] == "GSSAPI")
        #expect(p["sasl.kerberos.service.name"] == "kafka")
        #expect(p["sasl.kerberos.principal"] == "ops@EXAMPLE.COM")
        #expect(p["sasl.kerberos.keytab"] == keytab)
    }

    @Test func pkcs12KeystoreKeyPasswordAndEmptyEndpointIdentification() throws {
        let d = try tempDir()
        let ks = d.appendingPathComponent("client.p12").path
        try Data([0x30, 0x82, 0x01, 0x00]).write(to: URL(fileURLWithPath: ks))
        let f = try write("""
        bootstrap.servers=k:9093
        security.protocol=SSL
        ssl.keystore.location=\(ks)
        ssl.keystore.type=PKCS12
        ssl.keystore.password=kspw
        ssl.key.password=kspw
        ssl.endpoint.identification.algorithm=
        """, in: d)
        let r = try resolve(["--command-config", f])
        let p = try librdkafka(r)
        #expect(p["ssl.keystore.location"] == ks)
        #expect(p["ssl.keystore.password"] == "kspw")
        #expect(p["ssl.endpoint.identification.algorithm"] == "none")
        #expect(p["enable.ssl.certificate.verification"] == nil)
        #expect(r.warnings.contains { $0.contains("host name verification is off") }, "\(r.warnings)")
        // librdkafka opens a PKCS12 store's key with the store's password: another key password is refused, not dropped.
        let other = try write("bootstrap.servers=k:9093\nsecurity.protocol=SSL\nssl.keystore.location=\(ks)\n"
                              + "ssl.keystore.password=kspw\nssl.key.password=keypw\n", "other.properties", in: d)
        let e = try #require(throws: UsageError.self) { try resolve(["--command-config", other]) }
        #expect(e.description.contains("ssl.key.password") && !e.description.contains("keypw"), "\(e.description)")
    }

    @Test func jksStoresAreRefusedWithTheKeytoolCommand() throws {
        let d = try tempDir()
        let jks = d.appendingPathComponent("trust.jks").path
        try Data([0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]).write(to: URL(fileURLWithPath: jks))
        for key in ["ssl.truststore.location", "ssl.keystore.location"] {
            // The file's first bytes decide, whatever the declared type says.
            let f = try write("bootstrap.servers=k:9093\nsecurity.protocol=SSL\n\(key)=\(jks)\nssl.truststore.type=PKCS12\n", in: d)
            let e = try #require(throws: UsageError.self) { try resolve(["--command-config", f]) }
            #expect(e.description.contains("keytool -importkeystore -srckeystore \(jks) -srcstoretype JKS -destkeystore \(jks).p12 -deststoretype PKCS12"),
                    "\(e.description)")
            #expect(e.description.contains(key))
        }
        // No file to read: Java's default type, JKS.
        let f = try write("bootstrap.servers=k:9093\nsecurity.protocol=SSL\nssl.truststore.location=/nonexistent/t\n", in: d)
        #expect(throws: UsageError.self) { try resolve(["--command-config", f]) }
    }

    @Test func pkcs12TruststoreBecomesPEMCertificates() async throws {
        let certs = try await TLSCertificates.shared()
        let d = try tempDir()
        let ts = certs.path("truststore.p12")
        let f = try write("bootstrap.servers=k:9093\nsecurity.protocol=SSL\nssl.truststore.location=\(ts)\n"
                          + "ssl.truststore.type=PKCS12\nssl.truststore.password=trust-pass\n", in: d)
        let p = try librdkafka(try resolve(["--command-config", f]))
        let ca = try String(contentsOfFile: certs.path("ca.pem"), encoding: .utf8)
        #expect(p["ssl.ca.pem"]?.trimmingCharacters(in: .whitespacesAndNewlines) == ca.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(p["ssl.ca.location"] == nil)
        let wrong = try write("bootstrap.servers=k:9093\nsecurity.protocol=SSL\nssl.truststore.location=\(ts)\n"
                              + "ssl.truststore.password=nope\n", "wrong.properties", in: d)
        let e = try #require(throws: UsageError.self) { try resolve(["--command-config", wrong]) }
        #expect(e.description.contains("tls.truststore \(ts)") && e.description.contains("password"), "\(e.description)")
        #expect(!e.description.contains("nope"))
    }

    @Test func unknownAndUnusedKeysAreListed() throws {
        let d = try tempDir()
        let f = try write("""
        bootstrap.servers=k:9092
        request.timeout.ms=30000
        ssl.truststore.location=/x.pem
        sasl.mechanism=PLAIN
        """, in: d)
        let r = try resolve(["--command-config", f])
        let w = try #require(r.warnings.first { $0.contains("not used") })
        #expect(w.contains("request.timeout.ms") && w.contains("ssl.truststore.location") && w.contains("sasl.mechanism"), "\(w)")
        #expect(w.contains(f))
        #expect(try librdkafka(r)["security.protocol"] == "plaintext")
    }

    @Test func badValuesAreUsageErrors() throws {
        let d = try tempDir()
        for (text, expected) in [("security.protocol=TLS", "security.protocol"), ("security.protocol=SASL_SSL\nsasl.mechanism=AWS_FOO", "sasl.mechanism"),
                                 ("security.protocol=SASL_SSL\nsasl.mechanism=PLAIN", "needs sasl.jaas.config"),
                                 ("security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=x.ScramLoginModule required username=u password=p;",
                                  "PlainLoginModule"),
                                 ("security.protocol=SSL\nssl.endpoint.identification.algorithm=ldap", "ssl.endpoint.identification.algorithm")] {
            let f = try write("bootstrap.servers=k:9092\n" + text, in: d)
            let e = try #require(throws: UsageError.self) { try resolve(["--command-config", f]) }
            #expect(e.description.contains(expected) && e.description.contains(f), "\(e.description)")
        }
        #expect(throws: UsageError.self) { try resolve(["--command-config", d.appendingPathComponent("missing").path]) }
    }

    // MARK: The profile's checks apply

    @Test func worldReadableFileHoldingASecretWarns() throws {
        let d = try tempDir()
        let f = try write("bootstrap.servers=k:9092\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                          + "sasl.jaas.config=a.PlainLoginModule required username=u password=hunter2;\n", in: d, mode: 0o644)
        let r = try resolve(["--command-config", f])
        #expect(r.warnings.contains { $0.contains(f) && $0.contains("world-readable") && $0.contains("chmod 600") }, "\(r.warnings)")
        #expect(!r.warnings.joined().contains("hunter2"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: f)
        #expect(try resolve(["--command-config", f]).warnings.isEmpty)
    }

    @Test func profileNamesACommandConfigAndKeepsItsOwnRules() throws {
        let d = try tempDir()
        let f = try write("bootstrap.servers=from-file:9092\nclient.id=file-client\n", in: d)
        let cfg = try write("""
        clusters:
          prod:
            command_config: \(f)
            client_id: profile-client
            read_only: true
        """, "config.yaml", in: d)
        let r = try resolve(["--config", cfg, "-p", "prod"])
        #expect(r.readOnly)
        #expect(r.settings?.bootstrapServers == "from-file:9092")
        // The profile's own keys win over the file it names...
        #expect(r.settings?.clientID == "profile-client")
        // ...and --command-config wins over the profile, which keeps read_only.
        let g = try write("bootstrap.servers=given:9092\nclient.id=given-client\n", "given.properties", in: d)
        let q = try resolve(["--config", cfg, "-p", "prod", "--command-config", g])
        #expect(q.readOnly && q.settings?.bootstrapServers == "given:9092" && q.settings?.clientID == "given-client")
        // --command-config alone names the cluster: the file's current: profile is not used.
        let only = try resolve(["--config", cfg, "--command-config", g], ["KAFKAOPS_PROFILE": "prod"])
        #expect(!only.readOnly && only.settings?.bootstrapServers == "given:9092")
        // -b beats the file's bootstrap.servers.
        #expect(try resolve(["--command-config", g, "-b", "b:1"]).settings?.bootstrapServers == "b:1")
    }

    @Test func commandConfigBeforeTheSubcommandKeepsItsValue() throws {
        #expect(ArgumentOrder.subcommandFirst(["--command-config", "c.properties", "topics"], subcommands: ["topics"])
                == ["topics", "--command-config", "c.properties"])
        #expect(throws: (any Error).self) { try GlobalOptions.parse(["--demo", "--command-config", "x"]).validate() }
        // A printed command (a reset's undo) reaches the same cluster.
        #expect(try GlobalOptions.parse(["--command-config", "c.properties"]).connectionArguments(environment: [:])
                == ["--command-config", "c.properties"])
    }
}
