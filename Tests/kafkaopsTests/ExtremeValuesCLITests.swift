import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// Issue 27 point 6: extreme values crashed the CLI (SIGILL after writing one record with `--rate 1e-300`,
/// "failed to allocate 13823999861808 bytes" for `lag --window 99999999d`) or were accepted from a
/// profile (`.inf`). Each is exit 2 with one line, from the one range rule (`SettingRange`).
@Suite struct ExtremeValuesCLITests {
    /// The lines of stderr that are not ArgumentParser's usage footer.
    static func messageLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See ") && !$0.isEmpty }
    }

    @Test(arguments: [
        ["dlq", "replay", "orders-dlt", "--to", "orders", "--demo", "--rate", "1e-300", "--execute"],
        ["dlq", "replay", "orders-dlt", "--to", "orders", "--demo", "--rate", "inf", "--execute"],
        ["lag", "--demo", "--window", "99999999d"],
        ["lag", "--demo", "--window", "10s", "--interval", "99999999d"],
        ["topics", "--demo", "--timeout", "-1"],
    ])
    func anExtremeOptionIsOneLineAndExit2(_ args: [String]) async throws {
        let r = try await CLI.run(args)
        #expect(r.code == 2, "\(r.stderr)")
        let lines = Self.messageLines(r.stderr)
        #expect(lines.count == 1 && lines[0].contains("must be"), "\(r.stderr)")
        #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
    }

    /// `replay_rate` / `probe_rate` of 1e-300 or `.inf` in a profile: refused when the profile is loaded,
    /// by every command, `config check` included.
    @Test(arguments: ["replay_rate: 1e-300", "replay_rate: .inf", "probe_rate: 1e-300", "probe_rate: .inf"])
    func anExtremeRateInAProfileIsRefused(_ line: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-extreme-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("kafkaops"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "clusters:\n  p:\n    bootstrap: 127.0.0.1:1\n    \(line)\n".write(
            to: dir.appendingPathComponent("kafkaops/config.yaml"), atomically: true, encoding: .utf8)
        for args in [["config", "check", "-p", "p"], ["topics", "-p", "p"]] {
            let r = try await CLI.run(args, environment: ["XDG_CONFIG_HOME": dir.path])
            #expect(r.code == 2, "\(args): \(r.stderr)")
            let lines = Self.messageLines(r.stderr)
            #expect(lines.count == 1 && lines[0].contains("must be 0.001 to 1000000 records per second"), "\(r.stderr)")
        }
    }
}

/// Issue 27 point 7: `elect-leaders --topic orders --topic orders --execute` and `--all-topics --execute`
/// elected without `--confirm` on a protected profile. Every election there needs a name: the topic's,
/// the topics' joined by commas, or `all-topics`.
@Suite struct ElectLeadersProtectedCLITests {
    static func home() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-elect-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("kafkaops"), withIntermediateDirectories: true)
        try "clusters:\n  prod:\n    demo: true\n    protected: true\n".write(
            to: dir.appendingPathComponent("kafkaops/config.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    static func env(_ dir: URL) -> [String: String] {
        // 80 s into the demo: broker 3 is back, its partitions still led by others (candidates to elect).
        ["XDG_CONFIG_HOME": dir.path, "XDG_STATE_HOME": dir.path, "KAFKAOPS_DEMO_AHEAD": "80"]
    }

    static func actions(_ dir: URL) throws -> [String] {
        let log = dir.appendingPathComponent("kafkaops/audit.log")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)).action }
    }

    @Test(arguments: [(["--topic", "clickstream", "--topic", "clickstream"], "clickstream"),
                      (["--all-topics"], "all-topics"),
                      (["--topic", "clickstream", "--topic", "audit-log"], "clickstream,audit-log")])
    func anElectionOnAProtectedProfileNeedsItsName(_ scope: [String], _ name: String) async throws {
        let dir = try Self.home()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bare = try await CLI.run(["elect-leaders", "-p", "prod", "--execute"] + scope, environment: Self.env(dir))
        #expect(bare.code == 2, "\(bare.stderr)")
        #expect(bare.stderr.contains("--confirm \(name)"), "the refusal names what to type: \(bare.stderr)")
        #expect(try Self.actions(dir).isEmpty, "nothing started")
        let wrong = try await CLI.run(["elect-leaders", "-p", "prod", "--execute", "--confirm", "prod"] + scope, environment: Self.env(dir))
        #expect(wrong.code == 2, "\(wrong.stderr)")
        let typed = try await CLI.run(["elect-leaders", "-p", "prod", "--execute", "--confirm", name] + scope, environment: Self.env(dir))
        #expect(typed.code == 0, "\(typed.stderr)")
        #expect(try Self.actions(dir) == ["leaders.elect-preferred.started", "leaders.elect-preferred"])
    }
}
