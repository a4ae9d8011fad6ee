import Foundation
import Testing
@testable import KafkaOpsCore

private func broker(_ pairs: [String: String]) -> [ConfigEntry] {
    pairs.sorted { $0.key < $1.key }.map { ConfigEntry(name: $0.key, value: $0.value, source: .staticBroker) }
}

private func rules(_ f: [Finding]) -> [String] { f.map(\.rule).sorted() }

/// A topic that passes the default policy, to vary one thing at a time.
private func safe(name: String = "orders", partitions: Int32 = 6, rf: Int16 = 3,
                  _ configs: [String: String] = ["min.insync.replicas": "2"]) -> NewTopic {
    NewTopic(name: name, partitions: partitions, replicationFactor: rf, configs: configs)
}

@Suite("Durability policy: replication and min ISR")
struct PolicyReplicationTests {
    struct Case: Sendable, CustomStringConvertible {
        var rf: Int16
        var minISR: String?
        var brokerMinISR: String?
        var expected: [String]
        var description: String { "RF \(rf), min ISR \(minISR ?? "unset"), broker \(brokerMinISR ?? "unset")" }
    }

    @Test(arguments: [
        Case(rf: 3, minISR: "2", brokerMinISR: nil, expected: []),
        Case(rf: 2, minISR: "2", brokerMinISR: nil, expected: ["replication-factor", "rf-above-min-isr"]),
        Case(rf: 3, minISR: "1", brokerMinISR: nil, expected: ["min-insync-replicas"]),
        Case(rf: 3, minISR: "3", brokerMinISR: nil, expected: ["rf-above-min-isr"]),
        Case(rf: 2, minISR: "3", brokerMinISR: nil, expected: ["replication-factor", "rf-above-min-isr"]),
        Case(rf: 1, minISR: "2", brokerMinISR: nil, expected: ["replication-factor", "rf-above-min-isr"]),
        Case(rf: 4, minISR: "2", brokerMinISR: nil, expected: []),
        // Unset: the broker default applies, and Kafka's default is 1.
        Case(rf: 3, minISR: nil, brokerMinISR: nil, expected: ["min-insync-replicas"]),
        Case(rf: 3, minISR: nil, brokerMinISR: "2", expected: []),
        Case(rf: 3, minISR: nil, brokerMinISR: "1", expected: ["min-insync-replicas"]),
        Case(rf: 2, minISR: nil, brokerMinISR: "2", expected: ["replication-factor", "rf-above-min-isr"]),
    ])
    func replicationAndMinISR(_ c: Case) {
        let configs = c.minISR.map { ["min.insync.replicas": $0] } ?? [:]
        let b = c.brokerMinISR.map { broker(["min.insync.replicas": $0]) } ?? []
        let f = PolicyCheck.check(safe(rf: c.rf, configs), brokerConfigs: b)
        #expect(rules(f) == c.expected)
        #expect(f.allSatisfy { $0.severity == .error && $0.target == "orders" && $0.targetKind == .topic })
    }

    @Test func minISRFromDefaultsSaysWhereItCameFrom() throws {
        let kafkaDefault = try #require(PolicyCheck.check(safe([:]), brokerConfigs: []).first)
        #expect(kafkaDefault.current == "1 (Kafka default)")
        #expect(kafkaDefault.fix == "set min.insync.replicas=2 (--config min.insync.replicas=2)")
        let brokerDefault = try #require(PolicyCheck.check(safe([:]), brokerConfigs: broker(["min.insync.replicas": "1"])).first)
        #expect(brokerDefault.current == "1 (broker default)")
    }

