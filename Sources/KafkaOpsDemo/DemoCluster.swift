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
    private let state: Locked<Simulation>

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

    private func sync<R>(_ body: (inout Simulation) throws -> R) rethrows -> R {
        let now = elapsed
        return try state.withLock { s in
            s.sync(to: now)
            return try body(&s)
        }
    }

    /// Counts the call, then applies the latency and hang switches.
    private func enter(_ name: String, deadline: Deadline) async throws {
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

    private static func unknownTopic(_ t: String) -> ClusterError {
        ClusterError(.unknownTopic, "topic '\(t)' does not exist", hint: "check the name with `kafkaops topics`",
                     code: "UNKNOWN_TOPIC_OR_PARTITION")
    }

    private static func unknownPartition(_ tp: TopicPartition) -> ClusterError {
        ClusterError(.unknownPartition, "partition \(tp) does not exist", code: "UNKNOWN_TOPIC_OR_PARTITION")
    }

    private static func locate(_ s: Simulation, _ tp: TopicPartition) -> (Int, Int)? {
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
            s.groups.filter { $0.state != .dead }.map { GroupListing(id: $0.id, state: $0.state, isSimple: $0.isSimple) }
        }
    }

    public func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        try await enter("describeGroups", deadline: deadline)
        return sync { s in
            groups.map { id in
                guard let gi = s.groupIndex[id] else {
                    return GroupDescription(id: id, state: .dead, protocolType: "", assignor: "",
                                            coordinator: s.coordinator(id), members: [])
                }
                let g = s.groups[gi]
                return GroupDescription(id: id, state: g.state, protocolType: g.protocolType, assignor: g.assignor,
                                        coordinator: s.coordinator(id), members: g.members)
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

    // MARK: mutations

    public func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        try await enter("createTopics", deadline: deadline)
        try sync { s in
            let name = topic.name
            if let problem = Self.topicNameProblem(name) {
                throw ClusterError(.invalidRequest, problem, code: "INVALID_TOPIC_EXCEPTION")
            }
            if s.topicIndex[name] != nil {
                throw ClusterError(.topicExists, "Topic '\(name)' already exists.", code: "TOPIC_ALREADY_EXISTS")
            }
            let normalized = name.replacingOccurrences(of: ".", with: "_")
            if let other = s.topics.first(where: { $0.name.replacingOccurrences(of: ".", with: "_") == normalized }) {
                throw ClusterError(.invalidRequest, "Topic '\(name)' collides with existing topic: \(other.name)",
                                   hint: "'.' and '_' collide in metric names", code: "INVALID_TOPIC_EXCEPTION")
            }
            var partitions = topic.partitions
            if partitions == -1 { partitions = Int32(s.brokerSetting("num.partitions")?.value ?? "1") ?? 1 }
            guard partitions >= 1 else {
                throw ClusterError(.invalidRequest, "Number of partitions was set to an invalid non-positive value.",
                                   code: "INVALID_PARTITIONS")
            }
            var rf = Int(topic.replicationFactor)
            if rf == -1 { rf = Int(s.brokerSetting("default.replication.factor")?.value ?? "1") ?? 1 }
            guard rf >= 1 else {
                throw ClusterError(.invalidRequest, "Replication factor must be larger than 0, or -1 to use the default value.",
                                   code: "INVALID_REPLICATION_FACTOR")
            }
            let live = s.brokers.map(\.id).filter { s.isLive($0) }.sorted()
            guard rf <= live.count else {
                throw ClusterError(.invalidRequest,
                                   "Unable to replicate the partition \(rf) time(s): The target replication factor of \(rf) cannot be reached because only \(live.count) broker(s) are registered.",
                                   hint: "lower the replication factor or bring brokers back", code: "INVALID_REPLICATION_FACTOR")
            }
            for (k, v) in topic.configs.sorted(by: { $0.key < $1.key }) {
                guard TopicConfigCatalog.isKnown(k) else {
                    throw ClusterError(.invalidRequest, "Unknown topic config name: \(k)", code: "INVALID_CONFIG")
                }
                if let problem = TopicConfigCatalog.validate(k, v) {
                    throw ClusterError(.invalidRequest, problem, code: "INVALID_CONFIG")
                }
            }
            if validateOnly { return }
            let start = Int(UInt32(bitPattern: javaHashCode(name)) % UInt32(live.count))
            var parts: [PartitionState] = []
            for p in 0..<Int(partitions) {
                let replicas = (0..<rf).map { live[(start + p + $0) % live.count] }
                parts.append(PartitionState(
                    replicas: replicas, isr: replicas, leader: replicas.first,
                    history: Anchor(offset: 0, time: s.t, rate: 1), anchors: [Anchor(offset: 0, time: s.t, rate: 0)],
                    rate: 0, floorStart: 0, segment: 1_000, lagging: nil, laggingBehind: 0))
            }
            s.topicIndex[name] = s.topics.count
            s.topics.append(TopicState(name: name, isInternal: TopicInfo.looksInternal(name), kind: .generic,
                                       overrides: topic.configs, partitions: parts))
            s.log("topic \(name) created: \(partitions) partitions, replication factor \(rf)")
        }
    }

    /// Kafka's topic name rules (org.apache.kafka.common.internals.Topic.validate).
    static func topicNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "Topic name is illegal, it can't be empty" }
        if name == "." || name == ".." { return "Topic name cannot be \".\" or \"..\"" }
        if name.utf8.count > 249 {
            return "Topic name is illegal, it can't be longer than 249 characters, topic name: \(name)"
        }
        let ok = name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2e || b == 0x5f || b == 0x2d
        }
        if !ok {
            return "Topic name \"\(name)\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        }
        return nil
    }

    public func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        try await enter("incrementalAlterConfigs", deadline: deadline)
        try sync { s in
            guard let ti = s.topicIndex[topic] else { throw Self.unknownTopic(topic) }
            for (k, v) in set.sorted(by: { $0.key < $1.key }) {
                guard TopicConfigCatalog.isKnown(k) else {
                    throw ClusterError(.invalidRequest, "Unknown topic config name: \(k)", code: "INVALID_CONFIG")
                }
                if let problem = TopicConfigCatalog.validate(k, v) {
                    throw ClusterError(.invalidRequest, problem, code: "INVALID_CONFIG")
                }
            }
            for k in delete where !TopicConfigCatalog.isKnown(k) {
                throw ClusterError(.invalidRequest, "Unknown topic config name: \(k)", code: "INVALID_CONFIG")
            }
            for k in delete { s.topics[ti].overrides[k] = nil }
            for (k, v) in set { s.topics[ti].overrides[k] = v }
            // min.insync.replicas changes who may write.
            s.refreshWriting(topic: ti)
            let changes = set.keys.sorted().map { "\($0)=\(set[$0] ?? "")" } + delete.sorted().map { "-\($0)" }
            s.log("topic \(topic) configs altered: \(changes.joined(separator: ", "))")
        }
    }

    public func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        try await enter("offsetCommit", deadline: deadline)
        return try sync { s in
            if let gi = s.groupIndex[group], !s.groups[gi].members.isEmpty, !s.groups[gi].state.isInactive {
                let g = s.groups[gi]
                let who = g.members.prefix(3).map { "\($0.clientID) on \($0.host)" }.joined(separator: ", ")
                throw ClusterError(.groupNotEmpty,
                                   "group '\(group)' is not empty: its state is \(g.state.rawValue) with \(g.members.count) active member(s) (\(who)\(g.members.count > 3 ? ", ..." : ""))",
                                   hint: "stop its consumers first; offsets can only be changed while the group is inactive (Empty)",
                                   code: "UNKNOWN_MEMBER_ID")
            }
            var results: [PartitionResult] = []
            var accepted: [TopicPartition: Int64] = [:]
            for (tp, o) in offsets.sorted(by: { $0.key < $1.key }) {
                guard Self.locate(s, tp) != nil else {
                    results.append(PartitionResult(tp, error: Self.unknownPartition(tp)))
                    continue
                }
                guard o >= 0 else {
                    results.append(PartitionResult(tp, error: ClusterError(.invalidRequest, "offset \(o) for \(tp) is negative",
                                                                           code: "INVALID_COMMIT_OFFSET_SIZE")))
                    continue
                }
                accepted[tp] = o
                results.append(PartitionResult(tp))
            }
            if !accepted.isEmpty {
                if s.groupIndex[group] == nil {
                    s.addGroup(GroupSpec(id: group, topics: [], members: 0, state: .empty, assignor: "",
                                         behaviour: .atStart, isSimple: true))
                    if let gi = s.groupIndex[group] { s.groups[gi].behaviour = nil }
                }
                if let gi = s.groupIndex[group] {
                    // Fix the group's scripted offsets where they are, then apply the new ones.
                    if s.groups[gi].behaviour != nil {
                        s.groups[gi].overrides = s.committed(s.groups[gi])
                        s.groups[gi].behaviour = nil
                    }
                    s.groups[gi].overrides.merge(accepted) { _, new in new }
                    if s.groups[gi].state == .dead { s.groups[gi].state = .empty }
                }
                s.log("group \(group): offsets committed for \(accepted.count) partitions")
            }
            return results
        }
    }

    /// Kafka's OffsetDelete: refused for a group with active members (GROUP_SUBSCRIBED_TO_TOPIC) or one that
    /// does not exist (GROUP_ID_NOT_FOUND); a partition without a commit is fine, an unknown one is not.
    public func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        try await enter("offsetDelete", deadline: deadline)
        return try sync { s in
            guard let gi = s.groupIndex[group] else {
                throw ClusterError(.unknownGroup, "group '\(group)' does not exist", code: "GROUP_ID_NOT_FOUND")
            }
            if !s.groups[gi].members.isEmpty, !s.groups[gi].state.isInactive {
                throw ClusterError(.groupNotEmpty,
                                   "group '\(group)' is subscribed to these topics: its state is \(s.groups[gi].state.rawValue) with \(s.groups[gi].members.count) active member(s)",
                                   hint: "stop its consumers first", code: "GROUP_SUBSCRIBED_TO_TOPIC")
            }
            var results: [PartitionResult] = []
            var deleted: [TopicPartition] = []
            for tp in Array(Set(partitions)).sorted() {
                guard Self.locate(s, tp) != nil else {
                    results.append(PartitionResult(tp, error: Self.unknownPartition(tp)))
                    continue
                }
                deleted.append(tp)
                results.append(PartitionResult(tp))
            }
            if !deleted.isEmpty {
                // Fix the group's scripted offsets where they are, then drop the deleted ones.
                if s.groups[gi].behaviour != nil {
                    s.groups[gi].overrides = s.committed(s.groups[gi])
                    s.groups[gi].behaviour = nil
                }
                for tp in deleted { s.groups[gi].overrides[tp] = nil }
                s.log("group \(group): offsets deleted for \(deleted.count) partitions")
            }
            return results
        }
    }

    public func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        try await enter("electLeaders", deadline: deadline)
        return sync { s in
            var targets: [(TopicPartition, Int, Int)?] = []
            if let partitions {
                targets = partitions.map { tp in Self.locate(s, tp).map { (tp, $0.0, $0.1) } }
            } else {
                for ti in s.topics.indices {
                    for pi in s.topics[ti].partitions.indices {
                        targets.append((TopicPartition(s.topics[ti].name, Int32(pi)), ti, pi))
                    }
                }
            }
            var results: [PartitionResult] = []
            var moved = 0
            for (i, target) in targets.enumerated() {
                guard let (tp, ti, pi) = target else {
                    if let tp = partitions?[i] { results.append(PartitionResult(tp, error: Self.unknownPartition(tp))) }
                    continue
                }
                let p = s.topics[ti].partitions[pi]
                guard let preferred = p.replicas.first else { continue }
                if p.leader == preferred {
                    // Kafka answers ELECTION_NOT_NEEDED; for "all partitions" it leaves those out.
                    if partitions != nil {
                        results.append(PartitionResult(tp, error: ClusterError(.invalidRequest,
                            "\(tp): the preferred replica \(preferred) is already the leader", code: "ELECTION_NOT_NEEDED")))
                    }
                    continue
                }
                guard s.isLive(preferred), p.isr.contains(preferred) else {
                    results.append(PartitionResult(tp, error: ClusterError(.broker,
                        "\(tp): the preferred replica \(preferred) is not \(s.isLive(preferred) ? "in the ISR" : "alive")",
                        hint: "wait until it has caught up", code: "PREFERRED_LEADER_NOT_AVAILABLE", isRetriable: true)))
                    continue
                }
                s.topics[ti].partitions[pi].leader = preferred
                s.refreshWriting(ti, pi)
                moved += 1
                results.append(PartitionResult(tp))
            }
            if moved > 0 { s.log("preferred leader election: \(moved) partitions moved back to their preferred leader") }
            return results
        }
    }

    public func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        try await enter("produce", deadline: deadline)
        return sync { s in
            var reports: [DeliveryReport] = []
            reports.reserveCapacity(records.count)
            let nowMs = s.nowMs
            for (i, rec) in records.enumerated() {
                guard let ti = s.topicIndex[rec.topic] else {
                    reports.append(DeliveryReport(index: i, result: .failure(Self.unknownTopic(rec.topic))))
                    continue
                }
                let n = s.topics[ti].partitions.count
                let pi: Int
                if let p = rec.partition {
                    guard p >= 0, Int(p) < n else {
                        reports.append(DeliveryReport(index: i, result: .failure(Self.unknownPartition(TopicPartition(rec.topic, p)))))
                        continue
                    }
                    pi = Int(p)
                } else if let key = rec.key {
                    pi = Int((murmur2(key) & 0x7fff_ffff) % Int32(n))
                } else {
                    pi = s.roundRobin % n
                    s.roundRobin += 1
                }
                let tp = TopicPartition(rec.topic, Int32(pi))
                let p = s.topics[ti].partitions[pi]
                guard let leader = p.leader, s.isLive(leader) else {
                    reports.append(DeliveryReport(index: i, result: .failure(ClusterError(.broker,
                        "\(tp) has no leader: it is offline", hint: "wait for a replica in its ISR to come back",
                        code: "LEADER_NOT_AVAILABLE", isRetriable: true))))
                    continue
                }
                let minISR = s.minISR(ti)
                guard p.isr.count >= minISR else {
                    reports.append(DeliveryReport(index: i, result: .failure(ClusterError(.broker,
                        "\(tp): Messages are rejected since there are fewer in-sync replicas than required.",
                        hint: "ISR has \(p.isr.count) of \(p.replicas.count) replicas, min.insync.replicas is \(minISR)",
                        code: "NOT_ENOUGH_REPLICAS", isRetriable: true))))
                    continue
                }
                let maxBytes = s.config(ti, "max.message.bytes").flatMap { Int($0) } ?? 1_048_588
                let size = (rec.key?.count ?? 0) + (rec.value?.count ?? 0) + rec.headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) }
                guard size <= maxBytes else {
                    reports.append(DeliveryReport(index: i, result: .failure(ClusterError(.invalidRequest,
                        "the record is \(size) bytes, larger than max.message.bytes \(maxBytes)", code: "MESSAGE_TOO_LARGE"))))
                    continue
                }
                var part = s.topics[ti].partitions[pi]
                let e = part.end(at: s.t)
                let rate = part.currentRate
                let k = part.anchors.count
                if k >= 2, part.anchors[k - 1].offset == e, part.anchors[k - 2].rate == 0, part.anchors[k - 2].time == s.t {
                    // Extends the block of records produced at this instant instead of adding anchors.
                    part.anchors.removeLast()
                } else {
                    part.reanchor(e, s.t, rate: 0)
                }
                part.produced[e] = Record(topic: rec.topic, partition: Int32(pi), offset: e, timestamp: rec.timestamp ?? nowMs,
                                          key: rec.key, value: rec.value, headers: rec.headers)
                part.anchors.append(Anchor(offset: e + 1, time: s.t, rate: rate))
                s.topics[ti].partitions[pi] = part
                reports.append(DeliveryReport(index: i, result: .success(TopicPartitionOffset(topic: rec.topic, partition: Int32(pi), offset: e))))
            }
            return reports
        }
    }
}
