import Foundation

/// Everything the console and the read-only commands show, fetched together.
/// Derived views (topic summaries, group lag) are pure functions of it.
public struct ClusterSnapshot: Sendable {
    public var metadata: ClusterMetadata
    /// Topic name -> its config entries (with source). Missing when not loaded.
    public var topicConfigs: [String: [ConfigEntry]]
    /// The configs of one broker (the controller), for cluster-wide defaults.
    public var brokerConfigs: [ConfigEntry]
    public var logOffsets: [TopicPartition: LogOffsets]
    public var groups: [GroupDescription]
    public var committed: [String: [TopicPartition: Int64]]
    public var fetchedAt: Date
    /// Parts that could not be loaded, in words ("consumer groups: timed out").
    public var problems: [String]

    public init(metadata: ClusterMetadata, topicConfigs: [String: [ConfigEntry]] = [:], brokerConfigs: [ConfigEntry] = [],
                logOffsets: [TopicPartition: LogOffsets] = [:], groups: [GroupDescription] = [],
                committed: [String: [TopicPartition: Int64]] = [:], fetchedAt: Date = Date(), problems: [String] = []) {
        self.metadata = metadata; self.topicConfigs = topicConfigs; self.brokerConfigs = brokerConfigs
        self.logOffsets = logOffsets; self.groups = groups; self.committed = committed
        self.fetchedAt = fetchedAt; self.problems = problems
    }

    public func topic(_ name: String) -> TopicInfo? { metadata.topics.first { $0.name == name } }

    public func effectiveConfig(_ name: String, topic: String) -> EffectiveConfig? {
        EffectiveConfig.resolve(name, topic: topicConfigs[topic], broker: brokerConfigs)
    }

    /// min.insync.replicas for a topic: its override, else the broker default, else 1.
    public func minISR(topic: String) -> Int {
        effectiveConfig(KafkaConfig.minInsyncReplicas, topic: topic).flatMap { Int($0.value) } ?? 1
    }

    public func health(of p: PartitionInfo, topic: String) -> PartitionHealth {
        PartitionHealth.evaluate(p, minISR: minISR(topic: topic), liveBrokers: metadata.liveBrokerIDs)
    }

    public func groupLag(_ group: String) -> GroupLag {
        GroupLag.compute(group: group, description: groups.first { $0.id == group },
                         committed: committed[group] ?? [:], offsets: logOffsets)
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
        for g in lags {
            var perTopic: [String: Int64] = [:]
            for p in g.partitions { perTopic[p.partition.topic, default: 0] += p.lag ?? 0 }
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
                let minISR = minISR(topic: t.name)
                var counts = HealthCounts()
                var endSum: Int64 = 0
                var endKnown = true
                for p in t.partitions {
                    counts.add(PartitionHealth.evaluate(p, minISR: minISR, liveBrokers: live))
                    if let o = logOffsets[TopicPartition(t.name, p.id)] { endSum += o.end } else { endKnown = false }
                }
                let lag = lagByTopic[t.name]
                return TopicSummary(
                    name: t.name, isInternal: t.isInternal, partitions: t.partitions.count,
                    replicationFactor: t.partitions.map(\.replicas.count).max() ?? 0,
                    minISR: minISR,
                    minISRSource: effectiveConfig(KafkaConfig.minInsyncReplicas, topic: t.name)?.source ?? .defaultConfig,
                    health: counts, endOffsetSum: endKnown ? endSum : nil,
                    totalLag: lag?.0, consumerGroups: (lag?.1 ?? []).sorted(), error: t.error)
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
    public var minISR: Int
    public var minISRSource: ConfigSource
    public var health: HealthCounts
    /// Sum of the partitions' log end offsets; nil when some could not be read.
    public var endOffsetSum: Int64?
    /// Sum of the known lag of every group that consumes the topic; nil when none does.
    public var totalLag: Int64?
    public var consumerGroups: [String]
    public var error: String?
}

/// Loads a ClusterSnapshot through any ClusterClient, issuing independent calls concurrently.
public struct SnapshotLoader: Sendable {
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let configs = Parts(rawValue: 1)
        public static let logOffsets = Parts(rawValue: 2)
        public static let groups = Parts(rawValue: 4)
        public static let all: Parts = [.configs, .logOffsets, .groups]
    }

    public let client: any ClusterClient

    public init(client: any ClusterClient) { self.client = client }

    /// Metadata failures throw; other parts that fail are recorded in `problems`, so the
    /// screen still shows what could be read. `topics` limits configs and offsets to those topics.
    public func load(parts: Parts = .all, topics: Set<String>? = nil, deadline: Deadline) async throws -> ClusterSnapshot {
        let client = self.client
        let md = try await client.metadata(deadline: deadline)
        var snap = ClusterSnapshot(metadata: md)
        let wanted = md.topics.filter { topics?.contains($0.name) ?? true }
        let names = wanted.map(\.name)
        let tps = wanted.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }
        let configBroker = md.controllerID ?? md.brokers.first?.id

        async let configsR: Result<[String: [ConfigEntry]], ClusterError>? = parts.contains(.configs) && !names.isEmpty
            ? capture { try await client.topicConfigs(names, deadline: deadline) } : nil
        async let brokerR: Result<[ConfigEntry], ClusterError>? = parts.contains(.configs) && configBroker != nil
            ? capture { try await client.brokerConfigs(configBroker!, deadline: deadline) } : nil
        async let offsetsR: Result<[TopicPartition: LogOffsets], ClusterError>? = parts.contains(.logOffsets) && !tps.isEmpty
            ? capture { try await client.logOffsets(tps, deadline: deadline) } : nil
        async let groupsR: Result<([GroupDescription], [String: [TopicPartition: Int64]], [String]), ClusterError>? =
            parts.contains(.groups) ? capture { try await Self.loadGroups(client, deadline: deadline) } : nil

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
        switch await offsetsR {
        case .success(let o): snap.logOffsets = o
        case .failure(let e): snap.problems.append("log offsets: \(e)")
        case nil: break
        }
        switch await groupsR {
        case .success(let (descs, commits, problems)):
            snap.groups = descs
            snap.committed = commits
            snap.problems += problems
            // Offsets of partitions that groups consume outside the requested topics.
            if parts.contains(.logOffsets) {
                let known = Set(md.topics.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } })
                var extra = Set<TopicPartition>()
                for c in commits.values { for tp in c.keys where snap.logOffsets[tp] == nil && known.contains(tp) { extra.insert(tp) } }
                if !extra.isEmpty {
                    do {
                        let o = try await client.logOffsets(Array(extra), deadline: deadline)
                        snap.logOffsets.merge(o) { a, _ in a }
                    } catch {
                        snap.problems.append("log offsets: \(error)")
                    }
                }
            }
        case .failure(let e): snap.problems.append("consumer groups: \(e)")
        case nil: break
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
            descs = listing.map { GroupDescription(id: $0.id, state: $0.state) }
        }
        // Keep the listing's state where describe could not say more.
        let listed = Dictionary(listing.map { ($0.id, $0.state) }, uniquingKeysWith: { a, _ in a })
        for i in descs.indices where descs[i].state == .unknown {
            if let s = listed[descs[i].id], s != .unknown { descs[i].state = s }
        }
        return (descs.sorted { $0.id < $1.id }, commits, problems.sorted())
    }
}

/// Runs a throwing call and captures its error as a ClusterError.
public func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, ClusterError> {
    do { return .success(try await body()) } catch let e as ClusterError { return .failure(e) } catch {
        return .failure(ClusterError(.broker, "\(error)"))
    }
}
