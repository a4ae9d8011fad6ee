import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 10 points 7 and 8 against tansu: a replay whose broker froze mid-run is resumed with the printed
/// command and writes every DLQ record exactly once; a replay sent SIGHUP stops, records its outcome and says
/// exactly what the target holds.
@Suite(.serialized)
final class DLQReplayResumeTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    let n = 300
    var b: String { broker.bootstrap }
    var d: Deadline { .after(.seconds(60)) }  // a fresh budget per call

    /// big-dlt/0 holds 300 records (Connect context, original topic "orders"); "target" is empty.
    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-resume-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await client.createTopic(NewTopic(name: "big-dlt", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        try await client.createTopic(NewTopic(name: "target", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        let records = (0..<n).map { i in
            OutgoingRecord(topic: "big-dlt", partition: 0, key: Array("k\(i)".utf8), value: Array("v\(i)".utf8),
                           headers: [RecordHeader("__connect.errors.topic", string: "orders")])
        }
        for chunk in stride(from: 0, to: n, by: 50) {
            let reps = try await client.produce(Array(records[chunk..<min(n, chunk + 50)]), deadline: d)
            for r in reps { if case .failure(let e) = r.result { throw e } }
        }
    }

    deinit { broker.stop(); try? FileManager.default.removeItem(at: dir) }

    var env: [String: String] { ["XDG_STATE_HOME": dir.path] }

    /// A profile for the replays: one record per produce batch. tansu reports the high watermark of a
    /// multi-record batch as its base offset + 1 (docs/TEST-ENVIRONMENT.md), so a check that reads the
    /// target to its log end would stop inside such a batch there; Apache Kafka reports it right.
    func oneRecordBatchesConfig() throws -> String {
        let path = dir.appendingPathComponent("config.yaml").path
        try "clusters:\n  t:\n    bootstrap: \(b)\n    properties:\n      batch.num.messages: \"1\"\n      linger.ms: \"0\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    /// The replay-source header of every record in the target, in log order.
    func landedSources() async throws -> [String] {
        try await Kcat.run(["-b", b, "-C", "-t", "target", "-e", "-J", "-o", "beginning", "-q"])
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .compactMap { rec -> String? in
                let flat = rec["headers"] as? [String] ?? []
                guard let i = flat.firstIndex(of: ReplayPlanner.sourceHeader), i + 1 < flat.count else { return nil }
                return flat[i + 1]
            }
    }

    /// Waits until the first records reached the target (the replay is under way).
    func waitForFirstRecords() async throws {
        let tp = TopicPartition("target", 0)
        let until = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < until {
            if let end = try? await client.endOffsets([tp], deadline: .after(.seconds(2)))[tp], end > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no record reached the target within 30 s")
    }

    /// The audit log's entries.
    func audit() throws -> [ChangeRecord] {
        try String(contentsOf: dir.appendingPathComponent("kafkaops/audit.log"), encoding: .utf8)
            .split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    /// A printed shell command as words (plain words and '...' quoting, as `shellQuote` writes them).
    static func shellWords(_ s: String) -> [String] {
        var words: [String] = []
        var cur = "", inQuote = false, has = false
        for c in s {
            if inQuote { if c == "'" { inQuote = false } else { cur.append(c) }; continue }
            if c == "'" { inQuote = true; has = true } else if c == "\\" { continue }
            else if c == " " { if has { words.append(cur) }; cur = ""; has = false } else { cur.append(c); has = true }
        }
        if has { words.append(cur) }
        return words
    }

    /// "big-dlt/0: 0-119, 121" -> ["big-dlt/0/0", ..., "big-dlt/0/121"]
    static func expand(_ ranges: [String]) -> [String] {
        ranges.flatMap { r -> [String] in
            let parts = r.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return [] }
            return parts[1].split(separator: ",").flatMap { item -> [String] in
                let bounds = item.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int64($0) }
                guard let a = bounds.first else { return [] }
                return (a...(bounds.last ?? a)).map { "\(parts[0])/\($0)" }
            }
        }
    }

    /// Point 7: the broker freezes mid-run (records sent without an answer: unknown), comes back, and the printed
    /// resume command, run as printed, sends only what is not in the target: every DLQ record lands exactly once.
    @Test func theResumeCommandAfterAFrozenBrokerWritesEveryRecordExactlyOnce() async throws {
        let (config, env) = (try oneRecordBatchesConfig(), self.env)
        let run = Task.detached {
            try await CLI.run(["dlq", "replay", "big-dlt", "--to", "target", "--config", config, "--rate", "30", "--timeout", "3",
                               "--execute", "--output", "json"], environment: env)
        }
        try await waitForFirstRecords()
        broker.pause()
        let r = try await run.value
        broker.resume()
        #expect(r.code == 1, "the replay must report that it did not finish: \(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
        let unknown = obj["unknown"] as? [String] ?? []
        let failed = obj["failed"] as? [[String: Any]] ?? []
        #expect(!unknown.isEmpty, "records sent to the frozen broker are unknown: \(r.stdout)")
        #expect(failed.allSatisfy { !(($0["reason"] as? String) ?? "").contains("may or may not") }, "in doubt is unknown, not failed")
        #expect(obj["target_offsets_at_start"] as? String == "target/0=0")
        let command = try #require(obj["retry_command"] as? String)
        #expect(command.contains("--since-offsets target/0=0"))
        #expect(command.contains("--config \(config)"))
        // The started record carries the checkpoint too.
        let started = try #require(try audit().first { $0.action == "dlq.replay.started" })
        if case .object(let det) = started.details { #expect(det["target_offsets_at_start"] == .object(["target/0": .int(0)])) }

        // What the frozen broker held lands once it runs again; wait until the target stops growing.
        var before: [String] = []
        for _ in 0..<40 {
            try await Task.sleep(for: .milliseconds(500))
            let now = try await landedSources()
            if now.count == before.count && !now.isEmpty { break }
            before = now
        }
        let landedBefore = Set(before)
        let reportedWritten = Set(Self.expand(obj["written_offsets"] as? [String] ?? []))
        // The broker did write records whose outcome was unknown: sending them again would duplicate them.
        let inDoubtLanded = landedBefore.subtracting(reportedWritten)
        #expect(!inDoubtLanded.isEmpty, "the frozen broker wrote records it never acknowledged")

        // The printed command, run as printed (JSON output added to read the result).
        let words = Self.shellWords(command)
        #expect(words.first == "kafkaops")
        let resume = try await CLI.run(Array(words.dropFirst()) + ["--output", "json"], environment: env)
        #expect(resume.code == 0, "\(resume.stdout) \(resume.stderr)")
        let robj = try #require(try JSONSerialization.jsonObject(with: Data(resume.stdout.utf8)) as? [String: Any], "\(resume.stdout) \(resume.stderr)")
        let skipped = Set(robj["skipped_already_written"] as? [String] ?? [])
        #expect(skipped == inDoubtLanded, "the resume skips exactly what landed without being reported")
        #expect(resume.stderr.contains("skipped \(skipped.count) record(s) already written"))

        let landed = try await landedSources()
        #expect(landed.count == n, "every DLQ record exactly once: \(landed.count) records for \(n)")
        #expect(Set(landed) == Set((0..<n).map { "big-dlt/0/\($0)" }))
        let last = try #require(try audit().last)
        #expect(last.action == "dlq.replay")
        #expect(last.result == "ok")
    }

    /// Point 8: SIGHUP (an SSH disconnect) mid-run: the replay stops after its batch in flight, writes its outcome
    /// record and exits non-zero; the outcome's written offsets are exactly what the target holds.
    @Test func sighupStopsTheReplayAndRecordsItsOutcome() async throws {
        let out = dir.appendingPathComponent("replay.out").path
        let err = dir.appendingPathComponent("replay.err").path
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = dir.path
        environment["HOME"] = dir.path
        environment["XDG_CONFIG_HOME"] = dir.appendingPathComponent(".config").path
        environment.removeValue(forKey: "LD_LIBRARY_PATH")
        let p = try Subprocess(try CLI.binaryPath(), ["dlq", "replay", "big-dlt", "--to", "target", "--bootstrap", b, "--rate", "30",
                                                       "--execute", "--output", "json"],
                               environment: environment, stdoutPath: out, stderrPath: err)
        try await waitForFirstRecords()
        p.signal(SIGHUP)
        let code = try await offThread { p.wait(seconds: 60) }
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        #expect(code == 1, "exit code \(String(describing: code)): \(stderr)")
        let entries = try audit()
        #expect(entries.map(\.action) == ["dlq.replay.started", "dlq.replay"], "\(stderr)")
        let outcome = try #require(entries.last)
        #expect(outcome.result.hasPrefix("partial: written "))
        guard case .object(let det) = outcome.details, case .array(let ranges)? = det["written_offsets"] else {
            Issue.record("no written_offsets in \(outcome)")
            return
        }
        #expect(det["stopped_by"] == .string("interrupted by SIGHUP"))
        let written = Self.expand(ranges.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
        let landed = try await landedSources()
        #expect(!landed.isEmpty && landed.count < n)
        #expect(Set(written) == Set(landed), "the outcome names exactly what the target holds")
        #expect(written.count == landed.count)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "\(stdout) \(stderr)")
        #expect((obj["retry_command"] as? String)?.contains("--since-offsets") == true)
    }

    /// Point 8 in the console: SIGHUP to the console while a replay runs. The replay stops after its batch in
    /// flight, its outcome record is written, the terminal is restored and the console exits (129).
    @Test func sighupToTheConsoleRecordsTheReplayOutcome() async throws {
        let config = dir.appendingPathComponent(".config/kafkaops")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "current: local\nclusters:\n  local:\n    bootstrap: \(b)\n    replay_rate: 10\n"
            .write(to: config.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("env HOME=\(dir.path) XDG_STATE_HOME=\(dir.path) XDG_CONFIG_HOME=\(dir.path)/.config \(try ConsoleE2ETests.binary())",
                       width: 100, height: 30)
        try await tmux.expect("Overview")
        tmux.keys(":")
        tmux.type("dlq big-dlt")
        tmux.keys("Enter")
        try await tmux.expect("100 record(s)")
        tmux.keys("Tab", "a")
        try await tmux.expect("100 marked")
        tmux.keys("p")
        try await tmux.expect("Replay 100 marked record(s) from big-dlt")
        tmux.type("target")
        tmux.keys("Enter")
        try await tmux.expect("Replay 100 record(s)?")
        tmux.keys("y")
        try await tmux.expect(timeout: .seconds(30)) { $0.contains { $0.contains("written ") && $0.contains(" of 100") && !$0.contains("written 0 of") } }
        // The console is the shell's child (env execs it).
        let shell = try tmux.run(["display", "-p", "-t", tmux.target, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let console = try #require(children.split(separator: " ").compactMap { pid_t($0) }.first, "no console process under \(shell)")
        kill(console, SIGHUP)
        try await tmux.expect("CONSOLE-EXIT-129", timeout: .seconds(30))
        let entries = try audit()
        #expect(entries.map(\.action) == ["dlq.replay.started", "dlq.replay"])
        let outcome = try #require(entries.last)
        #expect(outcome.result.hasPrefix("partial: written "))
        guard case .object(let det) = outcome.details, case .array(let ranges)? = det["written_offsets"] else {
            Issue.record("no written_offsets in \(outcome)")
            return
        }
        let written = Self.expand(ranges.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
        let landed = try await landedSources()
        #expect(!landed.isEmpty && landed.count < 100)
        #expect(Set(written) == Set(landed), "the outcome names exactly what the target holds")
        // The terminal was restored: the shell's line is on a normal screen, not the console's.
        #expect(!tmux.screen().contains { $0.contains("Replaying to") })
    }
}
