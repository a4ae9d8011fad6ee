import Foundation
import KafkaOpsCore

extension Simulation {
    // MARK: time

    var nowMs: Int64 { startMs + Int64((t * 1000).rounded(.down)) }
    func date(at time: Double) -> Date { startDate.addingTimeInterval(time) }

    mutating func log(_ message: String, at time: Double? = nil) {
        events.append(DemoEvent(time: date(at: time ?? t), message: message))
        if events.count > 500 { events.removeFirst(events.count - 500) }
    }

    func failureToggleTime(_ step: Int) -> Double? {
        guard let f = failure else { return nil }
        let cycle = step / 2
        if cycle > 0 && (f.every ?? 0) <= 0 { return nil }
        // A cycle shorter than the outage would overlap itself: stretch it to the outage's length.
        let every = max(f.every ?? 0, f.downFor)
        let base = f.firstDownAt + Double(cycle) * every
        return step % 2 == 0 ? base : base + f.downFor
    }

    /// Runs every scripted event up to `now` (seconds since start), in time order.
    mutating func sync(to now: Double) {
        while true {
            var next: (Double, Int)?   // (time, kind): 0 failure toggle, 1 rejoin, 2 rebalance
            if let ft = failureToggleTime(failureStep) { next = (ft, 0) }
            if let r = rejoins.min(by: { $0.time < $1.time }), r.time < (next?.0 ?? .infinity) { next = (r.time, 1) }
            if let rb = nextRebalance, rb < (next?.0 ?? .infinity) { next = (rb, 2) }
            guard let (time, kind) = next, time <= now else { break }
            t = max(t, time)
            switch kind {
            case 0:
                if let f = failure {
                    if failureStep % 2 == 0 { brokerDown(f.broker) } else { brokerUp(f.broker) }
                }
                failureStep += 1
            case 1:
                if let i = rejoins.indices.min(by: { rejoins[$0].time < rejoins[$1].time }) {
                    let batch = rejoins.remove(at: i)
                    rejoin(batch)
                }
            default:
                autoRebalance()
                nextRebalance = (nextRebalance ?? 0) + (rebalanceEvery ?? .infinity)
            }
        }
        t = max(t, now)
    }

    // MARK: configs

    func brokerSetting(_ name: String) -> DemoScenario.BrokerSetting? {
        brokerSettings.first { $0.name == name }
    }

    func config(_ ti: Int, _ name: String) -> String? {
        effectiveTopicConfig(ti, name)?.value
    }

    func minISR(_ ti: Int) -> Int { config(ti, KafkaConfig.minInsyncReplicas).flatMap { Int($0) } ?? 1 }
    func unclean(_ ti: Int) -> Bool { config(ti, KafkaConfig.uncleanLeaderElection) == "true" }

    /// A topic config's value and source as DescribeConfigs reports it.
    func effectiveTopicConfig(_ ti: Int, _ name: String) -> ConfigEntry? {
        if let v = topics[ti].overrides[name] { return ConfigEntry(name: name, value: v, source: .topic) }
        guard let def = TopicConfigCatalog.entries[name] else { return nil }
        for syn in def.synonyms {
            if let b = brokerSetting(syn.name), let v = b.value, b.source != .defaultConfig {
                return ConfigEntry(name: name, value: syn.convert(v), source: b.source)
            }
        }
        return ConfigEntry(name: name, value: def.defaultValue, source: .defaultConfig)
    }

    func retentionMs(_ ti: Int) -> Int64? {
        guard (config(ti, KafkaConfig.cleanupPolicy) ?? "delete").contains("delete") else { return nil }
        guard let ms = config(ti, KafkaConfig.retentionMs).flatMap({ Int64($0) }), ms >= 0 else { return nil }
        return ms
    }

    // MARK: offsets

    func tsMs(_ p: PartitionState, _ o: Int64) -> Int64 {
        startMs + Int64((p.nominal(o) * 1000).rounded(.down))
    }

    func recordTimestamp(_ p: PartitionState, _ o: Int64) -> Int64 {
        p.produced[o]?.timestamp ?? tsMs(p, o)
    }

    /// The earliest offset in [lo, hi) whose timestamp is >= q, nil when there is none.
    func firstOffset(_ p: PartitionState, atOrAfterMs q: Int64, lo: Int64, hi: Int64) -> Int64? {
        guard lo < hi else { return nil }
        var a = lo, b = hi
        while a < b {
            let mid = a + (b - a) / 2
            if tsMs(p, mid) >= q { b = mid } else { a = mid + 1 }
        }
        var candidate = a
        // Produced records carry their own timestamps.
        while candidate < hi, let r = p.produced[candidate], r.timestamp < q { candidate += 1 }
        for (o, r) in p.produced where o >= lo && o < candidate && r.timestamp >= q { candidate = min(candidate, o) }
        return candidate < hi ? candidate : nil
    }

    func logEnd(_ ti: Int, _ pi: Int) -> Int64 { topics[ti].partitions[pi].end(at: t) }

    func logStart(_ ti: Int, _ pi: Int) -> Int64 {
        let p = topics[ti].partitions[pi]
        let e = p.end(at: t)
        var s = p.floorStart
        if let ret = retentionMs(ti) {
            let first = firstOffset(p, atOrAfterMs: nowMs - ret, lo: p.floorStart, hi: e) ?? e
            let segmentBase = (first / p.segment) * p.segment
            let activeBase = e > 0 ? ((e - 1) / p.segment) * p.segment : 0
            s = max(s, min(segmentBase, activeBase))
        }
        return min(s, e)
    }

    func logOffsets(_ ti: Int, _ pi: Int) -> LogOffsets {
        LogOffsets(start: logStart(ti, pi), end: logEnd(ti, pi))
    }

    /// The last stable offset: the first offset of the open transaction, else the log end.
    func lastStableOffset(_ ti: Int, _ pi: Int) -> Int64 {
        let e = logEnd(ti, pi)
        let p = topics[ti].partitions[pi]
        guard let since = p.openTransactionSince else { return e }
        let o = logOffsets(ti, pi)
        return firstOffset(p, atOrAfterMs: startMs + Int64((since * 1000).rounded(.down)), lo: o.start, hi: e) ?? e
    }
}
