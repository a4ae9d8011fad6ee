import Foundation
import Testing
import KafkaOpsCore

/// Guided topic creation end to end: `kafkaops --demo` in tmux at 80x24, driven by keys like an
/// operator on an SSH session. The process gets a temporary HOME, so its audit log lands there.
@Suite(.serialized) struct ConsoleCreateE2ETests {
    /// The screen's lines trimmed and joined by a space: text wrapped over lines reads as one.
    static func flowing(_ lines: [String]) -> String {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    @Test func aBadNameAndAnRFAboveTheBrokersAreExplainedThenTheFixedTopicIsValidatedCreatedAndAudited() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-e2e-create-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try Tmux()
        defer { tmux.kill() }
        // A demo scenario without the scripted broker failure, so that three brokers stay live
        // for the whole test (the standard one stops broker 3 thirty seconds in).
        try tmux.start("env -u XDG_STATE_HOME HOME=\(home.path) KAFKAOPS_DEMO_SCENARIO=topics:20 \(try ConsoleE2ETests.binary()) --demo",
                       width: 80, height: 24)
        try await tmux.expect("DEMO")
        tmux.keys("2")
        try await tmux.expect("TOPIC")
        try await tmux.expect("svc-00.topic-0000")
        tmux.keys("c")
        try await tmux.expect { $0[1].hasPrefix("Topics › Create topic") }
        try await tmux.expect("3 live brokers")

        // A name Kafka refuses: the reason beside the field and in full below.
        tmux.type("bad name!")
        try await tmux.expect { Self.flowing($0).contains("Topic name \"bad name!\" is illegal, it contains a character other than ASCII alphanumerics") }
        // More replicas than brokers.
        tmux.keys("Tab", "Tab", "C-u")
        tmux.type("9")
        try await tmux.expect("must be <= 3 live brokers")
        try await tmux.expect { Self.flowing($0).contains("Replication factor: 9 larger than available brokers: 3.") }
        // The review refuses while errors remain, and takes the focus to the first one (the name).
        tmux.keys("F2")
        try await tmux.expect("fix 2 errors before the review")
        try await tmux.expect { $0.contains { $0.hasPrefix("› name") } }

        tmux.keys("C-u")
        tmux.type("orders-v2")
        tmux.keys("Tab", "Tab", "C-u")
        tmux.type("3")
        try await tmux.expect("no findings: Ctrl-S or F2 reviews")
        tmux.keys("C-s")
        try await tmux.expect { $0[1].hasPrefix("Topics › Create topic › Review") }
        try await tmux.expect("policy (built-in default policy): pass")
        try await tmux.expect("kafka-topics.sh --bootstrap-server BOOTSTRAP --create --topic orders-v2")
        let command = "kafka-topics.sh --bootstrap-server BOOTSTRAP --create --topic orders-v2 --partitions 6 --replication-factor 3 --config cleanup.policy=delete --config min.insync.replicas=2 --config retention.ms=604800000 --config unclean.leader.election.enable=false"
        try await tmux.expect { Self.flowing($0).contains(command) }

        tmux.keys("Enter")
        try await tmux.expect("✓ the broker accepts the request (validate-only)")
        tmux.keys("Enter")
        try await tmux.expect { $0[1].hasPrefix("Topics › Topic orders-v2") }
        try await tmux.expect("created topic orders-v2")
        // Back to the list: the new topic is there with its health.
        tmux.keys("Escape")
        try await tmux.expect { lines in
            lines[1].hasPrefix("Topics") && lines.contains { $0.hasPrefix(" orders-v2") && $0.contains(" 6   3      2 ok") }
        }

        let log = home.appendingPathComponent(".local/state/kafkaops/audit.log").path
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let entries = try text.split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
        let entry = try #require(entries.first { $0.action == "topic.create" })
        #expect(entries.map(\.action) == ["topic.create.started", "topic.create"])
        #expect(entry.target == "orders-v2" && entry.result == "ok" && entry.profile == "demo")
        #expect(entry.after == .object(["partitions": 6, "replication_factor": 3, "configs": .strings([
            "cleanup.policy": "delete", "min.insync.replicas": "2", "retention.ms": "604800000",
            "unclean.leader.election.enable": "false"])]))
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
