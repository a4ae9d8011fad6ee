import Foundation
import KafkaOpsCore

/// What a simulated cluster starts as, and the knobs of its scripted behaviour.
public struct DemoScenario: Sendable {
    /// A broker that goes down on a timer: down at `firstDownAt` seconds after the cluster
    /// starts, for `downFor` seconds, again every `every` seconds (nil: only once).
    public struct BrokerFailure: Sendable, Hashable {
        public var broker: Int32
        public var firstDownAt: Double
        public var downFor: Double
        public var every: Double?

        public init(broker: Int32, firstDownAt: Double, downFor: Double, every: Double? = nil) {
            self.broker = broker; self.firstDownAt = firstDownAt; self.downFor = downFor; self.every = every
        }
    }

    /// One broker config as DescribeConfigs reports it.
    public struct BrokerSetting: Sendable, Hashable {
        public var name: String
        public var value: String?
        public var source: ConfigSource
        public var isSensitive: Bool
        public var isReadOnly: Bool

        public init(_ name: String, _ value: String?, _ source: ConfigSource, sensitive: Bool = false, readOnly: Bool = false) {
            self.name = name; self.value = value; self.source = source
            self.isSensitive = sensitive; self.isReadOnly = readOnly
        }
    }

    public var name: String
    public var clusterID: String
    public var brokers: [Broker]
    public var controllerID: Int32
    /// The scripted failure; nil for a cluster that never fails by itself (`setBrokerDown` still works).
    public var brokerFailure: BrokerFailure?
    /// Seconds a returning broker's replicas need to catch up before they rejoin the ISR.
    public var catchUpSeconds: Double
    /// auto.leader.rebalance.enable: the controller's preferred-leader check interval
    /// (Kafka: 300 s, acting above 10 % imbalance per broker); nil turns it off.
    public var autoLeaderRebalanceSeconds: Double?
    /// Added to every call (zero in tests).
    public var latency: Duration
    /// Cluster-wide broker configs (the same on every broker, apart from broker.id, broker.rack and listeners).
    public var brokerSettings: [BrokerSetting]

    var topics: [TopicSpec]
    var groups: [GroupSpec]

    public var topicNames: [String] { topics.map(\.name) }
    public var groupIDs: [String] { groups.map(\.id) }
    public var partitionCount: Int { topics.reduce(0) { $0 + Int($1.partitions) } }

    init(name: String, clusterID: String, brokers: [Broker], controllerID: Int32, brokerFailure: BrokerFailure?,
         catchUpSeconds: Double = 5, autoLeaderRebalanceSeconds: Double? = 300, latency: Duration = .zero,
         brokerSettings: [BrokerSetting], topics: [TopicSpec], groups: [GroupSpec]) {
        self.name = name; self.clusterID = clusterID; self.brokers = brokers; self.controllerID = controllerID
        self.brokerFailure = brokerFailure; self.catchUpSeconds = catchUpSeconds
        self.autoLeaderRebalanceSeconds = autoLeaderRebalanceSeconds; self.latency = latency
        self.brokerSettings = brokerSettings; self.topics = topics; self.groups = groups
    }
}

// MARK: - specs (internal)

enum RecordKind: Sendable, Hashable {
    case orders, payments, clickstream, inventory, audit, profiles, metrics, shipments, notifications, generic
    /// Spring Kafka DeadLetterPublishingRecoverer output for `original`.
    case springDLT(original: String, originalPartitions: Int32, group: String)
    /// Kafka Connect DLQ with context headers (some records without).
    case connectDLQ(original: String, originalPartitions: Int32, connector: String)
    case consumerOffsets
    case transactionState
}

struct TopicSpec: Sendable {
    var name: String
    var partitions: Int32
    var replicationFactor: Int
    var overrides: [String: String] = [:]
    /// Records per second over the whole topic (0: idle).
    var rate: Double
    /// Seconds of history already in the log when the cluster starts.
    var history: Double
    /// For idle topics: the rate the history was written at, and how long ago writing stopped.
    var historyRate: Double? = nil
    var idleFor: Double = 0
    var kind: RecordKind
    var isInternal = false
    /// Offset of the first broker in the round-robin assignment (Kafka picks it at random).
    var assignmentStart = 0
    /// Explicit replica lists per partition (overrides the round-robin assignment).
    var replicaAssignment: [[Int32]]? = nil
    /// Partition -> (follower out of the ISR, records it is behind).
    var laggingFollowers: [Int32: (broker: Int32, behind: Int64)] = [:]
    /// Partition -> seconds after start (negative: before) a transaction was opened and left open:
    /// the last stable offset stays at its first record.
    var openTransactions: [Int32: Double] = [:]
}

