import Foundation
import KafkaOpsCore

/// A point of a partition's write timeline: offset `offset` was written `time` seconds after the
/// cluster started, and the partition grows at `rate` records per second from there (0: not written).
struct Anchor: Sendable, Hashable {
    var offset: Int64
    var time: Double
    var rate: Double
}

struct PartitionState: Sendable {
    var replicas: [Int32]
    var isr: [Int32]
    var leader: Int32?
    /// Extrapolated backwards for offsets below the first anchor (the history before the start).
    var history: Anchor
    var anchors: [Anchor]
    /// Producing rate while the partition accepts writes.
    var rate: Double
    /// Retention never moves the log start below this.
    var floorStart: Int64
    /// Records per log segment: retention deletes whole segments.
    var segment: Int64
    /// A follower out of the ISR because it fell behind (not because its broker is down).
    var lagging: Int32?
    var laggingBehind: Int64
    /// Records produced through the client, by offset.
    var produced: [Int64: Record] = [:]

    func end(at t: Double) -> Int64 {
        guard let a = anchors.last else { return history.offset }
        guard a.rate > 0, t > a.time else { return a.offset }
        return a.offset + Int64((a.rate * (t - a.time)).rounded(.down))
    }

    /// Seconds after the start at which offset `o` was written.
    func nominal(_ o: Int64) -> Double {
        var lo = 0, hi = anchors.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if anchors[mid].offset <= o { lo = mid + 1 } else { hi = mid }
        }
        let a = lo == 0 ? history : anchors[lo - 1]
        return a.rate > 0 ? a.time + Double(o - a.offset) / a.rate : a.time
    }

    var currentRate: Double { anchors.last?.rate ?? 0 }

    /// Starts a new timeline segment at offset `e`, time `t`.
    mutating func reanchor(_ e: Int64, _ t: Double, rate: Double) {
        if let last = anchors.last, last.offset == e {
            anchors[anchors.count - 1] = Anchor(offset: e, time: t, rate: rate)
        } else {
            anchors.append(Anchor(offset: e, time: t, rate: rate))
        }
    }
}

struct TopicState: Sendable {
    var name: String
    var isInternal: Bool
    var kind: RecordKind
    var overrides: [String: String]
    var partitions: [PartitionState]
}

struct SimGroup: Sendable {
    var id: String
    var topics: [String]
    var state: GroupState
    var protocolType: String
    var assignor: String
    var members: [GroupMember]
    var behaviour: CommitBehaviour?
    var withoutCommit: Set<TopicPartition>
    /// Offsets written through alterGroupOffsets: they replace the scripted ones.
    var overrides: [TopicPartition: Int64]
    var isSimple: Bool
}

/// Something that happened in the simulated cluster, for the console's event list.
public struct DemoEvent: Sendable, Hashable {
    public var time: Date
    public var message: String
    public init(time: Date, message: String) { self.time = time; self.message = message }
}

struct RejoinBatch: Sendable {
    var time: Double
    var broker: Int32
    var partitions: [(topic: Int, partition: Int)]
}

/// The whole simulated cluster. Mutated only under the DemoCluster's lock.
struct Simulation: Sendable {
    let clusterID: String
    let brokers: [Broker]
    let controllerID: Int32
    let failure: DemoScenario.BrokerFailure?
    let catchUp: Double
    let rebalanceEvery: Double?
    var brokerSettings: [DemoScenario.BrokerSetting]

    var topics: [TopicState] = []
    var topicIndex: [String: Int] = [:]
    var groups: [SimGroup] = []
    var groupIndex: [String: Int] = [:]

    var down: Set<Int32> = []
    /// Seconds since the cluster started, as of the last sync.
    var t: Double = 0
    let startMs: Int64
    let startDate: Date
    var failureStep = 0
    var rejoins: [RejoinBatch] = []
    var nextRebalance: Double?

    var latency: Duration
    var hang = false
    /// Calls (by name, as in `requestCounts`) that fail at once with a timeout.
    var failing: Set<String> = []
    var requestCount = 0
    var requestCounts: [String: Int] = [:]
    var events: [DemoEvent] = []
    var roundRobin = 0

