import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 10 point 8 for the CLI's one-shot changes: a stop signal that arrives after the started record is
/// held until the request in flight is answered and its outcome recorded; then the command exits 1.
@Suite(.serialized)
final class CLIChangeSignalTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var d: Deadline { .after(.seconds(60)) }

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-sig-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await client.createTopic(NewTopic(name: "orders", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
    }

    deinit { broker.stop(); try? FileManager.default.removeItem(at: dir) }

    var auditPath: String { dir.appendingPathComponent("kafkaops/audit.log").path }

    func audit() throws -> [ChangeRecord] {
        guard let text = try? String(contentsOfFile: auditPath, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    func retention() async throws -> String? {
        try await client.topicConfigs(["orders"], deadline: d)["orders"]?.first { $0.name == "retention.ms" }?.value
    }

    /// The broker is frozen (SIGSTOP) the moment the started record appears, so the alter request waits for
    /// an answer; SIGHUP arrives then, and the broker comes back. The process is not killed by the signal: the
    /// outcome record is written, the config read back matches it, and the command exits 1 naming SIGHUP.
    /// When the answer came before the freeze (the race lost: the outcome is already there), it tries again.
    @Test func sighupDuringAlterConfigStillRecordsTheOutcome() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = dir.path
        environment["HOME"] = dir.path
        environment["XDG_CONFIG_HOME"] = dir.appendingPathComponent(".config").path
        environment.removeValue(forKey: "LD_LIBRARY_PATH")
        for attempt in 0..<8 {
            let n0 = try audit().count
            let before = try await retention()
            let value = String(1_209_600_000 + attempt * 1000)
            let out = dir.appendingPathComponent("run\(attempt).out").path
            let err = dir.appendingPathComponent("run\(attempt).err").path
            let p = try Subprocess(try CLI.binaryPath(), ["topic", "alter-config", "orders", "--bootstrap", broker.bootstrap,
                                                           "--set", "retention.ms=\(value)", "--execute", "--timeout", "30"],
                                   environment: environment, stdoutPath: out, stderrPath: err)
            let path = auditPath, broker = self.broker
            // Lines in the audit log once the started record is there and the broker is frozen (0: never started).
            let seen = try await offThread { () -> Int in
                let start = Date()
                while Date().timeIntervalSince(start) < 30 {
                    let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
                    if lines.count > n0 {
                        broker.pause()
                        return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
                    }
                    usleep(100)
                }
                return 0
            }
            #expect(seen > n0, "the started record never appeared")
            if seen != n0 + 1 || !p.isRunning {  // answered before the freeze: not this test's case
                broker.resume()
                _ = try await offThread { p.wait(seconds: 60) }
                continue
            }
            p.signal(SIGHUP)
            usleep(500_000)  // the signal is delivered while the request waits for the frozen broker
            broker.resume()
            let code = try await offThread { p.wait(seconds: 60) }
            let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
            let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            #expect(code == 1, "exit code \(String(describing: code)) (129: killed by SIGHUP): \(stderr)")
            #expect(stderr.contains("interrupted by SIGHUP"), "\(stderr)")
            let entries = Array(try audit().dropFirst(n0))
            #expect(entries.map(\.action) == ["topic.alter-config.started", "topic.alter-config"], "\(stderr)")
            let outcome = try #require(entries.last)
            if outcome.result == "ok" {
                #expect(stdout.contains("Applied."), "\(stdout)")
                #expect(try await retention() == value)
            } else {
                #expect(outcome.result.hasPrefix("failed"), "\(outcome.result)")
                #expect(try await retention() == before)
            }
            return
        }
        Issue.record("the alter request was answered before the broker froze, every time")
    }
}
