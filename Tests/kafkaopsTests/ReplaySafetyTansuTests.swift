import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 23 points 1, 2 and 5 and issue 27 points 3 and 4 against tansu: a replay never writes a record twice,
/// whatever the batching of the target (two partitions, compression), with two replays started together, after a
/// replay was killed, and on a plain rerun after `--limit`; a killed change is named by the next one and by
/// `kafkaops changes`; a stop signal ends a slow `--rate` replay at once.
@Suite(.serialized)
final class ReplaySafetyTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    /// 100 records in each of the DLQ's two partitions.
    let perPartition = 100
    var n: Int { 2 * perPartition }
    var b: String { broker.bootstrap }
    var d: Deadline { .after(.seconds(60)) }

    /// rdlq: 2 partitions of 100 records (Connect context, original topic "orders"); "target": 2 empty partitions.
    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-replaysafe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await client.createTopic(NewTopic(name: "rdlq", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
        try await client.createTopic(NewTopic(name: "target", partitions: 2, replicationFactor: 1), validateOnly: false, deadline: d)
        for p in 0..<2 {
            let records = (0..<perPartition).map { i in
                OutgoingRecord(topic: "rdlq", partition: Int32(p), key: Array("k\(p)-\(i)".utf8), value: Array("v\(i)".utf8),
                               headers: [RecordHeader("__connect.errors.topic", string: "orders")])
            }
            let reps = try await client.produce(records, deadline: d)
            for r in reps { if case .failure(let e) = r.result { throw e } }
        }
    }

    deinit { broker.stop(); try? FileManager.default.removeItem(at: dir) }

    var env: [String: String] { ["XDG_STATE_HOME": dir.path] }
    var auditPath: String { dir.appendingPathComponent("kafkaops/audit.log").path }

    /// A profile whose producer batches and compresses: its replays land in the target as multi-record batches.
    func batchingConfig() throws -> String {
        let path = dir.appendingPathComponent("config.yaml").path
        try "clusters:\n  t:\n    bootstrap: \(b)\n    properties:\n      linger.ms: \"100\"\n      compression.codec: lz4\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    /// The replay-source header of every record in the target (both partitions), as kcat reads them.
    func landedSources() async throws -> [String] {
        try await Kcat.run(["-b", b, "-C", "-t", "target", "-e", "-J", "-o", "beginning", "-q"])
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .compactMap { rec -> String? in
                let flat = rec["headers"] as? [String] ?? []
                guard let i = flat.firstIndex(of: ReplayPlanner.sourceHeader), i + 1 < flat.count else { return nil }
                return flat[i + 1]
            }
    }

    var everySource: Set<String> { Set((0..<2).flatMap { p in (0..<perPartition).map { "rdlq/\(p)/\($0)" } }) }

    func audit() throws -> [ChangeRecord] {
        guard FileManager.default.fileExists(atPath: auditPath) else { return [] }
        return try String(contentsOfFile: auditPath, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    func json(_ r: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
    }

    func waitForFirstRecords() async throws {
        let until = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < until {
            if let ends = try? await client.endOffsets([TopicPartition("target", 0), TopicPartition("target", 1)], deadline: .after(.seconds(2))),
               ends.values.contains(where: { $0 > 0 }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no record reached the target within 30 s")
    }

    func spawn(_ args: [String], name: String) throws -> (Subprocess, out: String, err: String) {
        let out = dir.appendingPathComponent("\(name).out").path
        let err = dir.appendingPathComponent("\(name).err").path
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = dir.path
        environment["HOME"] = dir.path
        environment["XDG_CONFIG_HOME"] = dir.appendingPathComponent(".config").path
        environment.removeValue(forKey: "LD_LIBRARY_PATH")
        return (try Subprocess(try CLI.binaryPath(), args, environment: environment, stdoutPath: out, stderrPath: err), out, err)
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Point 1: the target holds records of an earlier run in multi-record, compressed batches on both partitions
    /// (tansu then reports each partition's end as its last batch's first offset + 1). The resume recognises every
    /// one of them, not only each batch's first, and a plain rerun afterwards writes nothing.
    @Test func aResumeRecognisesEveryRecordOfMultiRecordBatchesAndARerunWritesNothing() async throws {
        let batching = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: b, properties: ["linger.ms": "200", "compression.codec": "lz4"]))
        // What an earlier run wrote without an answer: DLQ offsets 0-59 of both partitions, one batch per partition.
        let earlier = (0..<2).flatMap { p in (0..<60).map { i in
            OutgoingRecord(topic: "target", partition: Int32(p), key: Array("k\(p)-\(i)".utf8), value: Array("v\(i)".utf8),
                           headers: [RecordHeader(ReplayPlanner.sourceHeader, string: "rdlq/\(p)/\(i)")])
        } }
        let reps = try await batching.produce(earlier, deadline: d)
        for r in reps { if case .failure(let e) = r.result { throw e } }
        let ends = try await client.endOffsets([TopicPartition("target", 0), TopicPartition("target", 1)], deadline: d)
        #expect(try await landedSources().count == 120)
        try #require(ends.values.allSatisfy { $0 < 60 }, "the records must sit in multi-record batches (end offsets \(ends))")

        let config = try batchingConfig()
        let resume = try await CLI.run(["dlq", "replay", "rdlq", "--to", "target", "--config", config,
                                        "--since-offsets", "target/0=0,target/1=0", "--execute", "--output", "json"], environment: env)
        #expect(resume.code == 0, "\(resume.stdout) \(resume.stderr)")
        let obj = try json(resume)
        #expect((obj["skipped_already_written"] as? [String])?.count == 120, "every record of every batch is recognised: \(resume.stdout)")
        #expect(obj["written"] as? Int == 80)
        var landed = try await landedSources()
        #expect(landed.count == n, "every DLQ record exactly once: \(landed.count) records for \(n)")
        #expect(Set(landed) == everySource)

        // A plain rerun of the same replay (no --since-offsets): this run's own batched writes are found too.
        let rerun = try await CLI.run(["dlq", "replay", "rdlq", "--to", "target", "--config", config, "--execute", "--output", "json"],
                                      environment: env)
        #expect(rerun.code == 0, "\(rerun.stdout) \(rerun.stderr)")
        #expect(try json(rerun)["written"] as? Int == 0)
        landed = try await landedSources()
        #expect(landed.count == n, "a rerun writes nothing twice: \(landed.count) records for \(n)")
    }

    /// Point 2: two `dlq replay --execute` of the same DLQ and target started together: exactly one writes, the
    /// other is refused with one line naming the run that holds it; the target holds every record once.
    @Test func twoReplaysStartedTogetherWriteEveryRecordOnce() async throws {
        let args = ["dlq", "replay", "rdlq", "--to", "target", "--bootstrap", b, "--rate", "100", "--execute"]
        let first = try spawn(args, name: "a")
        let second = try spawn(args, name: "b")
        defer { first.0.signal(SIGKILL); second.0.signal(SIGKILL) }
        let codes = try await offThread { [first.0.wait(seconds: 60), second.0.wait(seconds: 60)] }
        let errs = [Self.read(first.err), Self.read(second.err)]
        #expect(codes.compactMap { $0 }.sorted() == [0, 1], "one writes, the other is refused: \(codes) \(errs)")
        let refused = errs[codes[0] == 1 ? 0 : 1]
        let line = try #require(refused.split(separator: "\n").first { $0.contains("refused") }, "\(refused)")
        #expect(line.contains("another replay of rdlq to target is running on this machine (pid "), "\(line)")
        #expect(line.hasSuffix("nothing was sent"))
        let landed = try await landedSources()
        #expect(landed.count == n, "exactly one replay wrote: \(landed.count) records for \(n)")
        #expect(try audit().filter { $0.action == "dlq.replay.started" }.count == 1, "the refused one never started")
    }

    /// Point 5: a replay killed (SIGKILL) mid-run leaves a started record without an outcome. `kafkaops changes`
    /// marks it incomplete; the next replay of the same DLQ and target is refused naming it with the command that
    /// resumes it from the started record's offsets, and that command writes exactly what is missing.
    @Test func aKilledReplayIsNamedAndItsResumeReadsTheTargetFromItsStartedRecord() async throws {
        let killed = try spawn(["dlq", "replay", "rdlq", "--to", "target", "--bootstrap", b, "--rate", "10", "--execute"], name: "killed")
        try await waitForFirstRecords()
        try await Task.sleep(for: .milliseconds(300))
        killed.0.signal(SIGKILL)
        _ = try await offThread { killed.0.wait(seconds: 10) }
        let partial = try await landedSources().count
        #expect(partial > 0 && partial < n)
        #expect(try audit().map(\.action) == ["dlq.replay.started"])

        let changes = try await CLI.run(["changes", "--bootstrap", b, "--output", "json"], environment: env)
        #expect(changes.code == 0, "\(changes.stderr)")
        let recs = try #require(try json(changes)["records"] as? [[String: Any]])
        #expect(recs.count == 1 && recs.first?["incomplete"] as? Bool == true && recs.first?["action"] as? String == "dlq.replay.started")
        let table = try await CLI.run(["changes", "--bootstrap", b], environment: env)
        #expect(table.stdout.split(separator: "\n").contains { $0.contains("dlq.replay") && $0.contains("INCOMPLETE") }, "\(table.stdout)")
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "80 columns: \(table.stdout)")

        let again = try await CLI.run(["dlq", "replay", "rdlq", "--to", "target", "--bootstrap", b, "--execute"], environment: env)
        #expect(again.code == 1, "\(again.stdout) \(again.stderr)")
        #expect(again.stderr.contains("has no outcome"), "\(again.stderr)")
        #expect(try await landedSources().count == partial, "refused: nothing was sent")
        let marker = "resume with: "
        let tail = try #require(again.stderr.range(of: marker).map { String(again.stderr[$0.upperBound...]) }, "\(again.stderr)")
        let command = String(tail[..<(tail.range(of: "; nothing was sent")?.lowerBound ?? tail.endIndex)])
        #expect(command.contains("--since-offsets target/0=0,target/1=0"), "\(command)")
        let words = DLQReplayResumeTansuTests.shellWords(command)
        #expect(words.first == "kafkaops")
        let resumed = try await CLI.run(Array(words.dropFirst()) + ["--output", "json"], environment: env)
        #expect(resumed.code == 0, "\(resumed.stdout) \(resumed.stderr)")
        let landed = try await landedSources()
        #expect(landed.count == n, "every DLQ record exactly once: \(landed.count) records for \(n)")
        #expect(Set(landed) == everySource)
        let after = try await CLI.run(["changes", "--bootstrap", b, "--incomplete", "--output", "json"], environment: env)
        #expect((try json(after)["records"] as? [[String: Any]])?.count == 1, "the killed run stays marked in the history")
    }

    /// Point 5 for a reset: the change log after a reset was killed between its started record and its outcome
    /// (the record as the pipeline writes it). The next reset on that group names it and what it was about to do;
    /// once that reset has its outcome, the one after it no longer does.
    @Test func aKilledResetIsNamedByTheNextResetOnThatGroup() async throws {
        _ = try await client.alterGroupOffsets(group: "etl", offsets: [TopicPartition("rdlq", 0): 40], deadline: d)
        // The line the pipeline writes before it sends (`ChangeRecord.jsonLine`), and no outcome after it.
        try FileManager.default.createDirectory(atPath: (auditPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let started = ChangeRecord(time: Date(), user: ProcessInfo.processInfo.environment["USER"] ?? "root", host: ProcessInfo.processInfo.hostName,
                                   profile: b, action: "group.reset-offsets.started", target: "etl",
                                   before: ["rdlq/0": 40], after: ["rdlq/0": 7], result: "started", details: ["undo_file": "/tmp/undo.csv"])
        try started.jsonLine().write(toFile: auditPath, atomically: false, encoding: .utf8)
        chmod(auditPath, 0o600)
        func reset() async throws -> CLI.Result {
            try await CLI.run(["reset-offsets", "--bootstrap", b, "--group", "etl", "--topic", "rdlq:0", "--to-offset", "10", "--execute"],
                              environment: env)
        }
        let first = try await reset()
        #expect(first.code == 0, "\(first.stdout) \(first.stderr)")
        let named = first.stderr.split(separator: "\n").first { $0.contains("has no outcome") }.map(String.init) ?? ""
        #expect(named.contains("group.reset-offsets of etl"), "\(first.stderr)")
        #expect(named.contains("\"rdlq/0\":7"), "what the started record said was about to happen: \(named)")
        let second = try await reset()
        #expect(second.code == 0, "\(second.stderr)")
        #expect(!second.stderr.contains("has no outcome"), "followed up by a reset that reached its outcome: \(second.stderr)")
    }

    /// Issue 27 point 3: `--limit` below the DLQ's size says how many records were left and prints the command for
    /// them; rerunning the same command writes nothing twice; the printed command writes exactly the rest.
    @Test func aReplayStoppedByLimitSaysWhatIsLeftAndARerunWritesNothingTwice() async throws {
        let args = ["dlq", "replay", "rdlq", "--to", "target", "--bootstrap", b, "--limit", "120", "--execute", "--output", "json"]
        let first = try await CLI.run(args, environment: env)
        #expect(first.code == 0, "\(first.stdout) \(first.stderr)")
        let obj = try json(first)
        #expect(obj["written"] as? Int == 120)
        #expect(obj["not_read"] as? Int == 80, "\(first.stdout)")
        let rest = try #require(obj["rest_command"] as? String, "\(first.stdout)")
        #expect(rest.contains("--offsets 1:20-"), "\(rest)")
        let table = try await CLI.run(["dlq", "replay", "rdlq", "--to", "target", "--bootstrap", b, "--limit", "120"], environment: env)
        #expect(table.stdout.contains("Not read (past --limit 120): 80 DLQ record(s)"), "\(table.stdout)")

        let rerun = try await CLI.run(args, environment: env)
        #expect(rerun.code == 0, "\(rerun.stdout) \(rerun.stderr)")
        #expect(try json(rerun)["written"] as? Int == 0, "\(rerun.stdout)")
        #expect(try await landedSources().count == 120, "the rerun wrote nothing twice")

        let words = DLQReplayResumeTansuTests.shellWords(rest)
        let last = try await CLI.run(Array(words.dropFirst()) + ["--output", "json"], environment: env)
        #expect(last.code == 0, "\(last.stdout) \(last.stderr)")
        #expect(try json(last)["written"] as? Int == 80)
        let landed = try await landedSources()
        #expect(landed.count == n && Set(landed) == everySource, "every DLQ record exactly once: \(landed.count)")
    }

    /// Issue 27 point 3: `dlq summary` stopped by --limit says so and how to see the rest.
    @Test func aSummaryStoppedByLimitSaysItWasCapped() async throws {
        let r = try await CLI.run(["dlq", "summary", "rdlq", "--bootstrap", b, "--limit", "50", "--output", "json"], environment: env)
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try json(r)
        #expect(obj["capped"] as? Bool == true)
        #expect(obj["records_in_dlq"] as? Int == n)
        #expect(r.stderr.contains("--limit \(n)"), "\(r.stderr)")
        let all = try await CLI.run(["dlq", "summary", "rdlq", "--bootstrap", b, "--limit", "1000", "--output", "json"], environment: env)
        #expect(try json(all)["capped"] as? Bool == false)
    }

    /// Issue 27 point 4: with --rate 0.01 (100 s between records), SIGINT ends the replay at once, with its outcome.
    @Test func sigintDuringASlowRateWaitEndsTheReplayWithinTwoSeconds() async throws {
        let p = try spawn(["dlq", "replay", "rdlq", "--to", "target", "--bootstrap", b, "--rate", "0.01", "--execute"], name: "slow")
        defer { p.0.signal(SIGKILL) }  // a run that did not stop (the failure) ends with the test
        try await waitForFirstRecords()
        try await Task.sleep(for: .milliseconds(200))
        let sent = ContinuousClock.now
        p.0.signal(SIGINT)
        let code = try await offThread { p.0.wait(seconds: 10) }
        let took = ContinuousClock.now - sent
        #expect(took < .seconds(2), "exited \(took) after SIGINT")
        #expect(code == 1, "\(String(describing: code)) \(Self.read(p.err))")
        let outcome = try #require(try audit().last)
        #expect(outcome.action == "dlq.replay")
        if case .object(let det) = outcome.details { #expect(det["stopped_by"] == .string("interrupted by SIGINT")) }
        else { Issue.record("no details in \(outcome)") }
    }
}
