import Foundation
import Testing

/// The audit screen, "what if a broker goes down" and a console fix, end to end: the real
/// `kafkaops --demo` binary in tmux at 80x24, the audit log read back from the file.
@Suite(.serialized) struct ConsoleAuditE2ETests {
    @Test func auditScreenFixAndWhatIfAt80x24() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-audit-e2e-\(UUID())").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("env HOME=\(home) XDG_STATE_HOME=\(home)/state \(try ConsoleE2ETests.binary()) --demo", width: 80, height: 24)
        try await tmux.expect("DEMO")
        try await tmux.expect("updated")

        // The audit screen: every finding, the selected one explained under the table.
        tmux.keys("5")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Audit") }
        try await tmux.expect(" error ")
        try await tmux.expect(" why ")
        // Only the unclean-leader-election findings; metrics-raw sorts first.
        tmux.type("/unclean-leader")
        tmux.keys("Enter")
        try await tmux.expect { $0.count > 3 && $0[3].contains("metrics-raw") && $0[3].contains("unclean-leader") }

        // Fix it: preview, apply, result with the audit log's path.
        tmux.keys("f")
        try await tmux.expect("unclean.leader.election.enable: true (topic)  →  false (topic)")
        try await tmux.expect("Nothing has been sent yet")
        tmux.keys("y")
        try await tmux.expect("Applied: unclean.leader.election.enable=false")
        try await tmux.expect("Recorded in the audit log:")
        tmux.keys("Enter")
        // After the reload the finding is gone from the (still filtered) audit.
        try await tmux.expect { lines in
            lines.count > 3 && lines[1].hasPrefix("Audit") && !lines.joined(separator: "\n").contains("metrics-raw")
        }
        let log = try String(contentsOfFile: "\(home)/state/kafkaops/audit.log", encoding: .utf8)
        let line = try #require(log.split(separator: "\n").last)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["action"] as? String == "topic.alter-config")
        #expect(json["target"] as? String == "metrics-raw")
        #expect(json["result"] as? String == "ok")
        #expect((json["after"] as? [String: Any])?["unclean.leader.election.enable"] as? String == "false")
        #expect((json["before"] as? [String: Any])?["unclean.leader.election.enable"] as? String == "true")

        // What if broker 2 goes down, from the brokers screen.
        tmux.keys("4")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Brokers") }
        tmux.keys("j", "w")
        try await tmux.expect("What if broker 2 goes down")
        try await tmux.expect("under min ISR (acks=all fails)")
        try await tmux.expect { lines in lines.contains { $0.contains("OFFLINE") || $0.contains("under min ISR") && $0.hasSuffix("under min ISR") } }
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
