import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// Issue 17: TLS against a real TLS listener (stunnel in front of tansu, certificates made by
/// openssl for the run). Each case runs the CLI as an operator would, with a profile.
@Suite(.serialized)
final class TLSListenerTests {
    let certs: TLSCertificates
    let dir: URL

    init() async throws {
        certs = try await TLSCertificates.shared()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-tlscli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// A config file with one profile `t` whose `tls:` section holds `tls` (YAML lines, indented 6).
    func config(_ bootstrap: String, tls: [String]) throws -> String {
        let path = dir.appendingPathComponent("config-\(UUID().uuidString.prefix(6)).yaml").path
        let text = "clusters:\n  t:\n    bootstrap: \(bootstrap)\n    tls:\n" + tls.map { "      " + $0 }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    func run(_ args: [String], _ listener: TLSListener, tls: [String], environment: [String: String] = [:]) async throws -> CLI.Result {
        try await CLI.run(args + ["--config", try config(listener.bootstrap, tls: tls), "--timeout", "10"], environment: environment)
    }

    /// One line on stderr, naming the TLS handshake and `words`.
    func expectTLSFailure(_ r: CLI.Result, _ words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.code == 1, "exit \(r.code): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n").filter { !$0.contains("warning:") }
        #expect(lines.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("TLS handshake"), "\(r.stderr)", sourceLocation: sourceLocation)
        for w in words { #expect(r.stderr.contains(w), "\(w) not in: \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(r.seconds < 9, "fails at the handshake, not at the timeout (\(r.seconds) s)", sourceLocation: sourceLocation)
    }

    @Test func theRightCAConnectsAndTheBrokersCertificateIsShown() async throws {
        let l = try await TLSListener.start(certs)
        let r = try await run(["brokers", "--output", "json"], l, tls: ["ca: \(certs.path("ca.pem"))"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let broker = try #require((obj["brokers"] as? [[String: Any]])?.first)
        let cert = try #require(broker["certificate"] as? [String: Any], "certificate facts for a TLS broker: \(broker)")
        #expect(cert["subject"] as? String == "CN=localhost")
        #expect(cert["issuer"] as? String == "CN=kafkaops test CA")
        #expect((cert["subject_alt_names"] as? String)?.contains("DNS:localhost") == true)
        // make-tls-certs.sh signs the server certificate for 20 days: under 30 is a warning.
        let days = try #require(cert["days_left"] as? Int)
        #expect((18...20).contains(days))
        #expect(cert["expires_soon"] as? Bool == true)
        #expect((obj["warnings"] as? [String])?.contains { $0.contains("broker 111") && $0.contains("expires in") } == true)
        let table = try await run(["brokers"], l, tls: ["ca: \(certs.path("ca.pem"))"])
        #expect(table.code == 0, "\(table.stderr)")
        #expect(table.stdout.contains("CN=localhost") && table.stdout.contains("CN=kafkaops test CA"))
        #expect(table.stderr.contains("warning: the TLS certificate of broker 111 expires in"))
        let topics = try await run(["topics"], l, tls: ["ca: \(certs.path("ca.pem"))"])
        #expect(topics.code == 0, "\(topics.stderr)")
    }

    @Test func anotherCAIsRefusedNamingTheCAKey() async throws {
        let l = try await TLSListener.start(certs)
        for cmd in [["brokers"], ["topics"]] {
            let r = try await run(cmd, l, tls: ["ca: \(certs.path("other-ca.pem"))"])
            expectTLSFailure(r, ["not signed by the CA in tls.ca", "check tls.ca"])
            #expect(!r.stderr.contains("tls.ca_file"))
        }
    }

    @Test func anotherHostNameIsRefusedUnlessHostNameVerificationIsOff() async throws {
        let l = try await TLSListener.start(certs, serverCertificate: .wronghost)
        let refused = try await run(["brokers"], l, tls: ["ca: \(certs.path("ca.pem"))"])
        expectTLSFailure(refused, ["DNS:other.example", "not localhost", "tls.verify_hostname: false"])
        let noHostCheck = try await run(["brokers"], l, tls: ["ca: \(certs.path("ca.pem"))", "verify_hostname: false"])
        #expect(noHostCheck.code == 0, "\(noHostCheck.stderr)")
        #expect(noHostCheck.stderr.contains("host name verification is off"))
        #expect(noHostCheck.stderr.contains("chain is still verified"))
        // The chain is still checked: another CA without the host check is still refused.
        let otherCA = try await run(["brokers"], l, tls: ["ca: \(certs.path("other-ca.pem"))", "verify_hostname: false"])
        expectTLSFailure(otherCA, ["not signed by the CA in tls.ca"])
        let noVerify = try await run(["brokers"], l, tls: ["ca: \(certs.path("other-ca.pem"))", "verify: false"])
        #expect(noVerify.code == 0, "\(noVerify.stderr)")
        #expect(noVerify.stderr.contains("warning: profile t: TLS certificate verification is OFF"))
    }

    @Test func anExpiredCertificateIsRefusedSayingWhen() async throws {
        let l = try await TLSListener.start(certs, serverCertificate: .expired)
        let r = try await run(["brokers"], l, tls: ["ca: \(certs.path("ca.pem"))"])
        expectTLSFailure(r, ["expired on 2024-01-02 00:00 UTC", "CN=localhost"])
    }

    @Test func mutualTLSNeedsAClientCertificate() async throws {
        let l = try await TLSListener.start(certs, requireClientCertificate: true)
        let ca = "ca: \(certs.path("ca.pem"))"
        let none = try await run(["brokers"], l, tls: [ca])
        expectTLSFailure(none, ["asked for a client certificate", "tls.cert and tls.key"])
        let plain = try await run(["brokers"], l, tls: [ca, "cert: \(certs.path("client.pem"))", "key: \(certs.path("client.key"))"])
        #expect(plain.code == 0, "\(plain.stderr)")
        let env = try await run(["topics"], l, tls: [ca, "cert: \(certs.path("client.pem"))", "key: \(certs.path("client-enc.key"))",
                                                     "key_password_env: TLS_KEY_PASS"], environment: ["TLS_KEY_PASS": certs.keyPassword])
        #expect(env.code == 0, "\(env.stderr)")
        let file = try await run(["brokers"], l, tls: [ca, "cert: \(certs.path("client.pem"))", "key: \(certs.path("client-enc.key"))",
                                                       "key_password_file: \(certs.path("client-key-password"))"])
        #expect(file.code == 0, "\(file.stderr)")
        let wrong = "not-the-password-4711"
        let bad = try await run(["brokers", "--verbose"], l, tls: [ca, "cert: \(certs.path("client.pem"))", "key: \(certs.path("client-enc.key"))",
                                                                  "key_password_env: TLS_KEY_PASS"], environment: ["TLS_KEY_PASS": wrong])
        #expect(bad.code != 0)
        #expect(bad.stderr.contains("cannot read the TLS private key (tls.key): wrong password"), "\(bad.stderr)")
        #expect(!bad.stderr.contains(wrong) && !bad.stdout.contains(wrong))
        // --verbose shows librdkafka's own lines (here: the handshake failing on another CA, with the
        // encrypted key loaded), never the key password.
        let verbose = try await run(["brokers", "--verbose"], l, tls: ["ca: \(certs.path("other-ca.pem"))", "cert: \(certs.path("client.pem"))",
                                                                      "key: \(certs.path("client-enc.key"))", "key_password_env: TLS_KEY_PASS"],
                                    environment: ["TLS_KEY_PASS": certs.keyPassword])
        #expect(verbose.code == 1, "\(verbose.stderr)")
        #expect(verbose.stderr.contains("librdkafka"))
        #expect(!verbose.stderr.contains(certs.keyPassword) && !verbose.stdout.contains(certs.keyPassword))
    }

    /// `--command-config` with Java's PKCS12 truststore (issue 14, point 1): its certificates reach librdkafka
    /// as PEM; a wrong password is a usage error before any connection; the YAML's tls.truststore does the same.
    @Test func aCommandConfigWithAPKCS12TruststoreConnects() async throws {
        let l = try await TLSListener.start(certs)
        let file = dir.appendingPathComponent("client.properties").path
        func properties(_ password: String) throws {
            try """
            bootstrap.servers=\(l.bootstrap)
            security.protocol=SSL
            ssl.truststore.location=\(certs.path("truststore.p12"))
            ssl.truststore.type=PKCS12
            ssl.truststore.password=\(password)
            """.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
        }
        try properties("trust-pass")
        let ok = try await CLI.run(["brokers", "--command-config", file, "--timeout", "10"])
        #expect(ok.code == 0, "\(ok.stderr)")
        // Every key was used (the test certificate's near expiry is the only warning).
        #expect(!ok.stderr.contains("not used") && !ok.stderr.contains("truststore"), "\(ok.stderr)")
        try properties("wrong-trust-pass")
        let bad = try await CLI.run(["brokers", "--command-config", file, "--timeout", "10"])
        #expect(bad.code == 2, "\(bad.code): \(bad.stderr)")
        #expect(bad.stderr.contains("password does not open it"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("wrong-trust-pass"))
        let yaml = try await run(["brokers"], l, tls: ["truststore: \(certs.path("truststore.p12"))",
                                                       "truststore_password_file: \(certs.path("truststore-password"))"])
        #expect(yaml.code == 0, "\(yaml.stderr)")
    }

    @Test func aPKCS12KeystoreConnectsAndAWrongPasswordIsClear() async throws {
        let l = try await TLSListener.start(certs, requireClientCertificate: true)
        let ca = "ca: \(certs.path("ca.pem"))"
        let ok = try await run(["brokers"], l, tls: [ca, "keystore: \(certs.path("client.p12"))", "keystore_password_env: P12_PASS"],
                               environment: ["P12_PASS": certs.keystorePassword])
        #expect(ok.code == 0, "\(ok.stderr)")
        let fromFile = try await run(["brokers"], l, tls: [ca, "keystore: \(certs.path("client.p12"))",
                                                           "keystore_password_file: \(certs.path("client-p12-password"))"])
        #expect(fromFile.code == 0, "\(fromFile.stderr)")
        let bad = try await run(["brokers"], l, tls: [ca, "keystore: \(certs.path("client.p12"))", "keystore_password_env: P12_PASS"],
                                environment: ["P12_PASS": "wrong-p12-pass"])
        #expect(bad.code != 0)
        #expect(bad.stderr.contains("cannot open the PKCS#12 keystore (tls.keystore)"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("wrong-p12-pass"))
    }

    /// The console's first screen over TLS: the right CA shows the cluster and its brokers; another CA
    /// shows the TLS reason, never a frozen screen. (The brokers screen's CERT column is checked in
    /// ViewTests: on a loaded CI machine the console's snapshot twice came without the certificate
    /// facts, cause not found yet; the CLI's are checked above.)
    @Test func theConsolesFirstScreenOverTLS() async throws {
        let l = try await TLSListener.start(certs)
        let good = try config(l.bootstrap, tls: ["ca: \(certs.path("ca.pem"))"])
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try ConsoleE2ETests.binary()) --config \(good)", width: 80, height: 24)
        try await tmux.expect("Overview")
        tmux.keys("4")
        try await tmux.expect { lines in lines.contains { $0.contains("111") && $0.contains("localhost") } }
        tmux.keys("q")
        try await tmux.waitForExit()

        let bad = try config(l.bootstrap, tls: ["ca: \(certs.path("other-ca.pem"))"])
        let tmux2 = try Tmux()
        defer { tmux2.kill() }
        try tmux2.start("\(try ConsoleE2ETests.binary()) --config \(bad)", width: 80, height: 24)
        try await tmux2.expect { lines in
            let text = lines.joined(separator: " ")
            return text.contains("TLS handshake") && text.contains("not signed by the CA")
        }
        tmux2.keys("q")
        try await tmux2.waitForExit()
    }
}
