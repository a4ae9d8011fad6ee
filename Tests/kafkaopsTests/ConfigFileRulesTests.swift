import Foundation
import Testing
@testable import kafkaops
import KafkaOpsCore

/// config.yaml fails closed: a typo or an out-of-range number is an error naming the file, the profile and
/// the key, never a setting silently ignored; errors name the file and the bootstrap really used.
@Suite struct ConfigFileRulesTests {
    func write(_ yaml: String, mode: Int = 0o600) throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-cfg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let f = d.appendingPathComponent("config.yaml")
        try yaml.write(to: f, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: f.path)
        return f.path
    }

    func resolve(_ args: [String], env: [String: String] = ["HOME": "/nonexistent-home"]) throws -> ResolvedProfile {
        try ProfileLoader.resolve(try GlobalOptions.parse(args), environment: env)
    }

    /// The usage error resolving `args` gives.
    func failure(_ args: [String], env: [String: String] = ["HOME": "/nonexistent-home"]) -> String? {
        do {
            _ = try resolve(args, env: env)
            return nil
        } catch let e as UsageError {
            return e.description
        } catch {
            return "not a usage error: \(error)"
        }
    }

    @Test(arguments: [
        ("clusters:\n  prod:\n    bootstrap: k:9092\n    read_onyl: true\n", "profile prod: unknown key 'read_onyl' (did you mean 'read_only'?)"),
        ("clusters:\n  prod:\n    bootstrap: k:9092\n    protectd: true\n", "profile prod: unknown key 'protectd' (did you mean 'protected'?)"),
        ("clusters:\n  prod:\n    bootstrap: k:9092\n    tls: { ca_file: /x }\n", "profile prod: tls: unknown key 'ca_file'"),
        ("clusters:\n  prod:\n    bootstrap: k:9092\n    sasl: { mechanism: PLAIN, username: u, pasword_env: X }\n",
         "profile prod: sasl: unknown key 'pasword_env' (did you mean 'password_env'?)"),
        ("curent: prod\nclusters:\n  prod:\n    bootstrap: k:9092\n", "unknown key 'curent' (did you mean 'current'?)"),
        ("clusters:\n  prod:\n    bootstrap: k:9092\n    dlq_headers: { error_clas: x }\n",
         "profile prod: dlq_headers: unknown key 'error_clas' (did you mean 'error_class'?)"),
    ])
    func unknownKeysAreErrorsNamingTheFileTheProfileAndTheNearestKey(_ yaml: String, _ expected: String) throws {
        let path = try write(yaml)
        let message = try #require(failure(["--config", path]))
        #expect(message.contains(path), "\(message)")
        #expect(message.contains(expected), "\(message)")
    }

    @Test func propertiesStayFreeForm() throws {
        let path = try write("clusters:\n  prod:\n    bootstrap: k:9092\n    properties: { linger.ms: '5', some.future.key: x }\n")
        #expect(try resolve(["--config", path]).settings?.properties["some.future.key"] == "x")
    }

    @Test(arguments: [
        ("refresh_interval: 0", "refresh_interval must be more than 0 and at most 86400 seconds, got 0"),
        ("refresh_interval: -5", "refresh_interval must be more than 0 and at most 86400 seconds, got -5"),
        ("reset_skip_threshold: -1", "reset_skip_threshold must be 0 or more records, got -1"),
        ("replay_rate: 0", "replay_rate must be 0.001 to 1000000 records per second, got 0"),
        ("replay_rate: -2", "replay_rate must be 0.001 to 1000000 records per second, got -2"),
        ("probe_rate: 0", "probe_rate must be 0.001 to 1000000 records per second, got 0"),
        ("probe_rate: .inf", "probe_rate must be 0.001 to 1000000 records per second, got inf"),
        ("replay_rate: 1e-300", "replay_rate must be 0.001 to 1000000 records per second, got 1e-300"),
    ])
    func outOfRangeNumbersAreRefusedWithTheRange(_ line: String, _ expected: String) throws {
        let path = try write("clusters:\n  prod:\n    bootstrap: k:9092\n    \(line)\n")
        let message = try #require(failure(["--config", path]))
        #expect(message.contains(path) && message.contains("profile prod: \(expected)"), "\(message)")
    }

    @Test func validNumbersAreKept() throws {
        let path = try write("clusters:\n  prod:\n    bootstrap: k:9092\n    refresh_interval: 2.5\n    reset_skip_threshold: 0\n    replay_rate: 50\n")
        let p = try resolve(["--config", path]).profile
        #expect(p.refreshInterval == 2.5 && p.resetSkipThreshold == 0 && p.replayRate == 50)
    }

    @Test func anEmptyConfigFileIsTheOneNamedWhenNoClusterIsGiven() throws {
        let path = try write("")
        let message = try #require(failure(["--config", path]))
        #expect(message.contains("no cluster given") && message.contains(path), "\(message)")
        #expect(!message.contains("/nonexistent-home"), "\(message)")
    }

    @Test func aBootstrapUnderPropertiesIsTheOneUsedAndNamed() throws {
        let path = try write("clusters:\n  prod:\n    properties: { bootstrap.servers: 'real-1:9092,real-2:9092' }\n")
        let r = try resolve(["--config", path])
        #expect(r.settings?.bootstrapServers == "real-1:9092,real-2:9092")
        #expect(r.settings?.properties["bootstrap.servers"] == nil)
        // --bootstrap still wins over the profile, whichever way it gave its address.
        #expect(try resolve(["--config", path, "--bootstrap", "other:9092"]).settings?.bootstrapServers == "other:9092")
        // Two different addresses in one profile: refused, not guessed.
        let both = try write("clusters:\n  prod:\n    bootstrap: a:9092\n    properties: { metadata.broker.list: 'b:9092' }\n")
        let message = try #require(failure(["--config", both]))
        #expect(message.contains("profile prod") && message.contains("a:9092") && message.contains("b:9092"), "\(message)")
    }

    @Test(arguments: ["sasl.password", "ssl.key.password", "sasl.oauthbearer.client.secret", "ssl.keystore.password"])
    func aSecretUnderPropertiesInAWorldReadableFileIsWarnedAbout(_ key: String) throws {
        let path = try write("clusters:\n  prod:\n    bootstrap: k:9092\n    properties: { \(key): hunter2 }\n", mode: 0o644)
        let warnings = try resolve(["--config", path]).warnings
        #expect(warnings.contains { $0.contains(path) && $0.contains("world-readable") && $0.contains("chmod 600") }, "\(warnings)")
        #expect(!warnings.joined().contains("hunter2"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(!(try resolve(["--config", path]).warnings.contains { $0.contains("world-readable") }))
    }
}
