import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// `kafkaops reset-offsets` against tansu: every target executed through the CLI, the offsets
/// read back through the Kafka API (a separate client), and the undo file restoring them exactly.
/// The active-group refusal is tested against the demo cluster (tansu reports no members).
@Suite(.serialized)
final class ResetOffsetsTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var b: String { broker.bootstrap }
    let t0 = TopicPartition("events", 0), t1 = TopicPartition("events", 1), t2 = TopicPartition("events", 2)

    /// events: 3 partitions with 10, 6 and 0 records (producer-stamped, a few ms apart).
    /// Group "etl" has committed events-0=4 and events-1=6; events-2 has no commit.
    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-reset-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var d: Deadline { .after(.seconds(20)) }  // a fresh budget per call
        try await client.createTopic(NewTopic(name: "events", partitions: 3, replicationFactor: 1), validateOnly: false, deadline: d)
        for (p, n) in [(Int32(0), 10), (Int32(1), 6)] {
            for i in 0..<n {
                try await client.produceAll([OutgoingRecord(topic: "events", partition: p, key: nil, value: Array("r\(i)".utf8))], deadline: d)
            }
        }
        try await commit([t0: 4, t1: 6])
    }

    deinit {
        broker.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func commit(_ o: [TopicPartition: Int64]) async throws {
        let r = try await client.alterGroupOffsets(group: "etl", offsets: o, deadline: .after(.seconds(10)))
        #expect(r.allSatisfy { $0.error == nil })
    }

    func committed() async throws -> [TopicPartition: Int64] {
        try await client.committedOffsets(group: "etl", deadline: .after(.seconds(10)))
    }

    func reset(_ args: [String]) async throws -> CLI.Result {
        try await CLI.run(["reset-offsets", "--bootstrap", b, "--group", "etl"] + args,
                    environment: ["XDG_STATE_HOME": dir.path])
    }

    func plan(_ args: [String]) async throws -> [String: Any] {
        let r = try await reset(args + ["--output", "json"])
        #expect(r.code == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    func newOffsets(_ obj: [String: Any]) -> [String: Int] {
        var m: [String: Int] = [:]
        for p in obj["partitions"] as? [[String: Any]] ?? [] {
            m["\(p["topic"] as? String ?? "")-\(p["partition"] as? Int ?? -1)"] = p["new_offset"] as? Int
        }
        return m
    }

    @Test func dryRunIsTheDefaultAndChangesNothing() async throws {
        let obj = try await plan(["--all-topics", "--to-earliest"])
        #expect(obj["executed"] as? Bool == false)
        #expect(newOffsets(obj) == ["events-0": 0, "events-1": 0])
        #expect(obj["records_reread"] as? Int == 4 + 6)
        #expect(obj["records_skipped"] as? Int == 0)
        let rows = try #require(obj["partitions"] as? [[String: Any]])
        #expect(rows.map { $0["current_offset"] as? Int } == [4, 6])
        #expect(rows.map { $0["delta"] as? Int } == [-4, -6])
        #expect(try await committed() == [t0: 4, t1: 6])
    }

    @Test(arguments: [
        (["--topic", "events", "--to-earliest"], ["events-0": 0, "events-1": 0, "events-2": 0]),
        (["--topic", "events", "--to-latest", "--allow-skip"], ["events-0": 10, "events-1": 6, "events-2": 0]),
        (["--topic", "events:0,2", "--to-current"], ["events-0": 4, "events-2": 0]),
        (["--all-topics", "--to-offset", "5", "--allow-skip"], ["events-0": 5, "events-1": 5]),
        (["--all-topics", "--to-offset", "99", "--allow-skip"], ["events-0": 10, "events-1": 6]),
        (["--all-topics", "--shift-by", "-3"], ["events-0": 1, "events-1": 3]),
        (["--all-topics", "--shift-by", "100", "--allow-skip"], ["events-0": 10, "events-1": 6]),
        (["--all-topics", "--by-duration", "P1D"], ["events-0": 0, "events-1": 0]),
        (["--all-topics", "--to-datetime", "2020-01-01T00:00:00.000+01:00"], ["events-0": 0, "events-1": 0]),
        // A time after the last record falls back to the log end; tansu answers 0 there instead of -1,
        // so that case is covered by the planner's unit tests and the demo cluster.
    ])
    func eachTargetExecutesAndReadsBack(args: [String], expected: [String: Int]) async throws {
        let r = try await reset(args + ["--execute", "--output", "json"])
        #expect(r.code == 0, "\(args): \(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(newOffsets(obj) == expected)
        #expect((obj["partitions"] as? [[String: Any]])?.allSatisfy { $0["result"] as? String == "in place" } == true)
        // An independent read of the group's offsets through the Kafka API.
        let now = try await committed()
        for (k, v) in expected {
            let p = Int32(k.split(separator: "-").last!)!
            #expect(now[TopicPartition("events", p)] == Int64(v), "\(k)")
        }
    }

    @Test func undoFileRestoresTheOriginalOffsetsExactly() async throws {
        let r = try await reset(["--all-topics", "--to-earliest", "--execute"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try await committed() == [t0: 0, t1: 0])
        let undoLine = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("Undo file: ") })
        let undo = String(undoLine.dropFirst("Undo file: ".count))
        #expect(try String(contentsOfFile: undo, encoding: .utf8).split(separator: "\n").sorted() == ["events,0,4", "events,1,6"])
        let back = try await reset(["--from-file", undo, "--execute", "--allow-skip"])
        #expect(back.code == 0, "\(back.stderr)")
        #expect(try await committed() == [t0: 4, t1: 6])
        // Both executions are in the audit log, with the undo file named.
        let log = try String(contentsOf: dir.appendingPathComponent("kafkaops/audit.log"), encoding: .utf8)
        let entries = log.split(separator: "\n").map { try? AuditLogEntry.parse(line: String($0)) }
            .filter { $0?.action.hasSuffix(".started") == false }
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0?.action == "group.reset-offsets" && $0?.target == "etl" && $0?.result == "ok" })
    }

    @Test func exportThenFromFileGivesTheSamePlan() async throws {
        let csv = dir.appendingPathComponent("plan.csv").path
        let first = try await plan(["--all-topics", "--shift-by", "-2", "--export", csv])
        let again = try await plan(["--from-file", csv])
        #expect(newOffsets(first) == newOffsets(again))
        #expect(newOffsets(first) == ["events-0": 2, "events-1": 4])
    }

    @Test func skippingRecordsNeedsAllowSkip() async throws {
        let r = try await reset(["--all-topics", "--to-latest", "--execute"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("skips 6 records"))
        #expect(try await committed() == [t0: 4, t1: 6])
    }

    @Test func shiftWithoutACommitIsKafkasError() async throws {
        let r = try await reset(["--topic", "events:2", "--shift-by", "1"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("Cannot shift offset for partition events-2 since there is no current committed offset"))
    }

    @Test func badInputIsRefusedAndNothingIsApplied() async throws {
        let unknown = try await reset(["--topic", "nope", "--to-earliest", "--execute"])
        #expect(unknown.code == 1)
        #expect(unknown.stderr.contains("nope"))
        let badPartition = try await reset(["--topic", "events:7", "--to-earliest", "--execute"])
        #expect(badPartition.code == 1)
        #expect(badPartition.stderr.contains("events-7"))
        let badTime = try await reset(["--all-topics", "--to-datetime", "yesterday", "--execute"])
        #expect(badTime.code == 2)
        #expect(badTime.stderr.contains("yyyy-MM-dd"))
        let badCSV = dir.appendingPathComponent("bad.csv")
        try "events,0,1\nevents,x,2\n".write(to: badCSV, atomically: true, encoding: .utf8)
        let csv = try await reset(["--from-file", badCSV.path, "--execute"])
        #expect(csv.code == 2)
        #expect(csv.stderr.contains("line 2"))
        let both = try await reset(["--all-topics", "--to-earliest", "--dry-run", "--execute"])
        #expect(both.code == 2)
        #expect(try await committed() == [t0: 4, t1: 6])
    }

    @Test func readOnlyRefusesBeforeSendingAnything() async throws {
        let r = try await reset(["--all-topics", "--to-earliest", "--execute", "--read-only"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("read-only"))
        #expect(try await committed() == [t0: 4, t1: 6])
    }
}