    init(scenario s: DemoScenario, start: Date) {
        clusterID = s.clusterID
        brokers = s.brokers
        controllerID = s.controllerID
        failure = s.brokerFailure
        catchUp = max(0, s.catchUpSeconds)
        rebalanceEvery = s.autoLeaderRebalanceSeconds.flatMap { $0 > 0 ? $0 : nil }
        nextRebalance = rebalanceEvery
        brokerSettings = s.brokerSettings
        latency = s.latency
        startDate = start
        startMs = Int64((start.timeIntervalSince1970 * 1000).rounded(.down))
        let ids = s.brokers.map(\.id).sorted()
        topics.reserveCapacity(s.topics.count)
        for spec in s.topics {
            topicIndex[spec.name] = topics.count
            topics.append(Self.build(spec, brokers: ids))
        }
        for g in s.groups { addGroup(g) }
    }

    static func build(_ spec: TopicSpec, brokers: [Int32]) -> TopicState {
        var parts: [PartitionState] = []
        parts.reserveCapacity(Int(spec.partitions))
        let n = max(1, brokers.count)
        let rf = max(1, min(spec.replicationFactor, n))
        let perPartitionRate = spec.rate / Double(max(1, spec.partitions))
        let historyRatePP = (spec.historyRate ?? spec.rate) / Double(max(1, spec.partitions))
        for p in 0..<Int(spec.partitions) {
            let replicas: [Int32]
            if let explicit = spec.replicaAssignment, p < explicit.count {
                replicas = explicit[p]
            } else {
                replicas = (0..<rf).map { brokers[(spec.assignmentStart + p + $0) % n] }
            }
            // Producers are not perfectly balanced: skew each partition by up to +-30 %.
            let skew = 0.7 + 0.6 * unitHash(spec.name, Int64(p), 17)
            let rate = perPartitionRate * skew
            let hRate = max(historyRatePP * skew, 0.000_1)
            let baseEnd = Int64((hRate * spec.history).rounded(.down))
            let history = Anchor(offset: baseEnd, time: -spec.idleFor, rate: hRate)
            var isr = replicas
            var lagging: Int32?
            var behind: Int64 = 0
            if let lf = spec.laggingFollowers[Int32(p)], replicas.contains(lf.broker) {
                isr.removeAll { $0 == lf.broker }
                lagging = lf.broker
                behind = lf.behind
            }
            parts.append(PartitionState(
                replicas: replicas, isr: isr, leader: replicas.first, history: history,
                anchors: [Anchor(offset: baseEnd, time: 0, rate: rate)], rate: rate, floorStart: 0,
                segment: max(100, Int64(max(rate, hRate) * 300)), lagging: lagging, laggingBehind: behind))
        }
        return TopicState(name: spec.name, isInternal: spec.isInternal || TopicInfo.looksInternal(spec.name),
                          kind: spec.kind, overrides: spec.overrides, partitions: parts)
    }

    mutating func addGroup(_ g: GroupSpec) {
        var members: [GroupMember] = []
        if g.members > 0 {
            for i in 0..<g.members {
                let client = g.clientPrefix.map { "\($0)-\(i)" } ?? "consumer-\(g.id)-\(i + 1)"
                members.append(GroupMember(memberID: "\(client)-\(uuidLike(g.id, i))", clientID: client,
                                           host: "/10.20.\(g.subnet).\(11 + i)", assignment: []))
            }
            members.sort { $0.memberID < $1.memberID }
            // During a classic rebalance members have no assignment yet; otherwise they have one.
            if g.state != .preparingRebalance && g.state != .completingRebalance {
                let assignments = assign(topics: g.topics, members: members.count, assignor: g.assignor)
                for i in members.indices { members[i].assignment = assignments[i] }
            }
        }
        groupIndex[g.id] = groups.count
        groups.append(SimGroup(id: g.id, topics: g.topics, state: g.state, protocolType: g.isSimple ? "" : "consumer",
                               assignor: g.members > 0 ? g.assignor : "", members: members, behaviour: g.behaviour,
                               withoutCommit: g.withoutCommit, overrides: [:], isSimple: g.isSimple))
    }

