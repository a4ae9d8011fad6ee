import Foundation
import Testing
import TestSupport

/// The real binary in tmux: while "terminal too small" is shown, a key cannot answer the confirmation it hides.
@Suite(.serialized) struct ConsoleTooSmallE2ETests {
    @Test func aReplayConfirmationHiddenByATooSmallTerminalIgnoresY() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-small-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let auditLog = home.appendingPathComponent("state/kafkaops/audit.log")

        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("env HOME=\(home.path) XDG_STATE_HOME=\(home.path)/state \(try ConsoleE2ETests.binary()) --demo",
                       width: 100, height: 30)
        try await tmux.expect("Overview")
        tmux.keys(":")
        tmux.type("dlq orders-dlt")
        tmux.keys("Enter")
        try await tmux.expect("record(s)")
        tmux.keys("Space")
        try await tmux.expect("1 marked")
        tmux.keys("p")
        try await tmux.expect("Replay 1 marked record(s) from orders-dlt")
        tmux.keys("Enter")
        try await tmux.expect("Replay 1 record(s)?")

        tmux.resize(width: 60, height: 20)
        try await tmux.expect("terminal too small (need 80x24, have 60x20)")
        tmux.keys("y")
        tmux.keys("Enter")
        // The keys were read and dropped: the console answers a later key (the resize) and still shows
        // the confirmation, and nothing was replayed or audited.
        tmux.resize(width: 100, height: 30)
        try await tmux.expect("Replay 1 record(s)?")
        try await Task.sleep(for: .milliseconds(500))
        let screen = tmux.screen().joined(separator: "\n")
        #expect(screen.contains("Replay 1 record(s)?"), "\(screen)")
        #expect(!screen.contains("Replay complete") && !screen.contains("written 1"), "\(screen)")
        let audit = (try? String(contentsOf: auditLog, encoding: .utf8)) ?? ""
        #expect(!audit.contains("dlq.replay.started"), "\(audit)")
        #expect(!audit.contains("dlq.replay"), "\(audit)")

        // q on the small screen quits.
        tmux.resize(width: 60, height: 20)
        try await tmux.expect("terminal too small")
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
