import Foundation
import Testing

/// Lag over time in the console (issue 11, point 8), end to end: the real binary on the demo
/// cluster in tmux at 80x24, refreshing every second (a profile with `refresh_interval: 1`), shows
/// trend words and sparklines on the groups screen and the loud at-risk line on the overview.
@Suite(.serialized) struct ConsoleLagE2ETests {
    @Test func groupsScreenShowsTrendWordsWithinAMinute() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-lag-e2e-\(UUID())").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let config = "\(home)/config.yaml"
        try "current: lagdemo\nclusters:\n  lagdemo:\n    demo: true\n    refresh_interval: 1\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("env HOME=\(home) XDG_STATE_HOME=\(home)/state KAFKAOPS_CONFIG=\(config) \(try ConsoleE2ETests.binary())",
                       width: 80, height: 24)
        try await tmux.expect("DEMO")
        tmux.keys("3")
        try await tmux.expect { $0.count > 2 && $0[2].contains("GROUP") && $0[2].contains("TREND") && $0[2].contains("TIME-LAG")
            && $0[2].contains("LAG") }
        // Once two refreshes are in, the demo's groups show their trend words with a sparkline.
        try await tmux.expect(timeout: .seconds(60)) { lines in
            let text = lines.joined(separator: "\n")
            return ["falling_behind", "stopped", "caught_up", "catching_up", "keeping_up"].allSatisfy { text.contains($0) }
                && lines.contains { $0.contains("▁") || $0.contains("█") }
        }
        // The group heading for data loss is marked `!` (readable without colour) and the overview says it first.
        try await tmux.expect(timeout: .seconds(30)) { $0.contains { $0.contains("!falling_behind") } }
        tmux.keys("1")
        try await tmux.expect(timeout: .seconds(30)) { $0.contains { $0.hasPrefix(" Lag ! ") && $0.contains("AT RISK OF DATA LOSS") } }
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
