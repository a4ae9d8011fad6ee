// kafkaops-bench: seeds brokers and times the parts of kafkaops that have speed targets.
// Driven by scripts/bench.sh; prints figures, asserts nothing.
import Foundation
import KafkaOpsCore
import KafkaOpsKafka
import KafkaOpsDemo
import KafkaOpsTUI

func fail(_ s: String) -> Never {
    FileHandle.standardError.write(Data("kafkaops-bench: \(s)\n".utf8))
    exit(1)
}

func intArg(_ name: String, _ def: Int) -> Int {
    guard let v = Int(arg(name, String(def))) else { fail("--\(name) must be a whole number") }
    return v
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
    let topics = intArg("topics", 1000)
    let partitions = Int32(intArg("partitions", 6))
    let groups = intArg("groups", 50)
    let topicsPerGroup = intArg("topics-per-group", 10)
    let records = intArg("records", 2)
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
    let e1 = try await client.endOffsets(tps, deadline: d)
    lap("endOffsets (\(e1.count))")
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
    func describeAcls(_ f: AclFilter, deadline: Deadline) async throws -> [AclBinding] { try await trace("describeAcls") { try await base.describeAcls(f, deadline: deadline) } }
    func listGroups(deadline: Deadline) async throws -> [GroupListing] { try await trace("listGroups") { try await base.listGroups(deadline: deadline) } }
    func describeGroups(_ g: [String], deadline: Deadline) async throws -> [GroupDescription] { try await trace("describeGroups \(g.count)") { try await base.describeGroups(g, deadline: deadline) } }
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] { try await trace("committedOffsets \(group)") { try await base.committedOffsets(group: group, deadline: deadline) } }
    func logOffsets(_ p: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] { try await trace("logOffsets \(p.count)") { try await base.logOffsets(p, deadline: deadline) } }
    func endOffsets(_ p: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] { try await trace("endOffsets \(p.count)") { try await base.endOffsets(p, deadline: deadline) } }
    func offsetsForTimes(_ q: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] { try await base.offsetsForTimes(q, deadline: deadline) }
    func readRecords(_ r: ReadRequest, deadline: Deadline) async throws -> [Record] { try await base.readRecords(r, deadline: deadline) }
    func recordTimestamps(_ o: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Date] { try await trace("recordTimestamps \(o.count)") { try await base.recordTimestamps(o, deadline: deadline) } }
    func lastStableOffsets(_ p: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] { try await trace("lastStableOffsets \(p.count)") { try await base.lastStableOffsets(p, deadline: deadline) } }
    func createTopic(_ t: NewTopic, validateOnly: Bool, deadline: Deadline) async throws { try await base.createTopic(t, validateOnly: validateOnly, deadline: deadline) }
    func alterTopicConfigs(_ t: String, set: [String: String], delete: [String], deadline: Deadline) async throws { try await base.alterTopicConfigs(t, set: set, delete: delete, deadline: deadline) }
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] { try await base.alterGroupOffsets(group: group, offsets: offsets, deadline: deadline) }
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] { try await base.deleteGroupOffsets(group: group, partitions: partitions, deadline: deadline) }
    func electPreferredLeaders(_ p: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] { try await base.electPreferredLeaders(p, deadline: deadline) }
    func produce(_ r: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { try await base.produce(r, deadline: deadline) }
}

/// trace: one cold snapshot as `kafkaops topics` loads it, with each call's start and end.
func traceSnapshot() async throws {
    let client = TracingClient(try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: arg("bootstrap"))))
    let parts: SnapshotLoader.Parts = arg("parts", "topics") == "lag" ? [.groups, .logOffsets, .groupStartOffsets] : [.configs, .logOffsets]
    let topics: Set<String>? = arg("parts", "topics") == "lag" ? [] : nil
    let t = ContinuousClock.now
    let snap = try await SnapshotLoader(client: client).load(parts: parts, topics: topics, deadline: .after(.seconds(30)))
    if arg("parts", "topics") == "lag" {
        // As `kafkaops lag` goes on: the facts one sample cannot tell (time lag, LSO, retention).
        _ = await LagFactsLoader.load(client, lags: snap.allGroupLags(), broker: snap.metadata.brokers.map(\.id).min(),
                                      deadline: .after(.seconds(30)))
    }
    let total = ContinuousClock.now - t
    for l in client.lines.sorted() where !l.contains("committedOffsets") || l.contains("-00") || l.contains("-49") { print(l) }
    print("total \(total)")
}

