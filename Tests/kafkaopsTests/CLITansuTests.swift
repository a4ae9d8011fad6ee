import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// The read-only CLI against a real Kafka-protocol broker (tansu) seeded with known topics,
/// records and commits. Every field `topics`, `topic describe`, `groups`, `group describe`
/// and `lag` print as JSON is checked against what was seeded.
@Suite(.serialized)
final class CLITansuTests {
    let broker: TansuBroker
    var b: String { broker.bootstrap }

    init() async throws {
        broker = try await TansuBroker.start()
        try await Self.seed(broker.bootstrap)
    }

    deinit { broker.stop() }

    /// orders: 3 partitions, min.insync.replicas=1 and retention.ms overridden; 5, 3 and 0 records.
    /// payments: 2 partitions, no overrides; 4 and 2 records.
    /// billing commits orders-0=2, orders-1=3, payments-0=4; audit commits payments-1=1.
    static func seed(_ bootstrap: String) async throws {
        // One record per batch: tansu's high watermark is wrong after multi-record batches.
        let client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        var d: Deadline { .after(.seconds(20)) }  // a fresh budget per call
        try await client.createTopic(NewTopic(name: "orders", partitions: 3, replicationFactor: 1,
                                              configs: ["min.insync.replicas": "1", "retention.ms": "86400000"]),
                                     validateOnly: false, deadline: d)
        try await client.createTopic(NewTopic(name: "payments", partitions: 2, replicationFactor: 1),
                                     validateOnly: false, deadline: d)
        let counts: [(String, Int32, Int)] = [("orders", 0, 5), ("orders", 1, 3), ("payments", 0, 4), ("payments", 1, 2)]
        for (topic, partition, n) in counts {
            for i in 0..<n {
                let r = try await client.produce([OutgoingRecord(topic: topic, partition: partition, key: Array("k\(i)".utf8),
                                                                 value: Array("v\(i)".utf8))], deadline: d)
                if case .failure(let e) = try #require(r.first).result { throw e }
            }
        }
        let billing = try await client.alterGroupOffsets(group: "billing", offsets: [
            TopicPartition("orders", 0): 2, TopicPartition("orders", 1): 3, TopicPartition("payments", 0): 4], deadline: d)
        #expect(billing.allSatisfy { $0.error == nil })
        let audit = try await client.alterGroupOffsets(group: "audit", offsets: [TopicPartition("payments", 1): 1], deadline: d)
        #expect(audit.allSatisfy { $0.error == nil })
    }

    func topic(_ obj: [String: Any], _ name: String) throws -> [String: Any] {
        let topics = try #require(obj["topics"] as? [[String: Any]])
        return try #require(topics.first { $0["name"] as? String == name }, "topic \(name) missing")
    }

    @Test func topicsJSONReportsEveryFieldAsSeeded() async throws {
        let (_, obj) = try await CLI.json(["topics", "--bootstrap", b, "--output", "json", "--lag"])
        let orders = try topic(obj, "orders")
        #expect(orders["partitions"] as? Int == 3)
        #expect(orders["replication_factor"] as? Int == 1)
        #expect(orders["min_insync_replicas"] as? Int == 1)
        // tansu reports DEFAULT_CONFIG as the source of explicitly set topic configs (Kafka:
        // DYNAMIC_TOPIC_CONFIG); sources are checked against the demo cluster instead.
        #expect(["topic", "default"].contains(orders["min_insync_replicas_source"] as? String ?? "?"))
        // One replica in the ISR and min.insync.replicas=1: every partition is at min ISR.
        #expect(orders["health"] as? String == "at_min_isr")
        #expect(orders["at_min_isr_partitions"] as? Int == 3)
        #expect(orders["under_replicated_partitions"] as? Int == 0)
        #expect(orders["under_min_isr_partitions"] as? Int == 0)
        #expect(orders["offline_partitions"] as? Int == 0)
        #expect(orders["end_offset_sum"] as? Int == 8)
        #expect(orders["total_lag"] as? Int == 3)           // billing: (5-2) + (3-3)
        #expect(orders["consumer_groups"] as? [String] == ["billing"])
        #expect(orders["internal"] as? Bool == false)

        let payments = try topic(obj, "payments")
        #expect(payments["partitions"] as? Int == 2)
        #expect(payments["min_insync_replicas"] as? Int == 1)
        #expect(payments["min_insync_replicas_source"] as? String == "default")
        #expect(payments["end_offset_sum"] as? Int == 6)
        #expect(payments["total_lag"] as? Int == 1)         // billing (4-4) + audit (2-1)
        #expect(payments["consumer_groups"] as? [String] == ["audit", "billing"])

        // Without --lag the groups are not read: lag unknown (null), no groups listed, the rest the same.
        let (_, plain) = try await CLI.json(["topics", "--bootstrap", b, "--output", "json"])
        let o2 = try topic(plain, "orders")
        #expect(o2["total_lag"] is NSNull)
        #expect(o2["consumer_groups"] as? [String] == [])
        #expect(o2["end_offset_sum"] as? Int == 8)
        #expect(o2["partitions"] as? Int == 3)
    }

