import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// `kafkaops dlq` against tansu: DLQ records with known headers, browsed through the CLI and
/// compared field by field; replayed and read back with kcat (an independent client).
@Suite(.serialized)
final class DLQTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var b: String { broker.bootstrap }

    static func be32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static func be64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static let hostileMessage = "bad \u{1b}]52;c;ZXZpbA==\u{07} input"

    /// orders-dlt/0 holds: 0 a Spring record, 1 a Connect record, 2 a record with no context (hostile
    /// key, binary value), 3 a Spring record whose message carries an OSC 52 sequence.
    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-dlq-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var d: Deadline { .after(.seconds(20)) }  // a fresh budget per call
        for (t, n) in [("orders", Int32(2)), ("orders-dlt", 1), ("replayed", 1)] {
            try await client.createTopic(NewTopic(name: t, partitions: n, replicationFactor: 1), validateOnly: false, deadline: d)
        }
        let spring: [RecordHeader] = [
            RecordHeader("kafka_dlt-original-topic", string: "orders"),
            RecordHeader("kafka_dlt-original-partition", Self.be32(1)),
            RecordHeader("kafka_dlt-original-offset", Self.be64(42)),
            RecordHeader("kafka_dlt-original-timestamp", Self.be64(1_763_900_000_000)),
            RecordHeader("kafka_dlt-exception-fqcn", string: "com.acme.orders.BadOrderException"),
            RecordHeader("kafka_dlt-exception-message", string: "order 42 has no customer"),
            RecordHeader("kafka_dlt-exception-stacktrace", string: "com.acme.orders.BadOrderException: order 42\n\tat com.acme.Listener.on(Listener.java:10)"),
            RecordHeader("trace-id", string: "t0"),
        ]
        let connect: [RecordHeader] = [
            RecordHeader("__connect.errors.topic", string: "orders"),
            RecordHeader("__connect.errors.partition", string: "0"),
            RecordHeader("__connect.errors.offset", string: "7"),
            RecordHeader("__connect.errors.connector.name", string: "jdbc-sink"),
            RecordHeader("__connect.errors.task.id", string: "2"),
            RecordHeader("__connect.errors.stage", string: "VALUE_CONVERTER"),
            RecordHeader("__connect.errors.exception.class.name", string: "org.apache.kafka.connect.errors.DataException"),
            RecordHeader("__connect.errors.exception.message", string: "Converting byte[] to Kafka Connect data failed"),
            RecordHeader("trace-id", string: "t1"),
        ]
        var hostile = spring
        hostile[5] = RecordHeader("kafka_dlt-exception-message", string: Self.hostileMessage)
        hostile[7] = RecordHeader("trace-id", string: "t3")
        let records = [
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("k0".utf8), value: Array("{\"id\":42}".utf8), headers: spring),
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("k1".utf8), value: Array("{\"id\":7}".utf8), headers: connect),
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("\u{1b}[31mred".utf8), value: [0xff, 0xfe, 0x00], headers: []),
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("k3".utf8), value: Array("{\"id\":3}".utf8), headers: hostile),
        ]
        for r in records {
            let rep = try await client.produce([r], deadline: d)
            if case .failure(let e) = try #require(rep.first).result { throw e }
        }
    }

    deinit { broker.stop(); try? FileManager.default.removeItem(at: dir) }

    func run(_ args: [String]) async throws -> CLI.Result {
        try await CLI.run(args, environment: ["XDG_STATE_HOME": dir.path])
    }

    /// The records of `dlq browse --output json`: an object `{"records": [...], "warnings": [...]}`.
    func jsonRecords(_ r: CLI.Result) throws -> [[String: Any]] {
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        #expect(doc["warnings"] is [String])
        return try #require(doc["records"] as? [[String: Any]])
    }

    func jsonObject(_ r: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
    }

    /// kcat's view of a topic: one JSON object per record, headers as a flat [k, v, k, v] list.
    func kcatRecords(_ topic: String) async throws -> [[String: Any]] {
        try await Kcat.run(["-b", b, "-C", "-t", topic, "-e", "-J", "-o", "beginning", "-q"])
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func headers(_ kcatRecord: [String: Any]) -> [String: String] {
        let flat = kcatRecord["headers"] as? [String] ?? []
        var m: [String: String] = [:]
        for i in stride(from: 0, to: flat.count - 1, by: 2) { m[flat[i]] = flat[i + 1] }
        return m
    }

    @Test func browseJSONReportsEveryFieldOfEveryRecord() async throws {
        let recs = try await jsonRecords(try run(["dlq", "browse", "orders-dlt", "--bootstrap", b, "--output", "json"]))
        #expect(recs.map { $0["offset"] as? Int } == [0, 1, 2, 3])
        let spring = recs[0]
        #expect((spring["key"] as? [String: Any])?["text"] as? String == "k0")
        #expect((spring["value"] as? [String: Any])?["text"] as? String == "{\"id\":42}")
        let sc = try #require(spring["context"] as? [String: Any])
        #expect(sc["family"] as? String == "spring")
        #expect(sc["original_topic"] as? String == "orders")
        #expect(sc["original_partition"] as? Int == 1)
        #expect(sc["original_offset"] as? Int == 42)
        #expect(sc["original_timestamp"] as? Int == 1_763_900_000_000)
        #expect(sc["error_class"] as? String == "com.acme.orders.BadOrderException")
        #expect(sc["message"] as? String == "order 42 has no customer")
        #expect((sc["stack_trace"] as? String)?.contains("Listener.java:10") == true)
        #expect((spring["headers"] as? [[String: Any]])?.count == 8)

        let connect = try #require(recs[1]["context"] as? [String: Any])
        #expect(connect["family"] as? String == "connect")
        #expect(connect["original_topic"] as? String == "orders")
        #expect(connect["original_partition"] as? Int == 0)
        #expect(connect["original_offset"] as? Int == 7)
        #expect(connect["connector"] as? String == "jdbc-sink")
        #expect(connect["task"] as? String == "2")
        #expect(connect["stage"] as? String == "VALUE_CONVERTER")
        #expect(connect["error_class"] as? String == "org.apache.kafka.connect.errors.DataException")

        let bare = recs[2]
        #expect((bare["context"] as? [String: Any])?["family"] as? String == "none")
        #expect((bare["value"] as? [String: Any])?["hex"] as? String == "fffe00")     // not UTF-8: hex, not mangled
        #expect((bare["key"] as? [String: Any])?["text"] as? String == "\u{1b}[31mred")  // JSON escapes it
        // JSON output carries the escape as \u001b, never as a raw byte.
        let raw = try await run(["dlq", "browse", "orders-dlt", "--bootstrap", b, "--output", "json"]).stdout
        #expect(!raw.utf8.contains(0x1b))
        #expect(raw.contains("\\u001b"))
    }

    @Test func browseTableShowsHostileTextVisiblyAndExecutesNothing() async throws {
        let r = try await run(["dlq", "browse", "orders-dlt", "--bootstrap", b])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stdout.utf8.contains(0x1b))
        #expect(!r.stdout.utf8.contains(0x07))
        #expect(r.stdout.contains("^[[31mred"))
        #expect(r.stdout.contains("^[]52;c;"))
        #expect(r.stdout.contains("orders/1/42"))
        #expect(r.stdout.contains("BadOrderException"))
    }

    @Test func summaryGroupsByErrorAndOriginalTopic() async throws {
        let obj = try await jsonObject(try run(["dlq", "summary", "orders-dlt", "--bootstrap", b, "--output", "json"]))
        #expect(obj["total"] as? Int == 4)
        #expect(obj["without_context"] as? Int == 1)
        let byTopic = try #require(obj["by_original_topic"] as? [[String: Any]])
        #expect(byTopic.first { $0["original_topic"] as? String == "orders" }?["count"] as? Int == 3)
        let byError = try #require(obj["by_error"] as? [[String: Any]])
        // Same class, different message patterns: two groups of one.
        let bad = byError.filter { $0["error_class"] as? String == "com.acme.orders.BadOrderException" }
        #expect(bad.compactMap { $0["count"] as? Int } == [1, 1])
        #expect(byError.contains { $0["error_class"] as? String == "org.apache.kafka.connect.errors.DataException" && $0["count"] as? Int == 1 })
    }

    @Test func replayToATopicWritesEachRecordOnceWithReplayHeaders() async throws {
        let dry = try await jsonObject(try run(["dlq", "replay", "orders-dlt", "--to", "replayed", "--bootstrap", b, "--output", "json"]))
        #expect(dry["executed"] as? Bool == false)
        #expect(dry["to_replay"] as? Int == 4)
        await #expect(try kcatRecords("replayed").isEmpty)

        let r = try await run(["dlq", "replay", "orders-dlt", "--to", "replayed", "--bootstrap", b, "--execute", "--output", "json"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try jsonObject(r)
        #expect(obj["written"] as? Int == 4)
        #expect(obj["written_offsets"] as? [String] == ["orders-dlt/0: 0-3"])

        let target = try await kcatRecords("replayed")
        #expect(target.count == 4)
        let sources = target.map { headers($0)["kafkaops.replay.source"] ?? "?" }
        #expect(Set(sources) == ["orders-dlt/0/0", "orders-dlt/0/1", "orders-dlt/0/2", "orders-dlt/0/3"])
        #expect(Set(sources).count == target.count)   // no duplicates
        for rec in target {
            let h = headers(rec)
            #expect(h["kafkaops.replay.time"]?.hasSuffix("Z") == true)
            #expect(!h.keys.contains { $0.hasPrefix("kafka_dlt-") || $0.hasPrefix("__connect.errors.") })
        }
        let byKey = Dictionary(target.map { ($0["key"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["k0"]?["payload"] as? String == "{\"id\":42}")
        #expect(headers(byKey["k0"] ?? [:])["trace-id"] == "t0")
        #expect(byKey["k1"]?["payload"] as? String == "{\"id\":7}")
        #expect(headers(byKey["k1"] ?? [:])["trace-id"] == "t1")
        // The DLQ is untouched.
        await #expect(try kcatRecords("orders-dlt").count == 4)
        // The audit log names the source offsets and the counts.
        let log = try String(contentsOf: dir.appendingPathComponent("kafkaops/audit.log"), encoding: .utf8)
        let entry = try ChangeRecord.parse(line: String(try #require(log.split(separator: "\n").last)))
        #expect(entry.action == "dlq.replay")
        #expect(entry.result == "ok")
    }

    @Test func replayToTheOriginalTopicKeepsThePartitionAndSkipsRecordsWithoutContext() async throws {
        let r = try await run(["dlq", "replay", "orders-dlt", "--bootstrap", b, "--execute", "--output", "json"])
        let obj = try jsonObject(r)
        #expect(obj["written"] as? Int == 3)
        let skipped = try #require(obj["not_replayable"] as? [[String: Any]])
        #expect(skipped.map { $0["source"] as? String } == ["orders-dlt/0/2"])
        let orders = try await kcatRecords("orders")
        #expect(orders.count == 3)
        #expect(orders.first { $0["key"] as? String == "k0" }?["partition"] as? Int == 1)   // Spring's original partition
        #expect(orders.first { $0["key"] as? String == "k1" }?["partition"] as? Int == 0)   // Connect's
    }

    @Test func replayRefusedOnReadOnlyAndForMissingTargets() async throws {
        let ro = try await run(["dlq", "replay", "orders-dlt", "--to", "replayed", "--bootstrap", b, "--execute", "--read-only"])
        #expect(ro.code == 1)
        #expect(ro.stderr.contains("read-only"))
        let missing = try await run(["dlq", "replay", "orders-dlt", "--to", "nowhere", "--bootstrap", b, "--execute"])
        #expect(missing.code == 1)
        #expect(missing.stderr.contains("nowhere"))
        await #expect(try kcatRecords("replayed").isEmpty)
    }
}

/// A replay interrupted by a broker that stops answering reports exactly which DLQ offsets were written.
@Suite(.serialized)
final class DLQInterruptedReplayTests {
    @Test func reportNamesExactlyWhatWasWritten() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let b = broker.bootstrap
        let client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: b, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        var d: Deadline { .after(.seconds(60)) }  // a fresh budget per call
        try await client.createTopic(NewTopic(name: "big-dlt", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        try await client.createTopic(NewTopic(name: "target", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        let n = 300
        let records = (0..<n).map { i in
            OutgoingRecord(topic: "big-dlt", partition: 0, key: Array("k\(i)".utf8), value: Array("v\(i)".utf8),
                           headers: [RecordHeader("__connect.errors.topic", string: "orders")])
        }
        for chunk in stride(from: 0, to: n, by: 50) {
            let reps = try await client.produce(Array(records[chunk..<min(n, chunk + 50)]), deadline: d)
            #expect(reps.allSatisfy { if case .success = $0.result { return true } else { return false } })
        }
        // 30 records/s in batches of 30: a batch a second, ten in all. The broker freezes as soon as
        // the first batch has landed, with nine still to come (room for a slow, loaded machine).
        let run = Task.detached {
            try await CLI.run(["dlq", "replay", "big-dlt", "--to", "target", "--bootstrap", b, "--rate", "30", "--timeout", "3",
                         "--execute", "--output", "json"])
        }
        let target0 = TopicPartition("target", 0)
        let watchUntil = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < watchUntil {
            if let end = try? await client.endOffsets([target0], deadline: .after(.seconds(2)))[target0], end > 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        broker.pause()
        let r = try await run.value
        broker.resume()
        #expect(r.code == 1, "the replay must report that it did not finish: \(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
        let written = try #require(obj["written"] as? Int)
        let failed = (obj["failed"] as? [[String: Any]] ?? []).compactMap { $0["source"] as? String }
        let unknown = obj["unknown"] as? [String] ?? []
        let notSent = obj["not_sent"] as? [String] ?? []
        #expect(written > 0 && written < n)
        #expect(written + failed.count + unknown.count + notSent.count == n)
        #expect((obj["retry_command"] as? String)?.contains("--offsets 0:") == true)

        // What actually landed in the target, by the replay-source header.
        let target = try await Kcat.run(["-b", b, "-C", "-t", "target", "-e", "-J", "-o", "beginning", "-q"])
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let landed = target.compactMap { rec -> String? in
            let flat = rec["headers"] as? [String] ?? []
            guard let i = flat.firstIndex(of: "kafkaops.replay.source"), i + 1 < flat.count else { return nil }
            return flat[i + 1]
        }
        #expect(Set(landed).count == landed.count, "no duplicates")
        // Every record reported written is there; none reported "not sent" is.
        let writtenSet = Set(expand(obj["written_offsets"] as? [String] ?? []))
        #expect(writtenSet.count == written)
        #expect(writtenSet.isSubset(of: Set(landed)))
        #expect(Set(notSent).isDisjoint(with: Set(landed)))
        // The only records that may have landed without being reported written are the unknown (in doubt) ones.
        #expect(Set(landed).subtracting(writtenSet).isSubset(of: Set(unknown)))
    }

    /// "big-dlt/0: 0-119, 121" -> ["big-dlt/0/0", ..., "big-dlt/0/121"]
    func expand(_ ranges: [String]) -> [String] {
        ranges.flatMap { r -> [String] in
            let parts = r.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return [] }
            let tp = String(parts[0])
            return parts[1].split(separator: ",").flatMap { item -> [String] in
                let bounds = item.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int64($0) }
                guard let a = bounds.first else { return [] }
                return (a...(bounds.last ?? a)).map { "\(tp)/\($0)" }
            }
        }
    }
}
