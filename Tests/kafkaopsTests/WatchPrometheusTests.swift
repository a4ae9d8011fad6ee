import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 26 with the real thing: Debian's Prometheus scrapes `kafkaops watch` against tansu (an under-min-ISR
/// topic, a lagging group) and finds the series with the seeded values; Debian's Alertmanager lists the
/// under-min-ISR alert, then shows it resolved once the topic is fixed. Prometheus and Alertmanager are started
/// here, on loopback free ports with data folders of their own; without them the suite fails, it never skips.
@Suite(.serialized)
final class WatchPrometheusTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var children: [Subprocess] = []
    var d: Deadline { .after(.seconds(20)) }

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        try await WatchSeed.seed(client)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-watch-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit {
        for c in children { c.signal(SIGKILL); _ = c.wait() }
        broker.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func start(_ path: String, _ args: [String], log: String) throws -> Subprocess {
        let p = try Subprocess(path, args, stdoutPath: dir.appendingPathComponent(log).path, stderrPath: dir.appendingPathComponent(log).path)
        children.append(p)
        return p
    }

    func startAlertmanager() throws -> Int {
        let bin = try #require(Tools.path("prometheus-alertmanager"), "prometheus-alertmanager (Debian's package) is not installed")
        let port = try TansuBroker.freePort()
        let config = dir.appendingPathComponent("alertmanager.yml")
        try "route:\n  receiver: nowhere\n  group_wait: 1s\nreceivers:\n  - name: nowhere\n".write(to: config, atomically: true, encoding: .utf8)
        _ = try start(bin, ["--config.file=\(config.path)", "--storage.path=\(dir.appendingPathComponent("am").path)",
                            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address="], log: "alertmanager.log")
        return port
    }

    func startPrometheus(scraping target: Int) throws -> Int {
        let bin = try #require(Tools.path("prometheus"), "prometheus (Debian's package) is not installed")
        let port = try TansuBroker.freePort()
        let config = dir.appendingPathComponent("prometheus.yml")
        try """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: kafkaops
            static_configs:
              - targets: ['127.0.0.1:\(target)']
        """.write(to: config, atomically: true, encoding: .utf8)
        _ = try start(bin, ["--config.file=\(config.path)", "--storage.tsdb.path=\(dir.appendingPathComponent("tsdb").path)",
                            "--web.listen-address=127.0.0.1:\(port)"], log: "prometheus.log")
        return port
    }

    var logs: String {
        ["alertmanager.log", "prometheus.log"].map { (try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8))?.suffix(1500) ?? "" }
            .joined(separator: "\n---\n")
    }

    /// Polls `body` until it returns a value, or fails after `seconds`.
    func eventually<T>(_ what: String, seconds: Double, _ body: () async throws -> T?) async throws -> T {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let v = try? await body() { return v }
            try await Task.sleep(for: .milliseconds(500))
        }
        Issue.record("\(what): not within \(seconds) s\n\(logs)")
        throw HTTP.Failure(description: what)
    }

    /// The value of an instant query's single series (nil when Prometheus has none yet).
    func query(_ prometheus: Int, _ promQL: String) async throws -> Double? {
        let q = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL
        let body = try await HTTP.get("http://127.0.0.1:\(prometheus)/api/v1/query?query=\(q)")
        let obj = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let result = (obj?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        guard result.count == 1, let v = result[0]["value"] as? [Any], let s = v.last as? String else { return nil }
        return Double(s)
    }

    /// Alertmanager's alerts with `alertname`, as its v2 API lists them (resolved ones are not listed).
    func alerts(_ am: Int, _ name: String) async throws -> [[String: Any]] {
        let body = try await HTTP.get("http://127.0.0.1:\(am)/api/v2/alerts")
        let all = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] ?? []
        return all.filter { ($0["labels"] as? [String: String])?["alertname"] == name }
    }

    @Test func prometheusFindsTheSeededSeriesAndAlertmanagerTheAlertUntilItIsFixed() async throws {
        let am = try startAlertmanager()
        let watch = try WatchProcess(["--bootstrap", broker.bootstrap, "--interval", "1s", "--cluster", "tansu-test",
                                      "--alertmanager", "http://127.0.0.1:\(am)"])
        defer { watch.stop() }
        let prom = try startPrometheus(scraping: watch.port)

        let underMin = try await eventually("Prometheus has the under-min-ISR series", seconds: 60) {
            try await query(prom, #"kafkaops_topic_partitions_under_min_isr{topic="thin"}"#)
        }
        #expect(underMin == 1)
        #expect(try await query(prom, #"kafkaops_topic_partitions_under_min_isr{topic="orders"}"#) == 0)
        let lag = try await eventually("Prometheus has billing's lag", seconds: 30) {
            try await query(prom, #"kafkaops_group_lag_records{group="billing",topic="orders"}"#)
        }
        #expect(lag == 3)
        #expect(try await query(prom, #"kafkaops_brokers_live"#) == 1)
        // The scrape was negotiated as OpenMetrics: the counter has its _total, the stateset one series per state.
        #expect(try await query(prom, #"kafkaops_refresh_errors_total"#) == 0)
        #expect(try await query(prom, #"count(kafkaops_group_trend{group="billing"})"#) == 8)

        let active = try await eventually("Alertmanager lists the under-min-ISR alert", seconds: 30) { () -> [String: Any]? in
            try await alerts(am, "KafkaopsUnderMinISR").first
        }
        let labels = try #require(active["labels"] as? [String: String])
        #expect(labels["topic"] == "thin")
        #expect(labels["cluster"] == "tansu-test")
        #expect(labels["severity"] == "critical")
        #expect(try await alerts(am, "KafkaopsUnderMinISR").count == 1)   // re-sent each refresh, one alert

        // Fixed: min.insync.replicas 1 on the one replica. The resolve goes out at the next refresh.
        try await client.alterTopicConfigs("thin", set: ["min.insync.replicas": "1"], delete: [], deadline: d)
        _ = try await eventually("Alertmanager shows the alert resolved", seconds: 30) { () -> Bool? in
            try await alerts(am, "KafkaopsUnderMinISR").isEmpty ? true : nil
        }
        let fixed = try await eventually("Prometheus sees the topic fixed", seconds: 30) { () -> Double? in
            let v = try await query(prom, #"kafkaops_topic_partitions_under_min_isr{topic="thin"}"#)
            return v == 0 ? v : nil
        }
        #expect(fixed == 0)
    }

    /// The shipped rules file is valid for Prometheus (`promtool check rules`).
    @Test func theShippedRulesPassPromtool() async throws {
        let promtool = try #require(Tools.path("promtool"), "promtool (Debian's prometheus package) is not installed")
        let rules = TansuBroker.projectRoot().appendingPathComponent("samples/prometheus/kafkaops.rules.yml").path
        let r = try await offThread { try Subprocess.run(promtool, ["check", "rules", rules], timeout: 30) }
        #expect(r.code == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("SUCCESS"))
    }
}
