// Issue 11's speed and memory figures: time lag over many partitions, sample history memory.
import Foundation
import KafkaOpsCore
import KafkaOpsKafka

/// timelag-seed: `groups` topics of `partitions` partitions, 3 records each, one group per topic
/// committed at offset 1 (lag 2 on every partition).
func timeLagSeed() async throws {
    let bootstrap = arg("bootstrap")
    let groups = intArg("groups", 50)
    let partitions = Int32(intArg("partitions", 20))
    let client = try KafkaClusterClient(settings: ConnectionSettings(
        bootstrapServers: bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
    for g in 0..<groups {
        try await client.createTopic(NewTopic(name: String(format: "lag-topic-%02d", g), partitions: partitions, replicationFactor: 1),
                                     validateOnly: false, deadline: .after(.seconds(30)))
    }
    var out: [OutgoingRecord] = []
    let past = Int64(Date().timeIntervalSince1970 * 1000) - 600_000
    for g in 0..<groups { for p in 0..<partitions { for r in 0..<3 {
        out.append(OutgoingRecord(topic: String(format: "lag-topic-%02d", g), partition: p, key: nil,
                                  value: Array("v\(r)".utf8), timestamp: past + Int64(r) * 1000))
    } } }
    let reports = try await client.produce(out, deadline: .after(.seconds(120)))
    for r in reports { if case .failure(let e) = r.result { fail("produce: \(e)") } }
    for g in 0..<groups {
        let t = String(format: "lag-topic-%02d", g)
        _ = try await client.alterGroupOffsets(group: String(format: "lag-group-%02d", g),
                                               offsets: Dictionary(uniqueKeysWithValues: (0..<partitions).map { (TopicPartition(t, $0), Int64(1)) }),
                                               deadline: .after(.seconds(30)))
    }
    print("seeded \(groups) groups x \(partitions) lagging partitions")
}

/// timelag: the facts `kafkaops lag` reads for every group (record timestamps at the committed
/// offsets, LSOs, retention); librdkafka's fetch debug lines go to stderr (bench.sh counts them).
func timeLagBench() async throws {
    let client = try KafkaClusterClient(settings: ConnectionSettings(
        bootstrapServers: arg("bootstrap"), properties: ["debug": "fetch"], verbose: true))
    let snap = try await SnapshotLoader(client: client).load(parts: [.groups, .logOffsets, .groupStartOffsets], topics: [],
                                                              deadline: .after(.seconds(60)))
    let lags = snap.allGroupLags().filter { $0.group.hasPrefix("lag-group-") }
    let lagging = lags.flatMap(\.partitions).filter { ($0.lag ?? 0) > 0 }
    let clock = ContinuousClock()
    var query: [TopicPartition: Int64] = [:]
    for p in lagging { query[p.partition] = p.committed }
    FileHandle.standardError.write(Data("=== timestamps start\n".utf8))
    var times: [TopicPartition: Date] = [:]
    let tRead = try await clock.measure { times = try await client.recordTimestamps(query, deadline: .after(.seconds(30))) }
    FileHandle.standardError.write(Data("=== timestamps end\n".utf8))
    var factsCount = 0
    let tAll = await clock.measure {
        let (f, _) = await LagFactsLoader.load(client, lags: lags, broker: snap.metadata.brokers.first?.id, deadline: .after(.seconds(30)))
        factsCount = f.recordTimes.count
    }
    print("time lag of \(lagging.count) lagging partitions over \(lags.count) groups: record timestamps \(msString(tRead)) "
          + "(\(times.count) read), all lag facts \(msString(tAll)) (\(factsCount) timestamps) (target < 1 s)")
}

/// history: sample history for `partitions` partitions over 30 minutes at 5 s (issue: < 30 MB),
/// and the time to record a refresh and build every group's rows (console frame budget 5 ms).
func historyBench() {
    let partitions = intArg("partitions", 10_000)
    let groups = intArg("groups", 1_000)
    let perGroup = max(1, partitions / groups)
    var history = LagHistory(window: 1_800, interval: 5)
    let samples = history.capacity
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let before = residentMB()
    var inputs: [[TopicPartition: (committed: Int64?, logEnd: Int64?, logStart: Int64?)]] = []
    for g in 0..<groups {
        inputs.append(Dictionary(uniqueKeysWithValues: (0..<perGroup).map { (TopicPartition("t\(g)", Int32($0)), (Int64?(0), Int64?(0), Int64?(0))) }))
    }
    let clock = ContinuousClock()
    var recordTimes: [Duration] = []
    for i in 0..<samples {
        let d = clock.measure {
            for g in 0..<groups {
                var input = inputs[g]
                for (tp, v) in input {
                    let n = Int64(i) * 500 + Int64(tp.partition)
                    input[tp] = (n, (v.logEnd ?? 0) + 520 + n, 0)
                }
                history.record(group: "g\(g)", time: t0.addingTimeInterval(Double(i) * 5), hasMembers: true, partitions: input)
            }
        }
        recordTimes.append(d)
    }
    let after = residentMB()
    let lags = (0..<groups).map { g in
        GroupLag(group: "g\(g)", partitions: (0..<perGroup).map {
            PartitionLag.compute(TopicPartition("t\(g)", Int32($0)), committed: 100, logStart: 0, logEnd: 200)
        })
    }
    var rowTimes: [Duration] = []
    for _ in 0..<5 {
        rowTimes.append(clock.measure {
            for l in lags { _ = LagAnalysis.group(l, history: history, hasMembers: true, facts: LagFacts(), now: t0) }
        })
    }
    print(String(format: "sample history: %d partitions x %d samples (30 min at 5 s): %.1f MB resident growth, %.1f MB in the rings (target < 30 MB)",
                 groups * perGroup, samples, after - before, Double(history.approximateBytes) / 1_048_576))
    print("one refresh of \(groups) groups: record \(msString(median(recordTimes))), trend rows for every group \(msString(median(rowTimes))) (median)")
}