    @Test func rfBelowMinISRSaysWritesFailNow() throws {
        let f = try #require(PolicyCheck.check(safe(rf: 2, ["min.insync.replicas": "3"]), brokerConfigs: [])
            .first { $0.rule == "rf-above-min-isr" })
        #expect(f.reason.contains("every acks=all write fails now"))
        let eq = try #require(PolicyCheck.check(safe(rf: 3, ["min.insync.replicas": "3"]), brokerConfigs: [])
            .first { $0.rule == "rf-above-min-isr" })
        #expect(eq.reason.contains("a single broker down stops every acks=all write"))
        // RF 3 == min ISR 3: lowering min ISR to 2 keeps the policy, so that is the fix.
        #expect(eq.fix.hasPrefix("set min.insync.replicas=2"))
    }

    @Test func existingTopicFixesNameKafkaConfigs() {
        let facts = TopicFacts(name: "T", partitions: 3, replicationFactor: 3,
                               effective: ["min.insync.replicas": EffectiveConfig(name: "min.insync.replicas", value: "1", source: .topic)],
                               overrides: ["min.insync.replicas"], isProposal: false)
        let f = PolicyCheck.check(facts, policy: .default)
        #expect(f.map(\.fix) == [
            "set min.insync.replicas=2 (kafka-configs.sh --alter --entity-type topics --entity-name T --add-config min.insync.replicas=2)",
        ])
        #expect(f.first?.current == "1 (topic)")
    }
}

@Suite("Durability policy: unclean election, retention, partitions")
struct PolicyConfigRuleTests {
    struct Unclean: Sendable, CustomStringConvertible {
        var topic: String?
        var brokerDefault: String?
        var flagged: Bool
        var current: String?
        var description: String { "topic \(topic ?? "unset"), broker \(brokerDefault ?? "unset")" }
    }

    @Test(arguments: [
        Unclean(topic: "true", brokerDefault: nil, flagged: true, current: "true (topic)"),
        Unclean(topic: "false", brokerDefault: nil, flagged: false, current: nil),
        Unclean(topic: "false", brokerDefault: "true", flagged: false, current: nil),
        Unclean(topic: nil, brokerDefault: "true", flagged: true, current: "true (broker default)"),
        Unclean(topic: nil, brokerDefault: "false", flagged: false, current: nil),
        Unclean(topic: nil, brokerDefault: nil, flagged: false, current: nil),
        Unclean(topic: "TRUE", brokerDefault: nil, flagged: true, current: "TRUE (topic)"),
    ])
    func uncleanLeaderElection(_ c: Unclean) {
        var configs = ["min.insync.replicas": "2"]
        configs["unclean.leader.election.enable"] = c.topic
        let b = c.brokerDefault.map { broker(["unclean.leader.election.enable": $0]) } ?? []
        let f = PolicyCheck.check(safe(configs), brokerConfigs: b)
        #expect(rules(f) == (c.flagged ? ["unclean-leader-election"] : []))
        #expect(f.first?.current == c.current)
    }

    struct Retention: Sendable, CustomStringConvertible {
        var topic: String?
        var broker: [String: String]
        var policy: TopicPolicy
        var expected: [String]
        var label: String
        var description: String { label }
    }

    static let thirtyDays = TopicPolicy(maxRetentionMs: 30 * 86_400_000)

    @Test(arguments: [
        Retention(topic: "-1", broker: [:], policy: .default, expected: [], label: "infinite passes a min bound"),
        Retention(topic: "604800000", broker: [:], policy: .default, expected: [], label: "exactly 7 days"),
        Retention(topic: "604799999", broker: [:], policy: .default, expected: ["retention-min"], label: "1 ms short"),
        Retention(topic: "86400000", broker: [:], policy: .default, expected: ["retention-min"], label: "1 day"),
        Retention(topic: nil, broker: [:], policy: .default, expected: [], label: "Kafka default 7 days"),
        Retention(topic: nil, broker: ["log.retention.hours": "24"], policy: .default, expected: ["retention-min"],
                  label: "broker log.retention.hours=24"),
        Retention(topic: nil, broker: ["log.retention.ms": "86400000"], policy: .default, expected: ["retention-min"],
                  label: "broker log.retention.ms=1d"),
        Retention(topic: "-1", broker: [:], policy: thirtyDays, expected: ["retention-max"], label: "infinite fails a max bound"),
        Retention(topic: "2592000000", broker: [:], policy: thirtyDays, expected: [], label: "at the max bound"),
        Retention(topic: "2592000001", broker: [:], policy: thirtyDays, expected: ["retention-max"], label: "above the max bound"),
        Retention(topic: "3600000", broker: [:], policy: TopicPolicy(minRetentionMs: nil), expected: [], label: "no min bound"),
    ])
    func retention(_ c: Retention) {
        var configs = ["min.insync.replicas": "2"]
        configs["retention.ms"] = c.topic
        let f = PolicyCheck.check(safe(configs), brokerConfigs: broker(c.broker), policy: c.policy)
        #expect(rules(f) == c.expected)
    }

