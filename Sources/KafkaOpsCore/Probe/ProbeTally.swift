import Foundation

/// What happened to the probe records of one partition during a run. Fed as the run goes
/// (sent, then acknowledged or failed, then read back), it tells what was lost, duplicated or
/// read out of order. Sequence numbers start at 0 and are sent in increasing order.
public struct ProbePartitionTally: Sendable {
    public let partition: Int32
    /// Send time (µs since the epoch) of every record sent, by sequence number.
    private var sentAt: [Int64: Int64] = [:]
    /// Acknowledgement time (µs) by sequence number.
    private var acknowledgedAt: [Int64: Int64] = [:]
    private var failedSeqs = Set<Int64>()
    private var receivedSeqs = Set<Int64>()
    private var highestReceived: Int64 = -1
    /// What the read after the run found in the log (nil: not checked).
    private var presentAfterRun: Set<Int64>?
    public private(set) var duplicated = 0
    public private(set) var outOfOrder = 0
    /// Failures by the broker's (or the client's) reason: NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT...
    public private(set) var errors: [String: Int] = [:]
    public private(set) var ackMillis: [Double] = []
    public private(set) var endToEndMillis: [Double] = []

    public init(partition: Int32) { self.partition = partition }

    public var sent: Int { sentAt.count }
    public var acknowledged: Int { acknowledgedAt.count }
    public var failed: Int { failedSeqs.count }
    public var received: Int { receivedSeqs.count }
    /// Acknowledged (written with acks=all) and never read back: what the cluster lost.
    public var lost: Int { lost(acknowledgedBefore: nil) }

    /// While a run goes on, a record acknowledged a moment ago may simply not have been read yet:
    /// only those acknowledged before `cutoff` (µs) count as lost.
    public func lost(acknowledgedBefore cutoff: Int64?) -> Int {
        acknowledgedAt.filter { seq, at in
            (!receivedSeqs.contains(seq) || presentAfterRun.map { !$0.contains(seq) } == true) && (cutoff.map { at < $0 } ?? true)
        }.count
    }

    /// Acknowledged read back once and no longer in the log after the run (an unclean election).
    public var goneAfterRead: Int {
        guard let present = presentAfterRun else { return 0 }
        return acknowledgedAt.keys.filter { receivedSeqs.contains($0) && !present.contains($0) }.count
    }

    var acknowledgedSequences: Set<Int64> { Set(acknowledgedAt.keys) }

    /// The sequence numbers found in the log when it was read again after the run.
    public mutating func verified(present: Set<Int64>) { presentAfterRun = present }
    /// Sent and neither acknowledged nor failed when the run ended (a frozen broker).
    public var unanswered: Int { sent - acknowledged - failed }

    public mutating func sent(sequence: Int64, atMicros: Int64) {
        sentAt[sequence] = atMicros
    }

    public mutating func acknowledged(sequence: Int64, atMicros: Int64) {
        guard let s = sentAt[sequence], acknowledgedAt[sequence] == nil else { return }
        acknowledgedAt[sequence] = atMicros
        failedSeqs.remove(sequence)
        ackMillis.append(Double(atMicros - s) / 1000)
    }

    /// `reason` is the error's name as Kafka spells it (NOT_ENOUGH_REPLICAS).
    public mutating func failed(sequence: Int64, reason: String) {
        guard sentAt[sequence] != nil, acknowledgedAt[sequence] == nil, !failedSeqs.contains(sequence) else { return }
        failedSeqs.insert(sequence)
        errors[reason, default: 0] += 1
    }

    /// A probe record of this run read back from this partition, in offset order.
    public mutating func received(_ payload: ProbePayload, atMicros: Int64) {
        let seq = payload.sequence
        if receivedSeqs.contains(seq) { duplicated += 1; return }
        receivedSeqs.insert(seq)
        if seq < highestReceived { outOfOrder += 1 } else { highestReceived = seq }
        endToEndMillis.append(Double(atMicros - payload.sentMicros) / 1000)
    }
}
