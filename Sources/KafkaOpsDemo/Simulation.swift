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
    /// A transaction open since this time (seconds after start, negative: before) holds the last stable offset back.
    var openTransactionSince: Double? = nil

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
    var type: GroupType = .classic
    /// KIP-848 `consumer` groups: the group epoch (bumped by every assignment change).
    var groupEpoch: Int32? = nil
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
                segment: max(100, Int64(max(rate, hRate) * 300)), lagging: lagging, laggingBehind: behind,
                openTransactionSince: spec.openTransactions[Int32(p)]))
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
            if g.type == .consumer { members = Self.reconcilingTargets(members, reconciling: g.state == .reconciling) }
        }
        groupIndex[g.id] = groups.count
        groups.append(SimGroup(id: g.id, topics: g.topics, state: g.state, protocolType: g.isSimple ? "" : "consumer",
                               assignor: g.members > 0 ? g.assignor : "", members: members, behaviour: g.behaviour,
                               withoutCommit: g.withoutCommit, overrides: [:], isSimple: g.isSimple, type: g.type,
                               groupEpoch: g.type == .consumer ? 14 : nil))
    }

    /// KIP-848 members' target assignments: their assignment, except while reconciling, when the first
    /// member's last partition is on its way to the last member (revoked by the one, not yet owned by the other).
    static func reconcilingTargets(_ members: [GroupMember], reconciling: Bool) -> [GroupMember] {
        var out = members.map { m -> GroupMember in var m = m; m.targetAssignment = m.assignment; return m }
        guard reconciling, out.count > 1, let moving = out[0].assignment.last else { return out }
        out[0].targetAssignment = Array(out[0].assignment.dropLast())
        out[out.count - 1].targetAssignment = (out[out.count - 1].assignment + [moving]).sorted()
        return out
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
}
