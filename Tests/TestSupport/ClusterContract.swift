import Foundation
import Testing
import KafkaOpsCore

/// One contract for every ClusterClient: the same calls, the same observable answers, run
/// against the librdkafka client on a tansu broker and against the simulated cluster. It keeps
/// the demo cluster honest. It avoids what tansu does not do faithfully (docs/TEST-ENVIRONMENT.md):
/// no group membership, no validate-only, no multi-record batches, no config sources beyond
/// explicit topic overrides.
public enum ClusterContract {
    public static let deadline = Duration.seconds(20)

    /// Creates a topic named `prefix`-contract with 3 partitions and one override, produces
    /// known records (with headers, one at a time), commits offsets for a fresh group, and checks
    /// what every read call reports.
    public static func run(_ client: any ClusterClient, prefix: String) async throws {
        let topic = "\(prefix)-contract"
        let group = "\(prefix)-contract-group"
        // Each call gets the whole budget (one absolute deadline for the run fails on a loaded machine).
        var d: Deadline { .after(deadline) }

        try await client.createTopic(NewTopic(name: topic, partitions: 3, replicationFactor: 1,
                                              configs: ["retention.ms": "3600000"]), validateOnly: false, deadline: d)
        do {
            try await client.createTopic(NewTopic(name: topic, partitions: 3, replicationFactor: 1), validateOnly: false, deadline: d)
            Issue.record("creating an existing topic must fail")
        } catch let e as ClusterError {
            #expect(e.kind == .topicExists, "\(e)")
        }

        // metadata
        let md = try await client.metadata(deadline: d)
        #expect(!md.brokers.isEmpty)
        let t = try #require(md.topics.first { $0.name == topic })
        #expect(t.partitions.map(\.id).sorted() == [0, 1, 2])
        let live = md.liveBrokerIDs
        for p in t.partitions {
            let leader = try #require(p.leader)
            #expect(live.contains(leader))
            #expect(p.replicas.count == 1)
            #expect(p.isr == p.replicas)
        }

        // configs: the explicit override comes back (its source is not checked here: tansu reports
        // DEFAULT_CONFIG where Kafka reports DYNAMIC_TOPIC_CONFIG)
        let configs = try await client.topicConfigs([topic], deadline: d)
        let retention = try #require(configs[topic]?.first { $0.name == "retention.ms" })
        #expect(retention.value == "3600000")

        // produce: 4 records to partition 0, 2 to partition 1, one at a time
        let base: Int64 = 1_750_000_000_000
        var produced: [TopicPartitionOffset] = []
        for (partition, n) in [(Int32(0), 4), (Int32(1), 2)] {
            for i in 0..<n {
                let rec = OutgoingRecord(topic: topic, partition: partition, key: Array("key-\(partition)-\(i)".utf8),
                                         value: Array("{\"n\":\(i)}".utf8),
                                         headers: [RecordHeader("h-string", string: "v\(i)"), RecordHeader("h-binary", [0, 0, 0, 7]),
                                                   RecordHeader("h-null", nil)],
                                         timestamp: base + Int64(partition) * 1000 + Int64(i) * 10)
                let reports = try await client.produce([rec], deadline: d)
                #expect(reports.count == 1)
                switch try #require(reports.first).result {
                case .success(let o): produced.append(o)
                case .failure(let e): Issue.record("produce failed: \(e)")
                }
            }
        }
        #expect(produced.filter { $0.partition == 0 }.map(\.offset) == [0, 1, 2, 3])
        #expect(produced.filter { $0.partition == 1 }.map(\.offset) == [0, 1])

        // log offsets, batched
        let tps = (0..<3).map { TopicPartition(topic, Int32($0)) }
        let lo = try await client.logOffsets(tps, deadline: d)
        #expect(lo[tps[0]] == LogOffsets(start: 0, end: 4))
        #expect(lo[tps[1]] == LogOffsets(start: 0, end: 2))
        #expect(lo[tps[2]] == LogOffsets(start: 0, end: 0))

        // offsets for times: records stamped by the producer (tansu indexes append time, not an explicit
        // CreateTime in the past), queried with a record's exact timestamp (tansu answers 0, not -1, past
        // the last record and does not interpolate between records: the demo tests cover those)
        let timed = "\(topic)-times"
        try await client.createTopic(NewTopic(name: timed, partitions: 1, replicationFactor: 1), validateOnly: false, deadline: d)
        for i in 0..<3 {
            try await client.produceAll([OutgoingRecord(topic: timed, partition: 0, key: nil, value: Array("t\(i)".utf8))], deadline: d)
            try await Task.sleep(for: .milliseconds(15))
        }
        let stamped = try await client.readRecords(ReadRequest(topic: timed, partition: 0, start: .earliest), deadline: d)
        #expect(stamped.map(\.offset) == [0, 1, 2])
        let ttp = TopicPartition(timed, 0)
        if stamped.count == 3 {
            // The earliest offset whose timestamp is >= t (several records may share a millisecond).
            func earliest(atOrAfter t: Int64) -> Int64? { stamped.first { $0.timestamp >= t }?.offset }
            let t1 = stamped[1].timestamp, t2 = stamped[2].timestamp
            #expect(try await client.offsetsForTimes([ttp: t1], deadline: d)[ttp] == .some(earliest(atOrAfter: t1)))
            let fromTime = try await client.readRecords(ReadRequest(topic: timed, partition: 0, start: .timestamp(t2)), deadline: d)
            #expect(fromTime.first?.offset == earliest(atOrAfter: t2))
            #expect(fromTime.last?.offset == 2)
        }