    @Test func topicsHealthFiltersKeepOnlyMatchingTopics() async throws {
        let (_, atMin) = try await CLI.json(["topics", "--bootstrap", b, "--output", "json", "--at-min-isr"])
        #expect(Set((atMin["topics"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }) == ["orders", "payments"])
        let (_, under) = try await CLI.json(["topics", "--bootstrap", b, "--output", "json", "--under-replicated"])
        #expect((under["topics"] as? [[String: Any]])?.isEmpty == true)
        let (_, offline) = try await CLI.json(["topics", "--bootstrap", b, "--output", "json", "--unavailable"])
        #expect((offline["topics"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func topicDescribeJSONShowsPartitionsConfigsAndGroups() async throws {
        let (_, obj) = try await CLI.json(["topic", "describe", "orders", "--bootstrap", b, "--output", "json"])
        #expect(obj["name"] as? String == "orders")
        #expect(obj["replication_factor"] as? Int == 1)
        let parts = try #require(obj["partitions"] as? [[String: Any]])
        #expect(parts.map { $0["partition"] as? Int } == [0, 1, 2])
        #expect(parts.map { $0["log_end_offset"] as? Int } == [5, 3, 0])
        #expect(parts.map { $0["log_start_offset"] as? Int } == [0, 0, 0])
        for p in parts {
            let leader = try #require(p["leader"] as? Int)
            #expect(p["replicas"] as? [Int] == [leader])
            #expect(p["isr"] as? [Int] == [leader])
            #expect(p["out_of_sync_replicas"] as? [Int] == [])
            #expect(p["leader_is_preferred"] as? Bool == true)
            #expect(p["health"] as? [String] == ["at_min_isr"])
        }
        let configs = try #require(obj["configs"] as? [[String: Any]])
        let minISR = try #require(configs.first { $0["name"] as? String == "min.insync.replicas" })
        #expect(minISR["value"] as? String == "1")
        let retention = try #require(configs.first { $0["name"] as? String == "retention.ms" })
        #expect(retention["value"] as? String == "86400000")
        let groups = try #require(obj["consumer_groups"] as? [[String: Any]])
        #expect(groups.count == 1)
        #expect(groups.first?["group"] as? String == "billing")
        #expect(groups.first?["lag"] as? Int == 3)
    }

    @Test func lagJSONSumsPerGroupAndNamesTheWorstPartition() async throws {
        let (_, obj) = try await CLI.json(["lag", "--bootstrap", b, "--output", "json"])
        let groups = try #require(obj["groups"] as? [[String: Any]])
        let billing = try #require(groups.first { $0["group"] as? String == "billing" })
        #expect(billing["total_lag"] as? Int == 3)
        #expect(billing["partitions"] as? Int == 3)
        #expect(billing["topics"] as? [String] == ["orders", "payments"])
        let worst = try #require(billing["worst_partition"] as? [String: Any])
        #expect(worst["topic"] as? String == "orders")
        #expect(worst["partition"] as? Int == 0)
        #expect(worst["lag"] as? Int == 3)
        #expect(billing["partitions_with_data_loss"] as? Int == 0)
        let audit = try #require(groups.first { $0["group"] as? String == "audit" })
        #expect(audit["total_lag"] as? Int == 1)
    }

    @Test func groupDescribeJSONShowsPerPartitionOffsets() async throws {
        let (_, obj) = try await CLI.json(["group", "describe", "billing", "--bootstrap", b, "--output", "json"])
        #expect(obj["group"] as? String == "billing")
        let parts = try #require(obj["partitions"] as? [[String: Any]])
        let rows = parts.map { "\($0["topic"] as? String ?? "?")-\($0["partition"] as? Int ?? -1):\($0["current_offset"] as? Int ?? -1)/\($0["log_end_offset"] as? Int ?? -1)/\($0["lag"] as? Int ?? -1)" }
        #expect(rows == ["orders-0:2/5/3", "orders-1:3/3/0", "payments-0:4/4/0"])
        #expect(parts.allSatisfy { $0["status"] as? String == "ok" })
        #expect(obj["total_lag"] as? Int == 3)
    }

