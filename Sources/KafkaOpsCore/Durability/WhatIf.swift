import Foundation

/// One partition as it would be after the broker goes down.
public struct WhatIfPartition: Hashable, Sendable, Codable {
    public var partition: Int32
    public var replicas: [Int32]
    public var leaderBefore: Int32?
    /// nil: offline (no live in-sync replica, unclean election off).
    public var leaderAfter: Int32?
    public var isrBefore: [Int32]
    public var isrAfter: [Int32]
    public var minISR: Int
    public var before: HealthLevel
    public var after: HealthLevel
    /// Reads and writes fail.
    public var offline: Bool
    /// acks=all writes fail with NOT_ENOUGH_REPLICAS.
    public var underMinISR: Bool
    public var underReplicated: Bool
    /// unclean.leader.election.enable=true elected an out-of-sync replica: records it lacked are lost.
    public var dataLossPossible: Bool
    /// The leader was on the broker (or another dead one) and moves.
    public var leaderMoved: Bool
    /// The partition is worse than it is now.
    public var worsens: Bool { after > before || (dataLossPossible) }
}

/// The partitions of one topic that would be under min ISR, offline or under-replicated.
public struct WhatIfTopic: Hashable, Sendable, Codable {
    public var topic: String
    /// An internal topic (`__consumer_offsets`, `__transaction_state`, any "__" name).
    public var isInternal: Bool = false
    public var minISR: Int
    public var uncleanLeaderElection: Bool
    /// Affected partitions only, by partition id.
    public var partitions: [WhatIfPartition]

    public var offline: Int { partitions.filter(\.offline).count }
    public var underMinISR: Int { partitions.filter(\.underMinISR).count }
    public var underReplicated: Int { partitions.filter(\.underReplicated).count }
    public var dataLossPossible: Int { partitions.filter(\.dataLossPossible).count }
    public var leaderMoves: Int { partitions.filter(\.leaderMoved).count }
    /// Partitions that would be offline or under min ISR (writes with acks=all, or everything, fail).
    public var breaking: Int { partitions.filter { $0.offline || $0.underMinISR || $0.dataLossPossible }.count }
    /// Nothing worse than under-replicated (or a leader move): still readable and writable.
    public var isMinor: Bool { breaking == 0 }

    /// Worst first: more offline partitions, then more under min ISR, then data loss possible, then more
    /// under-replicated, then the name.
    public static func worstFirst(_ a: WhatIfTopic, _ b: WhatIfTopic) -> Bool {
        let ka = (a.offline, a.underMinISR, a.dataLossPossible, a.underReplicated)
        let kb = (b.offline, b.underMinISR, b.dataLossPossible, b.underReplicated)
        if ka != kb { return ka > kb }
        return a.topic < b.topic
    }
}

extension WhatIfPartition {
    /// Only under-replicated, or only a leader move: nothing an operator must act on first.
    public var isMinor: Bool { !offline && !underMinISR && !dataLossPossible }
}

public struct WhatIfResult: Hashable, Sendable, Codable {
    /// The first broker asked about.
    public var broker: Int32
    /// False when the broker is already down (not in the metadata broker list): the result is the current state.
    public var brokerWasLive: Bool
    /// Every broker asked about, in the order given ("what if 3, and then 2 also, go down").
    public var brokers: [Int32] = []
    /// Those of `brokers` that are down already (not in the metadata's broker list).
    public var alreadyDown: [Int32] = []
    public var liveBrokersAfter: [Int32]
    /// Topics with at least one affected partition, by name.
    public var topics: [WhatIfTopic]

    public var offline: Int { topics.reduce(0) { $0 + $1.offline } }
    public var underMinISR: Int { topics.reduce(0) { $0 + $1.underMinISR } }
    public var underReplicated: Int { topics.reduce(0) { $0 + $1.underReplicated } }
    public var dataLossPossible: Int { topics.reduce(0) { $0 + $1.dataLossPossible } }
    public var leaderMoves: Int { topics.reduce(0) { $0 + $1.leaderMoves } }
    /// True when acks=all writes or reads would fail somewhere.
    public var breaksWrites: Bool { offline > 0 || underMinISR > 0 }
    /// The brokers asked about that are live now: the ones that "go down" in this what-if.
    public var goingDown: [Int32] { brokers.filter { !alreadyDown.contains($0) } }

    /// The per-topic summary, worst first. Without `all`: internal topics and topics that only become
    /// under-replicated (or only see a leader move) are left out; `hidden` counts them.
    public func topicSummary(all: Bool) -> (topics: [WhatIfTopic], hidden: Int) {
        let sorted = topics.sorted(by: WhatIfTopic.worstFirst)
        if all { return (sorted, 0) }
        let shown = sorted.filter { !$0.isInternal && !$0.isMinor }
        return (shown, sorted.count - shown.count)
    }