    @Test func compactedTopicsAreNotHeldToRetention() {
        let f = PolicyCheck.check(safe(["min.insync.replicas": "2", "retention.ms": "3600000", "cleanup.policy": "compact"]),
                                  brokerConfigs: [])
        #expect(f.isEmpty)
        let both = PolicyCheck.check(safe(["min.insync.replicas": "2", "retention.ms": "3600000", "cleanup.policy": "compact,delete"]),
                                     brokerConfigs: [])
        #expect(rules(both) == ["retention-min"])
        #expect(both.first?.current == "3600000 (1h, topic)")
    }

    @Test(arguments: [
        (Int32(0), ["partitions-min"]), (Int32(1), []), (Int32(1000), []), (Int32(1001), ["partitions-max"]),
    ])
    func partitionBounds(_ n: Int32, _ expected: [String]) {
        let f = PolicyCheck.check(safe(partitions: n), brokerConfigs: [])
        #expect(rules(f) == expected)
        if n == 1001 { #expect(f.first?.severity == .warning) }
    }

    @Test func noMaxPartitionsBound() {
        #expect(PolicyCheck.check(safe(partitions: 5000), brokerConfigs: [], policy: TopicPolicy(maxPartitions: nil)).isEmpty)
    }
}

@Suite("Durability policy: names, required and forbidden configs, severity")
struct PolicyShapeTests {
    static let teams = TopicPolicy(namePattern: "(orders|payments)\\.[a-z-]+")

    @Test(arguments: [("orders.created", true), ("payments.refund-issued", true), ("misc", false),
                      ("orders.Created", false), ("xorders.created", false)])
    func namePattern(_ name: String, _ ok: Bool) {
        let f = PolicyCheck.check(safe(name: name), brokerConfigs: [], policy: Self.teams)
        #expect(rules(f) == (ok ? [] : ["name-pattern"]))
    }

    @Test func defaultPatternIsKafkasLegalCharset() {
        #expect(PolicyCheck.check(safe(name: "a.b-c_D9"), brokerConfigs: []).isEmpty)
        #expect(rules(PolicyCheck.check(safe(name: "bad name"), brokerConfigs: [])) == ["name-pattern"])
    }

    @Test func invalidPatternIsReported() {
        let p = TopicPolicy(namePattern: "([a-z")
        #expect(p.problems().contains { $0.contains("not a valid regular expression") })
        let f = PolicyCheck.check(safe(), brokerConfigs: [], policy: p)
        #expect(f.first?.fix.contains("fix name_pattern") == true)
    }

    struct Req: Sendable, CustomStringConvertible {
        var configs: [String: String]
        var broker: [String: String]
        var expected: [String]
        var description: String { "\(configs) broker \(broker)" }
    }

    static let requiring = TopicPolicy(requiredConfigs: ["compression.type": .oneOf(["zstd", "lz4"]),
                                                         "cleanup.policy": .anyValue])

