import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// Issue 11 against tansu: time lag and data-loss time from records with chosen (past) CreateTimes,
/// and the trend over `--window` for a group whose commits advance and one whose commits do not.
@Suite(.serialized)
final class LagOverTimeTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    var b: String { broker.bootstrap }
    var d: Deadline { .after(.seconds(20)) }
    /// The CreateTime of record i of "clicks": 50 minutes ago plus i minutes.
    let firstRecordMs: Int64

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        firstRecordMs = Int64(Date().timeIntervalSince1970 * 1000) - 50 * 60_000
        try await client.createTopic(NewTopic(name: "clicks", partitions: 1, replicationFactor: 1,
                                              configs: ["retention.ms": "3600000"]), validateOnly: false, deadline: d)
        for i in 0..<5 {
            let r = try await client.produce([OutgoingRecord(topic: "clicks", partition: 0, key: nil, value: Array("c\(i)".utf8),
                                                             timestamp: firstRecordMs + Int64(i) * 60_000)], deadline: d)
            if case .failure(let e) = try #require(r.first).result { throw e }
        }
        // "reader" is in the middle: the next record it reads is record 2.
        _ = try await client.alterGroupOffsets(group: "reader", offsets: [TopicPartition("clicks", 0): 2], deadline: d)
    }

    deinit { broker.stop() }

    @Test func timeLagAndDataLossTimeComeFromTheNextRecordsTimestamp() async throws {
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let (_, obj) = try await CLI.json(["group", "describe", "reader", "--bootstrap", b, "--output", "json"])
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        let next = firstRecordMs + 2 * 60_000   // 48 minutes ago; retention 1 h: may go from 12 minutes from now
        let p = try #require((obj["partitions"] as? [[String: Any]])?.first)
        let timeLag = try #require(p["time_lag_ms"] as? Int64)
        #expect(timeLag >= before - next && timeLag <= after - next, "time lag \(timeLag)")
        let loss = try #require(p["data_loss_in_ms"] as? Int64)
        #expect(loss >= next + 3_600_000 - after && loss <= next + 3_600_000 - before, "data loss in \(loss)")
        #expect(p["trend"] as? String == "unknown", "one sample: no trend")
        #expect(obj["max_time_lag_ms"] as? Int64 == timeLag)
        #expect(obj["min_data_loss_in_ms"] as? Int64 == loss)
        #expect(obj["assign_committer"] as? Bool == false)
        #expect(obj["offsets_retention_ms"] as? Int64 != nil)
        #expect(["broker", "default"].contains(obj["offsets_retention_source"] as? String ?? ""))

        let (_, lag) = try await CLI.json(["lag", "--bootstrap", b, "--output", "json"])
        let g = try #require((lag["groups"] as? [[String: Any]])?.first { $0["group"] as? String == "reader" })
        #expect(g["max_time_lag_ms"] as? Int64 != nil && g["min_data_loss_in_ms"] as? Int64 != nil)
        #expect(g["trend"] as? String == "unknown" && g["assign_committer"] as? Bool == false)
        #expect(g["data_loss_risk"] as? String == "error", "retention may take the next unread record in 12 minutes")
    }

    @Test func aGroupWhoseCommitsAdvanceIsNotStoppedAndOneWhoseCommitsDoNotIs() async throws {
        try await client.createTopic(NewTopic(name: "stream", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        _ = try await client.produce((0..<300).map { OutgoingRecord(topic: "stream", partition: 0, key: nil, value: Array("s\($0)".utf8)) },
                                     deadline: d)
        let tp = TopicPartition("stream", 0)
        _ = try await client.alterGroupOffsets(group: "mover", offsets: [tp: 1], deadline: d)
        _ = try await client.alterGroupOffsets(group: "frozen", offsets: [tp: 1], deadline: d)
        let c = client
        let d = self.d
        let committer = Task {
            // Commits until the CLI is done, however long a loaded machine takes to start it; a commit
            // that fails is tried again with the next offset rather than ending the committer.
            for o in 2..<300 where !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(350))
                _ = try? await c.alterGroupOffsets(group: "mover", offsets: [tp: Int64(o)], deadline: d)
            }
        }
        let r = try await CLI.run(["lag", "--bootstrap", b, "--output", "json", "--window", "3s", "--interval", "1s"])
        committer.cancel()
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("sampled 4/4"), "progress on stderr: \(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let groups = try #require(obj["groups"] as? [[String: Any]])
        let mover = groups.first { $0["group"] as? String == "mover" }?["trend"] as? String
        let frozen = groups.first { $0["group"] as? String == "frozen" }?["trend"] as? String
        #expect(mover != nil && mover != "stopped" && mover != "unknown", "mover: \(mover ?? "nil")")
        #expect(frozen == "stopped")
    }

    @Test(arguments: [["--window", "soon"], ["--window", "0s"], ["--window", "1s", "--interval", "5s"], ["--interval", "1s"]])
    func badWindowsAreUsageErrors(args: [String]) async throws {
        let r = try await CLI.run(["lag", "--bootstrap", b] + args)
        #expect(r.code == 2)
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func resetOffsetsRefusesAnEmptyGroupWhoseCommitsMove() async throws {
        let tp = TopicPartition("clicks", 0)
        _ = try await client.alterGroupOffsets(group: "assigner", offsets: [tp: 0], deadline: d)
        let c = client
        let lastError = Locked("no error")
        // Commits move forward until the command has ended, whenever its two samples 2 s apart are taken
        // (a loaded machine can take longer than that to start it); each commit has its own deadline and a
        // failed one is retried.
        let committer = Task {
            var o: Int64 = 0
            while !Task.isCancelled {
                o += 1
                do { _ = try await c.alterGroupOffsets(group: "assigner", offsets: [tp: o], deadline: .after(.seconds(5))) }
                catch { lastError.set(String(describing: error)) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        defer { committer.cancel() }
        // The test's own commits must be moving before the command starts, or the check below means nothing.
        var moving = false
        for _ in 0..<60 where !moving {
            if let now = try? await client.committedOffsets(group: "assigner", deadline: d)[tp], now > 1 { moving = true; break }
            try await Task.sleep(for: .milliseconds(250))
        }
        try #require(moving, "the test's commits did not land: \(lastError.value)")
        let r = try await CLI.run(["reset-offsets", "--bootstrap", b, "--group", "assigner", "--all-topics", "--to-earliest"])
        #expect(r.code == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("committed offsets moved a moment ago") && r.stderr.contains("assign()"), "\(r.stderr)")
        // The same group, idle: the dry run goes ahead.
        let idle = try await CLI.run(["reset-offsets", "--bootstrap", b, "--group", "reader", "--all-topics", "--to-earliest"])
        #expect(idle.code == 0, "\(idle.stderr)")
    }
}
