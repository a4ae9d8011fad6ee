import Foundation
import Testing
import KafkaOpsCore

/// Issue 16, point 2, end to end: the probe screen in `kafkaops --demo` at 80x24. The probe topic
/// does not exist, `c` creates it (audited, in a temporary HOME), then the screen shows per broker
/// what was acknowledged, refused and lost; Esc stops the probe.
@Suite(.serialized) struct ConsoleProbeE2ETests {
    @Test func theProbeScreenCreatesItsTopicAndShowsEachBrokerAt80x24() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-e2e-probe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try Tmux()
        defer { tmux.kill() }
        // Without the scripted broker failure: three brokers stay live, so every write is acknowledged.
        try tmux.start("env -u XDG_STATE_HOME HOME=\(home.path) KAFKAOPS_DEMO_SCENARIO=topics:20 \(try ConsoleE2ETests.binary()) --demo",
                       width: 80, height: 24)
        try await tmux.expect("DEMO")
        tmux.keys(":")
        tmux.type("probe")
        tmux.keys("Enter")
        try await tmux.expect("does not exist")
        tmux.keys("c")
        try await tmux.expect("Refused: none")
        try await tmux.expect("Lost: none")
        let screen = tmux.screen()
        #expect(screen.contains { $0.contains("BROKER") && $0.contains("ACKED") && $0.contains("REFUSED") && $0.contains("LOST") })
        for b in ["1", "2", "3"] {
            #expect(screen.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(b + " ") }, "a row for broker \(b)")
        }
        #expect(screen.allSatisfy { $0.count <= 80 })
        let audit = try String(contentsOf: home.appendingPathComponent(".local/state/kafkaops/audit.log"), encoding: .utf8)
        #expect(audit.contains("\"action\":\"topic.create\"") && audit.contains(ProbeTopic.defaultName))
        tmux.keys("Escape")
        try await tmux.expect { !$0.joined(separator: "\n").contains("Probe kafkaops-probe") }
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
