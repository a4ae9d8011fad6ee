import Foundation
import Testing
@testable import kafkaops
import KafkaOpsCore

@Suite struct ProfileTests {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-prof-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func options(_ args: [String]) throws -> GlobalOptions { try GlobalOptions.parse(args) }

    @Test func xdgConfigHomeIsRespected() {
        #expect(ProfileLoader.defaultConfigPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/kafkaops/config.yaml")
        #expect(ProfileLoader.defaultConfigPath(environment: ["HOME": "/h"]) == "/h/.config/kafkaops/config.yaml")
    }

    @Test func profileResolvesTLSAndSASLWithThePasswordFromTheEnvironment() throws {
        let d = try tempDir()
        let ca = d.appendingPathComponent("ca.pem")
        try "x".write(to: ca, atomically: true, encoding: .utf8)
        let cfg = d.appendingPathComponent("config.yaml")
        try """
        current: prod
        clusters:
          prod:
            bootstrap: k1:9093,k2:9093
            client_id: oncall
            read_only: true
            protected: true
            tls: { ca: \(ca.path) }
            sasl: { mechanism: scram-sha-512, username: ops, password_env: KPW }
          dev:
            bootstrap: localhost:9092
        """.write(to: cfg, atomically: true, encoding: .utf8)
        let r = try ProfileLoader.resolve(try options(["--config", cfg.path]), environment: ["KPW": "s3cret", "HOME": d.path])
        #expect(r.name == "prod")
        #expect(r.readOnly)
        #expect(r.profile.protected)
        let s = try #require(r.settings)
        #expect(s.bootstrapServers == "k1:9093,k2:9093")
        #expect(s.clientID == "oncall")
        #expect(s.tls?.caFile == ca.path)
        #expect(s.tls?.verify == true)
        #expect(s.sasl == ConnectionSettings.SASL(mechanism: .scramSHA512, username: "ops", password: "s3cret"))
        #expect(s.securityProtocol == "sasl_ssl")

        let dev = try ProfileLoader.resolve(try options(["--config", cfg.path, "--profile", "dev"]), environment: ["HOME": d.path])
        #expect(dev.settings?.bootstrapServers == "localhost:9092")
        #expect(dev.readOnly == false)
        // --read-only wins over the profile.
        #expect(try ProfileLoader.resolve(try options(["--config", cfg.path, "--profile", "dev", "--read-only"]),
                                          environment: ["HOME": d.path]).readOnly)
    }

    @Test func missingPasswordVariableIsAUsageError() throws {
        let d = try tempDir()
        let cfg = d.appendingPathComponent("config.yaml")
        try "clusters:\n  a:\n    bootstrap: k:9092\n    sasl: { mechanism: PLAIN, username: u, password_env: NOPE_NOT_SET }\n"
            .write(to: cfg, atomically: true, encoding: .utf8)
        #expect(throws: UsageError.self) { try ProfileLoader.resolve(try options(["--config", cfg.path]), environment: [:]) }
    }

    @Test func passwordFileIsReadAndTrimmed() throws {
        let d = try tempDir()
        let pw = d.appendingPathComponent("pw")
        try "hunter2\n".write(to: pw, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pw.path)
        let cfg = d.appendingPathComponent("config.yaml")
        try "clusters:\n  a:\n    bootstrap: k:9092\n    sasl: { mechanism: SCRAM-SHA-256, username: u, password_file: \(pw.path) }\n"
            .write(to: cfg, atomically: true, encoding: .utf8)
        let r = try ProfileLoader.resolve(try options(["--config", cfg.path]), environment: [:])
        #expect(r.settings?.sasl?.password == "hunter2")
        #expect(r.warnings.isEmpty)
    }

    @Test func worldReadableConfigHoldingASecretIsWarnedAbout() throws {
        let d = try tempDir()
        let cfg = d.appendingPathComponent("config.yaml")
        try "clusters:\n  a:\n    bootstrap: k:9092\n    sasl: { mechanism: PLAIN, username: u, password: inline-secret }\n"
            .write(to: cfg, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cfg.path)
        let r = try ProfileLoader.resolve(try options(["--config", cfg.path]), environment: [:])
        #expect(r.warnings.contains { $0.contains("world-readable") && $0.contains("chmod 600") })
        #expect(!r.warnings.joined().contains("inline-secret"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: cfg.path)
        #expect(try ProfileLoader.resolve(try options(["--config", cfg.path]), environment: [:]).warnings.isEmpty)
    }

    @Test func brokenConfigNamesTheFileAndTheProblem() throws {
        let d = try tempDir()
        let cfg = d.appendingPathComponent("config.yaml")
        try "clusters:\n  a:\n    sasl: { mechanism: KERBEROS-ish, username: u }\n".write(to: cfg, atomically: true, encoding: .utf8)
        do {
            _ = try ProfileLoader.resolve(try options(["--config", cfg.path]), environment: [:])
            Issue.record("expected an error")
        } catch let e as UsageError {
            #expect(e.description.contains(cfg.path))
            #expect(e.description.contains("SASL mechanism"))
        }
    }

    @Test func sampleConfigParses() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/config.yaml")
        let (cfg, _, _) = try ProfileLoader.loadConfig(path: sample.path, environment: [:])
        #expect(Set(cfg.clusters.keys) == ["local", "staging", "cloud", "onprem", "prod", "msk"])
        #expect(cfg.clusters["msk"]?.awsIAM?.region == "eu-west-1")
        #expect(cfg.clusters["cloud"]?.oauth?.clientSecret.env == "KAFKA_OIDC_SECRET")
        #expect(cfg.clusters["cloud"]?.propertyRefs["client.rack"]?.env == "KAFKAOPS_RACK")
        #expect(cfg.clusters["onprem"]?.kerberos?.principal == "kafkaops@CORP.EXAMPLE.COM")
        #expect(cfg.clusters["prod"]?.readOnly == true)
        #expect(cfg.clusters["prod"]?.sasl?.password.file == "/run/secrets/kafka-password")
    }
}
