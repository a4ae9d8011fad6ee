import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import KafkaOpsFiles
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 25 point 1 through the CLI against tansu: `topic delete`, `topic add-partitions`, `group delete`
/// and `produce`. A dry run writes nothing (no audit record, nothing on the cluster); `--execute` does it
/// and reads it back; the refusals (internal topic, N <= current, a group whose commits move, read-only, a
/// protected profile without --confirm) send nothing. tansu refuses CreatePartitions and has no OffsetDelete
/// (docs/TEST-ENVIRONMENT.md): those paths show the client's error reported, and the demo cluster does the rest.
@Suite(.serialized)
final class AdminChangesTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var d: Deadline { .after(.seconds(20)) }
    var b: String { broker.bootstrap }

    init() async throws {
        broker = try await TansuBroker.start()
        // One record per batch: tansu's high watermark is wrong after multi-record batches.
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-admin-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit {
        broker.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    var auditLog: String { dir.appendingPathComponent("audit.log").path }

    /// A profile on the broker whose audit log is `auditLog`; `protected` makes it a protected profile.
    func config(protected: Bool = false) throws -> String {
        let path = dir.appendingPathComponent("config-\(UUID().uuidString.prefix(6)).yaml").path
        try "clusters:\n  t:\n    bootstrap: \(b)\n    audit_log: \(auditLog)\n    protected: \(protected)\n    properties:\n      batch.num.messages: '1'\n      linger.ms: '0'\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    func cli(_ args: [String], protected: Bool = false, stdin: String? = nil) async throws -> CLI.Result {
        try await CLI.run(args + ["--config-file", try config(protected: protected), "--timeout", "15"], stdin: stdin)
    }

    func records() throws -> [ChangeRecord] {
        guard FileManager.default.fileExists(atPath: auditLog) else { return [] }
        return try String(contentsOfFile: auditLog, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    func topic(_ name: String) async throws -> TopicInfo? {
        try await client.metadata(deadline: d).topics.first { $0.name == name }
    }

    func produce(_ topic: String, partition: Int32, count: Int) async throws {
        for i in 0..<count {
            let r = try await client.produce([OutgoingRecord(topic: topic, partition: partition, key: Array("k\(i)".utf8),
                                                             value: Array("v\(i)".utf8))], deadline: d)
            if case .failure(let e) = try #require(r.first).result { throw e }
        }
    }

    // MARK: topic delete

    @Test func topicDeletePreviewsWritesNothingThenDeletesAndReadsBack() async throws {
        try await client.createTopic(NewTopic(name: "old", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
        try await produce("old", partition: 0, count: 3)
        try await produce("old", partition: 1, count: 1)
        _ = try await client.alterGroupOffsets(group: "reader", offsets: [TopicPartition("old", 0): 1], deadline: d)

        let dry = try await cli(["topic", "delete", "old"])
        #expect(dry.code == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Topic old: 2 partition(s), 4 record(s)"), "\(dry.stdout)")
        #expect(dry.stdout.contains("Groups that still commit to it: reader"), "\(dry.stdout)")
        #expect(dry.stdout.contains("Preview only"))
        #expect(try await topic("old") != nil, "a dry run deletes nothing")
        #expect(try records().isEmpty, "a dry run writes no audit record")

        let (_, json) = try await CLI.json(["topic", "delete", "old", "--bootstrap", b, "--output", "json"])
        #expect(json["records"] as? Int == 4)
        let parts = try #require(json["partitions"] as? [[String: Any]])
        #expect(parts.map { $0["log_end"] as? Int } == [3, 1])

        let run = try await cli(["topic", "delete", "old", "--execute"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("gone from the metadata"), "\(run.stdout)")
        #expect(try await topic("old") == nil)
        let recs = try records()
        #expect(recs.map(\.action) == ["topic.delete.started", "topic.delete"])
        #expect(recs.last?.result == "ok")
    }

    @Test func topicDeleteIsRefusedReadOnlyProtectedWithoutTheNameAndForInternalTopics() async throws {
        try await client.createTopic(NewTopic(name: "keep", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        let ro = try await cli(["topic", "delete", "keep", "--execute", "--read-only"])
        #expect(ro.code == 1 && ro.stderr.contains("read-only"), "\(ro.code) \(ro.stderr)")
        let unconfirmed = try await cli(["topic", "delete", "keep", "--execute"], protected: true)
        #expect(unconfirmed.code == 2 && unconfirmed.stderr.contains("--confirm keep"), "\(unconfirmed.code) \(unconfirmed.stderr)")
        let wrong = try await cli(["topic", "delete", "keep", "--execute", "--confirm", "kee"], protected: true)
        #expect(wrong.code == 2, "\(wrong.stderr)")
        #expect(try await topic("keep") != nil)
        #expect(try records().isEmpty, "a refusal writes no started record")
        let unknown = try await cli(["topic", "delete", "nope", "--execute"])
        #expect(unknown.code == 1 && unknown.stderr.contains("does not exist"), "\(unknown.stderr)")
        // tansu lists no internal topic: the demo cluster's __consumer_offsets.
        let internalTopic = try await CLI.run(["topic", "delete", "__consumer_offsets", "--demo", "--execute"])
        #expect(internalTopic.code == 1 && internalTopic.stderr.contains("is internal"), "\(internalTopic.stderr)")
        let confirmed = try await cli(["topic", "delete", "keep", "--execute", "--confirm", "keep"], protected: true)
        #expect(confirmed.code == 0, "\(confirmed.stderr)")
        #expect(try await topic("keep") == nil)
    }

    // MARK: topic add-partitions

    @Test func addPartitionsRefusesNoMoreThanNowAndReportsTansusRefusal() async throws {
        try await client.createTopic(NewTopic(name: "grow", partitions: 3, replicationFactor: 1), validateOnly: false, deadline: d)
        for n in ["3", "2"] {
            let r = try await cli(["topic", "add-partitions", "grow", "--partitions", n, "--execute"])
            #expect(r.code == 2 && r.stderr.contains("has 3 partition(s): --partitions must be more than that"), "\(r.code) \(r.stderr)")
        }
        let internalTopic = try await CLI.run(["topic", "add-partitions", "__consumer_offsets", "--partitions", "60", "--demo", "--execute"])
        #expect(internalTopic.code == 1 && internalTopic.stderr.contains("is internal"), "\(internalTopic.stderr)")
        let dry = try await cli(["topic", "add-partitions", "grow", "--partitions", "6"])
        #expect(dry.code == 0 && dry.stdout.contains("3 -> 6 partition(s)") && dry.stdout.contains("different partition from now on"), "\(dry.stdout)")
        #expect(try records().isEmpty)
        let ro = try await cli(["topic", "add-partitions", "grow", "--partitions", "6", "--execute", "--read-only"])
        #expect(ro.code == 1 && ro.stderr.contains("read-only"))
        // tansu answers CreatePartitions with an error: reported in one line, recorded as failed, nothing changed.
        let run = try await cli(["topic", "add-partitions", "grow", "--partitions", "6", "--execute"])
        #expect(run.code == 1, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("add partitions to topic grow"), "\(run.stderr)")
        #expect(try await topic("grow")?.partitions.count == 3)
        let recs = try records()
        #expect(recs.map(\.action) == ["topic.add-partitions.started", "topic.add-partitions"])
        #expect(recs.last?.result.hasPrefix("failed: ") == true, "\(recs.last?.result ?? "")")
        // The demo cluster adds them (and its contract reads them back: AdminContractDemoTests).
        let demo = try await CLI.run(["topic", "add-partitions", "orders", "--partitions", "16", "--demo", "--execute"])
        #expect(demo.code == 0 && demo.stdout.contains("has 16 partitions"), "\(demo.stdout) \(demo.stderr)")
    }

    // MARK: group delete

    @Test func groupDeletePreviewsThenDeletesAnInactiveGroup() async throws {
        try await client.createTopic(NewTopic(name: "g-topic", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
        try await produce("g-topic", partition: 0, count: 2)
        let offsets: [TopicPartition: Int64] = [TopicPartition("g-topic", 0): 2, TopicPartition("g-topic", 1): 0]
        _ = try await client.alterGroupOffsets(group: "idle", offsets: offsets, deadline: d)
        let dry = try await cli(["group", "delete", "idle"])
        #expect(dry.code == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("2 committed offset(s)") && dry.stdout.contains("would delete"), "\(dry.stdout)")
        #expect(try await client.committedOffsets(group: "idle", deadline: d) == offsets)
        #expect(try records().isEmpty)
        let unconfirmed = try await cli(["group", "delete", "idle", "--execute"], protected: true)
        #expect(unconfirmed.code == 2 && unconfirmed.stderr.contains("--confirm idle"), "\(unconfirmed.stderr)")
        let ro = try await cli(["group", "delete", "idle", "--execute", "--read-only"])
        #expect(ro.code == 1 && ro.stderr.contains("read-only"))
        #expect(try await client.committedOffsets(group: "idle", deadline: d) == offsets)
        let run = try await cli(["group", "delete", "idle", "--execute", "--confirm", "idle"], protected: true)
        #expect(run.code == 0, "\(run.stdout) \(run.stderr)")
        #expect(try await client.committedOffsets(group: "idle", deadline: d).isEmpty)
        let recs = try records()
        #expect(recs.map(\.action) == ["group.delete.started", "group.delete"])
        #expect(recs.last?.result == "ok")
        let unknown = try await cli(["group", "delete", "never-was", "--execute"])
        #expect(unknown.code == 1 && unknown.stderr.contains("does not exist"), "\(unknown.stderr)")
    }

    /// A group without members whose offsets move (an assign() committer) is active: the reset's rule.
    @Test func groupDeleteRefusesAGroupWhoseCommitsMove() async throws {
        try await client.createTopic(NewTopic(name: "busy-topic", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        try await produce("busy-topic", partition: 0, count: 40)
        let tp = TopicPartition("busy-topic", 0)
        _ = try await client.alterGroupOffsets(group: "busy", offsets: [tp: 0], deadline: d)
        let client = self.client
        // A committer that moves forward every 0.3 s: the two samples 6 s apart differ.
        let committer = Task {
            var o: Int64 = 0
            while !Task.isCancelled {
                o = min(o + 1, 40)
                _ = try? await client.alterGroupOffsets(group: "busy", offsets: [tp: o], deadline: .after(.seconds(5)))
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        defer { committer.cancel() }
        let r = try await cli(["group", "delete", "busy", "--execute"])
        committer.cancel()
        #expect(r.code == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("committed offsets moved"), "\(r.stderr)")
        #expect(try await !client.committedOffsets(group: "busy", deadline: d).isEmpty)
        #expect(try records().isEmpty)
    }

    /// `--topic T` (Kafka's --delete-offsets) needs OffsetDelete, which tansu lacks: refused with the client's
    /// one line, nothing sent; the demo cluster deletes them.
    @Test func groupDeleteOffsetsOfOneTopic() async throws {
        try await client.createTopic(NewTopic(name: "o1", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        let offsets: [TopicPartition: Int64] = [TopicPartition("o1", 0): 0]
        _ = try await client.alterGroupOffsets(group: "two", offsets: offsets, deadline: d)
        let none = try await cli(["group", "delete", "two", "--topic", "other", "--execute"])
        #expect(none.code == 1 && none.stderr.contains("has no committed offsets for topic 'other'"), "\(none.stderr)")
        let run = try await cli(["group", "delete", "two", "--topic", "o1", "--execute"])
        #expect(run.code == 1, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("does not support deleting a group's committed offsets"), "\(run.stderr)")
        #expect(try await client.committedOffsets(group: "two", deadline: d) == offsets)
        #expect(try records().last?.result.hasPrefix("failed: ") == true)
        let demo = try await CLI.run(["group", "delete", "billing-reconciler", "--topic", "clickstream", "--demo", "--execute"])
        #expect(demo.code == 0 && demo.stdout.contains("Deleted."), "\(demo.stdout) \(demo.stderr)")
    }

    // MARK: produce

    /// Each delivery report line `T/partition@offset` names the record a read-back finds there.
    @Test func produceReportsWhereEachRecordLandedAndTheReadBackAgrees() async throws {
        try await client.createTopic(NewTopic(name: "events", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
        let dry = try await cli(["produce", "events", "--key", "k1", "--value", "v1"])
        #expect(dry.code == 0 && dry.stdout.contains("Would produce 1 record(s)"), "\(dry.stdout) \(dry.stderr)")
        #expect(try await client.endOffsets([TopicPartition("events", 0), TopicPartition("events", 1)], deadline: d).values.allSatisfy { $0 == 0 })
        #expect(try records().isEmpty)

        let one = try await cli(["produce", "events", "--key", "k1", "--value", "v1", "--header", "source=ops", "--header", "empty=", "--execute"])
        #expect(one.code == 0, "\(one.stderr)")
        let line = one.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let m = try #require(line.wholeMatch(of: /events\/(\d+)@(\d+)/), "\(line)")
        let (p, o) = (try #require(Int32(m.1)), try #require(Int64(m.2)))
        let rec = try #require(try await client.readRecords(ReadRequest(topic: "events", partition: p, start: .offset(o), maxRecords: 1), deadline: d).first)
        #expect(rec.offset == o && rec.key == Array("k1".utf8) && rec.value == Array("v1".utf8))
        #expect(rec.headers == [RecordHeader("source", string: "ops"), RecordHeader("empty", string: "")])

        let file = dir.appendingPathComponent("records.txt")
        try "a:1\nb:2:x\n\nc:3\n".write(to: file, atomically: true, encoding: .utf8)
        let many = try await cli(["produce", "events", "--file", file.path, "--key-delimiter", ":", "--partition", "1", "--execute"])
        #expect(many.code == 0, "\(many.stderr)")
        // The keyed record above went to partition 0 or 1: partition 1's next offsets follow it.
        let first: Int64 = p == 1 ? o + 1 : 0
        #expect(many.stdout.split(separator: "\n") == (first..<first + 3).map { "events/1@\($0)" }, "\(many.stdout)")
        let back = try await client.readRecords(ReadRequest(topic: "events", partition: 1, start: .offset(first), maxRecords: 3), deadline: d)
        #expect(back.map { String(decoding: $0.key ?? [], as: UTF8.self) } == ["a", "b", "c"])
        #expect(back.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["1", "2:x", "3"])

        let piped = try await cli(["produce", "events", "--partition", "0", "--execute"], stdin: "x\r\ny\n")
        #expect(piped.code == 0, "\(piped.stderr)")
        #expect(piped.stdout.split(separator: "\n") == ["events/0@\(p == 0 ? o + 1 : 0)", "events/0@\(p == 0 ? o + 2 : 1)"], "\(piped.stdout)")
        #expect(try records().map(\.action) == ["produce.started", "produce", "produce.started", "produce", "produce.started", "produce"])
        #expect(try records().filter { $0.action == "produce" }.allSatisfy { $0.result == "ok" })
    }

    @Test func produceRefusesBadInputReadOnlyAndReportsARecordThatFails() async throws {
        try await client.createTopic(NewTopic(name: "strict", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        let tp = TopicPartition("strict", 0)
        let noDelimiter = try await cli(["produce", "strict", "--key-delimiter", ":", "--execute"], stdin: "a:1\nno-key\n")
        #expect(noDelimiter.code == 2 && noDelimiter.stderr.contains("line 2 has no key delimiter"), "\(noDelimiter.stderr)")
        let badHeader = try await cli(["produce", "strict", "--value", "v", "--header", "nokey", "--execute"])
        #expect(badHeader.code == 2, "\(badHeader.stderr)")
        let ro = try await cli(["produce", "strict", "--value", "v", "--execute", "--read-only"])
        #expect(ro.code == 1 && ro.stderr.contains("read-only"), "\(ro.stderr)")
        let noPartition = try await cli(["produce", "strict", "--value", "v", "--partition", "5", "--execute"])
        #expect(noPartition.code == 1 && noPartition.stderr.contains("has no partition 5"), "\(noPartition.stderr)")
        let unconfirmed = try await cli(["produce", "strict", "--value", "v", "--execute"], protected: true)
        #expect(unconfirmed.code == 2, "\(unconfirmed.stderr)")
        #expect(try await client.endOffsets([tp], deadline: d)[tp] == 0, "nothing was sent")
        // The client refuses a record larger than message.max.bytes: reported with its error, exit 1.
        let big = String(repeating: "x", count: 5000)
        let failed = try await cli(["produce", "strict", "--value", big, "--execute", "-X", "message.max.bytes=1000"])
        #expect(failed.code == 1, "\(failed.stdout) \(failed.stderr)")
        #expect(failed.stdout.hasPrefix("record 1: failed: "), "\(failed.stdout)")
        let last = try records().last?.result ?? ""
        #expect(last.hasPrefix("failed: "), "\(last)")
        #expect(try await client.endOffsets([tp], deadline: d)[tp] == 0)
    }
}
