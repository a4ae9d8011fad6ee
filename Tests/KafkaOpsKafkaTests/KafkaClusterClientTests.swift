import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// The librdkafka client against a real Kafka-protocol broker (tansu, started per test).
/// tansu's known infidelities (docs/TEST-ENVIRONMENT.md) are avoided: one record per produce batch,
/// no DeleteRecords, no reliance on group membership or config defaults.
@Suite(.serialized)
struct KafkaClusterClientTests {
    static func client(_ broker: TansuBroker) throws -> KafkaClusterClient {
        // One record per batch: tansu's high watermark is wrong after multi-record batches.
        try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, clientID: "kafkaops-test",
            properties: ["batch.num.messages": "1", "linger.ms": "0"]))
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// A fresh tansu and a client on it; the client is closed before the broker stops
    /// (tansu waits for connected clients after SIGTERM), and the broker outlives the body.
    static func withBroker(_ body: (TansuBroker, KafkaClusterClient) async throws -> Void) async throws {
        let broker = try await TansuBroker.start()
        var client: KafkaClusterClient? = try Self.client(broker)
        do {
            try await body(broker, client!)
        } catch {
            client = nil
            broker.stop()
            throw error
        }
        client = nil
        broker.stop()
    }

    @Test func metadataConfigsAndCreateErrors() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "orders", partitions: 3, replicationFactor: 1,
                                                  configs: ["retention.ms": "86400000", "cleanup.policy": "compact"]),
                                         validateOnly: false, deadline: .seconds(10))
            try await client.createTopic(NewTopic(name: "payments", partitions: 1, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))

            let md = try await client.metadata(deadline: .seconds(10))
            #expect(md.brokers.count == 1)
            #expect(md.controllerID == 111)
            #expect(md.clusterID?.isEmpty == false)
            let b = try #require(md.brokers.first)
            #expect(b.id == 111)
            #expect(b.host == "127.0.0.1")
            #expect(b.port == Int32(broker.port))
            let orders = try #require(md.topics.first { $0.name == "orders" })
            #expect(orders.isInternal == false)
            #expect(orders.error == nil)
            #expect(orders.partitions.map(\.id) == [0, 1, 2])
            for p in orders.partitions {
                #expect(p.leader == 111)
                #expect(p.replicas == [111])
                #expect(p.isr == [111])
                #expect(p.error == nil)
            }
            #expect(md.topics.first { $0.name == "payments" }?.partitions.count == 1)

            let configs = try await client.topicConfigs(["orders", "payments", "no-such-topic"], deadline: .seconds(10))
            let retention = try #require(configs["orders"]?.first { $0.name == "retention.ms" })
            #expect(retention.value == "86400000")
            // tansu 0.6.0 reports DEFAULT_CONFIG for explicitly set topic configs (Kafka: DYNAMIC_TOPIC_CONFIG),
            // so the source mapping is checked in RdKafkaMappingTests; the values are checked here.
            #expect(configs["orders"]?.first { $0.name == "cleanup.policy" }?.value == "compact")
            #expect(configs["orders"]?.allSatisfy { $0.isSensitive == false && $0.value != nil } == true)
            #expect(configs["payments"] != nil)

            await #expect {
                try await client.createTopic(NewTopic(name: "orders", partitions: 3, replicationFactor: 1),
                                             validateOnly: false, deadline: .seconds(10))
            } throws: { ($0 as? ClusterError)?.kind == .topicExists }
        }
    }

    @Test func alterTopicConfigsSetsAndDeletes() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "audit", partitions: 1, replicationFactor: 1,
                                                  configs: ["retention.ms": "3600000"]),
                                         validateOnly: false, deadline: .seconds(10))
            try await client.alterTopicConfigs("audit", set: ["min.insync.replicas": "2"], delete: ["retention.ms"],
                                               deadline: .seconds(10))
            let configs = try await client.topicConfigs(["audit"], deadline: .seconds(10))
            let entries = try #require(configs["audit"])
            #expect(entries.first { $0.name == "min.insync.replicas" }?.value == "2")
            #expect(entries.first { $0.name == "retention.ms" && $0.source == .topic } == nil)
        }
    }

    @Test func produceReportsOffsetsAndLogOffsetsMatch() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "events", partitions: 2, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            let records = (0..<5).map { OutgoingRecord(topic: "events", partition: 0, key: Self.bytes("k\($0)"), value: Self.bytes("v\($0)")) }
                + (0..<2).map { OutgoingRecord(topic: "events", partition: 1, key: nil, value: Self.bytes("w\($0)")) }
            let reports = try await client.produce(records, deadline: .seconds(20))
            #expect(reports.map(\.index) == Array(0..<7))
            let offsets = reports.map { r -> Int64 in (try? r.result.get().offset) ?? -99 }
            #expect(offsets == [0, 1, 2, 3, 4, 0, 1])
            #expect(reports.allSatisfy { (try? $0.result.get().topic) == "events" })

            let log = try await client.logOffsets([TopicPartition("events", 0), TopicPartition("events", 1)], deadline: .seconds(10))
            #expect(log[TopicPartition("events", 0)] == LogOffsets(start: 0, end: 5))
            #expect(log[TopicPartition("events", 1)] == LogOffsets(start: 0, end: 2))

            // An independent client sees the same log ends and the records we reported written.
            let ends = try await Kcat.run(["-b", broker.bootstrap, "-Q", "-t", "events:0:-1", "-t", "events:1:-1"])
            #expect(ends.contains("events [0] offset 5"), "kcat said: \(ends)")
            #expect(ends.contains("events [1] offset 2"), "kcat said: \(ends)")
            let consumed = try await Kcat.run(["-b", broker.bootstrap, "-C", "-t", "events", "-p", "0", "-o", "beginning", "-e",
                                         "-f", "%o:%k=%s\n"])
            #expect(consumed == "0:k0=v0\n1:k1=v1\n2:k2=v2\n3:k3=v3\n4:k4=v4\n")
        }
    }

    @Test func logOffsetsKeepTheKnownPartitionsWhenOneIsUnknown() async throws {
        try await Self.withBroker { _, client in
            try await client.createTopic(NewTopic(name: "known", partitions: 2, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            let log = try await client.logOffsets([TopicPartition("known", 0), TopicPartition("known", 1), TopicPartition("known", 9)],
                                                  deadline: .seconds(10))
            #expect(log[TopicPartition("known", 0)] == LogOffsets(start: 0, end: 0))
            #expect(log[TopicPartition("known", 1)] == LogOffsets(start: 0, end: 0))
            #expect(log[TopicPartition("known", 9)] == nil)
        }
    }

    @Test func groupOffsetsRoundTrip() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "clicks", partitions: 2, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            let wanted = [TopicPartition("clicks", 0): Int64(3), TopicPartition("clicks", 1): Int64(1)]
            let results = try await client.alterGroupOffsets(group: "billing", offsets: wanted, deadline: .seconds(10))
            #expect(results.map(\.partition) == [TopicPartition("clicks", 0), TopicPartition("clicks", 1)])
            #expect(results.allSatisfy { $0.error == nil })

            let committed = try await client.committedOffsets(group: "billing", deadline: .seconds(10))
            #expect(committed == wanted)

            let groups = try await client.listGroups(deadline: .seconds(10))
            #expect(groups.contains { $0.id == "billing" })

            let described = try await client.describeGroups(["billing"], deadline: .seconds(10))
            let billing = try #require(described.first)
            #expect(billing.id == "billing")
            #expect(billing.members.isEmpty)
            #expect(billing.state == .empty)

            let unknown = try await client.committedOffsets(group: "no-such-group", deadline: .seconds(10))
            #expect(unknown.isEmpty)
        }
    }

    @Test func committedOffsetsOfManyGroupsConcurrently() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "t", partitions: 1, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            let groups = (0..<20).map { "group-\($0)" }
            for (i, g) in groups.enumerated() {
                _ = try await client.alterGroupOffsets(group: g, offsets: [TopicPartition("t", 0): Int64(i)], deadline: .seconds(10))
            }
            let deadline = Deadline.seconds(15)
            let all = try await withThrowingTaskGroup(of: (String, [TopicPartition: Int64]).self) { tg in
                for g in groups { tg.addTask { (g, try await client.committedOffsets(group: g, deadline: deadline)) } }
                var out: [String: [TopicPartition: Int64]] = [:]
                for try await (g, o) in tg { out[g] = o }
                return out
            }
            for (i, g) in groups.enumerated() {
                #expect(all[g] == [TopicPartition("t", 0): Int64(i)])
            }
        }
    }

    @Test func readRecordsOffsetsForTimesAndBounds() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "dlq", partitions: 1, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            let base: Int64 = 1_700_000_000_000
            let binary: [UInt8] = [0x00, 0xFF, 0x1B, 0x7F, 0x80]
            let records = (0..<6).map { i in
                OutgoingRecord(topic: "dlq", partition: 0, key: i == 5 ? nil : Self.bytes("key-\(i)"),
                               value: i == 4 ? nil : Self.bytes("value-\(i)"),
                               headers: [RecordHeader("trace", string: "t\(i)"), RecordHeader("bin", binary), RecordHeader("nothing", nil)],
                               timestamp: base + Int64(i) * 1000)
            }
            let reports = try await client.produce(records, deadline: .seconds(20))
            #expect(reports.allSatisfy { (try? $0.result.get()) != nil })

            // By offset, bounded by maxRecords.
            let two = try await client.readRecords(ReadRequest(topic: "dlq", partition: 0, start: .offset(1), maxRecords: 2),
                                                   deadline: .seconds(15))
            #expect(two.map(\.offset) == [1, 2])
            #expect(two.map(\.key) == [Self.bytes("key-1"), Self.bytes("key-2")])
            #expect(two.map(\.value) == [Self.bytes("value-1"), Self.bytes("value-2")])
            #expect(two.first?.headers == [RecordHeader("trace", string: "t1"), RecordHeader("bin", binary), RecordHeader("nothing", nil)])
            #expect(two.first?.timestamp == base + 1000)
            #expect(two.first?.timestampType == .createTime)
            #expect(two.first?.topic == "dlq")

            // The last N, up to the log end: null key and null value come back as nil.
            let last = try await client.readRecords(ReadRequest(topic: "dlq", partition: 0, start: .lastN(2)), deadline: .seconds(15))
            #expect(last.map(\.offset) == [4, 5])
            #expect(last.first?.value == nil)
            #expect(last.first?.key == Self.bytes("key-4"))
            #expect(last.last?.key == nil)

            // An explicit end offset bounds the read.
            let bounded5 = try await client.readRecords(ReadRequest(topic: "dlq", partition: 0, start: .offset(3), endOffset: 5),
                                                        deadline: .seconds(15))
            #expect(bounded5.map(\.offset) == [3, 4])

            // Everything, and a byte bound that stops after the first record.
            let all = try await client.readRecords(ReadRequest(topic: "dlq", partition: 0, start: .earliest), deadline: .seconds(15))
            #expect(all.map(\.offset) == [0, 1, 2, 3, 4, 5])
            let oneRecordBytes = all[0].sizeInBytes
            let bounded = try await client.readRecords(ReadRequest(topic: "dlq", partition: 0, start: .earliest,
                                                                   maxBytes: oneRecordBytes + 1), deadline: .seconds(15))
            #expect(bounded.map(\.offset) == [0])

            // Past the end: nothing, at once.
            let none = try await client.readRecords(ReadRequest(topic: "dlq", partition: 0, start: .offset(6)), deadline: .seconds(15))
            #expect(none.isEmpty)

        }
    }

    /// tansu's offsets-for-times only matches Kafka for records stamped by the producer at append
    /// time, queried with a record's exact timestamp (it answers 0, not -1, past the last record).
    @Test func offsetsForTimesAndReadFromTimestampAgreeWithKcat() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "stamped", partitions: 1, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            for i in 0..<5 {
                try await client.produceAll([OutgoingRecord(topic: "stamped", partition: 0, key: nil, value: Self.bytes("r\(i)"))],
                                             deadline: .seconds(10))
                try await Task.sleep(for: .milliseconds(20))
            }
            let all = try await client.readRecords(ReadRequest(topic: "stamped", partition: 0, start: .earliest), deadline: .seconds(15))
            #expect(all.map(\.offset) == [0, 1, 2, 3, 4])
            #expect(Set(all.map(\.timestamp)).count == 5)
            let tp = TopicPartition("stamped", 0)
            let t2 = all[2].timestamp
            let times = try await client.offsetsForTimes([tp: t2], deadline: .seconds(10))
            #expect(times[tp] == .some(2))
            let kcat = try await Kcat.run(["-b", broker.bootstrap, "-Q", "-t", "stamped:0:\(t2)"])
            #expect(kcat.contains("offset 2"), "kcat said: \(kcat)")

            let fromTime = try await client.readRecords(ReadRequest(topic: "stamped", partition: 0, start: .timestamp(all[3].timestamp),
                                                                    maxRecords: 10), deadline: .seconds(15))
            #expect(fromTime.map(\.offset) == [3, 4])
            #expect(fromTime.map(\.value) == [Self.bytes("r3"), Self.bytes("r4")])
        }
    }

    @Test func readRecordsOfAMissingPartitionFails() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "small", partitions: 1, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            await #expect {
                _ = try await client.readRecords(ReadRequest(topic: "small", partition: 7, start: .earliest), deadline: .seconds(10))
            } throws: { e in
                let k = (e as? ClusterError)?.kind
                return k == .unknownPartition || k == .unknownTopic
            }
        }
    }

    @Test func unreachableBootstrapFailsWithinTheDeadlineAndNamesTheAddress() async throws {
        let port = try TansuBroker.freePort()  // bound and released: nobody listens there
        let bootstrap = "127.0.0.1:\(port)"
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: bootstrap))
        let budget = 4.0
        let started = ContinuousClock.now
        var caught: ClusterError?
        do {
            _ = try await client.metadata(deadline: .seconds(budget))
        } catch let e as ClusterError {
            caught = e
        }
        let elapsed = ContinuousClock.now - started
        let e = try #require(caught)
        #expect(e.kind == .unreachable || e.kind == .timeout)
        #expect(e.description.contains(bootstrap))
        #expect(elapsed < .seconds(budget + 5))  // the deadline, plus slack for a loaded machine

        // The other calls fail the same way.
        let startedGroups = ContinuousClock.now
        await #expect {
            _ = try await client.listGroups(deadline: .seconds(2))
        } throws: { e in
            let k = (e as? ClusterError)?.kind
            return (k == .unreachable || k == .timeout) && "\(e)".contains(bootstrap)
        }
        #expect(ContinuousClock.now - startedGroups < .seconds(7))  // its 2 s deadline, plus slack
    }

    @Test func unreachableBootstrapFailsFastNotAtTheDeadline() async throws {
        let port = try TansuBroker.freePort()
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: "127.0.0.1:\(port)"))
        let started = ContinuousClock.now
        await #expect {
            _ = try await client.metadata(deadline: .seconds(20))
        } throws: { ($0 as? ClusterError)?.kind == .unreachable }
        // A refused connection is reported by librdkafka at once; we must not sit out the 20 s.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func secretsNeverAppearInErrors() async throws {
        let secret = "hunter2-very-secret"
        let port = try TansuBroker.freePort()
        let settings = ConnectionSettings(bootstrapServers: "127.0.0.1:\(port)",
                                          sasl: .init(mechanism: .plain, username: "ops", password: secret))
        let client = try KafkaClusterClient(settings: settings)
        do {
            _ = try await client.metadata(deadline: .seconds(3))
            Issue.record("metadata of an unreachable cluster succeeded")
        } catch {
            #expect(!"\(error)".contains(secret))
        }
        // A bad property is named, its value is not.
        #expect {
            _ = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: "127.0.0.1:1",
                                                                    properties: ["sasl.password.bogus": secret]))
        } throws: { e in
            (e as? ClusterError)?.kind == .configuration && !"\(e)".contains(secret) && "\(e)".contains("sasl.password.bogus")
        }
    }

    @Test func cancellingAReadStopsIt() async throws {
        let port = try TansuBroker.freePort()
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: "127.0.0.1:\(port)"))
        let task = Task {
            try await client.readRecords(ReadRequest(topic: "x", partition: 0, start: .earliest), deadline: .seconds(30))
        }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result
        // Long before the read's own 30 s deadline (slack for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(6))
        #expect(throws: ClusterError.self) { try result.get() }
    }

    @Test func electPreferredLeadersAnswersPerPartitionOrUnsupported() async throws {
        try await Self.withBroker { broker, client in
            try await client.createTopic(NewTopic(name: "lead", partitions: 2, replicationFactor: 1),
                                         validateOnly: false, deadline: .seconds(10))
            do {
                let results = try await client.electPreferredLeaders([TopicPartition("lead", 0), TopicPartition("lead", 1)],
                                                                     deadline: .seconds(10))
                // Every partition is already led by its preferred (only) replica: not a failure.
                #expect(results.map(\.partition) == [TopicPartition("lead", 0), TopicPartition("lead", 1)])
                #expect(results.allSatisfy { $0.error == nil })
            } catch let e as ClusterError {
                // tansu 0.6.0 may not implement ElectLeaders; then the error must say so, not time out.
                #expect(e.kind == .unsupported || e.kind == .broker || e.kind == .invalidRequest, "\(e)")
                #expect(e.kind != .timeout)
            }
        }
    }

    @Test func kcatSeesTheSameTopicsAndPartitions() async throws {
        try await Self.withBroker { broker, client in
            let layout = ["alpha": Int32(1), "beta": 4, "gamma": 6]
            for (name, n) in layout {
                try await client.createTopic(NewTopic(name: name, partitions: n, replicationFactor: 1),
                                             validateOnly: false, deadline: .seconds(10))
            }
            let ours = try await client.metadata(deadline: .seconds(10))
            let json = try await Kcat.run(["-b", broker.bootstrap, "-L", "-J", "-m", "10"])
            struct KcatMeta: Decodable {
                struct Topic: Decodable {
                    struct Partition: Decodable { let partition: Int32; let leader: Int32 }
                    let topic: String
                    let partitions: [Partition]
                }
                struct Broker: Decodable { let id: Int32 }
                let brokers: [Broker]
                let topics: [Topic]
            }
            let theirs = try JSONDecoder().decode(KcatMeta.self, from: Data(json.utf8))
            let theirCounts = Dictionary(uniqueKeysWithValues: theirs.topics.map { ($0.topic, $0.partitions.count) })
            let ourCounts = Dictionary(uniqueKeysWithValues: ours.topics.map { ($0.name, $0.partitions.count) })
            #expect(ourCounts == theirCounts)
            for (name, n) in layout { #expect(ourCounts[name] == Int(n)) }
            #expect(Set(theirs.brokers.map(\.id)) == Set(ours.brokers.map(\.id)))
            for t in theirs.topics {
                let mine = ours.topics.first { $0.name == t.topic }
                for p in t.partitions {
                    #expect(mine?.partitions.first { $0.id == p.partition }?.leader == p.leader)
                }
            }
        }
    }
}