enum CommitBehaviour: Sendable, Hashable {
    /// Commits the first record younger than `delay` seconds: keeps up.
    case following(delay: Double)
    /// Consumes at `fraction` of the producing rate, starting `initialLagSeconds` behind: lag grows.
    case slow(fraction: Double, initialLagSeconds: Double)
    /// Kept up (with `delay`) until `since` seconds after start (negative: before start), then stopped committing.
    case stalled(since: Double, delay: Double)
    /// Committed `by` records above the log end it had at start (after a truncation).
    case aheadOfEnd(by: Int64)
    /// Committed at the log start it had when the cluster started, never moved.
    case atStart
    /// Starts `initialLagSeconds` behind and consumes at `speed` times the producing rate until it
    /// has caught up with `delay`: lag shrinks.
    case catchingUp(speed: Double, initialLagSeconds: Double, delay: Double)
    /// Follows with `delay`, but every other `every` seconds its offsets are reset `back` seconds
    /// into the past (a consumer rewinding): the committed offset goes back.
    case rewinding(every: Double, back: Double, delay: Double)
}

struct GroupSpec: Sendable {
    var id: String
    var topics: [String]
    var members: Int
    var state: GroupState
    var assignor: String = "range"
    var behaviour: CommitBehaviour
    /// Partitions the group never committed.
    var withoutCommit: Set<TopicPartition> = []
    var clientPrefix: String? = nil
    var subnet: Int = 20
    var isSimple = false
    /// The group's protocol: `classic`, or KIP-848's `consumer`.
    var type: GroupType = .classic
}

// MARK: - standard scenario

extension DemoScenario {
    static func standardBrokerSettings() -> [BrokerSetting] {
        [
            BrokerSetting("advertised.listeners", nil, .staticBroker, readOnly: true),
            BrokerSetting("auto.create.topics.enable", "false", .staticBroker, readOnly: true),
            BrokerSetting("auto.leader.rebalance.enable", "true", .defaultConfig, readOnly: true),
            BrokerSetting("compression.type", "producer", .defaultConfig),
            BrokerSetting("default.replication.factor", "3", .staticBroker, readOnly: true),
            BrokerSetting("leader.imbalance.check.interval.seconds", "300", .defaultConfig, readOnly: true),
            BrokerSetting("leader.imbalance.per.broker.percentage", "10", .defaultConfig, readOnly: true),
            BrokerSetting("log.cleaner.delete.retention.ms", "86400000", .defaultConfig),
            BrokerSetting("log.cleaner.min.compaction.lag.ms", "0", .defaultConfig),
            BrokerSetting("log.cleanup.policy", "delete", .defaultConfig),
            BrokerSetting("log.dirs", "/var/lib/kafka/data", .staticBroker, readOnly: true),
            BrokerSetting("log.message.timestamp.type", "CreateTime", .defaultConfig),
            BrokerSetting("log.retention.bytes", "-1", .defaultConfig),
            BrokerSetting("log.retention.hours", "168", .staticBroker, readOnly: true),
            BrokerSetting("log.retention.ms", nil, .defaultConfig),
            BrokerSetting("log.segment.bytes", "1073741824", .defaultConfig),
            BrokerSetting("message.max.bytes", "1048588", .defaultConfig),
            BrokerSetting("min.insync.replicas", "1", .defaultConfig),
            BrokerSetting("num.partitions", "6", .staticBroker, readOnly: true),
            BrokerSetting("offsets.topic.replication.factor", "3", .defaultConfig, readOnly: true),
            BrokerSetting("replica.lag.time.max.ms", "30000", .defaultConfig, readOnly: true),
            BrokerSetting("ssl.keystore.password", nil, .staticBroker, sensitive: true),
            BrokerSetting("transaction.state.log.min.isr", "2", .defaultConfig, readOnly: true),
            BrokerSetting("transaction.state.log.replication.factor", "3", .defaultConfig, readOnly: true),
            BrokerSetting("unclean.leader.election.enable", "false", .defaultConfig),
        ]
    }

