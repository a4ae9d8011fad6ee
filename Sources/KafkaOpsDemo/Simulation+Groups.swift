import Foundation
import KafkaOpsCore

extension Simulation {
    // MARK: groups

    func committed(_ g: SimGroup) -> [TopicPartition: Int64] {
        var out: [TopicPartition: Int64] = [:]
        if let behaviour = g.behaviour {
            for name in g.topics {
                guard let ti = topicIndex[name] else { continue }
                for pi in topics[ti].partitions.indices {
                    let tp = TopicPartition(name, Int32(pi))
                    if g.withoutCommit.contains(tp) { continue }
                    out[tp] = committedValue(behaviour, ti, pi)
                }
            }
        }
        for (tp, o) in g.overrides { out[tp] = o }
        return out
    }

    func committedValue(_ b: CommitBehaviour, _ ti: Int, _ pi: Int) -> Int64 {
        let p = topics[ti].partitions[pi]
        let e = p.end(at: t)
        switch b {
        case .following(let delay):
            let s = logStart(ti, pi)
            let cutoff = nowMs - Int64(delay * 1000)
            return firstOffset(p, atOrAfterMs: cutoff, lo: s, hi: e) ?? e
        case .slow(let fraction, let initialLag):
            let c0 = firstOffset(p, atOrAfterMs: startMs - Int64(initialLag * 1000), lo: 0, hi: e) ?? e
            return min(e, c0 + Int64((fraction * p.rate * t).rounded(.down)))
        case .stalled(let since, let delay):
            let at = min(t, since) - delay
            return firstOffset(p, atOrAfterMs: startMs + Int64((at * 1000).rounded(.down)), lo: 0, hi: e) ?? e
        case .aheadOfEnd(let by):
            return p.history.offset + by
        case .atStart:
            return p.floorStart
        case .catchingUp(let speed, let initialLag, let delay):
            let s = logStart(ti, pi)
            let c0 = firstOffset(p, atOrAfterMs: startMs - Int64(initialLag * 1000), lo: s, hi: e) ?? e
            let following = firstOffset(p, atOrAfterMs: nowMs - Int64(delay * 1000), lo: s, hi: e) ?? e
            return min(following, c0 + Int64((speed * p.currentRate * t).rounded(.down)))
        case .rewinding(let every, let back, let delay):
            let s = logStart(ti, pi)
            let rewound = Int(max(0, t) / every) % 2 == 1
            let cutoff = nowMs - Int64(((delay + (rewound ? back : 0)) * 1000).rounded(.down))
            return firstOffset(p, atOrAfterMs: cutoff, lo: s, hi: e) ?? e
        }
    }

    func coordinator(_ group: String) -> Int32? {
        guard let ti = topicIndex["__consumer_offsets"], !topics[ti].partitions.isEmpty else {
            return isLive(controllerID) ? controllerID : brokers.first { isLive($0.id) }?.id
        }
        let n = Int32(topics[ti].partitions.count)
        let h = javaHashCode(group)
        let pi = Int((h == Int32.min ? 0 : abs(h)) % n)
        return topics[ti].partitions[pi].leader
    }
}
