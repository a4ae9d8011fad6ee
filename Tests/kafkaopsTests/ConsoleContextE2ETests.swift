import Foundation
import Testing

/// Issue 14, point 5, end to end: `:ctx NAME` in the console switches to another profile of the
/// config file without restarting (here two demo profiles, the second read-only).
@Suite(.serialized) struct ConsoleContextE2ETests {
    @Test func ctxSwitchesToAnotherProfileWithoutRestarting() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-e2e-ctx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = dir.appendingPathComponent("config.yaml").path
        try "clusters:\n  alpha:\n    demo: true\n  beta:\n    demo: true\n    read_only: true\n"
            .write(toFile: cfg, atomically: true, encoding: .utf8)
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("env XDG_STATE_HOME=\(dir.path) \(try ConsoleE2ETests.binary()) --config \(cfg) -p alpha", width: 80, height: 24)
        try await tmux.expect("kafka-1.demo")
        #expect(!(tmux.screen().first ?? "").contains("READ-ONLY"))
        tmux.keys(":")
        tmux.type("ctx beta")
        tmux.keys("Enter")
        try await tmux.expect { ($0.first ?? "").contains("beta") && ($0.first ?? "").contains("READ-ONLY") }
        try await tmux.expect("kafka-1.demo")
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
