import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 26 against tansu: `kafkaops watch` as a process. Its scrape (promtool check metrics), a stop signal
/// in the middle of a refresh, a frozen broker, unknown lag.
@Suite(.serialized)
final class WatchTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    var b: String { broker.bootstrap }
    var d: Deadline { .after(.seconds(20)) }

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        try await WatchSeed.seed(client)
        // Committed past the log end (5 records): its lag cannot be known.
        _ = try await client.alterGroupOffsets(group: "ahead", offsets: [TopicPartition("orders", 0): 100], deadline: d)
    }

    deinit { broker.stop() }

    @Test func onceJSONHoldsTheSeededValuesAndUnknownLagIsNoSample() async throws {
        let (r, obj) = try await CLI.json(["watch", "--once", "--bootstrap", b, "-o", "json"])
        #expect(r.code == 0, "\(r.stderr)")
        let families = try #require(obj["families"] as? [[String: Any]])
        func samples(_ name: String) -> [(labels: [String: String], value: Double)] {
            families.flatMap { f in (f["samples"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == name } }
                .map { ($0["labels"] as? [String: String] ?? [:], $0["value"] as? Double ?? .nan) }
        }
        #expect(samples("kafkaops_topic_partitions_under_min_isr").first { $0.labels["topic"] == "thin" }?.value == 1)
        #expect(samples("kafkaops_topic_partitions_under_min_isr").first { $0.labels["topic"] == "orders" }?.value == 0)
        #expect(samples("kafkaops_group_lag_records").first { $0.labels == ["group": "billing", "topic": "orders"] }?.value == 3)
        // "ahead" committed past the log end: the console shows `?`, the scrape has no sample (not 0).
        #expect(!samples("kafkaops_group_lag_records").contains { $0.labels["group"] == "ahead" })
        #expect(samples("kafkaops_brokers_live").first?.value == 1)
        #expect(samples("kafkaops_refresh_errors_total").first?.value == 0)
    }

    /// The text format passes `promtool check metrics`; OpenMetrics when asked; /healthz. (Label values that need
    /// escaping are WatchMetricsTests': tansu lists group ids percent-encoded, "pay%22ments" for pay"ments.)
    @Test func theScrapePassesPromtoolAndNegotiatesOpenMetrics() async throws {
        let watch = try WatchProcess(["--bootstrap", b, "--interval", "1s"])
        defer { watch.stop() }
        let body = try await watch.scrapeWhen(timeout: 30) { $0.contains("kafkaops_group_lag_records{group=\"billing\"") }
        let promtool = try #require(Tools.path("promtool"), "promtool (Debian's prometheus package) is not installed")
        let check = try await offThread { try Subprocess.run(promtool, ["check", "metrics"], stdin: body, timeout: 30) }
        #expect(check.code == 0, "\(check.stdout)\(check.stderr)")
        let om = try await watch.get("/metrics", accept: "application/openmetrics-text; version=1.0.0")
        #expect(om.hasSuffix("# EOF\n"))
        #expect(om.contains("# TYPE kafkaops_group_trend stateset"))
        #expect(try await watch.get("/healthz").hasPrefix("ok"))
    }

    /// SIGTERM in the middle of a refresh (the broker frozen, so the refresh waits on it): exit 0 within 2 s.
    @Test func sigtermMidRefreshEndsWithinTwoSeconds() async throws {
        let watch = try WatchProcess(["--bootstrap", b, "--interval", "1s", "--timeout", "20"])
        defer { watch.stop(); broker.resume() }
        _ = try await watch.scrapeWhen(timeout: 30) { $0.contains("kafkaops_brokers_live 1") }
        broker.pause()
        try await Task.sleep(for: .seconds(2))   // the next refresh has started and waits on the frozen broker
        let t0 = Date()
        watch.process.signal(SIGTERM)
        let code = try await offThread { [watch] in watch.process.wait(seconds: 5) }
        let took = Date().timeIntervalSince(t0)
        #expect(code == 0, "\(watch.stderr)")
        #expect(took < 2, "took \(took) s")
    }

    /// A frozen broker: every scrape still answers at once from the last refresh, and the failed refresh is counted.
    @Test func aFrozenBrokerCountsARefreshErrorAndTheScrapeStillAnswers() async throws {
        let watch = try WatchProcess(["--bootstrap", b, "--interval", "1s", "--timeout", "2"])
        defer { watch.stop(); broker.resume() }
        _ = try await watch.scrapeWhen(timeout: 30) { $0.contains("kafkaops_brokers_live 1") }
        broker.pause()
        let clock = ContinuousClock()
        var slowest = Duration.zero
        let deadline = Date().addingTimeInterval(30)
        var counted = false
        while Date() < deadline, !counted {
            let t = clock.now
            let body = try await watch.get("/metrics")
            slowest = max(slowest, clock.now - t)
            counted = body.split(separator: "\n").contains { $0.hasPrefix("kafkaops_refresh_errors_total ") && !$0.hasSuffix(" 0") }
            if !counted { try await Task.sleep(for: .milliseconds(300)) }
            // The last values read are still there while the broker does not answer.
            #expect(body.contains("kafkaops_topic_partitions_under_min_isr{topic=\"thin\"} 1"))
        }
        #expect(counted, "no refresh error counted while the broker was frozen")
        #expect(slowest < .seconds(1), "a scrape took \(slowest)")
        broker.resume()
    }

    /// Read-only by construction: no --execute, and a watch runs against a profile that says read_only: false.
    @Test func watchTakesNoExecuteAndNeedsSomethingToDo() async throws {
        let r = try await CLI.run(["watch", "--bootstrap", b, "--metrics-listen", "127.0.0.1:0", "--execute"])
        #expect(r.code == 2)
        let none = try await CLI.run(["watch", "--bootstrap", b])
        #expect(none.code == 2)
        #expect(none.stderr.contains("--metrics-listen"))
        let bad = try await CLI.run(["watch", "--bootstrap", b, "--metrics-listen", "nowhere"])
        #expect(bad.code == 2)
    }
}