    /// Kafka's range assignor (per topic, contiguous ranges, the first members get one extra),
    /// or a round robin over all partitions for the other assignors.
    func assign(topics names: [String], members m: Int, assignor: String) -> [[TopicPartition]] {
        var out = Array(repeating: [TopicPartition](), count: m)
        guard m > 0 else { return out }
        if assignor == "range" {
            for name in names.sorted() {
                guard let ti = topicIndex[name] else { continue }
                let n = topics[ti].partitions.count
                let per = n / m, extra = n % m
                for i in 0..<m {
                    let first = i * per + min(i, extra)
                    let count = per + (i < extra ? 1 : 0)
                    for p in first..<(first + count) { out[i].append(TopicPartition(name, Int32(p))) }
                }
            }
        } else {
            var k = 0
            for name in names.sorted() {
                guard let ti = topicIndex[name] else { continue }
                for p in topics[ti].partitions.indices {
                    out[k % m].append(TopicPartition(name, Int32(p)))
                    k += 1
                }
            }
        }
        return out
    }

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

// MARK: - topic config catalog

struct TopicConfigCatalog {
    struct Synonym {
        var name: String
        var factor: Int64 = 1
        func convert(_ v: String) -> String {
            guard factor != 1, let n = Int64(v) else { return v }
            return String(n * factor)
        }
    }
    struct Def {
        var defaultValue: String
        var synonyms: [Synonym]
    }

    /// The topic configs DescribeConfigs lists for every topic, with their broker synonyms.
    static let entries: [String: Def] = [
        "cleanup.policy": Def(defaultValue: "delete", synonyms: [Synonym(name: "log.cleanup.policy")]),
        "compression.type": Def(defaultValue: "producer", synonyms: [Synonym(name: "compression.type")]),
        "delete.retention.ms": Def(defaultValue: "86400000", synonyms: [Synonym(name: "log.cleaner.delete.retention.ms")]),
        "max.message.bytes": Def(defaultValue: "1048588", synonyms: [Synonym(name: "message.max.bytes")]),
        "message.timestamp.type": Def(defaultValue: "CreateTime", synonyms: [Synonym(name: "log.message.timestamp.type")]),
        "min.compaction.lag.ms": Def(defaultValue: "0", synonyms: [Synonym(name: "log.cleaner.min.compaction.lag.ms")]),
        "min.insync.replicas": Def(defaultValue: "1", synonyms: [Synonym(name: "min.insync.replicas")]),
        "retention.bytes": Def(defaultValue: "-1", synonyms: [Synonym(name: "log.retention.bytes")]),
        "retention.ms": Def(defaultValue: "604800000", synonyms: [
            Synonym(name: "log.retention.ms"), Synonym(name: "log.retention.minutes", factor: 60_000),
            Synonym(name: "log.retention.hours", factor: 3_600_000)]),
        "segment.bytes": Def(defaultValue: "1073741824", synonyms: [Synonym(name: "log.segment.bytes")]),
        "segment.ms": Def(defaultValue: "604800000", synonyms: [Synonym(name: "log.roll.ms"),
                                                               Synonym(name: "log.roll.hours", factor: 3_600_000)]),
        "unclean.leader.election.enable": Def(defaultValue: "false", synonyms: [Synonym(name: "unclean.leader.election.enable")]),
    ]

    static let names: [String] = entries.keys.sorted()

    /// Other topic-level configs Kafka accepts (shown only when overridden).
    static let otherKnown: Set<String> = [
        "file.delete.delay.ms", "flush.messages", "flush.ms", "follower.replication.throttled.replicas",
        "index.interval.bytes", "leader.replication.throttled.replicas", "local.retention.bytes", "local.retention.ms",
        "max.compaction.lag.ms", "message.downconversion.enable", "message.format.version",
        "message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms",
        "min.cleanable.dirty.ratio", "preallocate", "remote.storage.enable", "segment.index.bytes", "segment.jitter.ms",
    ]

    static func isKnown(_ name: String) -> Bool { entries[name] != nil || otherKnown.contains(name) }

