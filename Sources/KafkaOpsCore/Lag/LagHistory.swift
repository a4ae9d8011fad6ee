import Foundation

/// A bounded window of lag samples per group and partition (issue 11, point 1): the console
/// feeds it on every refresh and the CLI's `--window` sampling feeds it once per interval.
///
/// Compact by construction (10,000 partitions x 30 minutes at 5 s fit in under 30 MB): a group's
/// samples share one ring of times (a group's offsets are read together), and each partition
/// keeps two fixed-size rings of 32-bit offsets relative to a per-partition base, not one object
/// per sample. The oldest sample is dropped when the ring is full or older than the window.
/// The log start is kept as its latest value only (the data-loss rules need no history of it).
public struct LagHistory: Sendable {
    /// How much time the history keeps.
    public let window: TimeInterval
    /// Samples kept per partition: the window at the refresh interval, plus one.
    public let capacity: Int
    var groups: [String: GroupRing] = [:]

    /// `interval`: the shortest time between two samples the caller will take (the refresh interval).
    public init(window: TimeInterval = 1_800, interval: TimeInterval = 5) {
        self.window = max(0, window)
        self.capacity = max(2, Int((window / max(0.001, interval)).rounded(.up)) + 1)
    }

    /// One refresh of a group: the time, whether it had members, and per partition its offsets
    /// (`committed` nil: no commit; `logEnd`/`logStart` nil: not read).
    public mutating func record(group: String, time: Date, hasMembers: Bool,
                                partitions: [TopicPartition: (committed: Int64?, logEnd: Int64?, logStart: Int64?)]) {
        var ring = groups[group] ?? GroupRing(capacity: capacity)
        ring.append(time: time, hasMembers: hasMembers, partitions: partitions, window: window)
        groups[group] = ring
    }

    /// Records a group's lag as read in one refresh.
    public mutating func record(_ lag: GroupLag, time: Date, hasMembers: Bool) {
        var p: [TopicPartition: (committed: Int64?, logEnd: Int64?, logStart: Int64?)] = [:]
        for x in lag.partitions { p[x.partition] = (x.committed, x.logEnd, x.logStart) }
        record(group: lag.group, time: time, hasMembers: hasMembers, partitions: p)
    }

    /// Forget groups that no longer exist.
    public mutating func retain(groups keep: Set<String>) {
        groups = groups.filter { keep.contains($0.key) }
    }

    public var groupIDs: [String] { groups.keys.sorted() }

    /// The samples of one partition of one group, oldest first (within the window).
    public func samples(group: String, partition: TopicPartition) -> [LagSample] {
        groups[group]?.samples(partition) ?? []
    }

    /// The partitions a group has samples for.
    public func partitions(group: String) -> [TopicPartition] {
        groups[group]?.partitions.keys.sorted() ?? []
    }

    /// Whether the group had members in its latest sample.
    public func hasMembers(group: String) -> Bool { groups[group]?.lastHasMembers ?? false }

    /// The first sample time of the current run of samples without members ("empty since at
    /// least"); nil when the latest sample had members or there is none.
    public func emptySince(group: String) -> Date? { groups[group]?.emptySince }

    /// The number of samples a group has.
    public func sampleCount(group: String) -> Int { groups[group]?.count ?? 0 }

    /// Bytes held by the samples (the rings' storage), for the benchmark.
    public var approximateBytes: Int {
        groups.values.reduce(0) { $0 + $1.approximateBytes }
    }
}

/// One group's samples: a ring of times shared by its partitions' rings.
struct GroupRing: Sendable {
    let capacity: Int
    /// Seconds since the reference date, one per sample slot.
    var times: [Double]
    var members: [Bool]
    var head = 0
    var count = 0
    var partitions: [TopicPartition: PartitionRing] = [:]
    var emptySince: Date?
    var lastHasMembers = false

    init(capacity: Int) {
        self.capacity = capacity
        times = Array(repeating: 0, count: capacity)
        members = Array(repeating: false, count: capacity)
    }

    func slot(_ i: Int) -> Int { (head + i) % capacity }

