import Foundation

/// A bounded window of lag samples per group and partition (issue 11, point 1): the console
/// feeds it on every refresh and the CLI's `--window` sampling feeds it once per interval.
///
/// Compact by construction (10,000 partitions x 30 minutes at 5 s fit in under 30 MB): a group's
/// samples share one ring of times (a group's offsets are read together), and each partition
/// keeps two fixed-size rings of 16-bit deltas (absolute values on the side where they do not
/// fit), not one object per sample. The oldest sample is dropped when the ring is full or older than the window.
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
        // Mutated in place (a copy taken out of the dictionary would copy every ring).
        groups[group, default: GroupRing(capacity: capacity)].append(time: time, hasMembers: hasMembers,
                                                                      partitions: partitions, window: window)
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
        for key in Array(partitions.keys) where input[key] == nil { partitions[key]?.clear(s) }
        for (tp, v) in input {
            partitions[tp, default: PartitionRing(capacity: capacity)].set(s, committed: v.committed, logEnd: v.logEnd)
            if let start = v.logStart { partitions[tp]?.logStart = start }
        }
        if hasMembers { emptySince = nil } else if emptySince == nil { emptySince = time }
        lastHasMembers = hasMembers
    }

    mutating func dropOldest() {
        guard count > 0 else { return }
        let s = slot(0)
        for key in Array(partitions.keys) { partitions[key]?.dropOldest(s) }
        head = (head + 1) % capacity
        count -= 1
    }

    func samples(_ tp: TopicPartition) -> [LagSample] {
        guard let ring = partitions[tp] else { return [] }
        var out: [LagSample] = []
        out.reserveCapacity(count)
        let values = ring.decode(head: head, count: count)
        for i in 0..<count {
            let s = slot(i)
            guard let v = values[i] else { continue }
            out.append(LagSample(time: Date(timeIntervalSinceReferenceDate: times[s]), committed: v.committed,
                                 logEnd: v.logEnd, logStart: i == count - 1 ? ring.logStart : nil))
        }
        return out
    }

    var approximateBytes: Int {
        capacity * 9 + partitions.values.reduce(0) { $0 + $1.approximateBytes }
    }
}

/// One partition's offsets in a group's ring: per slot a 16-bit delta from the previous slot's
/// committed offset and log end (4 bytes a sample); a slot whose values do not fit (a jump of more
/// than 32,766 offsets, a missing commit, the first value after a gap) and the oldest slot hold
/// absolute values in a small side list instead.
struct PartitionRing: Sendable {
    static let absent = Int16.min
    static let wideMark = Int16.min + 1
    let capacity: Int
    var committed: [Int16]
    var end: [Int16]
    /// Absolute values of the slots marked `wideMark`.
    var wide: [(slot: Int32, committed: Int64?, end: Int64?)] = []
    /// The newest sample written: its slot and values (the base of the next delta).
    var lastSlot: Int?
    var lastCommitted: Int64?
    var lastEnd: Int64?
    var logStart: Int64?

    init(capacity: Int) {
        self.capacity = capacity
        committed = Array(repeating: Self.absent, count: capacity)
        end = Array(repeating: Self.absent, count: capacity)
    }

    mutating func clear(_ s: Int) {
        if committed[s] == Self.wideMark { wide.removeAll { $0.slot == Int32(s) } }
        committed[s] = Self.absent; end[s] = Self.absent
        if lastSlot == s { lastSlot = nil }
    }

    static func fit(_ v: Int64?, _ prev: Int64?) -> Int16? {
        guard let v, let prev else { return nil }
        let (d, o) = v.subtractingReportingOverflow(prev)
        guard !o, d > Int64(wideMark), d <= Int64(Int16.max) else { return nil }
        return Int16(d)
    }

    mutating func set(_ s: Int, committed c: Int64?, logEnd e: Int64?) {
        clear(s)
        let previous = lastSlot.map { ($0 + 1) % capacity == s } ?? false
        if previous, let dc = Self.fit(c, lastCommitted), let de = Self.fit(e, lastEnd) {
            committed[s] = dc; end[s] = de
        } else {
            committed[s] = Self.wideMark; end[s] = 0
            wide.append((Int32(s), c, e))
        }
        lastSlot = s; lastCommitted = c; lastEnd = e
    }

    /// The values of slots `head`, `head + 1`, ... (`count` of them), oldest first; nil where there is no sample.
    func decode(head: Int, count: Int) -> [(committed: Int64?, logEnd: Int64?)?] {
        var out: [(committed: Int64?, logEnd: Int64?)?] = []
        out.reserveCapacity(count)
        var c: Int64?, e: Int64?
        for i in 0..<count {
            let s = (head + i) % capacity
            let mark = committed[s]
            if mark == Self.absent { out.append(nil); c = nil; e = nil; continue }
            if mark == Self.wideMark {
                let w = wide.first { $0.slot == Int32(s) }
                c = w?.committed; e = w?.end
            } else {
                c = c.map { $0 + Int64(mark) }; e = e.map { $0 + Int64(end[s]) }
            }
            out.append((c, e))
        }
        return out
    }

    /// Before the oldest slot `s` is dropped: the next slot becomes the oldest and must hold absolute values.
    mutating func dropOldest(_ s: Int) {
        let next = (s + 1) % capacity
        if committed[next] != Self.absent && committed[next] != Self.wideMark {
            if let v = decode(head: s, count: 2).last, let v {
                committed[next] = Self.wideMark; end[next] = 0
                wide.append((Int32(next), v.committed, v.logEnd))
            }
        }
        clear(s)
    }

    var approximateBytes: Int { capacity * 4 + wide.count * 40 + 120 }
}
