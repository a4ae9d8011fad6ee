import Foundation

/// Reads what one sample of offsets cannot tell (issue 11, points 2, 5, 6, 7): the timestamps of
/// the records at the groups' committed offsets and at the last stable offsets, the topics'
/// retention, and the broker's offsets.retention.minutes and transaction.max.timeout.ms. Each
/// part that fails is left unknown and named in `problems`; nothing is guessed.
public enum LagFactsLoader {
    public static func load(_ client: any ClusterClient, lags: [GroupLag], broker: Int32?,
                            deadline: Deadline) async -> (facts: LagFacts, problems: [String]) {
        var facts = LagFacts()
        var problems: [String] = []
        let parts = lags.flatMap(\.partitions)
        let topics = Array(Set(parts.map(\.partition.topic))).sorted()
        let tps = Array(Set(parts.map(\.partition)))

        // The records at the committed offsets where groups lag (and the record is not already deleted) are
        // read at once, beside the configs and the last stable offsets; those at the last stable offsets
        // below the log end once these are known.
        var atCommits = Set<TopicPartitionOffset>()
        for p in parts {
            guard let lag = p.lag, lag > 0, let c = p.committed, p.status == .ok else { continue }
            atCommits.insert(TopicPartitionOffset(topic: p.partition.topic, partition: p.partition.partition, offset: c))
        }
        async let commitTimesR = recordTimes(client, atCommits, deadline: deadline)
        async let configsR = capture { try await client.topicConfigs(topics, deadline: deadline) }
        async let lsoR = capture { try await client.lastStableOffsets(tps, deadline: deadline) }
        async let brokerR = capture { () -> [ConfigEntry] in
            guard let broker else { return [] }
            return try await client.brokerConfigs(broker, deadline: deadline)
        }
        switch await configsR {
        case .success(let c): facts.retention = c.mapValues(TopicRetention.init(configs:))
        case .failure(let e): problems.append("topic configs (retention unknown): \(e)")
        }
        switch await lsoR {
        case .success(let l): facts.lastStableOffsets = l
        case .failure(let e): problems.append("last stable offsets: \(e)")
        }
        if case .success(let b) = await brokerR {
            if let v = b.first(where: { $0.name == "offsets.retention.minutes" })?.value.flatMap({ Int64($0) }) {
                facts.offsetsRetentionMs = v * 60_000; facts.offsetsRetentionFromBroker = true
            }
            if let v = b.first(where: { $0.name == "transaction.max.timeout.ms" })?.value.flatMap({ Int64($0) }) {
                facts.transactionMaxTimeoutMs = v
            }
        }
        let ends = Dictionary(parts.compactMap { p in p.logEnd.map { (p.partition, $0) } }, uniquingKeysWith: max)
        var atLSOs = Set<TopicPartitionOffset>()
        for (tp, l) in facts.lastStableOffsets where l < (ends[tp] ?? l) {
            atLSOs.insert(TopicPartitionOffset(topic: tp.topic, partition: tp.partition, offset: l))
        }
        let (commitTimes, commitProblem) = await commitTimesR
        facts.recordTimes = commitTimes
        var readProblem = commitProblem
        if readProblem == nil {
            let (lsoTimes, lsoProblem) = await recordTimes(client, atLSOs.subtracting(atCommits), deadline: deadline)
            facts.recordTimes.merge(lsoTimes) { a, _ in a }
            readProblem = lsoProblem
        }
        if let readProblem { problems.append("record timestamps (time lag unknown): \(readProblem)") }
        facts.problems = problems
        return (facts, problems)
    }

    /// The timestamps of the records at `wanted`: one read per distinct offset of a partition, in rounds of
    /// at most one offset per partition; the first error ends the reads (what was read is kept).
    static func recordTimes(_ client: any ClusterClient, _ wanted: Set<TopicPartitionOffset>,
                            deadline: Deadline) async -> ([TopicPartitionOffset: Date], String?) {
        var out: [TopicPartitionOffset: Date] = [:]
        var byPartition: [TopicPartition: [Int64]] = [:]
        for w in wanted { byPartition[TopicPartition(w.topic, w.partition), default: []].append(w.offset) }
        for tp in byPartition.keys { byPartition[tp]?.sort() }
        var round = 0
        while true {
            var query: [TopicPartition: Int64] = [:]
            for (tp, offsets) in byPartition where offsets.count > round { query[tp] = offsets[round] }
            if query.isEmpty { return (out, nil) }
            do {
                let times = try await client.recordTimestamps(query, deadline: deadline)
                for (tp, t) in times {
                    guard let o = query[tp] else { continue }
                    out[TopicPartitionOffset(topic: tp.topic, partition: tp.partition, offset: o)] = t
                }
            } catch {
                return (out, "\(error)")
            }
            round += 1
        }
    }
}

/// Sampling over a window (`kafkaops lag --window 30s --interval 2s`): a sample at the start, one
/// every interval, and one at the end.
public enum LagWindow {
    /// The number of samples a window takes (at least 2 when the window is longer than 0).
    public static func sampleCount(window: TimeInterval, interval: TimeInterval) -> Int {
        guard window > 0, interval > 0 else { return 1 }
        return Int((window / interval).rounded(.up)) + 1
    }

    /// Calls `take` `sampleCount` times, `interval` apart, feeding each result into `history`;
    /// `progress(n, total)` after each sample. Returns the last sample's value.
    public static func run<T: Sendable>(window: TimeInterval, interval: TimeInterval, history: inout LagHistory,
                                        progress: (Int, Int) -> Void,
                                        take: () async throws -> (T, [(lag: GroupLag, hasMembers: Bool)])) async throws -> T {
        let total = sampleCount(window: window, interval: interval)
        var last: T?
        for n in 1...total {
            if n > 1 { try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000)) }
            let (value, groups) = try await take()
            let now = Date()
            for g in groups { history.record(g.lag, time: now, hasMembers: g.hasMembers) }
            last = value
            progress(n, total)
        }
        guard let last else { throw CancellationError() }
        return last
    }
}