    /// "if broker 2 goes down", "with broker 3 down (now)", "with broker 3 down (now), if 2 also goes".
    public var scenario: String {
        func ids(_ xs: [Int32]) -> String { xs.map(String.init).joined(separator: ", ") }
        let down = alreadyDown, going = goingDown
        let now = down.isEmpty ? "" : "with broker\(down.count == 1 ? "" : "s") \(ids(down)) down (now)"
        if going.isEmpty { return now }
        let verb = going.count == 1 ? "goes" : "go"
        if down.isEmpty { return "if broker\(going.count == 1 ? "" : "s") \(ids(going)) \(verb) down" }
        return now + ", if \(ids(going)) also \(verb)"
    }
}

public enum WhatIfError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownBroker(Int32, known: [Int32])
    /// Not a list of broker ids ("2", "3,2", "3 2").
    case notBrokerIDs(String)

    public var description: String {
        switch self {
        case .unknownBroker(let id, let known):
            return "broker \(id) is not in the cluster (brokers: \(known.map(String.init).joined(separator: ", ")))"
        case .notBrokerIDs(let text):
            return "'\(Sanitizer.terminal(text))' is not a broker id: expected a number, or several (3,2)"
        }
    }
}

/// "What if broker N goes down": recompute every partition without it, as the controller would.
public enum WhatIf {
    /// Each partition without broker `id` (and without brokers already down): `id` leaves the ISR; if it led,
    /// the first replica in replica order that is live and in the ISR leads; none: offline, unless
    /// unclean.leader.election.enable=true lets a live out-of-sync replica lead ("data loss possible").
    /// An id that is neither a live broker nor any replica is an error.
    public static func brokerDown(_ id: Int32, snapshot: ClusterSnapshot, includeInternal: Bool = true)
        -> Result<WhatIfResult, WhatIfError> {
        brokersDown([id], snapshot: snapshot, includeInternal: includeInternal)
    }

    /// Broker ids as typed: "2", "3,2", "3 2" (each at most once, in the order given).
    public static func parseBrokerIDs(_ text: String) -> Result<[Int32], WhatIfError> {
        var ids: [Int32] = []
        for word in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let id = Int32(word), id >= 0 else { return .failure(.notBrokerIDs(String(word))) }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids.isEmpty ? .failure(.notBrokerIDs(text)) : .success(ids)
    }

    /// The brokers the cluster knows: the live ones and every broker a replica list names (a down broker).
    public static func knownBrokers(_ metadata: ClusterMetadata) -> Set<Int32> {
        var known = metadata.liveBrokerIDs
        for t in metadata.topics { for p in t.partitions { known.formUnion(p.replicas) } }
        return known
    }

    /// An error for the first id the cluster does not know, nil when it knows them all.
    public static func unknownBroker(_ ids: [Int32], metadata: ClusterMetadata) -> WhatIfError? {
        let known = knownBrokers(metadata)
        return ids.first { !known.contains($0) }.map { .unknownBroker($0, known: known.sorted()) }
    }

    /// Every partition without all of `ids` (and without brokers already down): a second failure on top of
    /// a broker that is down now ("what if 2 also goes") is `[3, 2]`. Each id must be known to the cluster.
    public static func brokersDown(_ ids: [Int32], snapshot: ClusterSnapshot, includeInternal: Bool = true)
        -> Result<WhatIfResult, WhatIfError> {
        let liveNow = snapshot.metadata.liveBrokerIDs
        guard let first = ids.first else { return .failure(.notBrokerIDs("")) }
        if let e = unknownBroker(ids, metadata: snapshot.metadata) { return .failure(e) }
        let liveAfter = liveNow.subtracting(ids)

        // Resolve configs through dictionaries built once: a cluster may have thousands of topics.
        let resolver = ConfigResolver(policy: .default, brokerConfigs: snapshot.brokerConfigs)
        var topics: [WhatIfTopic] = []
        for t in snapshot.metadata.topics.sorted(by: { $0.name < $1.name }) {
            let internalTopic = t.isInternal || TopicInfo.looksInternal(t.name)
            if internalTopic && !includeInternal { continue }
            let eff = resolver.resolve(topicEntries: snapshot.topicConfigs[t.name]).effective
            let minISR = eff[KafkaConfig.minInsyncReplicas].flatMap { Int($0.value) } ?? 1
            let unclean = eff[KafkaConfig.uncleanLeaderElection]?.value.lowercased() == "true"
            var affected: [WhatIfPartition] = []
            for p in t.partitions.sorted(by: { $0.id < $1.id }) {
                let w = partitionAfter(p, minISR: minISR, unclean: unclean, liveNow: liveNow, liveAfter: liveAfter)
                if w.offline || w.underMinISR || w.underReplicated || w.dataLossPossible || w.leaderMoved { affected.append(w) }
            }
            if !affected.isEmpty {
                topics.append(WhatIfTopic(topic: t.name, isInternal: internalTopic, minISR: minISR, uncleanLeaderElection: unclean,
                                          partitions: affected))
            }
        }
        var seen = Set<Int32>()
        let brokers = ids.filter { seen.insert($0).inserted }
        return .success(WhatIfResult(broker: first, brokerWasLive: liveNow.contains(first), brokers: brokers,
                                     alreadyDown: brokers.filter { !liveNow.contains($0) }, liveBrokersAfter: liveAfter.sorted(),
                                     topics: topics))
    }

