import Foundation
import KafkaOpsCore

/// The probe screen (`:probe`, issue 16): while it is open, acks=all records go to every
/// partition of the probe topic at a low rate and are read back as they land, in windows of a few
/// seconds (`ProbeRunner`, the CLI's `kafkaops probe`). Per leader broker: a latency sparkline and
/// the counts acknowledged / refused / lost, and why writes are refused. When the topic is missing,
/// `c` creates it through the checked, audited creation (`topic create`'s path); a read-only
/// connection cannot probe (every probe record is a write).
public struct ProbePanel: FlowPanel {
    public enum Stage: Sendable, Hashable {
        /// Reading the metadata.
        case checking
        /// The topic does not exist: what would be created, and what the policy says.
        case missing(NewTopic, verdict: String, refusal: String?)
        case creating
        /// The topic exists and the profile is protected: its name is typed before anything is written.
        case confirming
        case running
        /// The probe cannot run (read-only, a cluster error): why.
        case stopped(String)
    }

    public let topic: String
    /// Records per second in all (the profile's `probe_rate`; 10 by default).
    public let rate: Double
    public internal(set) var stage: Stage = .checking
    /// Every finished window's report, oldest first (the last `keptWindows`).
    public internal(set) var windows: [ProbeReport] = []
    public internal(set) var startedAt: Date?
    /// The topic's name typed on a protected profile before it is created or written to.
    public var confirmation: NameConfirmation
    /// The name once typed right: the run's confirmation (`ChangePipeline` checks it again).
    var confirmed: String?
    /// Set when the run's outcome record is written: the windows stay on screen, nothing is sent any more.
    public internal(set) var ended: String?
    /// The checked creation's findings and policy name (with `.missing`).
    var creation: (findings: [Finding], policyName: String)?
    var runs = JobTickets()

    public static let defaultRate = ProbeWindows.defaultRate
    /// Seconds of sending per window; each window is then read back before the next starts.
    public static let window: Duration = ProbeWindows.window
    public static let keptWindows = 120

    public var title: String { "Probe " + Fmt.safe(topic) }

    public init(topic: String?, rate: Double?, _ ctx: PanelContext) {
        let name = topic ?? ProbeTopic.defaultName
        self.topic = name
        self.rate = rate ?? Self.defaultRate
        confirmation = NameConfirmation(name: name, refusal: "type the topic name '\(Fmt.safe(name))' to confirm (protected profile)")
    }

    /// Per leader broker, over every window kept: what was acknowledged, refused and lost, and the
    /// acknowledgement latency (p50 per window, µs) for the sparkline. Partitions without a leader
    /// are broker nil (offline).
    public struct BrokerTotals: Sendable, Hashable {
        public var broker: Int32?
        public var partitions: Set<Int32> = []
        public var acknowledged = 0
        public var refused = 0
        public var lost = 0
        public var ackP50Micros: [Int64?] = []
        public var lastAck: LatencySummary?
    }

    public var brokerTotals: [BrokerTotals] {
        var byBroker: [Int32?: BrokerTotals] = [:]
        for (i, w) in windows.enumerated() {
            for p in w.partitions {
                var t = byBroker[p.leader] ?? BrokerTotals(broker: p.leader)
                t.partitions.insert(p.partition)
                t.acknowledged += p.acknowledged
                t.refused += p.failed + p.unanswered
                t.lost += p.lost
                byBroker[p.leader] = t
            }
            for key in Array(byBroker.keys) {
                var t = byBroker[key]!
                let ack = key.flatMap { b in w.brokers.first { $0.broker == b }?.ackMs }
                while t.ackP50Micros.count < i { t.ackP50Micros.append(nil) }
                t.ackP50Micros.append(ack?.p50.map { Int64(($0 * 1000).rounded()) })
                if let ack, ack.p50 != nil { t.lastAck = ack }
                byBroker[key] = t
            }
        }
        return byBroker.values.sorted { ($0.broker ?? .max) < ($1.broker ?? .max) }
    }

    /// Refused or failed writes of the last window, by partition: (partition, leader, reason, count).
    public var lastRefusals: [(partition: Int32, leader: Int32?, reason: String, count: Int)] {
        guard let w = windows.last else { return [] }
        return w.partitions.flatMap { p in
            p.errors.sorted { $0.key < $1.key }.map { (p.partition, p.leader, $0.key, $0.value) }
        }
    }

    public var totals: (acknowledged: Int, refused: Int, lost: Int, duplicated: Int) {
        windows.reduce((0, 0, 0, 0)) { a, w in
            (a.0 + w.acknowledged, a.1 + w.failed + w.unanswered, a.2 + w.lost, a.3 + w.duplicated)
        }
    }

    /// A running probe is a change (`probe.run`): on SIGHUP/SIGTERM the console lets it record its outcome.
    public var changeInFlight: String? { stage == .running && ended == nil ? "the probe is writing" : nil }
}
