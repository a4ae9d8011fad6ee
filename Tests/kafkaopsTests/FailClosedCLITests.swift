import Foundation
import Testing
import TestSupport

/// The binary fails closed on bad settings: a typo in config.yaml, an out-of-range number in the file or
/// on the command line is a usage error (exit 2) that says what is wrong and what is valid.
@Suite struct FailClosedCLITests {
    func config(_ yaml: String, mode: Int = 0o600) throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-fc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let f = d.appendingPathComponent("config.yaml")
        try yaml.write(to: f, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: f.path)
        return f.path
    }

    @Test func aTypoInConfigYamlIsAUsageErrorNotAWritableProfile() async throws {
        let path = try config("clusters:\n  demo:\n    demo: true\n    read_onyl: true\n")
        let r = try await CLI.run(["topics", "--config", path])
        #expect(r.code == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(path) && r.stderr.contains("profile demo")
                && r.stderr.contains("unknown key 'read_onyl' (did you mean 'read_only'?)"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test(arguments: ["refresh_interval: 0", "refresh_interval: -1", "reset_skip_threshold: -3", "replay_rate: 0", "replay_rate: -1"])
    func anOutOfRangeSettingIsAUsageErrorWithTheRange(_ line: String) async throws {
        let path = try config("clusters:\n  demo:\n    demo: true\n    \(line)\n")
        let r = try await CLI.run(["topics", "--config", path])
        let key = String(line.split(separator: ":")[0])
        #expect(r.code == 2)
        #expect(r.stderr.contains(path) && r.stderr.contains("profile demo: \(key) must be"), "\(r.stderr)")
    }

    @Test(arguments: ["0", "-1", "nan"])
    func aTimeoutThatIsNotPositiveIsRefusedWithTheRange(_ value: String) async throws {
        let r = try await CLI.run(["topics", "--demo", "--timeout=\(value)"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("--timeout must be more than 0 and at most 3600 seconds"), "\(r.stderr)")
    }

    @Test(arguments: ["0", "-5"])
    func aReplayRateThatIsNotPositiveIsRefused(_ value: String) async throws {
        let r = try await CLI.run(["dlq", "replay", "orders-dlt", "--demo", "--rate=\(value)"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("--rate must be 0.001 to 1000000 records per second"), "\(r.stderr)")
    }

    @Test func anEmptyConfigFileIsNamedInsteadOfTheDefaultPath() async throws {
        let path = try config("")
        let r = try await CLI.run(["topics", "--config", path])
        #expect(r.code == 2)
        #expect(r.stderr.contains("no cluster given") && r.stderr.contains(path), "\(r.stderr)")
        #expect(!r.stderr.contains(".config/kafkaops/config.yaml"), "\(r.stderr)")
    }

    @Test func aBootstrapUnderPropertiesIsTheAddressNamedWhenItCannotBeReached() async throws {
        let port = try TansuBroker.freePort()             // free: nothing listens there
        let path = try config("clusters:\n  p:\n    properties: { bootstrap.servers: '127.0.0.1:\(port)' }\n")
        let r = try await CLI.run(["topics", "--config", path, "--timeout", "5"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("127.0.0.1:\(port)"), "\(r.stderr)")
    }

    @Test func jsonOutputEscapesBidiControlsFromTheCluster() async throws {
        // orders-dlt-0 offset 5 in the demo cluster carries U+202E in its value.
        let r = try await CLI.run(["dlq", "browse", "orders-dlt", "--demo", "--partition", "0", "--from-offset", "5",
                                   "--limit", "1", "--output", "json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains(#"\u202etxt.exe"#), "\(r.stdout)")
        let dangerous: Set<UInt32> = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C]
        #expect(!r.stdout.unicodeScalars.contains { dangerous.contains($0.value) })
        let decoded = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["records"] as? [[String: Any]]
        let value = try #require(decoded?.first?["value"] as? [String: Any])
        #expect("\(value)".contains("\u{202E}txt.exe"))   // the same text once decoded
    }
}
