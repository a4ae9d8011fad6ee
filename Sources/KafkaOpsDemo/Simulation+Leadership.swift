import Foundation
import KafkaOpsCore

extension Simulation {
    // MARK: leadership and ISR

    func isLive(_ b: Int32) -> Bool { !down.contains(b) && brokers.contains { $0.id == b } }

    func writable(_ ti: Int, _ pi: Int) -> Bool {
        let p = topics[ti].partitions[pi]
        guard let l = p.leader, isLive(l) else { return false }
        return p.isr.count >= minISR(ti)
    }

    /// The demo's own producers use acks=all: they stop while a partition is offline or under min ISR.
    mutating func refreshWriting(_ ti: Int, _ pi: Int) {
        let want = writable(ti, pi) ? topics[ti].partitions[pi].rate : 0
        if topics[ti].partitions[pi].currentRate != want {
            let e = logEnd(ti, pi)
            topics[ti].partitions[pi].reanchor(e, t, rate: want)
        }
    }

    mutating func refreshWriting(topic ti: Int) {
        for pi in topics[ti].partitions.indices { refreshWriting(ti, pi) }
    }

    /// Removes records above `newEnd` (the new leader never had them).
    mutating func truncate(_ ti: Int, _ pi: Int, to newEnd: Int64) {
        var p = topics[ti].partitions[pi]
        let rate = p.currentRate
        p.produced = p.produced.filter { $0.key < newEnd }
        p.anchors.removeAll { $0.offset > newEnd }
        p.reanchor(newEnd, t, rate: rate)
        topics[ti].partitions[pi] = p
    }

    /// The controller's choice when a partition has no live leader.
    /// Returns the number of records lost to an unclean election.
    @discardableResult
    mutating func electLeader(_ ti: Int, _ pi: Int) -> Int64 {
        let p = topics[ti].partitions[pi]
        if let l = p.replicas.first(where: { isLive($0) && p.isr.contains($0) }) {
            topics[ti].partitions[pi].leader = l
            let down = self.down
            topics[ti].partitions[pi].isr.removeAll { down.contains($0) }
            return 0
        }
        if unclean(ti), let l = p.replicas.first(where: { isLive($0) }) {
            let lost = p.lagging == l ? p.laggingBehind : Int64(p.rate * catchUp)
            let e = p.end(at: t)
            let newEnd = max(p.floorStart, e - lost)
            truncate(ti, pi, to: newEnd)
            topics[ti].partitions[pi].leader = l
            topics[ti].partitions[pi].isr = [l]
            if p.lagging == l { topics[ti].partitions[pi].lagging = nil }
            log("unclean leader election: \(topics[ti].name)-\(pi) led by out-of-sync broker \(l); \(e - newEnd) records lost")
            return e - newEnd
        }
        // No live ISR member: offline. The ISR keeps its last member, as Kafka does.
        topics[ti].partitions[pi].leader = nil
        return 0
    }

    mutating func brokerDown(_ b: Int32) {
        guard !down.contains(b), brokers.contains(where: { $0.id == b }) else { return }
        down.insert(b)
        rejoins.removeAll { $0.broker == b }
        var shrunk = 0, moved = 0, offline = 0
        for ti in topics.indices {
            for pi in topics[ti].partitions.indices where topics[ti].partitions[pi].replicas.contains(b) {
                let p = topics[ti].partitions[pi]
                if p.isr.contains(b) && p.isr.count > 1 {
                    topics[ti].partitions[pi].isr.removeAll { $0 == b }
                    shrunk += 1
                }
                if p.leader == b {
                    electLeader(ti, pi)
                    if topics[ti].partitions[pi].leader == nil { offline += 1 } else { moved += 1 }
                }
                refreshWriting(ti, pi)
            }
        }
        log("broker \(b) stopped: ISR shrink on \(shrunk) partitions, \(moved) leaders moved, \(offline) partitions offline")
    }

    mutating func brokerUp(_ b: Int32) {
        guard down.contains(b) else { return }
        down.remove(b)
        var batch: [(topic: Int, partition: Int)] = []
        var recovered = 0
        for ti in topics.indices {
            for pi in topics[ti].partitions.indices where topics[ti].partitions[pi].replicas.contains(b) {
                if topics[ti].partitions[pi].leader == nil {
                    electLeader(ti, pi)
                    if topics[ti].partitions[pi].leader != nil { recovered += 1 }
                }
                let p = topics[ti].partitions[pi]
                if !p.isr.contains(b) && p.lagging != b { batch.append((ti, pi)) }
                refreshWriting(ti, pi)
            }
        }
        if !batch.isEmpty { rejoins.append(RejoinBatch(time: t + catchUp, broker: b, partitions: batch)) }
        log("broker \(b) is back: \(recovered) offline partitions have a leader again; \(batch.count) replicas catching up")
    }

    mutating func rejoin(_ batch: RejoinBatch) {
        guard isLive(batch.broker) else { return }
        var n = 0
        for (ti, pi) in batch.partitions {
            let p = topics[ti].partitions[pi]
            guard p.leader != nil, !p.isr.contains(batch.broker) else { continue }
            topics[ti].partitions[pi].isr.append(batch.broker)
            n += 1
            refreshWriting(ti, pi)
        }
        log("broker \(batch.broker) caught up: ISR expand on \(n) partitions (leaders stay where they are)")
    }

    /// auto.leader.rebalance.enable: per broker, when more than 10 % of the partitions it is the
    /// preferred leader of are led elsewhere, move them back where it is in the ISR.
    mutating func autoRebalance() {
        var preferred: [Int32: Int] = [:]
        var misplaced: [Int32: [(Int, Int)]] = [:]
        for ti in topics.indices {
            for pi in topics[ti].partitions.indices {
                let p = topics[ti].partitions[pi]
                guard let first = p.replicas.first else { continue }
                preferred[first, default: 0] += 1
                if p.leader != first { misplaced[first, default: []].append((ti, pi)) }
            }
        }
        var moved = 0
        for (b, list) in misplaced where isLive(b) {
            guard let total = preferred[b], total > 0, Double(list.count) / Double(total) > 0.10 else { continue }
            for (ti, pi) in list where topics[ti].partitions[pi].isr.contains(b) {
                topics[ti].partitions[pi].leader = b
                refreshWriting(ti, pi)
                moved += 1
            }
        }
        if moved > 0 { log("auto leader rebalance: \(moved) partitions back on their preferred leader") }
    }
}
