import Foundation
import Testing
import TestSupport

/// Issue 13 end to end on the demo (the real binary in tmux): the overview names a broker that
/// went down, and at 200x50 the health cells are whole. The demo starts 10 s into its timeline
/// (KAFKAOPS_DEMO_AHEAD), so broker 3 stops about 20 s after the console saw it live; the profile
/// refreshes every second.
@Suite(.serialized) struct ConsoleOnCallE2ETests {
    static func start(_ tmux: Tmux, ahead: Int, width: Int, height: Int) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-oncall-e2e-\(UUID())").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let config = "\(home)/config.yaml"
        try "current: oncall\nclusters:\n  oncall:\n    demo: true\n    refresh_interval: 1\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        try tmux.start("env HOME=\(home) XDG_STATE_HOME=\(home)/state KAFKAOPS_CONFIG=\(config) KAFKAOPS_DEMO_AHEAD=\(ahead) "
                       + "\(try ConsoleE2ETests.binary())", width: width, height: height)
        return home
    }

    @Test func theOverviewNamesADownBroker() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        let home = try Self.start(tmux, ahead: 10, width: 80, height: 24)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await tmux.expect("DEMO", timeout: .seconds(15))
        try await tmux.expect(timeout: .seconds(15)) { $0.contains { $0.contains("kafka-3.demo") && !$0.contains("DOWN") } }
        // Broker 3 stops: its row stays, saying since when it is down; the summary counts it.
        try await tmux.expect(timeout: .seconds(60)) { lines in
            lines.contains { $0.contains("3 kafka-3.demo") && $0.contains("DOWN since ") }
                && lines.contains { $0.contains("brokers 2 live, 1 DOWN") }
        }
        // The worst-now list under the brokers names what broke.
        try await tmux.expect(timeout: .seconds(10)) { lines in
            lines.contains { $0.contains("Worst now") } && lines.contains { $0.contains("OFFLINE") && $0.contains("topic ") }
        }
        tmux.keys("q")
        try await tmux.waitForExit()
    }

    @Test func at200x50TheHealthCellsAreWhole() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        let home = try Self.start(tmux, ahead: 35, width: 200, height: 50)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await tmux.expect("DEMO")
        tmux.keys("2")
        // Broker 3 is down: several topics are offline, under min ISR and under-replicated at once.
        try await tmux.expect(timeout: .seconds(15)) { lines in
            lines.contains { $0.contains("off:") } && lines.contains { $0.contains("<min:") && $0.contains("urp:") }
        }
        let lines = tmux.screen()
        #expect(!lines.dropFirst(2).prefix(46).contains { $0.contains("…") }, "\(lines.joined(separator: "\n"))")
        #expect(lines[1].contains("sort: worst first"), "\(lines[1])")
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
