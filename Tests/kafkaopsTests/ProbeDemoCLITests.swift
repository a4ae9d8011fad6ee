import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// Issue 16, point 3 and issue 23, point 3: a probe that created its topic recorded the creation
/// (`topic.create`), and every run that writes is a change of its own (`probe.run`: started, then
/// its outcome), with or without `--record`. The probe writes only into a topic holding nothing but
/// probe records unless `--allow-non-probe-topic`; a protected profile asks for the topic's name.
@Suite struct ProbeDemoCLITests {
    final class Home {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-probe-demo-\(UUID().uuidString.prefix(8))")
        let scenario: String?
        /// `scenario`: the demo's; the default one has business topics (`orders`), `topics:5` none.
        init(config: String? = nil, scenario: String? = "topics:5") throws {
            self.scenario = scenario
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("kafkaops"), withIntermediateDirectories: true)
            if let config { try config.write(to: dir.appendingPathComponent("kafkaops/config.yaml"), atomically: true, encoding: .utf8) }
        }
        deinit { try? FileManager.default.removeItem(at: dir) }
        var env: [String: String] {
            var e = ["XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path]
            e["KAFKAOPS_DEMO_SCENARIO"] = scenario
            return e
        }
        func records() throws -> [ChangeRecord] {
            let log = dir.appendingPathComponent("kafkaops/audit.log")
            guard FileManager.default.fileExists(atPath: log.path) else { return [] }
            return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
        }
    }

    @Test func theCreationAndEveryRunAreRecorded() async throws {
        let home = try Home()
        let first = try await CLI.run(["probe", "--demo", "--create", "--records", "5", "--output", "json"], environment: home.env)
        #expect(first.code == 0, "\(first.stderr)")
        #expect(try home.records().map(\.action) == ["topic.create.started", "topic.create", "probe.run.started", "probe.run"])

        let second = try await CLI.run(["probe", "--demo", "--create", "--records", "5", "--record"], environment: home.env)
        #expect(second.code == 0, "\(second.stderr)")
        let records = try home.records()
        // Each CLI run starts its own demo cluster, so the topic is created (and recorded) again.
        #expect(records.map(\.action) == ["topic.create.started", "topic.create", "probe.run.started", "probe.run",
                                          "topic.create.started", "topic.create", "probe.run.started", "probe.run"])
        #expect(records.last?.result == "ok" && records.last?.target == ProbeTopic.defaultName)
    }

    /// The demo's `orders` holds business records: refused, nothing started; allowed with the flag.
    @Test func aBusinessTopicIsRefusedUnlessAllowed() async throws {
        let home = try Home(scenario: nil)
        let r = try await CLI.run(["probe", "--demo", "--topic", "orders", "--records", "5"], environment: home.env)
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("not probe records") && r.stderr.contains("--allow-non-probe-topic"), "\(r.stderr)")
        #expect(try home.records().isEmpty)
        let allowed = try await CLI.run(["probe", "--demo", "--topic", "orders", "--records", "5", "--allow-non-probe-topic"],
                                        environment: home.env)
        #expect(allowed.code == 0, "\(allowed.stderr)")
        #expect(try home.records().map(\.action) == ["probe.run.started", "probe.run"])
    }

    /// Issue 27 point 7: `probe --topic EXISTING` on a protected profile wrote with no typed name.
    @Test func aProtectedProfileNeedsTheTypedName() async throws {
        let home = try Home(config: "clusters:\n  prod:\n    demo: true\n    protected: true\n", scenario: nil)
        let env = home.env
        let bare = try await CLI.run(["probe", "-p", "prod", "--topic", "orders", "--records", "5", "--allow-non-probe-topic"], environment: env)
        #expect(bare.code == 2, "\(bare.stderr)")
        #expect(bare.stderr.contains("--confirm orders"), "\(bare.stderr)")
        #expect(try home.records().isEmpty)
        let typed = try await CLI.run(["probe", "-p", "prod", "--topic", "orders", "--records", "5", "--allow-non-probe-topic",
                                       "--confirm", "orders"], environment: env)
        #expect(typed.code == 0, "\(typed.stderr)")
        #expect(try home.records().map(\.action) == ["probe.run.started", "probe.run"])
        // The override does not replace the name, nor the name the override.
        let nameOnly = try await CLI.run(["probe", "-p", "prod", "--topic", "orders", "--records", "5", "--confirm", "orders"],
                                         environment: env)
        #expect(nameOnly.code == 1 && nameOnly.stderr.contains("not probe records"), "\(nameOnly.stderr)")
    }

    /// Issue 27 point 6: extreme rates and durations are one line and exit 2, never a crash.
    @Test(arguments: [["--rate", "1e-300"], ["--rate", "inf"], ["--rate", "-1"], ["--duration", "99999999d"]])
    func extremeValuesAreUsageErrors(_ extra: [String]) async throws {
        let home = try Home()
        let r = try await CLI.run(["probe", "--demo", "--create"] + extra, environment: home.env)
        #expect(r.code == 2, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See") && !$0.isEmpty }
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(extra[0]) && r.stderr.contains("must be"), "\(r.stderr)")
    }
}