    /// One partition after the brokers outside `liveAfter` are gone.
    public static func partitionAfter(_ p: PartitionInfo, minISR: Int, unclean: Bool, liveNow: Set<Int32>,
                                      liveAfter: Set<Int32>) -> WhatIfPartition {
        var isr = p.isr.filter { liveAfter.contains($0) }
        var leader: Int32? = p.leader.flatMap { $0 >= 0 && liveAfter.contains($0) ? $0 : nil }
        var dataLoss = false
        if leader == nil {
            if let l = p.replicas.first(where: { liveAfter.contains($0) && isr.contains($0) }) {
                leader = l
            } else if unclean, let l = p.replicas.first(where: { liveAfter.contains($0) }) {
                // Unclean election: the new leader's log is the truth; the ISR restarts from it.
                leader = l
                isr = [l]
                dataLoss = true
            }
        }
        let afterInfo = PartitionInfo(id: p.id, leader: leader, replicas: p.replicas, isr: isr)
        let before = PartitionHealth.evaluate(p, minISR: minISR, liveBrokers: liveNow)
        let after = PartitionHealth.evaluate(afterInfo, minISR: minISR, liveBrokers: liveAfter)
        let leaderBefore = p.leader.flatMap { $0 >= 0 ? $0 : nil }
        return WhatIfPartition(
            partition: p.id, replicas: p.replicas, leaderBefore: leaderBefore, leaderAfter: leader,
            isrBefore: p.isr, isrAfter: isr, minISR: minISR, before: before.worst, after: after.worst,
            offline: after.contains(.offline), underMinISR: after.contains(.underMinISR),
            underReplicated: after.contains(.underReplicated), dataLossPossible: dataLoss,
            leaderMoved: leader != nil && leader != leaderBefore)
    }
}

extension WhatIfResult {
    /// Rule ids of what-if findings.
    public static let offlineRule = "what-if-offline"
    public static let underMinISRRule = "what-if-under-min-isr"
    public static let dataLossRule = "what-if-data-loss-possible"
    public static let underReplicatedRule = "what-if-under-replicated"

    /// One finding per topic and consequence, worst first within a topic, so the audit table can show them
    /// (`kafkaops audit --what-if-broker-down ID`). Offline, under min ISR and data loss are errors;
    /// under-replicated alone is a warning.
    public func findings() -> [Finding] {
        var out: [Finding] = []
        let who = scenario
        for t in topics {
            func list(_ ps: [WhatIfPartition]) -> String {
                let ids = ps.prefix(10).map { String($0.partition) }.joined(separator: ",")
                return "partition\(ps.count == 1 ? "" : "s") \(ids)\(ps.count > 10 ? ",…" : "")"
            }
            func add(_ rule: String, _ sev: FindingSeverity, _ ps: [WhatIfPartition], _ state: String,
                     expected: String, fix: String, reason: String) {
                guard !ps.isEmpty else { return }
                out.append(Finding(rule: rule, severity: sev, targetKind: .topic, target: t.topic,
                                   current: "\(ps.count) \(state) \(who) (\(list(ps)))", expected: expected,
                                   fix: fix, reason: reason))
            }
            add(Self.offlineRule, .error, t.partitions.filter(\.offline), "offline", expected: "a live in-sync replica",
                fix: "add replicas on other brokers (raise the replication factor) before taking broker \(broker) down",
                reason: "no live in-sync replica can lead, so nobody can read or write these partitions until one returns")
            add(Self.dataLossRule, .error, t.partitions.filter(\.dataLossPossible), "with an unclean leader",
                expected: "unclean.leader.election.enable=false",
                fix: "set unclean.leader.election.enable=false (kafka-configs.sh --alter --entity-type topics --entity-name \(t.topic) --add-config unclean.leader.election.enable=false)",
                reason: "an out-of-sync replica would become leader and the records it lacks would be lost for good")
            add(Self.underMinISRRule, .error, t.partitions.filter { $0.underMinISR && !$0.offline }, "under min ISR",
                expected: "in-sync replicas >= min.insync.replicas (\(t.minISR))",
                fix: "bring the out-of-sync replicas back in sync before taking broker \(broker) down",
                reason: "acks=all producers would get NOT_ENOUGH_REPLICAS; reads still work")
            add(Self.underReplicatedRule, .warning,
                t.partitions.filter { $0.underReplicated && !$0.underMinISR && !$0.offline }, "under-replicated",
                expected: "all replicas in sync", fix: "none needed for availability; bring broker \(broker) back",
                reason: "one more failure among these partitions' replicas brings them to min ISR or below")
        }
        return out
    }
}