        // read records: exact keys, values, headers, timestamps; bounded
        let recs = try await client.readRecords(ReadRequest(topic: topic, partition: 0, start: .offset(1), maxRecords: 2), deadline: d)
        #expect(recs.map(\.offset) == [1, 2])
        #expect(recs.map { String(decoding: $0.key ?? [], as: UTF8.self) } == ["key-0-1", "key-0-2"])
        #expect(recs.first?.value == Array("{\"n\":1}".utf8))
        #expect(recs.first?.timestamp == base + 10)
        #expect(recs.first?.headers == [RecordHeader("h-string", string: "v1"), RecordHeader("h-binary", [0, 0, 0, 7]), RecordHeader("h-null", nil)])
        let last = try await client.readRecords(ReadRequest(topic: topic, partition: 0, start: .lastN(2)), deadline: d)
        #expect(last.map(\.offset) == [2, 3])
        let empty = try await client.readRecords(ReadRequest(topic: topic, partition: 2, start: .earliest), deadline: d)
        #expect(empty.isEmpty)

        // commits: alter group offsets, read them back, list the group
        let results = try await client.alterGroupOffsets(group: group, offsets: [tps[0]: 3, tps[1]: 1], deadline: d)
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.error == nil })
        let committed = try await client.committedOffsets(group: group, deadline: d)
        #expect(committed == [tps[0]: 3, tps[1]: 1])
        let groups = try await client.listGroups(deadline: d)
        #expect(groups.contains { $0.id == group })
        let desc = try await client.describeGroups([group], deadline: d)
        #expect(desc.first?.id == group)
        #expect(desc.first?.members.isEmpty == true)
        try await checkGroupTypes(client, group: group, listing: groups, description: desc.first, committed: committed)
        let lag = GroupLag.compute(group: group, description: desc.first, committed: committed, offsets: lo)
        #expect(lag.totalLag == Int64(2), "total lag \(String(describing: lag.totalLag)), partitions \(lag.partitions.map { "\($0.partition):\(String(describing: $0.lag))" })")

        // the timestamps of the records at the committed offsets (time lag, issue 11): exact, in one
        // batched read; an empty partition and an offset past the log end are unknown (absent)
        let times = try await client.recordTimestamps([tps[0]: 3, tps[1]: 1, tps[2]: 0], deadline: d)
        #expect(times[tps[0]] == Date(timeIntervalSince1970: Double(base + 30) / 1000))
        #expect(times[tps[1]] == Date(timeIntervalSince1970: Double(base + 1010) / 1000))
        #expect(times[tps[2]] == nil, "nothing at offset 0 of an empty partition: unknown")
        #expect(try await client.recordTimestamps([tps[0]: 4], deadline: d)[tps[0]] == nil, "past the log end: unknown")
        #expect(try await client.recordTimestamps([:], deadline: d).isEmpty)
        // no transaction open: the last stable offset is the log end
        let lso = try await client.lastStableOffsets(tps, deadline: d)
        #expect(lso[tps[0]] == 4 && lso[tps[1]] == 2)

        // a group nobody committed for has no offsets
        #expect(try await client.committedOffsets(group: "\(prefix)-nobody", deadline: d).isEmpty)

        // incremental alter configs
        try await client.alterTopicConfigs(topic, set: ["min.insync.replicas": "1"], delete: [], deadline: d)
        let after = try await client.topicConfigs([topic], deadline: d)
        #expect(after[topic]?.first { $0.name == "min.insync.replicas" }?.value == "1")
        #expect(after[topic]?.first { $0.name == "retention.ms" }?.value == "3600000")
    }

    /// Group types and states (issue 21): a group made by committing offsets is `classic` in the
    /// listing and in the description, Empty once both answers are reconciled, and inactive; every
    /// listed group has a type; the type filter keeps it for `classic` and drops it for `consumer`.
    static func checkGroupTypes(_ client: any ClusterClient, group: String, listing: [GroupListing],
                                description: GroupDescription?, committed: [TopicPartition: Int64]) async throws {
        var d: Deadline { .after(deadline) }
        let listed = try #require(listing.first { $0.id == group })
        #expect(listed.type == .classic, "listed as \(listed.type)")
        // The description's own type is not checked: tansu answers ConsumerGroupDescribe (API 69) for a
        // classic group, which librdkafka then types `consumer`; Kafka answers GROUP_ID_NOT_FOUND and
        // librdkafka falls back to DescribeGroups (`classic`). The listing's type decides (GroupReconciliation).
        #expect(description != nil)
        for g in listing { #expect(g.type != .unknown, "\(g.id) has no type") }
        let shown = try #require(GroupReconciliation.reconcile(group, listing: listing, description: description, committed: committed))
        #expect(shown.state == .empty, "\(shown.state) (\(shown.note ?? "no note"))")
        #expect(shown.type == .classic && shown.note == nil && shown.isInactive)
        let classic = try await client.listGroups(types: [.classic], deadline: d)
        #expect(classic.contains { $0.id == group })
        #expect(classic.allSatisfy { $0.type == .classic })
        let consumer = try await client.listGroups(types: [.consumer], deadline: d)
        #expect(!consumer.contains { $0.id == group })
        #expect(consumer.allSatisfy { $0.type == .consumer })
        #expect(try await client.listGroups(types: [], deadline: d).map(\.id).sorted() == listing.map(\.id).sorted())
    }
}