    @Test(arguments: [
        Req(configs: ["compression.type": "zstd", "cleanup.policy": "delete"], broker: [:], expected: []),
        Req(configs: ["compression.type": "gzip", "cleanup.policy": "delete"], broker: [:], expected: ["required-config"]),
        Req(configs: ["cleanup.policy": "delete"], broker: [:], expected: ["required-config"]),
        Req(configs: ["cleanup.policy": "delete"], broker: ["compression.type": "lz4"], expected: []),
        // "set" means on the topic itself: the Kafka default cleanup.policy=delete is not enough.
        Req(configs: ["compression.type": "zstd"], broker: [:], expected: ["required-config"]),
        Req(configs: [:], broker: [:], expected: ["required-config", "required-config"]),
    ])
    func requiredConfigs(_ c: Req) {
        var configs = c.configs
        configs["min.insync.replicas"] = "2"
        let f = PolicyCheck.check(safe(configs), brokerConfigs: broker(c.broker), policy: Self.requiring)
        #expect(rules(f) == c.expected)
    }

    static let forbidding = TopicPolicy(forbiddenConfigs: [ForbiddenConfig(parsing: "message.timestamp.type=LogAppendTime"),
                                                           ForbiddenConfig(parsing: "follower.replication.throttled.replicas")])

    @Test(arguments: [
        (["message.timestamp.type": "LogAppendTime"], [String: String](), ["forbidden-config"]),
        (["message.timestamp.type": "CreateTime"], [:], []),
        ([:], ["message.timestamp.type": "LogAppendTime"], ["forbidden-config"]),
        (["follower.replication.throttled.replicas": "*"], [:], ["forbidden-config"]),
        ([:], ["follower.replication.throttled.replicas": "*"], []),
    ])
    func forbiddenConfigs(_ configs: [String: String], _ b: [String: String], _ expected: [String]) {
        var configs = configs
        configs["min.insync.replicas"] = "2"
        let f = PolicyCheck.check(safe(configs), brokerConfigs: broker(b), policy: Self.forbidding)
        #expect(rules(f) == expected)
    }

    @Test(arguments: [(RuleLevel.warning, FindingSeverity?.some(.warning)), (.off, nil), (.error, .error)])
    func severityOverride(_ level: RuleLevel, _ expected: FindingSeverity?) {
        let p = TopicPolicy(severity: ["retention-min": level, "replication-factor": level])
        let f = PolicyCheck.check(safe(rf: 3, ["min.insync.replicas": "2", "retention.ms": "1000"]), brokerConfigs: [], policy: p)
        #expect(f.first { $0.rule == "retention-min" }?.severity == expected)
        let g = PolicyCheck.check(safe(rf: 2, ["min.insync.replicas": "1"]), brokerConfigs: [], policy: p)
        #expect(g.first { $0.rule == "replication-factor" }?.severity == expected)
        // Other rules keep their default level.
        #expect(g.first { $0.rule == "min-insync-replicas" }?.severity == .error)
    }

    @Test func everyViolatedRuleIsListed() {
        let p = TopicPolicy(namePattern: "[a-z]+", requiredConfigs: ["compression.type": .oneOf(["zstd"])],
                            forbiddenConfigs: [ForbiddenConfig(parsing: "segment.ms")])
        let t = NewTopic(name: "Bad.Name", partitions: 0, replicationFactor: 1,
                         configs: ["min.insync.replicas": "1", "unclean.leader.election.enable": "true",
                                   "retention.ms": "1000", "segment.ms": "1000"])
        #expect(rules(PolicyCheck.check(t, brokerConfigs: [], policy: p)) == [
            "forbidden-config", "min-insync-replicas", "name-pattern", "partitions-min", "replication-factor",
            "required-config", "retention-min", "rf-above-min-isr", "unclean-leader-election",
        ])
    }
}

@Suite("Durability policy: decoding")
struct PolicyDecodingTests {
    func decode(_ json: String) throws -> TopicPolicy {
        try JSONDecoder().decode(TopicPolicy.self, from: Data(json.utf8))
    }

