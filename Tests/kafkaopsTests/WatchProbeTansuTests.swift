import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 26 point 1, `--probe TOPIC`: the one write `kafkaops watch` makes, against tansu. The probe's totals
/// and latency histogram are on the scrape, the run is one audited change from start to stop, and it is
/// refused (nothing written, nothing started) into a topic holding other records, on a read-only profile
/// and on a protected profile without the topic's name.
@Suite(.serialized)
final class WatchProbeTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var b: String { broker.bootstrap }
    var d: Deadline { .after(.seconds(20)) }
    var env: [String: String] { ["XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path] }

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-watch-probe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await WatchSeed.seed(client)
        try await client.createTopic(NewTopic(name: "kafkaops-probe", partitions: 1, replicationFactor: 1,
                                              configs: ["min.insync.replicas": "1"]), validateOnly: false, deadline: d)
    }

    deinit { broker.stop(); try? FileManager.default.removeItem(at: dir) }

    func changeLog() throws -> [ChangeRecord] {
        let log = dir.appendingPathComponent("kafkaops/audit.log")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    static func value(_ body: String, _ series: String) -> Double? {
        body.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func theProbesTotalsAreScrapedAndTheRunIsOneRecordedChange() async throws {
        let watch = try WatchProcess(["--bootstrap", b, "--interval", "1s", "--probe", "kafkaops-probe", "--probe-rate", "20"],
                                     environment: env)
        defer { watch.stop() }
        let l = "{topic=\"kafkaops-probe\"}"
        let body = try await watch.scrapeWhen(timeout: 60) { (Self.value($0, "kafkaops_probe_records_acknowledged_total" + l) ?? 0) >= 20 }
        #expect(Self.value(body, "kafkaops_probe_records_lost_total" + l) == 0)
        #expect(Self.value(body, "kafkaops_probe_records_refused_total" + l) == 0)
        #expect(Self.value(body, "kafkaops_probe_running" + l) == 1)
        let acked = try #require(Self.value(body, "kafkaops_probe_records_acknowledged_total" + l))
        #expect(Self.value(body, "kafkaops_probe_ack_latency_seconds_count" + l) == acked, "one latency per acknowledgement")
        #expect(Self.value(body, "kafkaops_probe_ack_latency_seconds_bucket{topic=\"kafkaops-probe\",le=\"+Inf\"}") == acked)
        // The scrape with the probe's families still passes promtool.
        let promtool = try #require(Tools.path("promtool"), "promtool (Debian's prometheus package) is not installed")
        let check = try await offThread { try Subprocess.run(promtool, ["check", "metrics"], stdin: body, timeout: 30) }
        #expect(check.code == 0, "\(check.stdout)\(check.stderr)")
        // While watch runs: a started record and no outcome yet.
        #expect(try changeLog().map(\.action) == ["probe.run.started"])
        let t0 = Date()
        watch.process.signal(SIGTERM)
        let code = try await offThread { [watch] in watch.process.wait(seconds: 10) }
        let took = Date().timeIntervalSince(t0)
        #expect(code == 0, "\(watch.stderr)")
        #expect(took < 2, "took \(took) s")
        let records = try changeLog()
        #expect(records.map(\.action) == ["probe.run.started", "probe.run"], "the window in flight ends, its outcome is recorded")
        #expect(records.last?.result == "ok", "\(records.last?.result ?? "")")
        // The records in the topic are the probe's and nothing else: a later probe finds its own topic.
        let end = try await client.endOffsets([TopicPartition("kafkaops-probe", 0)], deadline: d)
        #expect((end[TopicPartition("kafkaops-probe", 0)] ?? 0) >= Int64(acked))
    }

    @Test func aTopicHoldingOtherRecordsIsRefusedAndNothingIsWritten() async throws {
        let tp = TopicPartition("orders", 0)
        let before = try await client.endOffsets([tp], deadline: d)
        let r = try await CLI.run(["watch", "--bootstrap", b, "--metrics-listen", "127.0.0.1:0", "--probe", "orders"], environment: env)
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("holds records that are not probe records"), "\(r.stderr)")
        #expect(try await client.endOffsets([tp], deadline: d) == before, "nothing was written")
        #expect(try changeLog().isEmpty, "refused before the started record")
    }

    @Test func aReadOnlyOrProtectedProfileRefusesTheProbe() async throws {
        let ro = try await CLI.run(["watch", "--bootstrap", b, "--metrics-listen", "127.0.0.1:0", "--probe", "kafkaops-probe", "--read-only"],
                                   environment: env)
        #expect(ro.code == 1 && ro.stderr.contains("read-only"), "\(ro.stderr)")
        let config = dir.appendingPathComponent("protected.yaml")
        try "clusters:\n  prod:\n    bootstrap: \(b)\n    protected: true\n".write(to: config, atomically: true, encoding: .utf8)
        let unconfirmed = try await CLI.run(["watch", "--config", config.path, "--profile", "prod", "--metrics-listen", "127.0.0.1:0",
                                             "--probe", "kafkaops-probe"], environment: env)
        #expect(unconfirmed.code == 2 && unconfirmed.stderr.contains("kafkaops-probe"), "\(unconfirmed.stderr)")
        #expect(try changeLog().isEmpty, "nothing started")
        let once = try await CLI.run(["watch", "--bootstrap", b, "--once", "--probe", "kafkaops-probe"], environment: env)
        #expect(once.code == 2, "\(once.stderr)")
        #expect(try await client.endOffsets([TopicPartition("kafkaops-probe", 0)], deadline: d)[TopicPartition("kafkaops-probe", 0)] == 0)
    }
}
