import Foundation

/// The result of a probe run (issue 16), in the shape `kafkaops probe --output json` prints.
public struct ProbeReport: Sendable, Codable {
    public struct Partition: Sendable, Codable {
        public var partition: Int32
        public var leader: Int32?
        public var sent, acknowledged, failed, received, lost, duplicated: Int
        public var outOfOrder: Int
        /// Sent and never answered (a frozen or dead broker ended the run first).
        public var unanswered: Int
        public var errors: [String: Int]
        public var ackMs: LatencySummary
        public var e2eMs: LatencySummary

        enum CodingKeys: String, CodingKey {
            case partition, leader, sent, acknowledged, failed, errors, received, lost, duplicated
            case outOfOrder = "out_of_order", unanswered, ackMs = "ack_ms", e2eMs = "e2e_ms"
        }
    }

    public struct Broker: Sendable, Codable {
        public var broker: Int32
        public var partitions: [Int32]
        public var ackMs: LatencySummary
        public var e2eMs: LatencySummary

        enum CodingKeys: String, CodingKey { case broker, partitions, ackMs = "ack_ms", e2eMs = "e2e_ms" }
    }

    public var topic: String
    public var runID: String
    public var sent, acknowledged, failed, received, lost, duplicated: Int
    public var outOfOrder: Int
    public var unanswered: Int
    public var ackMs: LatencySummary
    public var e2eMs: LatencySummary
    public var partitions: [Partition]
    public var brokers: [Broker]
    /// Every acknowledgement's latency in ms, for a histogram (`kafkaops watch --probe`); not in the JSON.
    public var ackLatencyMillis: [Double] = []

    enum CodingKeys: String, CodingKey {
        case topic, runID = "run_id", sent, acknowledged, failed, received, lost, duplicated
        case outOfOrder = "out_of_order", unanswered, ackMs = "ack_ms", e2eMs = "e2e_ms", partitions, brokers
    }

    /// `leaders`: each partition's leader when the run started (nil: no leader). While the run
    /// goes on, `lostCutoffMicros` leaves out of `lost` what was acknowledged after it (not read yet).
    public init(topic: String, runID: String, tallies: [ProbePartitionTally], leaders: [Int32: Int32],
                lostCutoffMicros: Int64? = nil) {
        self.topic = topic; self.runID = runID
        let sorted = tallies.sorted { $0.partition < $1.partition }
        partitions = sorted.map { t in
            Partition(partition: t.partition, leader: leaders[t.partition], sent: t.sent, acknowledged: t.acknowledged,
                      failed: t.failed, received: t.received, lost: t.lost(acknowledgedBefore: lostCutoffMicros), duplicated: t.duplicated,
                      outOfOrder: t.outOfOrder, unanswered: t.unanswered, errors: t.errors,
                      ackMs: LatencySummary(t.ackMillis), e2eMs: LatencySummary(t.endToEndMillis))
        }
        sent = sorted.reduce(0) { $0 + $1.sent }
        acknowledged = sorted.reduce(0) { $0 + $1.acknowledged }
        failed = sorted.reduce(0) { $0 + $1.failed }
        received = sorted.reduce(0) { $0 + $1.received }
        lost = sorted.reduce(0) { $0 + $1.lost(acknowledgedBefore: lostCutoffMicros) }
        duplicated = sorted.reduce(0) { $0 + $1.duplicated }
        outOfOrder = sorted.reduce(0) { $0 + $1.outOfOrder }
        unanswered = sorted.reduce(0) { $0 + $1.unanswered }
        ackLatencyMillis = sorted.flatMap(\.ackMillis)
        ackMs = LatencySummary(ackLatencyMillis)
        e2eMs = LatencySummary(sorted.flatMap(\.endToEndMillis))
        var byLeader: [Int32: [ProbePartitionTally]] = [:]
        for t in sorted { if let l = leaders[t.partition] { byLeader[l, default: []].append(t) } }
        brokers = byLeader.keys.sorted().map { b in
            let ts = byLeader[b] ?? []
            return Broker(broker: b, partitions: ts.map(\.partition),
                          ackMs: LatencySummary(ts.flatMap(\.ackMillis)), e2eMs: LatencySummary(ts.flatMap(\.endToEndMillis)))
        }
    }

    /// Every way a run can fail to prove the write path, worst first; empty when it proved it:
    /// nothing acknowledged was lost or duplicated, nothing was refused or left unanswered, and
    /// every partition was read back in the order it was written.
    public var problems: [String] {
        var out: [String] = []
        if lost > 0 { out.append("\(lost) acknowledged record(s) lost") }
        if duplicated > 0 { out.append("\(duplicated) record(s) duplicated") }
        if outOfOrder > 0 { out.append("\(outOfOrder) record(s) read out of order") }
        if failed > 0 {
            var reasons: [String: Int] = [:]
            for p in partitions { for (k, v) in p.errors { reasons[k, default: 0] += v } }
            let list = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out.append("\(failed) write(s) refused or failed (\(list))")
        }
        if unanswered > 0 {
            let ps = partitions.filter { $0.unanswered > 0 }.map { String($0.partition) }.joined(separator: ", ")
            out.append("\(unanswered) write(s) never answered (partition \(ps))")
        }
        return out
    }

    public var passed: Bool { problems.isEmpty }
}

/// What a refused or failed probe write means, for the operator (the CLI's table and the console).
public enum ProbeReason {
    public static func explain(_ code: String) -> String {
        switch code {
        case "NOT_ENOUGH_REPLICAS", "NOT_ENOUGH_REPLICAS_AFTER_APPEND":
            return "the ISR is under min.insync.replicas: acks=all writes are refused instead of being acknowledged and lost"
        case "LEADER_NOT_AVAILABLE", "NOT_LEADER_OR_FOLLOWER", "NOT_LEADER_FOR_PARTITION":
            return "the partition has no leader (offline) or its leader moved"
        case "MSG_TIMED_OUT", "TIMEOUT", "REQUEST_TIMED_OUT", "TIMED_OUT":
            return "no answer in time: the leader is slow, frozen or unreachable"
        case "UNKNOWN_TOPIC_OR_PART", "UNKNOWN_TOPIC_OR_PARTITION":
            return "the topic or partition does not exist (any more)"
        case "TOPIC_AUTHORIZATION_FAILED", "CLUSTER_AUTHORIZATION_FAILED":
            return "this principal may not write to the probe topic (ACLs)"
        default:
            return "the broker refused the write"
        }
    }
}