func msString(_ d: Duration) -> String {
    String(format: "%.1f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
}

func residentMB() -> Double {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = Double(statm.split(separator: " ")[1]) else { return -1 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

func median(_ xs: [Duration]) -> Duration { xs.sorted()[xs.count / 2] }

/// audit: the durability audit over a demo cluster scaled to N topics (issue: 5,000 topics in under 1 s).
func auditBench() async throws {
    let topics = intArg("topics", 5000)
    let demo = DemoCluster(scenario: .topicsOnly(topics), clock: .manual())
    let clock = ContinuousClock()
    var loads: [Duration] = [], audits: [Duration] = []
    var findings = 0
    for _ in 0..<5 {
        var snap: ClusterSnapshot?
        loads.append(try await clock.measure {
            snap = try await SnapshotLoader(client: demo).load(parts: [.configs, .logOffsets, .groups, .groupStartOffsets],
                                                               deadline: .after(.seconds(60)))
        })
        guard let snap else { fail("no snapshot") }
        audits.append(clock.measure { findings = DurabilityAudit.run(snap).findings.count })
    }
    print("audit of \(topics) topics (demo cluster): load \(msString(median(loads))), audit \(msString(median(audits))), "
          + "total \(msString(median(loads) + median(audits))) (median of 5; target < 1 s), \(findings) findings")
}

/// reset: planning a reset of a group over N partitions (issue: shown < 300 ms after the offsets arrive).
func resetBench() {
    let n = intArg("partitions", 2000)
    var committed: [TopicPartition: Int64] = [:], logs: [TopicPartition: LogOffsets] = [:]
    var parts: [String: [Int32]] = [:]
    for i in 0..<n {
        let tp = TopicPartition("topic-\(i / 20)", Int32(i % 20))
        parts[tp.topic, default: []].append(tp.partition)
        logs[tp] = LogOffsets(start: Int64(i), end: Int64(i) * 10 + 1000)
        if i % 7 != 0 { committed[tp] = Int64(i) * 5 }
    }
    let topology = ResetTopology(partitions: parts)
    let clock = ContinuousClock()
    var times: [Duration] = []
    var lines = 0
    for _ in 0..<7 {
        times.append(clock.measure {
            let scope = ResetScope.topics(parts.keys.sorted().map { TopicScope($0) })
            guard let plan = try? ResetPlanner.plan(group: "g", scope: scope, target: .toOffset(5_000), committed: committed,
                                                    logOffsets: logs, topology: topology) else { fail("plan failed") }
            // What the table shows: one line per partition, with notes.
            var out = ""
            for r in plan.rows {
                out += "\(r.topic) \(r.partition) \(r.current ?? -1) \(r.new ?? -1) \(r.delta ?? 0) \(r.notes.map(\.short).joined(separator: "; "))\n"
            }
            out += plan.summaryLine
            lines = plan.rows.count
        })
    }
    print("reset plan over \(lines) partitions: \(msString(median(times))) to plan and format (median of 7; target < 300 ms)")
}

/// reset-wizard: the console's reset wizard over 2,000 partitions of the demo cluster: the plan job
/// (log offsets and planning) and, once its plan arrives, building the table and drawing the first
/// frame at 80x24 (issue: shown < 300 ms after the offsets arrive).
func resetWizardBench() async throws {
    let demo = DemoCluster(scenario: .scaled(topics: 100, partitionsPerTopic: 20, groups: 20), clock: .manual())
    let snap = try await SnapshotLoader(client: demo).load(deadline: .after(.seconds(60)))
    let clock = ContinuousClock()
    var jobTimes: [Duration] = [], shown: [Duration] = []
    var partitions = 0
    func run(_ effects: [Effect], _ state: inout ConsoleState) async -> [(Int, FlowEvent)] {
        var out: [(Int, FlowEvent)] = []
        for case .job(let job) in effects {
            let inbox = Locked<[FlowEvent]>()
            await job.run(JobContext(client: demo, timeout: .seconds(60), operations: state.operations) { inbox.append($0) })
            for v in inbox.value { out.append((job.panelID, v)) }
        }
        return out
    }
    for _ in 0..<7 {
        var state = ConsoleState(profileName: "bench", isDemo: true, size: Size(width: 80, height: 24))
        _ = state.update(.started)
        _ = state.update(.snapshotLoaded(state.loadID, .success(snap)))
        for (id, v) in await run(state.openPanel(.resetOffsets(group: "group-0014")), &state) {
            _ = state.update(.panelReceived(panelID: id, value: v))
        }
        _ = state.update(.keyPressed(.char("a")))  // every partition of every topic
        _ = state.update(.keyPressed(.enter))      // scope -> target (to-earliest)
        let planEffects = state.update(.keyPressed(.enter))
        let start = clock.now
        let values = await run(planEffects, &state)
        jobTimes.append(clock.now - start)
        var g = Grid(width: 80, height: 24)
        shown.append(clock.measure {
            for (id, v) in values { _ = state.update(.panelReceived(panelID: id, value: v)) }
            render(state, into: &g)
        })
        guard let panel = state.topPanel as? ResetWizardPanel, let plan = panel.plan else { fail("no plan: \(g.lines.joined(separator: "\n"))") }
        partitions = plan.rows.count
    }
    print("reset wizard over \(partitions) partitions (demo): plan job \(msString(median(jobTimes))), "
          + "plan shown (table rows + first frame at 80x24) \(msString(median(shown))) after it arrives (median of 7; target < 300 ms)")
}

/// dlq-seed: N records of about `size` bytes with Connect error headers into TOPIC. Batches of
/// `batch-bytes` (default 16384, the Java producer's batch.size that Kafka Connect's DLQ producer
/// uses); `--batch-bytes 0` writes one record per batch (the worst case for a reader: tansu then
/// serves 100,000 separate batches).
func dlqSeed() async throws {
    let bootstrap = arg("bootstrap"), topic = arg("topic")
    let n = intArg("records", 100000), size = intArg("size", 1000), batchBytes = intArg("batch-bytes", 16384)
    let batching: [String: String] = batchBytes > 0
        ? ["batch.size": String(batchBytes), "linger.ms": "5", "batch.num.messages": "10000"]
        : ["batch.num.messages": "1", "linger.ms": "0"]
    let client = try KafkaClusterClient(settings: ConnectionSettings(
        bootstrapServers: bootstrap, properties: batching.merging(["queue.buffering.max.messages": "1000000"]) { a, _ in a }))
    try await client.createTopic(NewTopic(name: topic, partitions: 1, replicationFactor: 1), validateOnly: false, deadline: .after(.seconds(10)))
    let classes = ["org.apache.kafka.connect.errors.DataException", "java.sql.BatchUpdateException", "com.acme.ValidationException"]
    let t0 = Date()
    var done = 0
    while done < n {
        let chunk = (done..<min(n, done + 10_000)).map { i -> OutgoingRecord in
            let body = "{\"id\":\(i),\"pad\":\"" + String(repeating: "x", count: max(0, size - 200)) + "\"}"
            return OutgoingRecord(topic: topic, partition: 0, key: Array("key-\(i % 5000)".utf8), value: Array(body.utf8), headers: [
                RecordHeader("__connect.errors.topic", string: "orders"),
                RecordHeader("__connect.errors.partition", string: String(i % 12)),
                RecordHeader("__connect.errors.offset", string: String(i * 3)),
                RecordHeader("__connect.errors.exception.class.name", string: classes[i % 3]),
                RecordHeader("__connect.errors.exception.message", string: "record \(i) failed at field \(i % 17)"),
            ])
        }
        let reports = try await client.produce(chunk, deadline: .after(.seconds(300)))
        for r in reports { if case .failure(let e) = r.result { fail("produce: \(e)") } }
        done += chunk.count
    }
    print(String(format: "seeded %d DLQ records of ~%d bytes in %.1fs", n, size, Date().timeIntervalSince(t0)))
}

/// dlq-read: time to the first page of 100 records, as the console and `dlq browse` read it.
func dlqFirstPage() async throws {
    var props: [String: String] = [:]
    if let fb = ProcessInfo.processInfo.environment["FETCH_BYTES"] { props["max.partition.fetch.bytes"] = fb }
    let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: arg("bootstrap"), properties: props))
    let clock = ContinuousClock()
    var n = 0
    let t = try await clock.measure {
        n = try await client.readRecords(ReadRequest(topic: arg("topic"), partition: 0, start: .earliest, maxRecords: 100),
                                         deadline: .after(.seconds(10))).count
    }
    print("first page of \(n) DLQ records: \(msString(t)) including connecting (target 300 ms)")
    var total = 0
    var records: [Record] = []
    let tr = try await clock.measure {
        var next: Int64? = nil
        while true {
            let page = try await client.readRecords(ReadRequest(topic: arg("topic"), partition: 0, start: next.map { .offset($0) } ?? .earliest,
                                                                maxRecords: 5000, maxBytes: 32 << 20), deadline: .after(.seconds(60)))
            total += page.count
            if records.count < 20_000 { records += page }
            guard let l = page.last?.offset else { break }
            next = l + 1
        }
    }
    print("read all \(total) records in pages of 5000: \(msString(tr))")
    var b = DLQSummaryBuilder()
    let td = clock.measure { for r in records { b.add(record: r, context: DLQContext.decode(record: r)) } }
    print("decode + summarise \(records.count) records: \(msString(td))")
}

/// dlq-console: the console's DLQ browser on a connected console: from the `:dlq TOPIC` Enter to the first page
/// of 100 records drawn at 80x24 (the read job on a real client, decoding, rows, summary and the frame).
/// Target: 300 ms on loopback.
func dlqConsoleFirstPage() async throws {
    let topic = arg("topic")
    let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: arg("bootstrap")))
    let snap = try await SnapshotLoader(client: client).load(deadline: .after(.seconds(30)))
    var state = ConsoleState(profileName: "bench", size: Size(width: 80, height: 24))
    _ = state.update(.started)
    _ = state.update(.snapshotLoaded(state.loadID, .success(snap)))
    let clock = ContinuousClock()
    var times: [Duration] = []
    var shown = ""
    for _ in 0..<intArg("runs", 7) {
        for c in ":dlq \(topic)" { _ = state.update(.keyPressed(.char(c))) }
        var grid = Grid(width: 80, height: 24)
        let t = try await clock.measure {
            var pending = state.update(.keyPressed(.enter))
            while !pending.isEmpty {
                guard case .job(let job) = pending.removeFirst() else { continue }
                let inbox = Locked<[FlowEvent]>()
                await job.run(JobContext(client: client, timeout: .seconds(10), operations: state.operations) { inbox.append($0) })
                for v in inbox.take() { pending += state.update(.panelReceived(panelID: job.panelID, value: v)) }
            }
            render(state, into: &grid)
            guard grid.find(" 0:0 ") != nil else { throw ClusterError(.broker, "the first record is not on screen:\n" + grid.lines.joined(separator: "\n")) }
        }
        shown = grid.lines.first { $0.contains("record(s)") } ?? ""
        times.append(t)
        _ = state.update(.keyPressed(.escape))
    }
    print("console DLQ first page (:dlq Enter to the frame at 80x24; read job, decode, rows, summary, render): median \(msString(median(times))), "
          + "max \(msString(times.max() ?? .zero)) over \(times.count) runs (target 300 ms); \(shown.trimmingCharacters(in: .whitespaces))")
}

