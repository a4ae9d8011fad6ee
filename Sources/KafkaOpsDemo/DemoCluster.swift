import Foundation
import KafkaOpsCore

/// A simulated Apache Kafka cluster in memory, implementing `ClusterClient`.
///
/// The standard scenario's timeline (seconds after the cluster starts, on its clock):
/// - 0: healthy apart from metrics-raw-2, whose follower on broker 1 is out of the ISR, 1,250 records behind.
/// - 30: broker 3 stops. It leaves the metadata broker list and every ISR it was in (the last ISR
///   member stays, as in Kafka); partitions it led elect the first live ISR replica in replica
///   order; RF 1 partitions on it (notifications-2, sessions-cache-0) go offline; audit-log
///   (RF 3, min ISR 3) is under min ISR and refuses acks=all writes; metrics-raw-2 (unclean
///   election on) is taken over by the out-of-sync broker 1 and loses the records it lacked.
/// - 45: fraud-detector stops committing (its members stay).
/// - 70: broker 3 is back: RF 1 partitions have their leader again; its other replicas catch up.
/// - 75: ISR expand: every ISR is full again, but leaders stay on brokers 1 and 2 until a
///   preferred leader election (`electPreferredLeaders`, or auto rebalance at 600 s: the check
///   at 300 s finds broker 3 down).
/// - 150-190, 270-310, ...: the failure repeats every 120 s.
///
/// It backs `kafkaops --demo` and the deterministic tests of multi-broker behaviour. Its state is
/// a function of its clock: log ends grow with the producers' rates, retention moves log starts,
/// groups commit (or fail to), and a broker fails on a timer with Kafka's consequences (ISR
/// shrink, leader election, offline partitions, ISR expand after catch-up, leaders left on the
/// survivors until a preferred leader election). Thread-safe: all state is behind one lock.
public final class DemoCluster: ClusterClient {
    public let scenario: DemoScenario
    public let clock: DemoClock
    public let startedAt: Date
    let state: Locked<Simulation>

    public var displayName: String { "DEMO" }

    public init(scenario: DemoScenario = .standard, clock: DemoClock = .system) {
        self.scenario = scenario
        self.clock = clock
        let start = clock.now
        self.startedAt = start
        self.state = Locked(Simulation(scenario: scenario, start: start))
    }

    // MARK: knobs

    /// Protocol calls made so far (each would have reached the network).
    public var requestCount: Int { state.withLock { $0.requestCount } }

    /// Protocol calls made so far, by call name ("metadata", "produce", ...).
    public var requestCounts: [String: Int] { state.withLock { $0.requestCounts } }

    /// Added to every call; a call whose deadline is shorter fails with a timeout.
    public var latency: Duration {
        get { state.withLock { $0.latency } }
        set { state.withLock { $0.latency = newValue } }
    }

    /// While true every call waits until its deadline, then fails with `.timeout`.
    public var hang: Bool {
        get { state.withLock { $0.hang } }
        set { state.withLock { $0.hang = newValue } }
    }

    /// Calls (by name, as in `requestCounts`: "describeConfigs(topics)", "listGroups", ...) that fail
    /// at once with a timeout, the rest answering: a cluster that could be read only in part.
    public var failing: Set<String> {
        get { state.withLock { $0.failing } }
        set { state.withLock { $0.failing = newValue } }
    }

    /// Seconds since the cluster started, on its clock.
    public var elapsed: Double { clock.now.timeIntervalSince(startedAt) }

    /// Brokers currently down.
    public var downBrokers: Set<Int32> { sync { $0.down } }

    /// What happened so far (broker failures, elections, ISR changes), oldest first.
    public var events: [DemoEvent] { sync { $0.events } }

    /// Stops or restarts a broker now, with the same consequences as the scripted failure.
    /// The scripted timer keeps running: its next toggle applies as usual.
    public func setBrokerDown(_ id: Int32, _ down: Bool) {
        sync { s in if down { s.brokerDown(id) } else { s.brokerUp(id) } }
    }

    // MARK: plumbing

    func sync<R>(_ body: (inout Simulation) throws -> R) rethrows -> R {
        let now = elapsed
        return try state.withLock { s in
            s.sync(to: now)
            return try body(&s)
        }
    }

