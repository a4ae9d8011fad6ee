import Foundation

/// A broker the cluster does not list as live: one the roster saw before, or one that partitions
/// still name as a replica (a metadata response lists live brokers only).
public struct DownBroker: Hashable, Sendable {
    public var id: Int32
    /// The broker as last seen live; nil when only replica lists name it.
    public var lastSeen: Broker?
    /// The first refresh that no longer listed it; nil when it was not seen live in this run.
    public var since: Date?
    /// When an earlier run last saw it live (`BrokerMemory`): it was down before this run began.
    public var lastSeenLiveBefore: Date?
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
    /// Brokers known only from earlier runs (`recall`), with when they were last seen live; none seen in this run.
    public private(set) var recalled: [Int32: Date] = [:]
    /// `recall` ran (once per connection: the console asks its `BrokerMemory` until then).
    public private(set) var hasRecalled = false

    public init() {}

    /// Takes a metadata response fetched at `time`.
    public mutating func observe(_ md: ClusterMetadata, at time: Date) {
        let live = md.liveBrokerIDs
        for b in md.brokers {
            known[b.id] = b
            leftAt[b.id] = nil
            recalled[b.id] = nil
        }
        // A broker recalled from an earlier run and not live now left before this run: when is not known.
        for id in known.keys where !live.contains(id) && leftAt[id] == nil && recalled[id] == nil { leftAt[id] = time }
    }

    /// Takes the brokers earlier runs saw live (`BrokerMemory`), so that one already down when this run
    /// began keeps its last known host; brokers this run saw are not replaced.
    public mutating func recall(_ brokers: [RememberedBroker]) {
        hasRecalled = true
        for r in brokers where known[r.broker.id] == nil {
            known[r.broker.id] = r.broker
            recalled[r.broker.id] = r.lastSeenLive
        }
    }

    /// The brokers that are not live in `md`: seen before, or named as replicas; by id.
    public func down(_ md: ClusterMetadata) -> [DownBroker] {
        let live = md.liveBrokerIDs
        var replicas: [Int32: Int] = [:]
        for t in md.topics {
            for p in t.partitions { for r in p.replicas where !live.contains(r) { replicas[r, default: 0] += 1 } }
        }
        let ids = Set(replicas.keys).union(known.keys.filter { !live.contains($0) })
        return ids.sorted().map {
            DownBroker(id: $0, lastSeen: known[$0], since: leftAt[$0], lastSeenLiveBefore: recalled[$0], replicas: replicas[$0] ?? 0)
        }
    }

    /// The brokers `md` names as down when nothing was seen before it (the CLI's one snapshot).
    public static func down(_ md: ClusterMetadata) -> [DownBroker] {
        var r = BrokerRoster()
        r.observe(md, at: Date())
        return r.down(md)
    }
}

/// A broker as a run last saw it live: what `BrokerMemory` keeps between runs.
public struct RememberedBroker: Hashable, Sendable, Codable {
    public var broker: Broker
    public var lastSeenLive: Date

    public init(broker: Broker, lastSeenLive: Date) {
        var b = broker
        b.certificate = nil  // facts of one connection, not of the broker
        self.broker = b
        self.lastSeenLive = lastSeenLive
    }
}

/// The brokers of each cluster seen live by earlier runs on this machine (kept under the state directory by
/// `KafkaOpsFiles.BrokerMemoryFile`): a broker already down when the console starts is shown with its last
/// known host and when it was last seen, not as an id alone. Called off the main actor.
public protocol BrokerMemory: Sendable {
    /// What earlier runs saw of `cluster` (its cluster id); empty when nothing, or when it cannot be read.
    func recall(cluster: String) -> [RememberedBroker]
    /// Adds the brokers live at `time` to what is kept for `cluster` (the others stay as they were).
    func remember(cluster: String, live: [Broker], at time: Date)
}

extension ClusterMetadata {
    /// The number of live brokers: the one count every screen and command shows and checks against.
    public var liveBrokerCount: Int { liveBrokerIDs.count }
}