/// tui-frames: update + view + diff per frame for a topics table of 10,000 partitions at 200x60
/// (target <= 5 ms per frame, median; no memory growth over 1,000 frames).
func tuiFrames() async throws {
    let demo = DemoCluster(scenario: .scaled(topics: 1000, partitionsPerTopic: 10, groups: 1000), clock: .manual())
    let snap = try await SnapshotLoader(client: demo).load(deadline: .after(.seconds(60)))
    var state = ConsoleState(profileName: "bench", isDemo: true, size: Size(width: 200, height: 60))
    _ = state.update(.started)
    _ = state.update(.snapshotLoaded(state.loadID, .success(snap)))
    _ = state.update(.keyPressed(.char("2")))
    var a = Grid(width: 200, height: 60), b = a
    let clock = ContinuousClock()
    func frames(_ n: Int) -> [Duration] {
        var out: [Duration] = []
        out.reserveCapacity(n)
        var changed = 0
        for i in 0..<n {
            let t = clock.measure {
                _ = state.update(.keyPressed(i % 80 < 40 ? .down : .up))
                render(state, into: &a)
                a.forEachChange(from: b) { _, _, _ in changed += 1 }
                swap(&a, &b)
            }
            out.append(t)
        }
        if changed == 0 { fail("no cell changed") }
        return out
    }
    _ = frames(100)
    let before = residentMB()
    let times = frames(1000)
    let after = residentMB()
    let partitions = snap.metadata.topics.reduce(0) { $0 + $1.partitions.count }
    let p99 = times.sorted()[times.count * 99 / 100]
    print("console frame (update + view + diff), topics table of \(snap.metadata.topics.count) topics / \(partitions) partitions at 200x60: "
          + "median \(msString(median(times))), p99 \(msString(p99)) (target 5 ms); resident memory \(String(format: "%.1f", before)) MB "
          + "before and \(String(format: "%.1f", after)) MB after 1,000 frames")
}

let cmd = CommandLine.arguments.dropFirst().first ?? ""
switch cmd {
case "tui-frames":
    do { try await tuiFrames() } catch { fail("\(error)") }
case "audit":
    do { try await auditBench() } catch { fail("\(error)") }
case "reset":
    resetBench()
case "reset-wizard":
    do { try await resetWizardBench() } catch { fail("\(error)") }
case "dlq-seed":
    do { try await dlqSeed() } catch { fail("\(error)") }
case "dlq-read":
    do { try await dlqFirstPage() } catch { fail("\(error)") }
case "dlq-console":
    do { try await dlqConsoleFirstPage() } catch { fail("\(error)") }
case "trace":
    do { try await traceSnapshot() } catch { fail("\(error)") }
case "phases":
    do { try await phases() } catch { fail("\(error)") }
case "seed":
    do { try await seed() } catch { fail("\(error)") }
case "timelag-seed":
    do { try await timeLagSeed() } catch { fail("\(error)") }
case "timelag":
    do { try await timeLagBench() } catch { fail("\(error)") }
case "history":
    historyBench()
default:
    fail("usage: kafkaops-bench seed --bootstrap HOST:PORT [--topics N --partitions N --groups N]")
}