    /// Counts the call, then applies the latency and hang switches.
    func enter(_ name: String, deadline: Deadline) async throws {
        let (latency, hang, fails) = state.withLock { s -> (Duration, Bool, Bool) in
            s.requestCount += 1
            s.requestCounts[name, default: 0] += 1
            return (s.latency, s.hang, s.failing.contains(name))
        }
        if fails { throw ClusterError.timeout("the demo cluster (\(name))") }
        if hang || latency > deadline.remaining {
            do {
                try await Task.sleep(until: deadline.instant, clock: .continuous)
            } catch {
                throw ClusterError(.cancelled, "\(name) was cancelled")
            }
            throw ClusterError.timeout("the demo cluster (\(name))")
        }
        if latency > .zero {
            do {
                try await Task.sleep(for: latency)
            } catch {
                throw ClusterError(.cancelled, "\(name) was cancelled")
            }
        }
        if deadline.hasPassed { throw ClusterError.timeout("the demo cluster (\(name))") }
    }

    static func unknownTopic(_ t: String) -> ClusterError {
        ClusterError(.unknownTopic, "topic '\(t)' does not exist", hint: "check the name with `kafkaops topics`",
                     code: "UNKNOWN_TOPIC_OR_PARTITION")
    }

    static func unknownPartition(_ tp: TopicPartition) -> ClusterError {
        ClusterError(.unknownPartition, "partition \(tp) does not exist", code: "UNKNOWN_TOPIC_OR_PARTITION")
    }

    static func locate(_ s: Simulation, _ tp: TopicPartition) -> (Int, Int)? {
        guard let ti = s.topicIndex[tp.topic], tp.partition >= 0, Int(tp.partition) < s.topics[ti].partitions.count
        else { return nil }
        return (ti, Int(tp.partition))
    }

    // MARK: read side

    public func metadata(deadline: Deadline) async throws -> ClusterMetadata {
        try await enter("metadata", deadline: deadline)
        return sync { s in
            let live = s.brokers.filter { !s.down.contains($0.id) }
            let controller = s.isLive(s.controllerID) ? s.controllerID : live.map(\.id).min()
            let topics = s.topics.map { t in
                TopicInfo(name: t.name, isInternal: t.isInternal, partitions: t.partitions.enumerated().map { i, p in
                    PartitionInfo(id: Int32(i), leader: p.leader, replicas: p.replicas, isr: p.isr,
                                  offlineReplicas: p.replicas.filter { s.down.contains($0) },
                                  error: p.leader == nil ? "LEADER_NOT_AVAILABLE" : nil)
                })
            }
            return ClusterMetadata(clusterID: s.clusterID, controllerID: controller, brokers: live, topics: topics)
        }
    }