    mutating func append(time: Date, hasMembers: Bool,
                         partitions input: [TopicPartition: (committed: Int64?, logEnd: Int64?, logStart: Int64?)],
                         window: TimeInterval) {
        let t = time.timeIntervalSinceReferenceDate
        // A sample older than the newest one (a clock step back) restarts the history.
        if count > 0, t < times[slot(count - 1)] { head = 0; count = 0; partitions = [:] }
        // Drop what fell out of the window (keeping the newest) and make room.
        while count > 1, t - times[slot(0)] > window { dropOldest() }
        if count == capacity { dropOldest() }
        let s = slot(count)
        times[s] = t
        members[s] = hasMembers
        count += 1
        for key in partitions.keys where input[key] == nil { partitions[key]?.clear(s) }
        for (tp, v) in input {
            var ring = partitions[tp] ?? PartitionRing(capacity: capacity)
            ring.set(s, committed: v.committed, logEnd: v.logEnd)
            if let start = v.logStart { ring.logStart = start }
            partitions[tp] = ring
        }
        if hasMembers { emptySince = nil } else if emptySince == nil { emptySince = time }
        lastHasMembers = hasMembers
    }

    mutating func dropOldest() {
        guard count > 0 else { return }
        let s = slot(0)
        for key in Array(partitions.keys) { partitions[key]?.clear(s) }
        head = (head + 1) % capacity
        count -= 1
    }

    func samples(_ tp: TopicPartition) -> [LagSample] {
        guard let ring = partitions[tp] else { return [] }
        var out: [LagSample] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let s = slot(i)
            guard let v = ring.get(s) else { continue }
            out.append(LagSample(time: Date(timeIntervalSinceReferenceDate: times[s]), committed: v.committed,
                                 logEnd: v.logEnd, logStart: i == count - 1 ? ring.logStart : nil))
        }
        return out
    }

    var approximateBytes: Int {
        capacity * 9 + partitions.count * (capacity * 8 + 64)
    }
}

/// One partition's offsets in a group's ring: 32-bit deltas from a base, `Int32.min` for none.
struct PartitionRing: Sendable {
    static let absent = Int32.min
    /// Present but nil (the group has no commit for the partition / the log end was not read).
    static let none = Int32.min + 1
    var committedBase: Int64?
    var endBase: Int64?
    var committed: [Int32]
    var end: [Int32]
    var logStart: Int64?

    init(capacity: Int) {
        committed = Array(repeating: Self.absent, count: capacity)
        end = Array(repeating: Self.absent, count: capacity)
    }

    mutating func clear(_ s: Int) { committed[s] = Self.absent; end[s] = Self.absent }

    /// A delta from `base` that fits, or nil (then the ring restarts from this value).
    static func delta(_ v: Int64, _ base: Int64) -> Int32? {
        let (d, o) = v.subtractingReportingOverflow(base)
        guard !o, d > Int64(Self.none), d <= Int64(Int32.max) else { return nil }
        return Int32(d)
    }

    mutating func set(_ s: Int, committed c: Int64?, logEnd e: Int64?) {
        if committedBase == nil { committedBase = c }
        if endBase == nil { endBase = e }
        if !Self.fits(c, committedBase) || !Self.fits(e, endBase) {
            // Billions of offsets from the bases: the older values go and the ring restarts here.
            for i in committed.indices { clear(i) }
            committedBase = c ?? committedBase
            endBase = e ?? endBase
        }
        committed[s] = Self.encode(c, committedBase)
        end[s] = Self.encode(e, endBase)
    }

    static func fits(_ v: Int64?, _ base: Int64?) -> Bool {
        guard let v else { return true }
        guard let base else { return false }
        return delta(v, base) != nil
    }

    static func encode(_ v: Int64?, _ base: Int64?) -> Int32 {
        guard let v, let base, let d = delta(v, base) else { return none }
        return d
    }

    /// nil: the slot holds no sample for this partition.
    func get(_ s: Int) -> (committed: Int64?, logEnd: Int64?)? {
        let c = committed[s], e = end[s]
        if c == Self.absent && e == Self.absent { return nil }
        func decode(_ x: Int32, _ base: Int64?) -> Int64? {
            guard x != Self.absent, x != Self.none, let base else { return nil }
            return base + Int64(x)
        }
        return (decode(c, committedBase), decode(e, endBase))
    }
}
