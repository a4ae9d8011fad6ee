import Foundation
import KafkaOpsCore
import KafkaOpsKafka
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `kafkaops consume` and `dlq browse` on records written by confluent-kafka's AvroSerializer: decoded values
/// in the JSON output beside the raw bytes, the schema named, a missing registry one line, nothing committed.
@Suite(.serialized)
final class SchemaCLITansuTests {
    let broker: TansuBroker
    let registry: SchemaRegistryServer
    let written: [[String: Any]]
    var b: String { broker.bootstrap }

    init() async throws {
        broker = try await TansuBroker.start()
        registry = try await SchemaRegistryServer.start()
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        try await client.createTopic(NewTopic(name: "orders-avro", partitions: 1, replicationFactor: 1), validateOnly: false,
                                     deadline: .after(.seconds(20)))
        written = try await registry.produceFixtures(bootstrap: broker.bootstrap, topic: "orders-avro", format: "avro")
    }

    deinit { registry.stop(); broker.stop() }

    static func lines(_ s: String) throws -> [[String: Any]] {
        try s.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func consumeJSONLinesCarryTheDecodedValueAndItsSchemaBesideTheBytes() async throws {
        let r = try await CLI.run(["consume", "orders-avro", "--bootstrap", b, "--from-beginning", "-o", "jsonl",
                                   "--schema-registry", registry.url])
        #expect(r.code == 0, "\(r.stderr)")
        let rows = try Self.lines(r.stdout)
        #expect(rows.count == written.count)
        for (row, w) in zip(rows, written) {
            let decoded = try #require(row["value_decoded"] as? [String: Any])
            #expect(NSDictionary(dictionary: decoded).isEqual(to: w), "decoded \(decoded) written \(w)")
            let schema = try #require(row["value_schema"] as? [String: Any])
            #expect(schema["format"] as? String == "AVRO")
            #expect(schema["subject"] as? String == "orders-avro-value")
            #expect(schema["id"] as? Int != nil)
            #expect((row["value"] as? [String: Any])?["hex"] != nil || (row["value"] as? [String: Any])?["text"] != nil)
            #expect(row["key_schema"] is NSNull)   // the keys are plain bytes
        }
        // The registry was only read.
        #expect(registry.requests.allSatisfy { !$0.hasPrefix("GET") ? $0.hasPrefix("POST /subjects/orders-avro-value") : true })
        let afterFixtures = registry.requests.count
        _ = try await CLI.run(["consume", "orders-avro", "--bootstrap", b, "--last", "1", "-o", "jsonl", "--schema-registry", registry.url])
        #expect(registry.requests.dropFirst(afterFixtures).allSatisfy { $0.hasPrefix("GET ") })
    }

    @Test func dlqBrowseJSONGainsValueSchemaAndValueDecoded() async throws {
        let (r, doc) = try await CLI.json(["dlq", "browse", "orders-avro", "--bootstrap", b, "-o", "json", "--schema-registry", registry.url])
        #expect(r.code == 0, "\(r.stderr)")
        let records = try #require(doc["records"] as? [[String: Any]])
        #expect(records.count == written.count)
        let first = try #require(records.first)
        #expect((first["value_decoded"] as? [String: Any])?["amount"] as? String == "1234.50")
        #expect((first["value_schema"] as? [String: Any])?["format"] as? String == "AVRO")
    }

    @Test func withoutARegistryTheRecordStaysBytesWithOneLineSayingWhy() async throws {
        let r = try await CLI.run(["consume", "orders-avro", "--bootstrap", b, "--from-beginning", "-o", "jsonl"])
        #expect(r.code == 0)
        let row = try #require(try Self.lines(r.stdout).first)
        #expect(row["value_decoded"] is NSNull)
        let error = try #require((row["value_schema"] as? [String: Any])?["error"] as? String)
        #expect(error.contains("no schema registry configured"))
    }

    @Test func badSchemaRegistryURLIsAUsageError() async throws {
        let r = try await CLI.run(["consume", "orders-avro", "--bootstrap", b, "--schema-registry", "ftp://x"])
        #expect(r.code == 2 || r.code == 1)
        #expect(r.stderr.contains("--schema-registry must be an http:// or https:// URL"))
    }

    @Test func consumeTableShowsTheDecodedValueSanitised() async throws {
        let r = try await CLI.run(["consume", "orders-avro", "--bootstrap", b, "--from-beginning", "--schema-registry", registry.url])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"customer\":\"ada\""))
        #expect(!r.stdout.contains("\u{1b}") && !r.stdout.contains("\u{07}"))
    }

    /// `--follow` alone shows only what arrives from now on, decoded, and Ctrl-C ends it with exit 0.
    @Test func followTailsNewRecordsUntilCtrlC() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-follow-\(UUID().uuidString.prefix(8)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = try Subprocess(try CLI.binaryPath(), ["consume", "orders-avro", "--bootstrap", b, "--follow", "-o", "jsonl",
                                                      "--schema-registry", registry.url], stdoutPath: out, stderrPath: out + ".err")
        defer { p.signal(SIGKILL); _ = p.wait(seconds: 2) }
        try await Task.sleep(for: .seconds(3))
        #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").isEmpty)   // the old records are not shown
        // One more record as confluent-kafka wrote it: the first fixture's bytes again.
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        let old = try await client.readRecords(ReadRequest(topic: "orders-avro", partition: 0, start: .earliest, maxRecords: 1),
                                               deadline: .after(.seconds(10)))
        try await client.produceAll([OutgoingRecord(topic: "orders-avro", partition: 0, key: Array("new".utf8), value: old[0].value, headers: [])],
                                    deadline: .after(.seconds(10)))
        var text = ""
        let end = Date().addingTimeInterval(15)
        while Date() < end {
            text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if text.contains("\n") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let row = try #require(try Self.lines(text).first)
        #expect((row["value_decoded"] as? [String: Any])?["customer"] as? String == "ada")
        p.signal(SIGINT)
        let code = try await offThread { p.wait(seconds: 5) }
        #expect(code == 0)
    }
}