    @Test func emptyDocumentIsTheDefault() throws {
        #expect(try decode("{}") == TopicPolicy.default)
        #expect(TopicPolicy.default.minReplicationFactor == 3)
        #expect(TopicPolicy.default.minInsyncReplicas == 2)
        #expect(TopicPolicy.default.minRetentionMs == 604_800_000)
        #expect(TopicPolicy.default.maxPartitions == 1000)
    }

    @Test func snakeCaseKeysAndNullClearsABound() throws {
        let p = try decode("""
        {"min_replication_factor": 2, "min_insync_replicas": 1, "max_partitions": null, "min_retention_ms": 86400000,
         "max_retention_ms": 2592000000, "name_pattern": "[a-z.]+",
         "required_configs": {"compression.type": ["zstd", "lz4"], "cleanup.policy": "set", "segment.ms": "3600000"},
         "forbidden_configs": ["message.timestamp.type=LogAppendTime", "segment.bytes"],
         "severity": {"retention-min": "warning", "partitions-max": "off"}}
        """)
        #expect(p.minReplicationFactor == 2 && p.minInsyncReplicas == 1)
        #expect(p.maxPartitions == nil && p.minPartitions == 1)
        #expect(p.minRetentionMs == 86_400_000 && p.maxRetentionMs == 2_592_000_000)
        #expect(p.requiredConfigs == ["compression.type": .oneOf(["zstd", "lz4"]), "cleanup.policy": .anyValue,
                                      "segment.ms": .oneOf(["3600000"])])
        #expect(p.forbiddenConfigs == [ForbiddenConfig(name: "message.timestamp.type", value: "LogAppendTime"),
                                       ForbiddenConfig(name: "segment.bytes")])
        #expect(p.level("retention-min") == .warning && p.level("partitions-max") == .off && p.level("replication-factor") == .error)
        #expect(p.problems().isEmpty)
    }

    @Test func unknownKeyIsAnError() {
        #expect(throws: DecodingError.self) { try decode(#"{"min_isr": 2}"#) }
    }

    @Test func unknownRuleIdIsAProblem() throws {
        let p = try decode(#"{"severity": {"replication-factr": "off"}}"#)
        #expect(p.problems().first?.contains("unknown rule id 'replication-factr'") == true)
    }

    @Test func roundTrips() throws {
        let p = TopicPolicy(maxRetentionMs: 5, requiredConfigs: ["a": .anyValue, "b": .oneOf(["1"])],
                            forbiddenConfigs: [ForbiddenConfig(parsing: "c=d")], severity: ["retention-max": .off])
        #expect(try decode(String(decoding: JSONEncoder().encode(p), as: UTF8.self)) == p)
    }

    @Test(arguments: [("7d", Int64(604_800_000)), ("168h", 604_800_000), ("604800000", 604_800_000), ("-1", -1),
                      ("infinite", -1), ("30m", 1_800_000), ("45s", 45_000), ("500ms", 500)])
    func durations(_ text: String, _ ms: Int64) {
        #expect(Durations.parseMs(text) == ms)
    }

    @Test func badDurations() {
        #expect(Durations.parseMs("7 weeks") == nil)
        #expect(Durations.parseMs("-5") == nil)
        #expect(Durations.describe(ms: 604_800_000) == "7d")
        #expect(Durations.describe(ms: -1) == "infinite")
    }
}

@Suite("Durability policy: the creation form")
struct PolicyFormTests {
    @Test func partialFormShowsReasonsBesideFields() {
        let c = PolicyCheck.checkForm(TopicForm(name: "", partitions: "abc", replicationFactor: "2"),
                                      brokerConfigs: broker(["min.insync.replicas": "1"]))
        #expect(c.findings(.name).map(\.reason) == ["Topic name is illegal, it can't be empty"])
        #expect(c.findings(.partitions).map(\.rule) == ["form-input"])
        #expect(c.findings(.replicationFactor).map(\.rule) == ["replication-factor"])
        // Blank min ISR falls back to the broker default 1.
        #expect(c.findings(.minInsyncReplicas).map(\.rule) == ["min-insync-replicas"])
        #expect(c.findings(.minInsyncReplicas).first { $0.rule == "min-insync-replicas" }?.current == "1 (broker default)")
        #expect(c.proposal == nil)
        #expect(!c.canSubmit)
    }