    @Test func tableOutputShowsUnknownLagAsDash() async throws {
        // A group committed only on payments-1; orders has no commit from it, so it does not appear,
        // and kafka-consumer-groups.sh's column names are used.
        let r = try await CLI.run(["group", "describe", "audit", "--bootstrap", b])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("CURRENT-OFFSET"))
        #expect(r.stdout.contains("LOG-END-OFFSET"))
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("payments") })
        #expect(line.split(separator: " ", omittingEmptySubsequences: true).prefix(5).map(String.init) == ["payments", "1", "1", "2", "1"])
    }

    @Test func unknownTopicAndGroupExitOneWithAClearMessage() async throws {
        let t = try await CLI.run(["topic", "describe", "no-such-topic", "--bootstrap", b])
        #expect(t.code == 1)
        #expect(t.stderr.contains("topic 'no-such-topic' does not exist"))
        let g = try await CLI.run(["group", "describe", "no-such-group", "--bootstrap", b])
        #expect(g.code == 1)
        #expect(g.stderr.contains("consumer group 'no-such-group' does not exist"))
        #expect(g.stdout.isEmpty)
    }

    @Test func brokersJSONMatchesKcat() async throws {
        let (_, obj) = try await CLI.json(["brokers", "--bootstrap", b, "--output", "json"])
        let brokers = try #require(obj["brokers"] as? [[String: Any]])
        let kcat = try #require(try JSONSerialization.jsonObject(with: Data(try await Kcat.run(["-b", b, "-L", "-J", "-m", "10"]).utf8)) as? [String: Any])
        let kb = try #require(kcat["brokers"] as? [[String: Any]])
        #expect(brokers.count == kb.count)
        #expect(brokers.compactMap { $0["id"] as? Int }.sorted() == kb.compactMap { $0["id"] as? Int }.sorted())
        #expect(brokers.first?["is_controller"] as? Bool != nil)
        // kcat's topic view agrees with ours on partition counts.
        let kt = try #require(kcat["topics"] as? [[String: Any]])
        let korders = try #require(kt.first { $0["topic"] as? String == "orders" })
        #expect((korders["partitions"] as? [[String: Any]])?.count == 3)
    }
}

/// The CLI's failure modes: clear one-line messages, exit 1 for cluster errors, 2 for usage.
@Suite struct CLIErrorTests {
    @Test func unreachableBootstrapFailsWithinTimeoutAndNamesTheAddress() async throws {
        let port = try TansuBroker.freePort()   // nobody listens there
        let r = try await CLI.run(["topics", "--bootstrap", "127.0.0.1:\(port)", "--timeout", "3"])
        #expect(r.code == 1)
        // A refused connection ends the command at once (0.1 s here); the bound is the command's own
        // end, before the last-resort watchdog (timeout + 5 s), with room for a loaded CI machine.
        #expect(r.seconds < 3 + 5, "took \(r.seconds)s")
        #expect(r.stderr.contains("127.0.0.1:\(port)"), "\(r.stderr)")
        // One line, and none of librdkafka's own log lines (they start with %3|...).
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("%3|") && !r.stderr.contains("%4|"))
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [
        (["topics", "--output", "xml", "--demo"], "xml"),
        (["topics", "--output", "jsonl", "--demo"], "jsonl"),   // dlq browse's only
        (["topics", "--command-config", "/nonexistent/client.properties"], "/nonexistent/client.properties"),
        (["topics", "--timeout", "-1", "--demo"], "--timeout"),
        (["topics", "--bootstrap", "nohostport"], "is not host:port"),
        (["topics", "--demo", "--bootstrap", "a:1"], "cannot be used together"),
        (["topics"], "no cluster given"),
        (["frobnicate"], "frobnicate"),
        (["topics", "--profile", "nope", "--demo"], "no profile 'nope'"),
    ])
    func usageErrorsExitTwo(args: [String], mentions: String) async throws {
        let r = try await CLI.run(args)
        #expect(r.code == 2, "\(args): \(r.code) \(r.stderr)")
        #expect(r.stderr.contains(mentions), "\(r.stderr)")
    }
}