    /// Kafka's INVALID_CONFIG check for the values the console cares about; nil when valid.
    static func validate(_ name: String, _ value: String) -> String? {
        func int(min: Int64) -> String? {
            guard let n = Int64(value) else { return "Invalid value \(value) for configuration \(name): Not a number of type LONG" }
            return n < min ? "Invalid value \(value) for configuration \(name): Value must be at least \(min)" : nil
        }
        switch name {
        case "min.insync.replicas":
            guard let n = Int(value) else { return "Invalid value \(value) for configuration \(name): Not a number of type INT" }
            return n < 1 ? "Invalid value \(value) for configuration \(name): Value must be at least 1" : nil
        case "retention.ms", "retention.bytes", "local.retention.ms", "local.retention.bytes": return int(min: -1)
        case "segment.bytes": return int(min: 14)
        case "max.message.bytes", "delete.retention.ms", "min.compaction.lag.ms", "segment.ms": return int(min: 0)
        case "unclean.leader.election.enable", "preallocate", "remote.storage.enable":
            return ["true", "false"].contains(value.lowercased()) ? nil
                : "Invalid value \(value) for configuration \(name): Expected value to be either true or false"
        case "cleanup.policy":
            let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return !parts.isEmpty && parts.allSatisfy({ $0 == "delete" || $0 == "compact" }) ? nil
                : "Invalid value \(value) for configuration cleanup.policy: String must be one of: compact, delete"
        case "compression.type":
            return ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"].contains(value) ? nil
                : "Invalid value \(value) for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"
        case "message.timestamp.type":
            return ["CreateTime", "LogAppendTime"].contains(value) ? nil
                : "Invalid value \(value) for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"
        default: return nil
        }
    }
}

// MARK: - hashing

/// FNV-1a over the UTF-8 bytes.
func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}

/// SplitMix64 finaliser.
func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
}

func hash3(_ s: String, _ a: Int64, _ b: Int64) -> UInt64 {
    mix(fnv1a(s) ^ mix(UInt64(bitPattern: a) &+ mix(UInt64(bitPattern: b))))
}

/// A number in [0, 1) derived from the arguments.
func unitHash(_ s: String, _ a: Int64, _ b: Int64) -> Double {
    Double(hash3(s, a, b) >> 11) / Double(1 << 53)
}

/// Java's String.hashCode, which Kafka uses to place a group on a __consumer_offsets partition.
func javaHashCode(_ s: String) -> Int32 {
    var h: Int32 = 0
    for u in s.utf16 { h = h &* 31 &+ Int32(u) }
    return h
}

func uuidLike(_ s: String, _ i: Int) -> String {
    let a = hash3(s, Int64(i), 1), b = hash3(s, Int64(i), 2)
    let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
    let c = Array(hex)
    return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
}

extension String {
    func leftPadded(_ n: Int, with ch: Character = "0") -> String {
        count >= n ? self : String(repeating: ch, count: n - count) + self
    }
}

/// Kafka's murmur2, as the default partitioner uses it for keyed records.
func murmur2(_ data: [UInt8]) -> Int32 {
    let length = data.count
    let seed: UInt32 = 0x9747_b28c
    let m: UInt32 = 0x5bd1_e995
    let r: UInt32 = 24
    var h: UInt32 = seed ^ UInt32(truncatingIfNeeded: length)
    let length4 = length / 4
    for i in 0..<length4 {
        let i4 = i * 4
        var k = UInt32(data[i4]) | (UInt32(data[i4 + 1]) << 8) | (UInt32(data[i4 + 2]) << 16) | (UInt32(data[i4 + 3]) << 24)
        k = k &* m
        k ^= k >> r
        k = k &* m
        h = h &* m
        h ^= k
    }
    let rest = length % 4
    let base = length & ~3
    if rest == 3 { h ^= UInt32(data[base + 2]) << 16 }
    if rest >= 2 { h ^= UInt32(data[base + 1]) << 8 }
    if rest >= 1 {
        h ^= UInt32(data[base])
        h = h &* m
    }
    h ^= h >> 13
    h = h &* m
    h ^= h >> 15
    return Int32(bitPattern: h)
}
