import Foundation

/// Everything the console and the read-only commands show, fetched together.
/// Derived views (topic summaries, group lag) are pure functions of it.
public struct ClusterSnapshot: Sendable {
    public var metadata: ClusterMetadata
    /// Topic name -> its config entries (with source). Missing when not loaded.
    public var topicConfigs: [String: [ConfigEntry]]
    /// The configs of one broker (the controller), for cluster-wide defaults.
    public var brokerConfigs: [ConfigEntry]
    /// Log start and end offsets: for every partition a group consumes, and for every partition
    /// when the loader was asked for `.startOffsets`.
    public var logOffsets: [TopicPartition: LogOffsets]
    /// Log end offsets of the other partitions (where the start was not needed).
    public var endOffsets: [TopicPartition: Int64]
    public var groups: [GroupDescription]
    public var committed: [String: [TopicPartition: Int64]]
    public var fetchedAt: Date
    /// Parts that could not be loaded, in words ("consumer groups: timed out").
    public var problems: [String]

    public init(metadata: ClusterMetadata, topicConfigs: [String: [ConfigEntry]] = [:], brokerConfigs: [ConfigEntry] = [],
                logOffsets: [TopicPartition: LogOffsets] = [:], endOffsets: [TopicPartition: Int64] = [:],
                groups: [GroupDescription] = [],
                committed: [String: [TopicPartition: Int64]] = [:], fetchedAt: Date = Date(), problems: [String] = []) {
        self.metadata = metadata; self.topicConfigs = topicConfigs; self.brokerConfigs = brokerConfigs
        self.logOffsets = logOffsets; self.endOffsets = endOffsets; self.groups = groups; self.committed = committed
        self.fetchedAt = fetchedAt; self.problems = problems
    }

    public func topic(_ name: String) -> TopicInfo? { metadata.topics.first { $0.name == name } }

    /// The log end offset of a partition, from whichever of the two maps has it.
    public func logEnd(_ tp: TopicPartition) -> Int64? { logOffsets[tp]?.end ?? endOffsets[tp] }

    public func effectiveConfig(_ name: String, topic: String) -> EffectiveConfig? {
        EffectiveConfig.resolve(name, topic: topicConfigs[topic], broker: brokerConfigs)
    }

    /// min.insync.replicas for a topic: its override, else the broker default, else 1.
    public func minISR(topic: String) -> Int {
        effectiveConfig(KafkaConfig.minInsyncReplicas, topic: topic).flatMap { Int($0.value) } ?? 1
    }

    /// min.insync.replicas of a topic whose configs were read (its override, else the broker's,
    /// else Kafka's default); nil when they were not read, rather than an assumed default.
    public func knownMinISR(topic: String) -> EffectiveConfig? {
        guard topicConfigs[topic] != nil else { return nil }
        return effectiveConfig(KafkaConfig.minInsyncReplicas, topic: topic)
    }

    /// What this snapshot could not read, in words: every part that failed to load, and the
    /// topics among `topics` whose configs are missing (their min ISR would be a guess).
    public func unread(topics: [String]) -> [String] {
        var out = problems.map { "could not load \($0)" }
        let without = topics.filter { topicConfigs[$0] == nil }
        if !without.isEmpty {
            out.append("topic configs were not loaded for \(without.count) topic\(without.count == 1 ? "" : "s") (\(without.prefix(3).joined(separator: ", "))\(without.count > 3 ? ", …" : "")): their min.insync.replicas, retention and unclean election are unknown")
        }
        return out
    }

    public func health(of p: PartitionInfo, topic: String) -> PartitionHealth {
        PartitionHealth.evaluate(p, minISR: minISR(topic: topic), liveBrokers: metadata.liveBrokerIDs)
    }

    public func groupLag(_ group: String) -> GroupLag {
        GroupLag.compute(group: group, description: groups.first { $0.id == group },
                         committed: committed[group] ?? [:], offsets: logOffsets, endOffsets: endOffsets)
    }

