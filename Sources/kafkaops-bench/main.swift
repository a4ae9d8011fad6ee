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
    _ = try await client.offsetsForTimes(Dictionary(uniqueKeysWithValues: tps.map { ($0, Int64(0)) }), deadline: d)
    lap("offsetsForTimes (one spec per partition, \(tps.count) partitions)")
    _ = try await client.logOffsets(Array(tps.prefix(500)), deadline: d)
    lap("logOffsets (500 partitions)")
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

/// A ClusterClient that logs when each call starts and ends, relative to its creation.
final class TracingClient: ClusterClient, @unchecked Sendable {
    let base: any ClusterClient
    let t0 = ContinuousClock.now
    let lock = NSLock()
    var lines: [String] = []
    init(_ base: any ClusterClient) { self.base = base }
    var displayName: String { base.displayName }
    func ms(_ d: Duration) -> Double { Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000 }
    func trace<T>(_ what: String, _ body: () async throws -> T) async rethrows -> T {
        let s = ContinuousClock.now
        let r = try await body()
        let e = ContinuousClock.now
        lock.withLock { lines.append(String(format: "%7.1f .. %7.1f ms  %@", ms(s - t0), ms(e - t0), what)) }
        return r
    }
    func metadata(deadline: Deadline) async throws -> ClusterMetadata { try await trace("metadata") { try await base.metadata(deadline: deadline) } }
    func topicConfigs(_ t: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] { try await trace("topicConfigs \(t.count)") { try await base.topicConfigs(t, deadline: deadline) } }
    func brokerConfigs(_ b: Int32, deadline: Deadline) async throws -> [ConfigEntry] { try await trace("brokerConfigs") { try await base.brokerConfigs(b, deadline: deadline) } }
    func listGroups(deadline: Deadline) async throws -> [GroupListing] { try await trace("listGroups") { try await base.listGroups(deadline: deadline) } }
    func describeGroups(_ g: [String], deadline: Deadline) async throws -> [GroupDescription] { try await trace("describeGroups \(g.count)") { try await base.describeGroups(g, deadline: deadline) } }
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] { try await trace("committedOffsets \(group)") { try await base.committedOffsets(group: group, deadline: deadline) } }
    func logOffsets(_ p: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] { try await trace("logOffsets \(p.count)") { try await base.logOffsets(p, deadline: deadline) } }
    func endOffsets(_ p: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] { try await trace("endOffsets \(p.count)") { try await base.endOffsets(p, deadline: deadline) } }
    func offsetsForTimes(_ q: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] { try await base.offsetsForTimes(q, deadline: deadline) }
    func readRecords(_ r: ReadRequest, deadline: Deadline) async throws -> [Record] { try await base.readRecords(r, deadline: deadline) }
    func createTopic(_ t: NewTopic, validateOnly: Bool, deadline: Deadline) async throws { try await base.createTopic(t, validateOnly: validateOnly, deadline: deadline) }
    func alterTopicConfigs(_ t: String, set: [String: String], delete: [String], deadline: Deadline) async throws { try await base.alterTopicConfigs(t, set: set, delete: delete, deadline: deadline) }
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] { try await base.alterGroupOffsets(group: group, offsets: offsets, deadline: deadline) }
    func electPreferredLeaders(_ p: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] { try await base.electPreferredLeaders(p, deadline: deadline) }
    func produce(_ r: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { try await base.produce(r, deadline: deadline) }
}

/// trace: one cold snapshot as `kafkaops topics` loads it, with each call's start and end.
func traceSnapshot() async throws {
    let client = TracingClient(try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: arg("bootstrap"))))
    let parts: SnapshotLoader.Parts = arg("parts", "topics") == "lag" ? [.groups, .logOffsets] : [.configs, .logOffsets, .groups]
    let topics: Set<String>? = arg("parts", "topics") == "lag" ? [] : nil
    let t = ContinuousClock.now
    _ = try await SnapshotLoader(client: client).load(parts: parts, topics: topics, deadline: .after(.seconds(30)))
    let total = ContinuousClock.now - t
    for l in client.lines.sorted() where !l.contains("committedOffsets") || l.contains("-00") || l.contains("-49") { print(l) }
    print("total \(total)")
}

let cmd = CommandLine.arguments.dropFirst().first ?? ""
switch cmd {
case "trace":
    do { try await traceSnapshot() } catch { fail("\(error)") }
case "phases":
    do { try await phases() } catch { fail("\(error)") }
case "seed":
    do { try await seed() } catch { fail("\(error)") }
default:
    fail("usage: kafkaops-bench seed --bootstrap HOST:PORT [--topics N --partitions N --groups N]")
}
