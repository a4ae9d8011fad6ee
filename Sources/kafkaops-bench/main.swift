// kafkaops-bench: seeds brokers and times the parts of kafkaops that have speed targets.
// Driven by scripts/bench.sh; prints figures, asserts nothing.
import Foundation
import KafkaOpsCore
import KafkaOpsKafka

func fail(_ s: String) -> Never {
    FileHandle.standardError.write(Data("kafkaops-bench: \(s)\n".utf8))
    exit(1)
}

func arg(_ name: String, _ def: String? = nil) -> String {
    let a = CommandLine.arguments
    if let i = a.firstIndex(of: "--\(name)"), i + 1 < a.count { return a[i + 1] }
    if let def { return def }
    fail("missing --\(name)")
}

/// seed: topics x partitions with one record per partition (one record per batch, as tansu needs),
/// and groups that each commit offsets on `topicsPerGroup` topics.
func seed() async throws {
    let bootstrap = arg("bootstrap")
    let topics = Int(arg("topics", "1000"))!
    let partitions = Int32(arg("partitions", "6"))!
    let groups = Int(arg("groups", "50"))!
    let topicsPerGroup = Int(arg("topics-per-group", "10"))!
    let records = Int(arg("records", "2"))!
    let client = try KafkaClusterClient(settings: ConnectionSettings(
        bootstrapServers: bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
    let t0 = Date()
    let names = (0..<topics).map { String(format: "bench-topic-%04d", $0) }
    try await withThrowingTaskGroup(of: Void.self) { tg in
        var inFlight = 0
        for (i, n) in names.enumerated() {
            if inFlight >= 32 { try await tg.next(); inFlight -= 1 }
            tg.addTask {
                try await client.createTopic(NewTopic(name: n, partitions: partitions, replicationFactor: 1,
                                                      configs: i % 3 == 0 ? ["min.insync.replicas": "1", "retention.ms": "604800000"] : [:]),
                                             validateOnly: false, deadline: .after(.seconds(30)))
            }
            inFlight += 1
        }
        try await tg.waitForAll()
    }
    let t1 = Date()
    var out: [OutgoingRecord] = []
    for n in names { for p in 0..<partitions { for r in 0..<records {
        out.append(OutgoingRecord(topic: n, partition: p, key: Array("k\(r)".utf8), value: Array("value-\(r)".utf8)))
    } } }
    var produced = 0
    for chunk in stride(from: 0, to: out.count, by: 5000) {
        let part = Array(out[chunk..<min(out.count, chunk + 5000)])
        let reports = try await client.produce(part, deadline: .after(.seconds(120)))
        for r in reports { if case .failure(let e) = r.result { fail("produce: \(e)") } }
        produced += reports.count
    }
    let t2 = Date()
    for g in 0..<groups {
        var offsets: [TopicPartition: Int64] = [:]
        for k in 0..<topicsPerGroup {
            let t = names[(g * 7 + k * 13) % names.count]
            for p in 0..<partitions { offsets[TopicPartition(t, p)] = Int64((g + k + Int(p)) % (records + 1)) }
        }
        _ = try await client.alterGroupOffsets(group: String(format: "bench-group-%02d", g), offsets: offsets,
                                               deadline: .after(.seconds(30)))
    }
    let t3 = Date()
    print(String(format: "seeded %d topics x %d partitions (%.1fs), %d records (%.1fs), %d groups (%.1fs)",
                 topics, partitions, t1.timeIntervalSince(t0), produced, t2.timeIntervalSince(t1), groups, t3.timeIntervalSince(t2)))
}

/// phases: times each ClusterClient call the topics/lag commands make, to see where time goes.
func phases() async throws {
    let bootstrap = arg("bootstrap")
    func ms(_ d: Duration) -> String { String(format: "%7.1f ms", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
    let clock = ContinuousClock()
    var t = clock.now
    func lap(_ what: String) { let n = clock.now; print("\(ms(n - t))  \(what)"); t = n }
    let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: bootstrap))
    lap("client created")
    let d = Deadline.after(.seconds(30))
    let md = try await client.metadata(deadline: d)
    lap("metadata (\(md.topics.count) topics)")
    _ = try await client.metadata(deadline: d)
    lap("metadata again")
    let names = md.topics.map(\.name)
    _ = try await client.topicConfigs(names, deadline: d)
    lap("topicConfigs")
    if let b = md.brokers.first?.id { _ = try await client.brokerConfigs(b, deadline: d) }
    lap("brokerConfigs")
    let tps = md.topics.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }
    _ = try await client.logOffsets(tps, deadline: d)
    lap("logOffsets (\(tps.count) partitions)")
    let groups = try await client.listGroups(deadline: d)
    lap("listGroups (\(groups.count))")
    _ = try await client.describeGroups(groups.map(\.id), deadline: d)
    lap("describeGroups")
    try await withThrowingTaskGroup(of: Void.self) { tg in
        for g in groups { tg.addTask { _ = try await client.committedOffsets(group: g.id, deadline: d) } }
        try await tg.waitForAll()
    }
    lap("committedOffsets x\(groups.count)")
    let snap = try await SnapshotLoader(client: client).load(deadline: d)
    lap("full snapshot (\(snap.problems.count) problems)")
    _ = snap.topicSummaries()
    lap("topic summaries")
}

let cmd = CommandLine.arguments.dropFirst().first ?? ""
switch cmd {
case "phases":
    do { try await phases() } catch { fail("\(error)") }
case "seed":
    do { try await seed() } catch { fail("\(error)") }
default:
    fail("usage: kafkaops-bench seed --bootstrap HOST:PORT [--topics N --partitions N --groups N]")
}
