import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 27 points 1, 2 and 4: outcomes under lost connections, the watchdog and stop signals, against tansu
/// behind `KafkaCutProxy`. A change whose connection is cut right after its request was forwarded (librdkafka:
/// `_TRANSPORT`) was made all the same: it is read back and recorded as unknown, never as failed, and a reset
/// still prints its undo command. An answer that never comes does not let the watchdog end the run between
/// the started and the outcome records. Output flowing into a slow pipe is not a hang. A stop signal during
/// the group's re-read before sending ends the reset with nothing sent. Every change is checked with an
/// independent read (a second kafkaops process, kcat).
@Suite(.serialized)
final class LostAnswerTansuTests {
    let proxy: KafkaCutProxy
    let client: KafkaClusterClient
    let dir: URL
    var b: String { proxy.bootstrap }
    var d: Deadline { .after(.seconds(30)) }
    let t0 = TopicPartition("events", 0), t1 = TopicPartition("events", 1)

    init() async throws {
        proxy = try await KafkaCutProxy.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: proxy.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-lost-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await client.createTopic(NewTopic(name: "events", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
        for i in 0..<8 {
            try await client.produceAll([OutgoingRecord(topic: "events", partition: Int32(i % 2), key: nil, value: Array("r\(i)".utf8))],
                                        deadline: d)
        }
        let r = try await client.alterGroupOffsets(group: "etl", offsets: [t0: 3, t1: 4], deadline: d)
        #expect(r.allSatisfy { $0.error == nil })
    }

    deinit {
        proxy.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    var env: [String: String] { ["XDG_STATE_HOME": dir.path] }
    var auditPath: String { dir.appendingPathComponent("kafkaops/audit.log").path }

    func audit() throws -> [ChangeRecord] {
        guard let text = try? String(contentsOfFile: auditPath, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    /// The group's committed offsets as a second kafkaops process reads them (straight from tansu's port).
    func committedByAnotherProcess() async throws -> [TopicPartition: Int64] {
        let r = try await CLI.run(["reset-offsets", "--bootstrap", proxy.broker.bootstrap, "--group", "etl", "--all-topics",
                                   "--to-current", "-o", "json"], environment: env)
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(doc["partitions"] as? [[String: Any]])
        var out: [TopicPartition: Int64] = [:]
        for row in rows {
            if let t = row["topic"] as? String, let p = row["partition"] as? Int, let c = row["current_offset"] as? Int {
                out[TopicPartition(t, Int32(p))] = Int64(c)
            }
        }
        return out
    }

    /// Whether kcat (another client altogether) sees the topic.
    func kcatSees(_ topic: String) async throws -> Bool {
        let listing = try await Kcat.run(["-b", proxy.broker.bootstrap, "-L", "-t", topic, "-m", "10"])
        return listing.contains("topic \"\(topic)\" with") && !listing.contains("Broker: Unknown topic")
    }

    func policyArguments() throws -> [String] {
        let policy = dir.appendingPathComponent("policy.yaml")
        try "min_replication_factor: 1\nmin_insync_replicas: 1\nrequire_rf_above_min_isr: false\n".write(to: policy, atomically: true, encoding: .utf8)
        return ["--config", "min.insync.replicas=1", "--config", "retention.ms=1209600000", "--config", "cleanup.policy=delete",
                "--policy", policy.path]
    }

    // MARK: point 1

    @Test func aResetWhoseConnectionIsCutAfterTheCommitIsReadBackNotFailed() async throws {
        proxy.arm(.offsetCommit, .cut)
        let r = try await CLI.run(["reset-offsets", "--bootstrap", b, "--group", "etl", "--all-topics", "--to-earliest",
                                   "--execute", "--timeout", "5", "--undo-file", dir.appendingPathComponent("undo.csv").path],
                                  environment: env)
        #expect(proxy.fired == 1, "the commit was never cut")
        // The offsets moved (read by another process), and kafkaops says so: unknown answer, read back applied.
        #expect(try await committedByAnotherProcess() == [t0: 0, t1: 0])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("cannot connect"), "\(r.stderr)")
        #expect(r.stdout.contains("Undo with: "), "\(r.stdout)\n\(r.stderr)")
        let outcome = try #require(try audit().last)
        #expect(outcome.action == "group.reset-offsets")
        #expect(outcome.result.hasPrefix("unknown: "), "\(outcome.result)")
        #expect(outcome.result.contains("2 applied, 0 not applied, 0 unknown"), "\(outcome.result)")
    }

    @Test func aCreationWhoseConnectionIsCutIsReadBackNotFailed() async throws {
        proxy.arm(.createTopics, .cut)
        let r = try await CLI.run(["topic", "create", "cut-after-create", "--partitions", "2", "--replication-factor", "1",
                                   "--bootstrap", b, "--timeout", "5"] + (try policyArguments()), environment: env)
        #expect(proxy.fired == 1, "the creation was never cut")
        #expect(try await kcatSees("cut-after-create"))
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("was applied"), "\(r.stderr)")
        #expect(!r.stderr.contains("cannot connect"), "\(r.stderr)")
        let records = try audit()
        #expect(records.map(\.action) == ["topic.create.started", "topic.create"])
        let outcome = try #require(records.last)
        #expect(outcome.result.hasPrefix("unknown: "), "\(outcome.result)")
        #expect(outcome.result.contains("read back: applied"), "\(outcome.result)")
    }

    @Test func aConfigChangeWhoseConnectionIsCutIsNotRecordedAsFailed() async throws {
        proxy.arm(.incrementalAlterConfigs, .cut)
        let r = try await CLI.run(["topic", "alter-config", "events", "--bootstrap", b, "--set", "retention.ms=1209600123",
                                   "--execute", "--timeout", "5"], environment: env)
        #expect(proxy.fired == 1, "the change was never cut")
        let configs = try await client.topicConfigs(["events"], deadline: d)
        #expect(configs["events"]?.first { $0.name == "retention.ms" }?.value == "1209600123")
        #expect(r.code == 1, "\(r.stderr)")
        let outcome = try #require(try audit().last)
        #expect(outcome.action == "topic.alter-config")
        #expect(outcome.result.hasPrefix("unknown: "), "\(outcome.result)")
    }

    // MARK: point 2

    /// The CreateTopics answer never comes (the proxy drops it and keeps the connection open). With --timeout 6
    /// the request and its read-back need more than the old watchdog's 11 s: the run must still end with the
    /// outcome record, not be ended after `started`, and say that the outcome is unknown.
    @Test func theWatchdogDoesNotEndACreationBeforeItsOutcome() async throws {
        proxy.arm(.createTopics, .swallow)
        let r = try await CLI.run(["topic", "create", "answer-never-comes", "--partitions", "1", "--replication-factor", "1",
                                   "--bootstrap", b, "--timeout", "6"] + (try policyArguments()), environment: env)
        #expect(proxy.fired == 1, "the answer was never dropped")
        #expect(r.code == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("the cluster did not answer within the timeout"), "\(r.stderr)")
        let records = try audit()
        #expect(records.map(\.action) == ["topic.create.started", "topic.create"], "\(records.map(\.result))")
        #expect(records.last?.result.hasPrefix("unknown: ") == true, "\(records.last?.result ?? "")")
        #expect(try await kcatSees("answer-never-comes"))
    }

    /// `dlq browse -o jsonl` into a reader slower than the watchdog's bound: every record arrives, exit 0.
    @Test func outputFlowingIntoASlowPipeIsNotCut() async throws {
        try await client.createTopic(NewTopic(name: "big-dlt", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        let value = Array(String(repeating: "x", count: 1000).utf8)
        let records = (0..<2000).map { _ in OutgoingRecord(topic: "big-dlt", partition: 0, key: nil, value: value) }
        try await client.produceAll(records, deadline: .after(.seconds(120)))
        let reader = "import sys, time\nn = 0\nfor line in sys.stdin:\n    n += 1\n    time.sleep(0.004)\nprint(n)\n"
        let script = dir.appendingPathComponent("slow.py").path
        try reader.write(toFile: script, atomically: true, encoding: .utf8)
        let bin = try CLI.binaryPath()
        let line = "set -o pipefail; '\(bin)' dlq browse big-dlt --bootstrap \(b) --limit 1000000 -o jsonl --timeout 1 | python3 '\(script)'"
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LD_LIBRARY_PATH")
        environment["XDG_STATE_HOME"] = dir.path
        environment["HOME"] = dir.path
        let start = Date(), bashEnvironment = environment
        let r = try await offThread { try Subprocess.run("/bin/bash", ["-c", line], environment: bashEnvironment, timeout: 120) }
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds > 6, "the reader was not slower than the watchdog's bound (\(seconds) s): the test proves nothing")
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2000", "\(r.stdout) \(r.stderr)")
        #expect(!r.stderr.contains("did not answer within the timeout"), "\(r.stderr)")
    }

    // MARK: point 4

    /// SIGINT while the group is read again just before the reset is sent (the proxy holds that read's
    /// ListGroups request): the reset ends with nothing sent, no started record, offsets as they were.
    @Test func aStopSignalBeforeTheStartedRecordSendsNothing() async throws {
        proxy.arm(.listGroups, .hold(4), skip: 1)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LD_LIBRARY_PATH")
        environment["XDG_STATE_HOME"] = dir.path
        environment["HOME"] = dir.path
        let out = dir.appendingPathComponent("sigint.out").path, err = dir.appendingPathComponent("sigint.err").path
        let p = try Subprocess(try CLI.binaryPath(), ["reset-offsets", "--bootstrap", b, "--group", "etl", "--all-topics",
                                                      "--to-earliest", "--execute", "--timeout", "10",
                                                      "--undo-file", dir.appendingPathComponent("sigint-undo.csv").path],
                               environment: environment, stdoutPath: out, stderrPath: err)
        let proxy = self.proxy
        let held = try await offThread { () -> Bool in
            let start = Date()
            while Date().timeIntervalSince(start) < 30 {
                if proxy.fired == 1 { return true }
                usleep(10_000)
            }
            return false
        }
        #expect(held, "the group's re-read never came")
        usleep(500_000)
        p.signal(SIGINT)
        let code = try await offThread { p.wait(seconds: 60) }
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(code == 1, "\(stderr)")
        #expect(stderr.contains("interrupted by SIGINT before the change started; nothing was sent"), "\(stderr)")
        #expect(try audit().isEmpty, "a started record was written")
        #expect(try await committedByAnotherProcess() == [t0: 3, t1: 4])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sigint-undo.csv").path))
    }
}
