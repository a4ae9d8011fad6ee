import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// Issue 16, point 3: a probe that created its topic recorded the creation; the run itself is not a
/// change and is not logged, unless `--record` appends its summary (`probe.run`).
@Suite struct ProbeDemoCLITests {
    @Test func theCreationIsRecordedAndTheRunOnlyWithRecord() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-probe-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path, "KAFKAOPS_DEMO_SCENARIO": "topics:5"]
        let log = dir.appendingPathComponent("kafkaops/audit.log")
        func actions() throws -> [String] {
            try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)).action }
        }

        let first = try await CLI.run(["probe", "--demo", "--create", "--records", "5", "--output", "json"], environment: env)
        #expect(first.code == 0, "\(first.stderr)")
        #expect(try actions() == ["topic.create.started", "topic.create"], "the creation is recorded, the run is not")

        let second = try await CLI.run(["probe", "--demo", "--create", "--records", "5", "--record"], environment: env)
        #expect(second.code == 0, "\(second.stderr)")
        let records = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
        // Each CLI run starts its own demo cluster, so the topic is created (and recorded) again.
        #expect(records.map(\.action) == ["topic.create.started", "topic.create", "topic.create.started", "topic.create", "probe.run"])
        #expect(records.last?.result == "ok" && records.last?.target == ProbeTopic.defaultName)
    }
}
