import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16 against tansu: `kafkaops probe` proves the write path (every record back, once, in
/// order, with latencies), ends within its bounds when the broker freezes mid-run (exit 1, the
/// partitions named), and refuses to create its topic on a read-only profile.
@Suite(.serialized)
final class ProbeTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var b: String { broker.bootstrap }
    var d: Deadline { .after(.seconds(30)) }

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-probe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await client.createTopic(NewTopic(name: "probe3", partitions: 3, replicationFactor: 1), validateOnly: false, deadline: d)
    }

    deinit { broker.resume(); broker.stop(); try? FileManager.default.removeItem(at: dir) }

    var env: [String: String] { ["XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path] }

    func object(_ s: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any], "not a JSON object: \(s)")
    }

    @Test func threePartitionsOf200RecordsComeBackWholeWithLatencies() async throws {
        let r = try await CLI.run(["probe", "--bootstrap", b, "--topic", "probe3", "--records", "200", "--output", "json",
                                   "--timeout", "20"], environment: env)
        #expect(r.code == 0, "\(r.stderr)")
        let o = try object(r.stdout)
        #expect(o["sent"] as? Int == 600 && o["acknowledged"] as? Int == 600 && o["received"] as? Int == 600)
        #expect(o["lost"] as? Int == 0 && o["duplicated"] as? Int == 0 && o["out_of_order"] as? Int == 0 && o["failed"] as? Int == 0)
        let parts = try #require(o["partitions"] as? [[String: Any]])
        #expect(parts.count == 3 && parts.allSatisfy { $0["received"] as? Int == 200 })
        let ack = try #require(o["ack_ms"] as? [String: Any])
        let e2e = try #require(o["e2e_ms"] as? [String: Any])
        #expect(ack["p50"] is Double && ack["p99"] is Double && e2e["max"] is Double)
        #expect((o["brokers"] as? [[String: Any]])?.count == 1)
    }

    @Test func aBrokerFrozenMidRunEndsTheRunWithinItsBoundsAndNamesThePartitions() async throws {
        let args = ["probe", "--bootstrap", b, "--topic", "probe3", "--duration", "8s", "--rate", "200",
                    "--output", "json", "--timeout", "3"]
        let environment = env
        let run = Task { try await CLI.run(args, environment: environment) }
        // Freeze the broker once records are flowing.
        let tp = TopicPartition("probe3", 0)
        let until = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < until {
            if let end = try? await client.endOffsets([tp], deadline: .after(.seconds(2)))[tp], end > 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        broker.pause()
        let r = try await run.value
        broker.resume()
        #expect(r.code == 1, "\(r.stderr)")
        // Bounded: 8 s of sending plus one batch's timeout, reading back and closing; never the watchdog.
        #expect(!r.stderr.contains("did not answer within the timeout"), "\(r.stderr)")
        let o = try object(r.stdout)
        let parts = try #require(o["partitions"] as? [[String: Any]])
        #expect(parts.map { $0["partition"] as? Int } == [0, 1, 2])
        for p in parts {
            let failed = p["failed"] as? Int ?? 0
            let unanswered = p["unanswered"] as? Int ?? 0
            #expect(failed + unanswered > 0, "partition \(p["partition"] ?? "?") shows no failed write: \(p)")
        }
        #expect(r.stderr.contains("probe: "), "the problems are said on stderr")
    }

    @Test func aReadOnlyProfileRefusesToCreateTheProbeTopic() async throws {
        let cfg = dir.appendingPathComponent("config.yaml").path
        try "clusters:\n  ro:\n    bootstrap: \(b)\n    read_only: true\n".write(toFile: cfg, atomically: true, encoding: .utf8)
        chmod(cfg, 0o600)
        let r = try await CLI.run(["probe", "--config-file", cfg, "--profile", "ro", "--create", "--duration", "2s"], environment: env)
        #expect(r.code == 1)
        #expect(r.stderr.contains("read-only"), "\(r.stderr)")
        let md = try await client.metadata(deadline: d)
        #expect(!md.topics.contains { $0.name == ProbeTopic.defaultName }, "nothing was created")
    }

    func changeLog() throws -> [ChangeRecord] {
        let log = dir.appendingPathComponent("kafkaops/audit.log")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    /// Issue 23 point 3: `probe --topic orders` wrote 85,500 probe records into a topic holding real
    /// records, unasked and unlogged. A topic with one record that is not a probe record is refused
    /// (exit 1, nothing written, nothing started); `--allow-non-probe-topic` writes there, recorded.
    @Test func theProbeRefusesATopicHoldingOtherRecordsUnlessAllowed() async throws {
        try await client.createTopic(NewTopic(name: "orders", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
        _ = try await client.produce([OutgoingRecord(topic: "orders", partition: 1, key: nil, value: Array(#"{"order":42}"#.utf8))],
                                     deadline: d)
        let tps = [TopicPartition("orders", 0), TopicPartition("orders", 1)]
        let before = try await client.endOffsets(tps, deadline: d)
        let r = try await CLI.run(["probe", "--bootstrap", b, "--topic", "orders", "--records", "5"], environment: env)
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("not probe records") && r.stderr.contains("--allow-non-probe-topic"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
        #expect(try await client.endOffsets(tps, deadline: d) == before, "nothing was written")
        #expect(try changeLog().isEmpty, "refused before the started record")

        let allowed = try await CLI.run(["probe", "--bootstrap", b, "--topic", "orders", "--records", "5", "--allow-non-probe-topic",
                                         "--timeout", "20"], environment: env)
        #expect(allowed.code == 0, "\(allowed.stderr)")
        let records = try changeLog()
        #expect(records.map(\.action) == ["probe.run.started", "probe.run"] && records.allSatisfy { $0.target == "orders" })
        #expect(records.last?.result == "ok")
    }

    /// Issue 23 point 3: a run into the probe's own topic (probe records only) is a change with a
    /// started and an outcome record, without `--record`; a second run finds only probe records.
    @Test func everyRunIsRecordedAndAProbeTopicIsWrittenAgain() async throws {
        for _ in 0..<2 {
            let r = try await CLI.run(["probe", "--bootstrap", b, "--topic", "probe3", "--records", "5", "--timeout", "20"], environment: env)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let records = try changeLog()
        #expect(records.map(\.action) == ["probe.run.started", "probe.run", "probe.run.started", "probe.run"], "\(records.map(\.action))")
        #expect(records.allSatisfy { $0.target == "probe3" })
    }
}