/// The seed shared by the watch suites: "orders" (1 partition, 5 records; "billing" committed at 2: lag 3) and
/// "thin" (1 replica, min.insync.replicas 2: under min ISR on tansu's one broker).
enum WatchSeed {
    static func seed(_ client: KafkaClusterClient) async throws {
        var d: Deadline { .after(.seconds(20)) }
        try await client.createTopic(NewTopic(name: "orders", partitions: 1, replicationFactor: 1, configs: ["min.insync.replicas": "1"]),
                                     validateOnly: false, deadline: d)
        try await client.createTopic(NewTopic(name: "thin", partitions: 1, replicationFactor: 1, configs: ["min.insync.replicas": "2"]),
                                     validateOnly: false, deadline: d)
        for i in 0..<5 {
            try await client.produceAll([OutgoingRecord(topic: "orders", partition: 0, key: nil, value: Array("o\(i)".utf8))], deadline: d)
        }
        let billing = try await client.alterGroupOffsets(group: "billing", offsets: [TopicPartition("orders", 0): 2], deadline: d)
        #expect(billing.allSatisfy { $0.error == nil })
    }
}

/// Programs the tests need from Debian's packages: their path, or nil when not installed (the test then fails).
enum Tools {
    static func path(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}

/// `kafkaops watch --metrics-listen 127.0.0.1:PORT ...` running, with a plain HTTP GET against it.
final class WatchProcess: @unchecked Sendable {
    let process: Subprocess
    let port: Int
    let errPath: String
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// `environment`: set over this process's (XDG_STATE_HOME for the change log).
    init(_ args: [String], port: Int? = nil, environment: [String: String] = [:]) throws {
        self.port = try port ?? TansuBroker.freePort()
        errPath = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-watch-\(UUID().uuidString).err").path
        process = try Subprocess(try CLI.binaryPath(), ["watch", "--metrics-listen", "127.0.0.1:\(self.port)"] + args,
                                 environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                 stderrPath: errPath)
    }

    func stop() {
        process.signal(SIGKILL)
        _ = process.wait()
        unlink(errPath)
    }

    /// One GET (a fresh connection), bounded by 5 s.
    func get(_ path: String, accept: String? = nil) async throws -> String {
        try await HTTP.get("http://127.0.0.1:\(port)\(path)", accept: accept)
    }

    /// Scrapes until `ready` holds for the body, or fails after `timeout` seconds.
    func scrapeWhen(timeout: Double, _ ready: (String) -> Bool) async throws -> String {
        let end = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < end {
            if !process.isRunning { Issue.record("watch ended: \(stderr)"); break }
            if let body = try? await get("/metrics") {
                last = body
                if ready(body) { return body }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw HTTP.Failure(description: "not ready after \(timeout) s; stderr: \(stderr); last scrape: \(last.prefix(2000))")
    }
}

/// A plain HTTP client for the tests: curl, run as a process (an independent client).
enum HTTP {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func get(_ url: String, accept: String? = nil) async throws -> String {
        try await run(["-sS", "--max-time", "5"] + (accept.map { ["-H", "Accept: \($0)"] } ?? []) + [url])
    }

    static func post(_ url: String, json: String) async throws -> String {
        try await run(["-sS", "--max-time", "5", "-H", "Content-Type: application/json", "--data-binary", "@-", url], stdin: json)
    }

    static func run(_ args: [String], stdin: String? = nil) async throws -> String {
        let curl = try #require(Tools.path("curl"), "curl is not installed")
        let r = try await offThread { try Subprocess.run(curl, ["--fail"] + args, stdin: stdin, timeout: 10) }
        guard r.code == 0 else { throw Failure(description: "curl \(args.last ?? ""): exit \(r.code): \(r.stderr)") }
        return r.stdout
    }
}