    static func demoBrokers(_ n: Int) -> [Broker] {
        let racks = ["a", "b", "c"]
        return (1...max(1, n)).map { i in
            Broker(id: Int32(i), host: "kafka-\(i).demo", port: 9092, rack: "eu-west-1\(racks[(i - 1) % racks.count])")
        }
    }

    /// Three brokers (racks eu-west-1a/b/c), about 20 topics of which several are unsafe, DLQs,
    /// consumer groups in every condition, and broker 3 failing for 40 s every 120 s from t=30 s.
    public static var standard: DemoScenario {
        let safe = ["min.insync.replicas": "2"]
        let day = 86_400.0
        let topics: [TopicSpec] = [
            TopicSpec(name: "orders", partitions: 12, replicationFactor: 3, overrides: safe,
                      rate: 120, history: 2 * day, kind: .orders, assignmentStart: 0),
            TopicSpec(name: "orders-dlt", partitions: 3, replicationFactor: 3,
                      overrides: safe.merging(["retention.ms": "1209600000"]) { a, _ in a },
                      rate: 0.05, history: 2_400, kind: .springDLT(original: "orders", originalPartitions: 12, group: "order-service"),
                      assignmentStart: 1),
            // payments-0: a transaction opened 20 minutes before the start was never committed or
            // aborted (a hanging transaction): its read_committed consumers cannot read past it.
            TopicSpec(name: "payments", partitions: 6, replicationFactor: 3, overrides: safe,
                      rate: 40, history: 3 * day, kind: .payments, assignmentStart: 2, openTransactions: [0: -1_200]),
            TopicSpec(name: "payments.DLQ", partitions: 1, replicationFactor: 3, overrides: safe,
                      rate: 0.02, history: 3_000,
                      kind: .connectDLQ(original: "payments", originalPartitions: 6, connector: "payments-jdbc-sink"),
                      assignmentStart: 1),
            // RF 2, min ISR 1 (broker default), one-hour retention: unsafe on three counts.
            TopicSpec(name: "clickstream", partitions: 12, replicationFactor: 2, overrides: ["retention.ms": "3600000"],
                      rate: 600, history: 0.5 * day, kind: .clickstream, assignmentStart: 1),
            TopicSpec(name: "inventory", partitions: 8, replicationFactor: 3, overrides: safe,
                      rate: 25, history: 4 * day, kind: .inventory, assignmentStart: 2),
            // RF == min ISR: one broker down stops every acks=all write.
            TopicSpec(name: "audit-log", partitions: 4, replicationFactor: 3,
                      overrides: ["min.insync.replicas": "3", "retention.ms": "31536000000"],
                      rate: 8, history: 5 * day, kind: .audit, assignmentStart: 0),
            TopicSpec(name: "user-profiles", partitions: 6, replicationFactor: 3,
                      overrides: ["min.insync.replicas": "2", "cleanup.policy": "compact"],
                      rate: 3, history: 6 * day, kind: .profiles, assignmentStart: 1),
            // No min ISR override: the broker default 1 applies.
            TopicSpec(name: "shipments", partitions: 6, replicationFactor: 3,
                      rate: 15, history: 4 * day, kind: .shipments, assignmentStart: 2),
            // RF 1: partitions on broker 3 go offline with it.
            TopicSpec(name: "notifications", partitions: 3, replicationFactor: 1,
                      rate: 12, history: 1 * day, kind: .notifications, assignmentStart: 0),
            TopicSpec(name: "sessions-cache", partitions: 1, replicationFactor: 1,
                      rate: 30, history: 0.25 * day, kind: .generic, replicaAssignment: [[3]]),
            // Unclean leader election on, RF 2; partition 2's follower (broker 1) is out of the ISR,
            // 1,250 records behind: when broker 3 fails, broker 1 is elected and those records are lost.
            TopicSpec(name: "metrics-raw", partitions: 6, replicationFactor: 2,
                      overrides: ["unclean.leader.election.enable": "true", "retention.ms": "21600000"],
                      rate: 300, history: 0.5 * day, kind: .metrics,
                      replicaAssignment: [[1, 2], [2, 3], [3, 1], [1, 3], [2, 1], [3, 2]],
                      laggingFollowers: [2: (broker: 1, behind: 1_250)]),
            TopicSpec(name: "fraud-scores", partitions: 6, replicationFactor: 3, overrides: safe,
                      rate: 35, history: 2 * day, kind: .generic, assignmentStart: 1),
            // Three days of retention: shorter than the 7-day policy.
            TopicSpec(name: "customer-events", partitions: 12, replicationFactor: 3,
                      overrides: safe.merging(["retention.ms": "259200000"]) { a, _ in a },
                      rate: 90, history: 5 * day, kind: .generic, assignmentStart: 2),
            TopicSpec(name: "refunds", partitions: 3, replicationFactor: 3, overrides: safe,
                      rate: 2, history: 6 * day, kind: .payments, assignmentStart: 0),
            TopicSpec(name: "search-index-updates", partitions: 4, replicationFactor: 3,
                      overrides: ["min.insync.replicas": "2", "unclean.leader.election.enable": "true"],
                      rate: 20, history: 2 * day, kind: .generic, assignmentStart: 1),
            // Idle for a week: nothing new to read.
            TopicSpec(name: "legacy-events", partitions: 1, replicationFactor: 3, overrides: safe,
                      rate: 0, history: 30 * day, historyRate: 0.5, idleFor: 7 * day, kind: .generic, assignmentStart: 2),
            TopicSpec(name: "invoices", partitions: 4, replicationFactor: 3, overrides: safe,
                      rate: 5, history: 6 * day, kind: .payments, assignmentStart: 0),
            TopicSpec(name: "geo-locations", partitions: 8, replicationFactor: 3, overrides: safe,
                      rate: 150, history: 1 * day, kind: .metrics, assignmentStart: 1),
            TopicSpec(name: "ledger", partitions: 3, replicationFactor: 3,
                      overrides: ["min.insync.replicas": "2", "retention.ms": "-1"],
                      rate: 4, history: 20 * day, kind: .payments, assignmentStart: 2),
            TopicSpec(name: "__consumer_offsets", partitions: 50, replicationFactor: 3,
                      overrides: ["cleanup.policy": "compact", "compression.type": "producer", "segment.bytes": "104857600"],
                      rate: 25, history: 1 * day, kind: .consumerOffsets, isInternal: true, assignmentStart: 0),
            TopicSpec(name: "__transaction_state", partitions: 50, replicationFactor: 3,
                      overrides: ["cleanup.policy": "compact", "min.insync.replicas": "2", "segment.bytes": "104857600"],
                      rate: 2, history: 1 * day, kind: .transactionState, isInternal: true, assignmentStart: 1),
        ]
        let groups: [GroupSpec] = [
            GroupSpec(id: "order-service", topics: ["orders"], members: 3, state: .stable,
                      behaviour: .following(delay: 1.5), subnet: 11),
            GroupSpec(id: "payment-processor", topics: ["payments", "refunds"], members: 2, state: .stable,
                      behaviour: .following(delay: 0.8), subnet: 12),
            GroupSpec(id: "connect-payments-jdbc-sink", topics: ["payments"], members: 3, state: .stable,
                      behaviour: .following(delay: 4), clientPrefix: "connector-consumer-payments-jdbc-sink", subnet: 13),
            // One partition never committed: lag unknown, shown as "-".
            GroupSpec(id: "inventory-sync", topics: ["inventory"], members: 2, state: .stable,
                      behaviour: .following(delay: 2), withoutCommit: [TopicPartition("inventory", 7)], subnet: 14),
            // Consumes at 70 % of the producing rate: lag grows.
            GroupSpec(id: "analytics-etl", topics: ["clickstream"], members: 4, state: .stable,
                      behaviour: .slow(fraction: 0.7, initialLagSeconds: 120), subnet: 15),
            // Members still there, commits stop 45 s into the demo: lag grows, offsets stand still.
            GroupSpec(id: "fraud-detector", topics: ["fraud-scores"], members: 2, state: .stable,
                      behaviour: .stalled(since: 45, delay: 1), subnet: 16),
            // Stopped three hours ago on a one-hour-retention topic: its offsets are below the log start.
            GroupSpec(id: "billing-reconciler", topics: ["clickstream"], members: 0, state: .empty,
                      behaviour: .stalled(since: -10_800, delay: 0), subnet: 17),
            // Committed above the log end (after a truncation).
            GroupSpec(id: "legacy-migrator", topics: ["legacy-events"], members: 0, state: .empty,
                      behaviour: .aheadOfEnd(by: 37), subnet: 18),
            GroupSpec(id: "notification-sender", topics: ["notifications"], members: 1, state: .stable,
                      behaviour: .following(delay: 0.5), subnet: 19),
            GroupSpec(id: "search-indexer", topics: ["search-index-updates"], members: 2, state: .stable,
                      assignor: "cooperative-sticky", behaviour: .following(delay: 3), subnet: 20),
            GroupSpec(id: "audit-archiver", topics: ["audit-log"], members: 1, state: .stable,
                      behaviour: .following(delay: 10), subnet: 21),
            GroupSpec(id: "customer-360", topics: ["customer-events", "user-profiles"], members: 3, state: .stable,
                      behaviour: .following(delay: 2.5), subnet: 22),
            // Rebalancing: members known, assignments not yet handed out.
            GroupSpec(id: "shipment-tracker", topics: ["shipments"], members: 2, state: .preparingRebalance,
                      behaviour: .following(delay: 6), subnet: 23),
            // A KIP-848 consumer group part-way through reconciling its new assignment.
            GroupSpec(id: "geo-enricher", topics: ["geo-locations"], members: 3, state: .reconciling,
                      assignor: "uniform", behaviour: .following(delay: 2), subnet: 25, type: .consumer),
            // A KIP-848 consumer group whose consumers were stopped ten minutes ago: Empty, offsets still there.
            GroupSpec(id: "geo-backfill", topics: ["geo-locations"], members: 0, state: .empty,
                      behaviour: .stalled(since: -600, delay: 0), subnet: 29, type: .consumer),
            // Lag over time (issue 11): one group per trend word. Replaying a backlog 3x faster than it grows: catching_up.
            GroupSpec(id: "recommendations-trainer", topics: ["shipments"], members: 2, state: .stable,
                      behaviour: .catchingUp(speed: 3, initialLagSeconds: 900, delay: 2), subnet: 26),
            // Reset to ten minutes back every other 30 s: rewound.
            GroupSpec(id: "price-rewinder", topics: ["inventory"], members: 1, state: .stable,
                      behaviour: .rewinding(every: 30, back: 600, delay: 2), subnet: 27),
            // No members, yet it commits: a consumer using assign() (Empty is not idle).
            GroupSpec(id: "ledger-assign-exporter", topics: ["payments"], members: 0, state: .empty,
                      behaviour: .following(delay: 3), subnet: 28),
            // Reads the idle topic to its end: lag 0, caught_up (legacy-migrator beside it committed past the end).
            GroupSpec(id: "legacy-auditor", topics: ["legacy-events"], members: 1, state: .stable,
                      behaviour: .following(delay: 0), subnet: 29),
            // Nobody reads the DLQ: its offsets sit at the start.
            GroupSpec(id: "orders-dlt-replayer", topics: ["orders-dlt"], members: 0, state: .empty,
                      behaviour: .atStart, subnet: 24),
        ]
        return DemoScenario(
            name: "standard", clusterID: "dEm0-kafkaops-7Qx2LmA9vB",
            brokers: demoBrokers(3), controllerID: 1,
            brokerFailure: BrokerFailure(broker: 3, firstDownAt: 30, downFor: 40, every: 120),
            brokerSettings: standardBrokerSettings(), topics: topics, groups: groups)
    }

