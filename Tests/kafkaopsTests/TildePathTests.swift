import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// `~` is expanded in every path an operator gives, on the command line (where the shell leaves
/// `--opt=~/x` as it is) and in the config file; the state and config directories follow XDG (issue 12).
@Suite struct TildePathTests {
    func home() throws -> URL {
        let h = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-tilde-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: h, withIntermediateDirectories: true)
        return h
    }

    @Test func anExportFileGivenWithTildeGoesUnderHome() async throws {
        let h = try home()
        defer { try? FileManager.default.removeItem(at: h) }
        let r = try await CLI.run(["--demo", "reset-offsets", "--group", "tilde-group", "--topic", "orders", "--to-earliest",
                                   "--export=~/plan.csv"], environment: ["HOME": h.path])
        #expect(r.code == 0, "\(r.stderr)")
        let csv = try String(contentsOf: h.appendingPathComponent("plan.csv"), encoding: .utf8)
        #expect(csv.contains("orders,0,"))
        #expect(!FileManager.default.fileExists(atPath: "~/plan.csv"))
    }

    @Test func theProfilesAuditLogAndTheConfigFileTakeTilde() async throws {
        let h = try home()
        defer { try? FileManager.default.removeItem(at: h) }
        try "clusters:\n  demo:\n    demo: true\n    audit_log: ~/logs/changes.log\n"
            .write(to: h.appendingPathComponent("my.yaml"), atomically: true, encoding: .utf8)
        let r = try await CLI.run(["--config=~/my.yaml", "--profile", "demo", "topic", "alter-config", "orders",
                                   "--set", "retention.ms=604800000", "--execute"], environment: ["HOME": h.path])
        #expect(r.code == 0, "\(r.stderr)")
        let log = try String(contentsOf: h.appendingPathComponent("logs/changes.log"), encoding: .utf8)
        #expect(log.contains("\"action\":\"topic.alter-config\""))
    }

    @Test func xdgDirectoriesAreAbsoluteOrIgnored() {
        #expect(XDGPaths.stateDirectory(["XDG_STATE_HOME": "relative/state", "HOME": "/home/op"]) == "/home/op/.local/state/kafkaops")
        #expect(XDGPaths.stateDirectory(["XDG_STATE_HOME": "/var/st/", "HOME": "/home/op"]) == "/var/st/kafkaops")
        #expect(XDGPaths.configDirectory(["XDG_CONFIG_HOME": "", "HOME": "/home/op"]) == "/home/op/.config/kafkaops")
        #expect(XDGPaths.configDirectory([:]) == nil)
        #expect(XDGPaths.expandingTilde("~/a/b", ["HOME": "/home/op/"]) == "/home/op/a/b")
        #expect(XDGPaths.expandingTilde("~other/a", ["HOME": "/home/op"]) == "~other/a")
        #expect(XDGPaths.expandingTilde("/abs/~/x", ["HOME": "/home/op"]) == "/abs/~/x")
    }
}
