import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// Issue 27 point 11 (the smaller items), on the demo cluster and local files.
@Suite struct SmallFixesCLITests {
    static func tempFile(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-small-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let f = dir.appendingPathComponent(name)
        try text.write(to: f, atomically: true, encoding: .utf8)
        return f.path
    }

    /// `topic create --dry-run` (validate-only, nothing changes) was refused on a read-only profile.
    @Test func topicCreateDryRunWorksOnAReadOnlyConnection() async throws {
        let r = try await CLI.run(["topic", "create", "dryrun-ro", "--demo", "--read-only", "--partitions", "3",
                                   "--replication-factor", "3", "--config", "min.insync.replicas=2", "--dry-run"])
        #expect(r.code == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("validated"), "\(r.stdout)")
        // Creating for real stays refused.
        let real = try await CLI.run(["topic", "create", "dryrun-ro", "--demo", "--read-only", "--partitions", "3",
                                      "--replication-factor", "3", "--config", "min.insync.replicas=2"])
        #expect(real.code != 0 && real.stderr.contains("read-only"), "\(real.stderr)")
    }

    /// A reset to a group id that does not exist was planned silently.
    @Test func aResetOfAGroupThatDoesNotExistWarns() async throws {
        let r = try await CLI.run(["reset-offsets", "--demo", "--group", "no-such-group-4711", "--topic", "orders", "--to-earliest"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("no such group no-such-group-4711; a new group will be created"), "\(r.stderr)")
        let known = try await CLI.run(["reset-offsets", "--demo", "--group", "legacy-migrator", "--all-topics", "--to-earliest"])
        #expect(!known.stderr.contains("no such group"), "\(known.stderr)")
    }

    /// `lint-client` reported `enable.idempotence=fals` as the default and exited 0.
    @Test func anInvalidBooleanIsALintError() async throws {
        let f = try Self.tempFile("producer.properties", "acks=all\nenable.idempotence=fals\n")
        let r = try await CLI.run(["lint-client", f, "--output", "json"])
        #expect(r.code == 1, "\(r.stdout) \(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let idem = try #require((obj["findings"] as? [[String: Any]] ?? []).first { $0["key"] as? String == "enable.idempotence" })
        #expect(idem["current"] as? String == "fals", "not reported as the default: \(idem)")
        #expect(idem["severity"] as? String == "error", "\(idem)")
    }

    /// YAML errors gave no line.
    @Test func aYAMLSyntaxErrorNamesItsLine() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-yaml-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("kafkaops"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "clusters:\n  p:\n    bootstrap: 127.0.0.1:1\n   demo: true\n".write(
            to: dir.appendingPathComponent("kafkaops/config.yaml"), atomically: true, encoding: .utf8)
        let r = try await CLI.run(["topics", "-p", "p"], environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("line 4, column 4"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    /// Loading many profiles stays linear (20,000 profiles took 22 s in a release build, 168 s in a debug
    /// one). Measured as a ratio, so a loaded machine does not fail it: 4x the profiles may take at most
    /// 8x the time (quadratic is 16x).
    @Test func configLoadingIsLinearInTheNumberOfProfiles() async throws {
        func seconds(_ n: Int) async throws -> Double {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-many-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("kafkaops"), withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let text = "clusters:\n" + (0..<n).map { "  p\($0):\n    bootstrap: h\($0):9092\n    read_only: true\n" }.joined()
            try text.write(to: dir.appendingPathComponent("kafkaops/config.yaml"), atomically: true, encoding: .utf8)
            let r = try await CLI.run(["config", "profiles"], environment: ["XDG_CONFIG_HOME": dir.path])
            #expect(r.code == 0, "\(r.stderr)")
            return r.seconds
        }
        let small = try await seconds(1_000)
        let large = try await seconds(4_000)
        #expect(large < max(8 * small, 2.0), "1,000 profiles: \(small) s, 4,000: \(large) s")
    }
}
