import Foundation

/// A broker the cluster does not list as live: one the roster saw before, or one that partitions
/// still name as a replica (a metadata response lists live brokers only).
public struct DownBroker: Hashable, Sendable {
    public var id: Int32
    /// The broker as last seen live; nil when only replica lists name it.
    public var lastSeen: Broker?
    /// The first refresh that no longer listed it; nil when it was never seen live.
    public var since: Date?
    /// Partitions that have it as a replica.
    public var replicas: Int
}

/// The brokers of a cluster over time: which are live, which left and when. The console keeps one
/// across refreshes; the CLI builds one from a single metadata response (which then only knows the
/// brokers named as replicas). The one rule for "live" and "down" brokers.
public struct BrokerRoster: Hashable, Sendable {
    /// Every broker seen live, by id, as last seen.
    public private(set) var known: [Int32: Broker] = [:]
    /// When each known broker left (the first refresh without it).
    public private(set) var leftAt: [Int32: Date] = [:]

    public init() {}

    /// Takes a metadata response fetched at `time`.
    public mutating func observe(_ md: ClusterMetadata, at time: Date) {
        let live = md.liveBrokerIDs
        for b in md.brokers {
            known[b.id] = b
            leftAt[b.id] = nil
        }
        for id in known.keys where !live.contains(id) && leftAt[id] == nil { leftAt[id] = time }
    }

    /// The brokers that are not live in `md`: seen before, or named as replicas; by id.
    public func down(_ md: ClusterMetadata) -> [DownBroker] {
        let live = md.liveBrokerIDs
        var replicas: [Int32: Int] = [:]
        for t in md.topics {
            for p in t.partitions { for r in p.replicas where !live.contains(r) { replicas[r, default: 0] += 1 } }
        }
        let ids = Set(replicas.keys).union(known.keys.filter { !live.contains($0) })
        return ids.sorted().map { DownBroker(id: $0, lastSeen: known[$0], since: leftAt[$0], replicas: replicas[$0] ?? 0) }
    }

    /// The brokers `md` names as down when nothing was seen before it (the CLI's one snapshot).
    public static func down(_ md: ClusterMetadata) -> [DownBroker] {
        var r = BrokerRoster()
        r.observe(md, at: Date())
        return r.down(md)
    }
}

extension ClusterMetadata {
    /// The number of live brokers: the one count every screen and command shows and checks against.
    public var liveBrokerCount: Int { liveBrokerIDs.count }
}