    /// Lag of every known group, sorted by id.
    public func allGroupLags() -> [GroupLag] {
        var ids = Set(committed.keys)
        ids.formUnion(groups.map(\.id))
        return ids.sorted().map(groupLag)
    }

    /// Topic summaries, one per topic, sorted by name; internal topics only when asked.
    public func topicSummaries(includeInternal: Bool = false, groupLags: [GroupLag]? = nil) -> [TopicSummary] {
        let live = metadata.liveBrokerIDs
        let lags = groupLags ?? allGroupLags()
        var lagByTopic: [String: (Int64, [String])] = [:]
        // A topic's lag is unknown (nil) when one group's lag on it cannot be known (`LagStatus.lagUnknown`).
        var unknownLag = Set<String>()
        for g in lags {
            var perTopic: [String: Int64] = [:]
            for p in g.partitions {
                perTopic[p.partition.topic, default: 0] += p.lag ?? 0
                if p.status.lagUnknown { unknownLag.insert(p.partition.topic) }
            }
            for (t, l) in perTopic {
                var e = lagByTopic[t] ?? (0, [])
                e.0 += l; e.1.append(g.group)
                lagByTopic[t] = e
            }
        }
        return metadata.topics
            .filter { includeInternal || !$0.isInternal }
            .sorted { $0.name < $1.name }
            .map { t in
                let known = knownMinISR(topic: t.name)
                let minISR = known.map { Int($0.value) ?? 1 }
                var counts = HealthCounts()
                var endSum: Int64 = 0
                var endKnown = true
                for p in t.partitions {
                    counts.add(PartitionHealth.evaluate(p, minISR: minISR, liveBrokers: live))
                    if let e = logEnd(TopicPartition(t.name, p.id)) { endSum += e } else { endKnown = false }
                }
                let lag = lagByTopic[t.name]
                return TopicSummary(
                    name: t.name, isInternal: t.isInternal, partitions: t.partitions.count,
                    replicationFactor: t.partitions.map(\.replicas.count).max() ?? 0,
                    minISR: minISR, minISRSource: known?.source,
                    health: counts, endOffsetSum: endKnown ? endSum : nil,
                    totalLag: unknownLag.contains(t.name) ? nil : lag?.0, consumerGroups: (lag?.1 ?? []).sorted(), error: t.error)
            }
    }

    public var clusterHealth: HealthCounts {
        var c = HealthCounts()
        for t in topicSummaries(includeInternal: true, groupLags: []) { c.add(t.health) }
        return c
    }
}

public struct TopicSummary: Hashable, Sendable, Codable {
    public var name: String
    public var isInternal: Bool
    public var partitions: Int
    /// The largest replica count over the partitions.
    public var replicationFactor: Int
    /// min.insync.replicas and where it comes from; nil when the topic's configs were not read
    /// (then `health` leaves the ISR-versus-min-ISR states out, see `healthLevel`).
    public var minISR: Int?
    public var minISRSource: ConfigSource?
    public var health: HealthCounts
    /// Sum of the partitions' log end offsets; nil when some could not be read.
    public var endOffsetSum: Int64?
    /// Sum of the known lag of every group that consumes the topic; nil when none does.
    public var totalLag: Int64?
    public var consumerGroups: [String]
    public var error: String?

    /// The worst state of the topic's partitions; nil (unknown) when min.insync.replicas is unknown
    /// and no partition is offline: an under-replicated or healthy-looking partition may be under min ISR.
    public var healthLevel: HealthLevel? {
        minISR != nil || health.offline > 0 ? health.worst : nil
    }
}