    @Test func completeSafeFormCanBeSubmitted() throws {
        let c = PolicyCheck.checkForm(TopicForm(name: "orders", partitions: "12", replicationFactor: "3",
                                                minInsyncReplicas: "2", retention: "14d", uncleanLeaderElection: "false"),
                                      brokerConfigs: [])
        #expect(c.all.isEmpty)
        #expect(c.canSubmit)
        let p = try #require(c.proposal)
        #expect(p == NewTopic(name: "orders", partitions: 12, replicationFactor: 3,
                              configs: ["min.insync.replicas": "2", "retention.ms": "1209600000",
                                        "unclean.leader.election.enable": "false"]))
    }

    @Test func fieldsGetTheirOwnRules() {
        let c = PolicyCheck.checkForm(TopicForm(name: "a.b_c", partitions: "3", replicationFactor: "3",
                                                minInsyncReplicas: "2", retention: "1d", uncleanLeaderElection: "true"),
                                      brokerConfigs: [], existingTopics: ["a_b_c"])
        #expect(c.findings(.retention).map(\.rule) == ["retention-min"])
        #expect(c.findings(.uncleanLeaderElection).map(\.rule) == ["unclean-leader-election"])
        #expect(c.findings(.name).map(\.rule) == ["name-collision", "name-collision"])
        #expect(c.findings(.name).map(\.severity) == [.warning, .error])
        #expect(c.proposal != nil)
        #expect(!c.canSubmit)
    }

    @Test func unparsableInputs() {
        let c = PolicyCheck.checkForm(TopicForm(name: "t", partitions: "3", replicationFactor: "3",
                                                minInsyncReplicas: "two", retention: "a week", uncleanLeaderElection: "maybe"),
                                      brokerConfigs: [])
        for f in [TopicFormField.minInsyncReplicas, .retention, .uncleanLeaderElection] {
            #expect(c.findings(f).map(\.rule) == ["form-input"], "\(f)")
        }
        #expect(c.proposal == nil)
    }
}

@Suite("Durability policy: broker defaults for left-out options")
struct PolicyBrokerDefaultOptionTests {
    @Test(arguments: [(nil as String?, "1 (broker default.replication.factor)"), ("2", "2 (broker default.replication.factor)")])
    func replicationFactorLeftOut(_ brokerRF: String?, _ current: String) throws {
        let b = brokerRF.map { broker(["default.replication.factor": $0, "min.insync.replicas": "2"]) }
            ?? broker(["min.insync.replicas": "2"])
        let f = PolicyCheck.check(NewTopic(name: "t", partitions: 3, replicationFactor: -1), brokerConfigs: b)
        let rf = try #require(f.first { $0.rule == "replication-factor" })
        #expect(rf.current == current)
        #expect(f.contains { $0.rule == "rf-above-min-isr" })
    }

    @Test func brokerDefaultRFOfThreePasses() {
        let b = broker(["default.replication.factor": "3", "min.insync.replicas": "2", "num.partitions": "6"])
        #expect(PolicyCheck.check(NewTopic(name: "t", partitions: -1, replicationFactor: -1), brokerConfigs: b).isEmpty)
    }

    @Test func partitionsLeftOutUseNumPartitions() {
        let b = broker(["min.insync.replicas": "2", "num.partitions": "2000"])
        let f = PolicyCheck.check(NewTopic(name: "t", partitions: -1, replicationFactor: 3), brokerConfigs: b)
        #expect(f.map(\.current) == ["2000 (broker num.partitions)"])
    }
}
