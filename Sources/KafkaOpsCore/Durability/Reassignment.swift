import Foundation

public enum ReassignmentError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownTopic(String)
    case notEnoughBrokers(target: Int, live: Int)
    case lowerThanCurrent(target: Int, current: Int)
    case invalidTarget(Int)

    public var description: String {
        switch self {
        case .unknownTopic(let t): return "topic '\(t)' does not exist"
        case .notEnoughBrokers(let target, let live):
            return "replication factor \(target) needs \(target) live brokers, the cluster has \(live)"
        case .lowerThanCurrent(let target, let current):
            return "replication factor \(target) is below the current \(current); this plan only adds replicas"
        case .invalidTarget(let n): return "replication factor \(n) is not valid (at least 1)"
        }
    }
}

/// A plan for kafka-reassign-partitions.sh (`--reassignment-json-file`).
public struct ReassignmentPlan: Hashable, Sendable, Codable {
    public struct Entry: Hashable, Sendable, Codable {
        public var topic: String
        public var partition: Int32
        public var replicas: [Int32]

        public init(topic: String, partition: Int32, replicas: [Int32]) {
            self.topic = topic; self.partition = partition; self.replicas = replicas
        }
    }

    public var version: Int
    public var partitions: [Entry]

    public init(version: Int = 1, partitions: [Entry]) { self.version = version; self.partitions = partitions }

    /// `{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2,3]}]}` in this key order.
    public func json() -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.withoutEscapingSlashes]
        func quote(_ s: String) -> String {
            (try? enc.encode(s)).map { String(decoding: Sanitizer.jsonEscapingDangerous($0), as: UTF8.self) } ?? "\"\""
        }
        let parts = partitions.map { e in
            "{\"topic\":\(quote(e.topic)),\"partition\":\(e.partition),\"replicas\":[\(e.replicas.map(String.init).joined(separator: ","))]}"
        }
        return "{\"version\":\(version),\"partitions\":[\(parts.joined(separator: ","))]}"
    }

    /// Raises the replication factor of a topic: each partition keeps its replicas, in order, and gets new ones
    /// on live brokers, preferring racks the partition does not use yet, then the brokers holding fewest
    /// replicas (counted over `allTopics` and updated as the plan adds them), then the lower id.
    /// Partitions that already have `replicationFactor` replicas are left out of the plan.
    public static func raiseReplicationFactor(topic name: String, to replicationFactor: Int, metadata: ClusterMetadata)
        -> Result<ReassignmentPlan, ReassignmentError> {
        guard replicationFactor >= 1 else { return .failure(.invalidTarget(replicationFactor)) }
        guard let topic = metadata.topics.first(where: { $0.name == name }) else { return .failure(.unknownTopic(name)) }
        let live = metadata.brokers.sorted { $0.id < $1.id }
        guard replicationFactor <= live.count else {
            return .failure(.notEnoughBrokers(target: replicationFactor, live: live.count))
        }
        let current = topic.partitions.map(\.replicas.count).max() ?? 0
        guard replicationFactor >= current else {
            return .failure(.lowerThanCurrent(target: replicationFactor, current: current))
        }
        var rackOf: [Int32: String] = [:]
        for b in metadata.brokers { if let r = b.rack { rackOf[b.id] = r } }
        var load: [Int32: Int] = [:]
        for b in live { load[b.id] = 0 }
        for t in metadata.topics { for p in t.partitions { for r in p.replicas where load[r] != nil { load[r, default: 0] += 1 } } }

        var entries: [Entry] = []
        for p in topic.partitions.sorted(by: { $0.id < $1.id }) {
            var replicas: [Int32] = []
            for r in p.replicas where !replicas.contains(r) { replicas.append(r) }
            if replicas.count >= replicationFactor { continue }
            var racks = Set(replicas.compactMap { rackOf[$0] })
            while replicas.count < replicationFactor {
                let candidates = live.filter { !replicas.contains($0.id) }
                guard let best = candidates.min(by: { a, b in
                    let ar = a.rack.map { racks.contains($0) } ?? false
                    let br = b.rack.map { racks.contains($0) } ?? false
                    if ar != br { return !ar }
                    let la = load[a.id] ?? 0, lb = load[b.id] ?? 0
                    if la != lb { return la < lb }
                    return a.id < b.id
                }) else {
                    // Dead replicas kept in the list use up brokers: not enough live ones left.
                    return .failure(.notEnoughBrokers(target: replicationFactor, live: live.count))
                }
                replicas.append(best.id)
                load[best.id, default: 0] += 1
                if let r = best.rack { racks.insert(r) }
            }
            entries.append(Entry(topic: topic.name, partition: p.id, replicas: replicas))
        }
        return .success(ReassignmentPlan(partitions: entries))
    }
}