/// Loads a ClusterSnapshot through any ClusterClient, issuing independent calls concurrently:
/// metadata and the consumer groups start together; configs and end offsets follow the
/// metadata; the start offsets of the partitions groups consume follow the groups.
public struct SnapshotLoader: Sendable {
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Topic configs (with source) and the controller's broker configs.
        public static let configs = Parts(rawValue: 1)
        /// Log end offsets of the topics' partitions and of every partition a group consumes (lag).
        public static let logOffsets = Parts(rawValue: 2)
        public static let groups = Parts(rawValue: 4)
        /// Log start offsets of every partition of the topics too (topic detail screens).
        public static let startOffsets = Parts(rawValue: 8)
        /// Log start offsets of the partitions groups consume (committed below the log start: data lost).
        public static let groupStartOffsets = Parts(rawValue: 16)
        /// The brokers' racks (an extra request on the librdkafka client).
        public static let racks = Parts(rawValue: 32)
        public static let all: Parts = [.configs, .logOffsets, .groups, .startOffsets, .groupStartOffsets, .racks]
    }

    public let client: any ClusterClient

    public init(client: any ClusterClient) { self.client = client }

    /// Metadata failures throw; other parts that fail are recorded in `problems`, so the
    /// screen still shows what could be read. `topics` limits configs and offsets to those topics.
    public func load(parts: Parts = .all, topics: Set<String>? = nil, deadline: Deadline) async throws -> ClusterSnapshot {
        let client = self.client
        async let groupsR: Result<([GroupDescription], [String: [TopicPartition: Int64]], [String]), ClusterError>? =
            parts.contains(.groups) ? capture { try await Self.loadGroups(client, deadline: deadline) } : nil
        let md = try await client.metadata(deadline: deadline, racks: parts.contains(.racks))
        var snap = ClusterSnapshot(metadata: md)
        let wanted = md.topics.filter { topics?.contains($0.name) ?? true }
        let names = wanted.map(\.name)
        let tps = wanted.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }
        let configBroker = md.controllerID ?? md.brokers.first?.id
        let fullForAll = parts.contains(.startOffsets)
        let offsetsWanted = parts.contains(.logOffsets) || fullForAll

        async let configsR: Result<[String: [ConfigEntry]], ClusterError>? = parts.contains(.configs) && !names.isEmpty
            ? capture { try await client.topicConfigs(names, deadline: deadline) } : nil
        async let brokerR: Result<[ConfigEntry], ClusterError>? = parts.contains(.configs)
            ? configBroker.asyncMap { b in await capture { try await client.brokerConfigs(b, deadline: deadline) } } : nil
        async let fullR: Result<[TopicPartition: LogOffsets], ClusterError>? = fullForAll && !tps.isEmpty
            ? capture { try await client.logOffsets(tps, deadline: deadline) } : nil
        async let endR: Result<[TopicPartition: Int64], ClusterError>? = offsetsWanted && !fullForAll && !tps.isEmpty
            ? capture { try await client.endOffsets(tps, deadline: deadline) } : nil

        // Groups first: the partitions they consume need start offsets (data lost to retention).
        switch await groupsR {
        case .success(let (descs, commits, problems)):
            snap.groups = descs
            snap.committed = commits
            snap.problems += problems
        case .failure(let e): snap.problems.append("consumer groups: \(e)")
        case nil: break
        }
        // Every partition in the metadata, to leave out commits for topics that no longer exist.
        let known = offsetsWanted && parts.contains(.groups)
            ? Set(md.topics.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }) : []
        var groupTPs = Set<TopicPartition>()
        if offsetsWanted && !fullForAll && parts.contains(.groupStartOffsets) {
            for c in snap.committed.values { for tp in c.keys where known.contains(tp) { groupTPs.insert(tp) } }
            for g in snap.groups { for m in g.members { for tp in m.assignment where known.contains(tp) { groupTPs.insert(tp) } } }
        }
        async let groupOffsetsR: Result<[TopicPartition: LogOffsets], ClusterError>? = groupTPs.isEmpty ? nil
            : capture { try await client.logOffsets(Array(groupTPs), deadline: deadline) }

        switch await configsR {
        case .success(let c): snap.topicConfigs = c
        case .failure(let e): snap.problems.append("topic configs: \(e)")
        case nil: break
        }
        switch await brokerR {
        case .success(let c): snap.brokerConfigs = c
        case .failure(let e): snap.problems.append("broker configs: \(e)")
        case nil: break
        }
        switch await fullR {
        case .success(let o): snap.logOffsets = o
        case .failure(let e): snap.problems.append("log offsets: \(e)")
        case nil: break
        }
        switch await endR {
        case .success(let o): snap.endOffsets = o
        case .failure(let e): snap.problems.append("log end offsets: \(e)")
        case nil: break
        }
        switch await groupOffsetsR {
        case .success(let o): snap.logOffsets.merge(o) { a, _ in a }
        case .failure(let e): snap.problems.append("log offsets of consumed partitions: \(e)")
        case nil: break
        }
        // Committed partitions outside the requested topics still need their offsets for lag: start and
        // end when every start was asked for, else the end alone (with .groupStartOffsets they are loaded above).
        if offsetsWanted && parts.contains(.groups) && (fullForAll || !parts.contains(.groupStartOffsets)) {
            let withStarts = fullForAll
            var extra = Set<TopicPartition>()
            for c in snap.committed.values {
                for tp in c.keys where known.contains(tp) && (withStarts ? snap.logOffsets[tp] == nil : snap.logEnd(tp) == nil) {
                    extra.insert(tp)
                }
            }
            if !extra.isEmpty {
                if withStarts {
                    switch await capture({ try await client.logOffsets(Array(extra), deadline: deadline) }) {
                    case .success(let o): snap.logOffsets.merge(o) { a, _ in a }
                    case .failure(let e): snap.problems.append("log offsets: \(e)")
                    }
                } else {
                    switch await capture({ try await client.endOffsets(Array(extra), deadline: deadline) }) {
                    case .success(let o): snap.endOffsets.merge(o) { a, _ in a }
                    case .failure(let e): snap.problems.append("log end offsets: \(e)")
                    }
                }
            }
        }
        snap.fetchedAt = Date()
        return snap
    }

    /// Lists groups, describes them, and fetches every group's committed offsets concurrently.
    static func loadGroups(_ client: any ClusterClient, deadline: Deadline) async throws
        -> ([GroupDescription], [String: [TopicPartition: Int64]], [String]) {
        let listing = try await client.listGroups(deadline: deadline)
        let ids = listing.map(\.id).sorted()
        if ids.isEmpty { return ([], [:], []) }
        async let descsR = capture { try await client.describeGroups(ids, deadline: deadline) }
        var commits: [String: [TopicPartition: Int64]] = [:]
        var problems: [String] = []
        await withTaskGroup(of: (String, Result<[TopicPartition: Int64], ClusterError>).self) { tg in
            for id in ids {
                tg.addTask { (id, await capture { try await client.committedOffsets(group: id, deadline: deadline) }) }
            }
            for await (id, r) in tg {
                switch r {
                case .success(let c): commits[id] = c
                case .failure(let e): problems.append("committed offsets of \(id): \(e)")
                }
            }
        }
        var descs: [GroupDescription]
        switch await descsR {
        case .success(let d): descs = d
        case .failure(let e):
            problems.append("describe groups: \(e)")
            descs = listing.map { GroupDescription(id: $0.id, state: .unknown, error: "describe groups: \(e)", type: .unknown) }
        }
        // The listing and the description reconciled: neither answer alone decides the state.
        return (GroupReconciliation.reconcileAll(listing: listing, descriptions: descs), commits, problems.sorted())
    }
}

/// Runs a throwing call and captures its error as a ClusterError.
public func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, ClusterError> {
    do { return .success(try await body()) } catch let e as ClusterError { return .failure(e) } catch {
        return .failure(ClusterError(.broker, "\(error)"))
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ f: (Wrapped) async -> T) async -> T? {
        guard let w = self else { return nil }
        return await f(w)
    }
}