    /// A large cluster for benchmarks: `topics` topics of `partitionsPerTopic` partitions and
    /// `groups` consumer groups, on three brokers, without a scripted failure. Topic configs
    /// vary (about one in five topics breaks a rule of the durability policy). Records are
    /// synthesised on demand; only a few numbers are stored per partition.
    public static func scaled(topics: Int, partitionsPerTopic: Int, groups: Int = 0) -> DemoScenario {
        let nTopics = max(0, topics)
        let width = max(4, String(nTopics).count)
        func pad(_ i: Int, _ w: Int) -> String {
            let s = String(i)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var specs: [TopicSpec] = []
        specs.reserveCapacity(nTopics)
        for i in 0..<nTopics {
            var overrides: [String: String] = ["min.insync.replicas": "2"]
            var rf = 3
            switch i % 20 {
            case 3: rf = 1; overrides = [:]
            case 7: overrides = [:]                                   // broker default min ISR 1
            case 11: overrides["min.insync.replicas"] = "3"           // RF == min ISR
            case 13: overrides["unclean.leader.election.enable"] = "true"
            case 17: overrides["retention.ms"] = "3600000"
            default: break
            }
            specs.append(TopicSpec(name: "svc-\(pad(i % 97, 2)).topic-\(pad(i, width))", partitions: Int32(max(1, partitionsPerTopic)),
                                   replicationFactor: rf, overrides: overrides,
                                   rate: Double(1 + (i % 9) * 5), history: 86_400, kind: .generic,
                                   assignmentStart: i % 3))
        }
        var gspecs: [GroupSpec] = []
        let gWidth = max(4, String(groups).count)
        if nTopics > 0 {
            for g in 0..<max(0, groups) {
                let topic = specs[g % nTopics].name
                let behaviour: CommitBehaviour
                var members = 1 + g % 3
                var state = GroupState.stable
                switch g % 20 {
                case 5: behaviour = .slow(fraction: 0.6, initialLagSeconds: 60)
                case 9: behaviour = .stalled(since: -300, delay: 1)
                case 14: behaviour = .stalled(since: -7_200, delay: 0); members = 0; state = .empty
                default: behaviour = .following(delay: Double(1 + g % 4))
                }
                gspecs.append(GroupSpec(id: "group-\(pad(g, gWidth))", topics: [topic], members: members, state: state,
                                        behaviour: behaviour, subnet: 30 + g % 200))
            }
        }
        specs.append(TopicSpec(name: "__consumer_offsets", partitions: 50, replicationFactor: 3,
                               overrides: ["cleanup.policy": "compact", "segment.bytes": "104857600"],
                               rate: 25, history: 86_400, kind: .consumerOffsets, isInternal: true))
        return DemoScenario(
            name: "scaled-\(nTopics)x\(partitionsPerTopic)-\(groups)", clusterID: "dEm0-scaled-Bq81ZkP0sW",
            brokers: demoBrokers(3), controllerID: 1, brokerFailure: nil, autoLeaderRebalanceSeconds: nil,
            brokerSettings: standardBrokerSettings(), topics: specs, groups: gspecs)
    }

    /// Many topics and no groups, for the durability-audit benchmark.
    public static func topicsOnly(_ count: Int, partitionsPerTopic: Int = 3) -> DemoScenario {
        scaled(topics: count, partitionsPerTopic: partitionsPerTopic, groups: 0)
    }

    /// Brokers and the internal offsets topic only: no topics, no groups, no failure. For contract
    /// tests that create what they need, as against an empty real broker.
    public static func empty(brokers: Int = 3) -> DemoScenario {
        let n = max(1, brokers)
        return DemoScenario(
            name: "empty", clusterID: "dEm0-empty-Lq0bXr3MnT", brokers: demoBrokers(n), controllerID: 1,
            brokerFailure: nil, autoLeaderRebalanceSeconds: nil, brokerSettings: standardBrokerSettings(),
            topics: [TopicSpec(name: "__consumer_offsets", partitions: 50, replicationFactor: min(3, n),
                               overrides: ["cleanup.policy": "compact", "segment.bytes": "104857600"],
                               rate: 0, history: 0, historyRate: 0.001, kind: .consumerOffsets, isInternal: true)],
            groups: [])
    }

    /// The scripted timeline in words, for the console's help and the demo banner.
    public var timeline: String {
        var parts: [String] = []
        if let f = brokerFailure {
            let first = Int(f.firstDownAt), len = Int(f.downFor)
            if let every = f.every, every > 0 {
                parts.append("broker \(f.broker) goes down \(first) s after start for \(len) s, every \(Int(every)) s")
            } else {
                parts.append("broker \(f.broker) goes down \(first) s after start for \(len) s")
            }
            parts.append("its replicas rejoin the ISR \(Int(catchUpSeconds)) s after it returns; leaders stay on the survivors until a preferred leader election")
        } else {
            parts.append("no scripted broker failure")
        }
        if let r = autoLeaderRebalanceSeconds { parts.append("auto leader rebalance every \(Int(r)) s") }
        return parts.joined(separator: "; ")
    }

    /// This scenario without the scripted broker failure.
    public var withoutFailures: DemoScenario {
        var s = self
        s.brokerFailure = nil
        return s
    }
}