    public func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        try await enter("describeConfigs(topics)", deadline: deadline)
        return sync { s in
            var out: [String: [ConfigEntry]] = [:]
            for name in topics {
                guard let ti = s.topicIndex[name] else { continue }
                var entries = TopicConfigCatalog.names.compactMap { s.effectiveTopicConfig(ti, $0) }
                for (k, v) in s.topics[ti].overrides.sorted(by: { $0.key < $1.key }) where TopicConfigCatalog.entries[k] == nil {
                    entries.append(ConfigEntry(name: k, value: v, source: .topic))
                }
                out[name] = entries
            }
            return out
        }
    }

    public func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] {
        try await enter("describeConfigs(broker)", deadline: deadline)
        return try sync { s in
            guard let b = s.brokers.first(where: { $0.id == broker }) else {
                throw ClusterError(.invalidRequest, "broker \(broker) is not part of this cluster", code: "INVALID_REQUEST")
            }
            guard s.isLive(broker) else {
                throw ClusterError(.unreachable, "broker \(broker) (\(b.host):\(b.port)) is not available",
                                   hint: "it is down; ask another broker", code: "BROKER_NOT_AVAILABLE", isRetriable: true)
            }
            var entries: [ConfigEntry] = [
                ConfigEntry(name: "broker.id", value: String(broker), source: .staticBroker, isReadOnly: true),
                ConfigEntry(name: "broker.rack", value: b.rack, source: .staticBroker, isReadOnly: true),
                ConfigEntry(name: "listeners", value: "PLAINTEXT://\(b.host):\(b.port)", source: .staticBroker, isReadOnly: true),
            ]
            for setting in s.brokerSettings {
                var value = setting.value
                if setting.name == "advertised.listeners" { value = "PLAINTEXT://\(b.host):\(b.port)" }
                entries.append(ConfigEntry(name: setting.name, value: setting.isSensitive ? nil : value, source: setting.source,
                                           isSensitive: setting.isSensitive, isReadOnly: setting.isReadOnly))
            }
            return entries.sorted { $0.name < $1.name }
        }
    }

    public func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        try await enter("listGroups", deadline: deadline)
        return sync { s in
            s.groups.filter { $0.state != .dead }.map { GroupListing(id: $0.id, state: $0.state, isSimple: $0.isSimple, type: $0.type) }
        }
    }

    public func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        try await enter("describeGroups", deadline: deadline)
        return sync { s in
            groups.map { id in
                guard let gi = s.groupIndex[id] else {
                    return GroupDescription(id: id, state: .dead, protocolType: "", assignor: "",
                                            coordinator: s.coordinator(id), members: [], type: .classic)
                }
                let g = s.groups[gi]
                return GroupDescription(id: id, state: g.state, protocolType: g.protocolType, assignor: g.assignor,
                                        coordinator: s.coordinator(id), members: g.members, type: g.type,
                                        groupEpoch: g.groupEpoch)
            }
        }
    }

    public func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try await enter("offsetFetch", deadline: deadline)
        return sync { s in
            guard let gi = s.groupIndex[group] else { return [:] }
            return s.committed(s.groups[gi])
        }
    }

    public func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        try await enter("listOffsets", deadline: deadline)
        return sync { s in
            var out: [TopicPartition: LogOffsets] = [:]
            out.reserveCapacity(partitions.count)
            for tp in partitions {
                // ListOffsets goes to the leader: partitions without one are left out.
                guard let (ti, pi) = Self.locate(s, tp), s.topics[ti].partitions[pi].leader != nil else { continue }
                out[tp] = s.logOffsets(ti, pi)
            }
            return out
        }
    }

    public func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] {
        try await enter("listOffsets(timestamp)", deadline: deadline)
        return sync { s in
            var out: [TopicPartition: Int64?] = [:]
            for (tp, ms) in query {
                guard let (ti, pi) = Self.locate(s, tp), s.topics[ti].partitions[pi].leader != nil else { continue }
                let o = s.logOffsets(ti, pi)
                out[tp] = .some(s.firstOffset(s.topics[ti].partitions[pi], atOrAfterMs: ms, lo: o.start, hi: o.end))
            }
            return out
        }
    }

    public func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        try await enter("fetch", deadline: deadline)
        return try sync { s in
            let tp = TopicPartition(request.topic, request.partition)
            guard let ti = s.topicIndex[request.topic] else { throw Self.unknownTopic(request.topic) }
            guard let (_, pi) = Self.locate(s, tp) else { throw Self.unknownPartition(tp) }
            let p = s.topics[ti].partitions[pi]
            guard p.leader != nil else {
                throw ClusterError(.broker, "partition \(tp) has no leader: it is offline", hint: "wait for a replica in its ISR to come back",
                                   code: "LEADER_NOT_AVAILABLE", isRetriable: true)
            }
            let bounds = s.logOffsets(ti, pi)
            var from: Int64
            switch request.start {
            case .offset(let o): from = o
            case .timestamp(let ms): from = s.firstOffset(p, atOrAfterMs: ms, lo: bounds.start, hi: bounds.end) ?? bounds.end
            case .lastN(let n): from = bounds.end - max(0, n)
            case .earliest: from = bounds.start
            }
            from = min(max(from, bounds.start), bounds.end)
            let stop = min(request.endOffset ?? bounds.end, bounds.end)
            var out: [Record] = []
            var size = 0
            var o = from
            let kind = s.topics[ti].kind
            while o < stop && out.count < max(0, request.maxRecords) {
                let r = p.produced[o] ?? RecordSynthesis.record(kind: kind, topic: request.topic, partition: request.partition,
                                                                offset: o, timestamp: s.tsMs(p, o))
                // Like a fetch, the first record is returned even when it is larger than maxBytes.
                if !out.isEmpty && size + r.sizeInBytes > request.maxBytes { break }
                size += r.sizeInBytes
                out.append(r)
                o += 1
            }
            return out
        }
    }
}
