import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// Issue 10, point 2: a change whose started record cannot be written (a full disk: the audit log
/// is on a tmpfs that is full, `FullTmpfs`) sends nothing and exits 1. Checked against
/// tansu by reading the cluster back through a separate client: the topic was not created, the
/// config not changed, the offsets not moved, no record replayed.
@Suite(.serialized)
final class ChangeLogFailClosedTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    let disk: FullTmpfs
    var fullLog: String { disk.path("audit.log") }
    var b: String { broker.bootstrap }
    var d: Deadline { .after(.seconds(20)) }

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-changelog-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        disk = try FullTmpfs()
        disk.fill()
        for (t, n) in [("events", Int32(1)), ("events-dlt", 1), ("replayed", 1)] {
            try await client.createTopic(NewTopic(name: t, partitions: n, replicationFactor: 1), validateOnly: false, deadline: d)
        }
        for i in 0..<3 {
            try await client.produceAll([OutgoingRecord(topic: "events", partition: 0, key: nil, value: Array("r\(i)".utf8))], deadline: d)
            try await client.produceAll([OutgoingRecord(topic: "events-dlt", partition: 0, key: Array("k\(i)".utf8),
                                                        value: Array("{\"i\":\(i)}".utf8),
                                                        headers: [RecordHeader("kafka_dlt-original-topic", string: "events")])],
                                        deadline: d)
        }
        let r = try await client.alterGroupOffsets(group: "etl", offsets: [TopicPartition("events", 0): 2], deadline: d)
        #expect(r.allSatisfy { $0.error == nil })
    }

    deinit {
        broker.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// A config file whose profile sends the audit log to `auditLog`.
    func config(auditLog: String) throws -> String {
        let path = dir.appendingPathComponent("config-\(UUID().uuidString.prefix(6)).yaml").path
        try "clusters:\n  t:\n    bootstrap: \(b)\n    audit_log: \(auditLog)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    /// `topic create` takes `--config k=v` as kafka-topics.sh does; its config file is `--config-file`.
    // `--config-file`: in topic create and topic alter-config `--config` is a topic config.
    func run(_ args: [String], auditLog: String? = nil, configOption: String = "--config-file") async throws -> CLI.Result {
        try await CLI.run(args + [configOption, try config(auditLog: auditLog ?? fullLog)], environment: ["XDG_STATE_HOME": dir.path])
    }

    func expectRefused(_ r: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.code == 1, "exit \(r.code): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(fullLog), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("No space left on device"), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("nothing was sent"), "\(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func createIsNotSentWhenTheStartedRecordCannotBeWritten() async throws {
        let policy = dir.appendingPathComponent("policy.yaml")
        try "min_replication_factor: 1\nmin_insync_replicas: 1\nrequire_rf_above_min_isr: false\n".write(to: policy, atomically: true, encoding: .utf8)
        let r = try await run(["topic", "create", "never-made", "--partitions", "1", "--replication-factor", "1",
                               "--config", "min.insync.replicas=1", "--config", "retention.ms=1209600000",
                               "--config", "cleanup.policy=delete", "--policy", policy.path], configOption: "--config-file")
        expectRefused(r)
        let md = try await client.metadata(deadline: d)
        #expect(!md.topics.contains { $0.name == "never-made" })
    }

    @Test func alterConfigIsNotSentWhenTheStartedRecordCannotBeWritten() async throws {
        let r = try await run(["topic", "alter-config", "events", "--set", "retention.ms=1209600000", "--execute"])
        expectRefused(r)
        let configs = try await client.topicConfigs(["events"], deadline: d)
        #expect(configs["events"]?.first { $0.name == "retention.ms" }?.value != "1209600000")
    }

    @Test func resetIsNotSentWhenTheStartedRecordCannotBeWritten() async throws {
        let r = try await run(["reset-offsets", "--group", "etl", "--all-topics", "--to-earliest", "--execute",
                               "--undo-file", dir.appendingPathComponent("undo-\(UUID().uuidString.prefix(6)).csv").path])
        expectRefused(r)
        #expect(try await client.committedOffsets(group: "etl", deadline: d) == [TopicPartition("events", 0): 2])
    }

    @Test func replayIsNotSentWhenTheStartedRecordCannotBeWritten() async throws {
        let r = try await run(["dlq", "replay", "events-dlt", "--to", "replayed", "--execute"])
        expectRefused(r)
        let end = try await client.logOffsets([TopicPartition("replayed", 0)], deadline: d)
        #expect(end[TopicPartition("replayed", 0)]?.end == 0)
    }

    /// A change that goes through writes its started record, then its outcome, both synced; the
    /// user is the account of the uid even when USER and LOGNAME are unset.
    @Test func aChangeWritesStartedThenOutcome() async throws {
        let log = dir.appendingPathComponent("audit-\(UUID().uuidString.prefix(6)).log").path
        let r = try await CLI.run(["topic", "alter-config", "events", "--set", "retention.ms=1209600001", "--execute",
                                   "--config-file", try config(auditLog: log)],
                                  environment: ["XDG_STATE_HOME": dir.path, "USER": "", "LOGNAME": ""])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let entries = try lines.map(ChangeRecord.parse(line:))
        #expect(entries.map(\.action) == ["topic.alter-config.started", "topic.alter-config"])
        #expect(entries.map(\.result) == ["started", "ok"])
        let account = String(cString: getpwuid(getuid()).pointee.pw_name)
        #expect(entries.allSatisfy { $0.user == account })
    }

    /// An audit log that already existed readable by others is made 0600, with a warning.
    @Test func aWorldReadableLogIsTightened() async throws {
        let log = dir.appendingPathComponent("loose-\(UUID().uuidString.prefix(6)).log").path
        FileManager.default.createFile(atPath: log, contents: Data())
        chmod(log, 0o644)
        let r = try await CLI.run(["topic", "alter-config", "events", "--set", "retention.ms=1209600002", "--execute",
                                   "--config-file", try config(auditLog: log)], environment: ["XDG_STATE_HOME": dir.path])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("readable by others"), "\(r.stderr)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
    }
}
