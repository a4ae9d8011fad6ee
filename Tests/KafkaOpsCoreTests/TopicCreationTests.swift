import Foundation
import Testing
@testable import KafkaOpsCore

@Suite struct TopicCreationTests {
    let safe = NewTopic(name: "orders-v2", partitions: 6, replicationFactor: 3,
                        configs: ["min.insync.replicas": "2", "unclean.leader.election.enable": "false"])

    @Test func aSafeTopicOnEnoughBrokersPasses() {
        let f = TopicCreation.findings(safe, brokerConfigs: [], existingTopics: ["orders"], liveBrokers: 3, policy: .default)
        #expect(f.isEmpty)
        #expect(TopicCreation.verdict(f) == "pass")
    }

    @Test func everyProblemIsListed() {
        var t = safe
        t.name = "orders"
        t.replicationFactor = 4
        let f = TopicCreation.findings(t, brokerConfigs: [], existingTopics: ["orders"], liveBrokers: 3, policy: .default)
        #expect(f.map(\.rule) == [TopicCreation.topicExistsRule, TopicCreation.rfAboveBrokersRule])
        #expect(f[1].reason == "Replication factor: 4 larger than available brokers: 3.")
        #expect(TopicCreation.verdict(f) == "violates the policy")
        t.name = "a.b_c"
        t.replicationFactor = 3
        let w = TopicCreation.findings(t, brokerConfigs: [], existingTopics: [], liveBrokers: 3, policy: .default)
        #expect(w.map(\.severity) == [.warning])
        #expect(TopicCreation.verdict(w) == "pass with warnings")
    }

    @Test func theCommandLineQuotesWhatTheShellWouldSplit() {
        let t = NewTopic(name: "it's odd", partitions: 1, replicationFactor: 3, configs: ["b": "x y", "a": "1"])
        #expect(TopicCreation.kafkaTopicsCommand(t, bootstrap: "k:9092")
                == "kafka-topics.sh --bootstrap-server k:9092 --create --topic 'it'\\''s odd' --partitions 1 --replication-factor 3 --config a=1 --config 'b=x y'")
        #expect(shellQuote("") == "''")
        #expect(shellQuote("plain.name-1") == "plain.name-1")
    }

    @Test func defaultsComeFromThePolicyAndTheCluster() {
        var p = TopicPolicy.default
        p.maxPartitions = 4
        p.requiredConfigs = ["compression.type": .oneOf(["zstd"]), "cleanup.policy": .oneOf(["compact"]), "x.y": .anyValue]
        let d = TopicCreation.defaults(policy: p, brokerConfigs: [ConfigEntry(name: "num.partitions", value: "6", source: .staticBroker)],
                                       liveBrokers: 2)
        #expect(d.partitions == "4")
        #expect(d.replicationFactor == "2")
        #expect(d.minInsyncReplicas == "2" && d.retention == "7d" && d.uncleanLeaderElection == "false")
        #expect(d.otherConfigs == ["cleanup.policy": "compact", "compression.type": "zstd", "x.y": ""])
        #expect(TopicCreation.formConfigNames(p) == ["cleanup.policy", "compression.type", "x.y"])
        #expect(TopicCreation.defaults(policy: .default, brokerConfigs: [], liveBrokers: nil).replicationFactor == "3")
    }

    @Test func theFormCheckAddsWhatTheClusterKnows() {
        var p = TopicPolicy.default
        p.requiredConfigs = ["x.y": .anyValue]
        var form = TopicCreation.defaults(policy: p, brokerConfigs: [], liveBrokers: 3)
        form.name = "orders"
        form.replicationFactor = "5"
        let c = TopicCreation.checkForm(form, brokerConfigs: [], existingTopics: ["orders"], liveBrokers: 3, policy: p)
        #expect(c.findings(.name).map(\.rule) == [TopicCreation.topicExistsRule])
        #expect(c.findings(.replicationFactor).map(\.rule) == [TopicCreation.rfAboveBrokersRule])
        // The blank required config is missing from the proposal, and its finding names it.
        #expect(c.proposal?.configs["x.y"] == nil)
        let required = c.general.filter { TopicCreation.configName(of: $0, among: ["cleanup.policy", "x.y"]) == "x.y" }
        #expect(required.map(\.rule) == [PolicyRule.requiredConfig])
        #expect(!c.canSubmit)
        form.otherConfigs["cleanup.policy"] = "compact, delete"
        form.otherConfigs["x.y"] = "1"
        form.name = "orders-v2"
        form.replicationFactor = "3"
        let ok = TopicCreation.checkForm(form, brokerConfigs: [], existingTopics: ["orders"], liveBrokers: 3, policy: p)
        #expect(ok.canSubmit)
        form.otherConfigs["cleanup.policy"] = "forever"
        let bad = TopicCreation.checkForm(form, brokerConfigs: [], existingTopics: [], liveBrokers: nil, policy: p)
        #expect(!bad.canSubmit && bad.proposal == nil)
        #expect(bad.general.contains { $0.expected == "cleanup.policy must be delete, compact or compact,delete" })
    }

    @Test func theChangeRecordSaysWhatWasCreatedUnderWhichPolicy() {
        let change = CreateTopic(safe, findings: [], policyName: "p.yaml")
        #expect(change.action.rawValue == "topic.create")
        #expect(change.recordAfter == .object(["partitions": 6, "replication_factor": 3, "configs": .strings(safe.configs)]))
        #expect(change.policyRefusal(allowOverride: true) == nil)
    }
}

@Suite("Creating a topic with too few live brokers (issue 13)")
struct TopicCreationShortageTests {
    static func md(live: [Int32], replicas: [Int32]) -> ClusterMetadata {
        ClusterMetadata(clusterID: nil, controllerID: live.first, brokers: live.map { Broker(id: $0, host: "h", port: 1) },
                        topics: [TopicInfo(name: "orders", partitions: [PartitionInfo(id: 0, leader: live.first, replicas: replicas, isr: live)])])
    }

    @Test func aBrokerDownSaysWhichAndWhatToDo() throws {
        let s = try #require(TopicCreation.brokerShortage(policy: .default, metadata: Self.md(live: [1, 2], replicas: [1, 2, 3])))
        #expect(s.needed == 3 && s.live == 2 && s.down == [3])
        #expect(s.message(override: "Ctrl-O") == "replication factor 3 needed (policy), 2 brokers live: wait for broker 3 (down) to return, or create it with replication factor 2 under a policy override (Ctrl-O, recorded in the audit log)")
        #expect(TopicCreation.brokerShortage(policy: .default, metadata: Self.md(live: [1, 2, 3], replicas: [1, 2, 3])) == nil)
    }

    @Test func aSingleBrokerClusterIsThatSmall() throws {
        let s = try #require(TopicCreation.brokerShortage(policy: .default, metadata: Self.md(live: [1], replicas: [1])))
        #expect(s.down.isEmpty)
        #expect(s.message(override: "--allow-policy-violation").hasPrefix("replication factor 3 needed (policy), 1 broker live: add brokers, or create it with replication factor 1 under a policy override (--allow-policy-violation"))
    }

    @Test func theOverrideAcceptsPolicyRulesNeverKafkasOwn() {
        let single = NewTopic(name: "scratch", partitions: 1, replicationFactor: 1, configs: ["min.insync.replicas": "1"])
        let findings = TopicCreation.findings(single, brokerConfigs: [], existingTopics: [], liveBrokers: 1, policy: .default)
        #expect(findings.contains { $0.rule == PolicyRule.replicationFactor && $0.severity == .error })
        let change = CreateTopic(single, findings: findings, policyName: "built-in default policy")
        #expect(change.policyRefusal(allowOverride: false) != nil)
        #expect(change.policyRefusal(allowOverride: true) == nil)
        // The change log names what was overridden.
        guard case .object(let d) = change.recordDetails, case .array(let overridden)? = d["policy_overridden"] else {
            Issue.record("no policy_overridden in \(change.recordDetails)"); return
        }
        #expect(overridden.contains(.string("replication-factor (1)")))
        // More replicas than live brokers, an existing name, min ISR above RF: never.
        var tooMany = single
        tooMany.replicationFactor = 2
        tooMany.configs["min.insync.replicas"] = "1"
        let f2 = TopicCreation.findings(tooMany, brokerConfigs: [], existingTopics: [], liveBrokers: 1, policy: .default)
        #expect(CreateTopic(tooMany, findings: f2, policyName: "p").policyRefusal(allowOverride: true)?.contains(TopicCreation.rfAboveBrokersRule) == true)
        var above = single
        above.configs["min.insync.replicas"] = "2"
        let f3 = TopicCreation.findings(above, brokerConfigs: [], existingTopics: [], liveBrokers: 1, policy: .default)
        #expect(CreateTopic(above, findings: f3, policyName: "p").policyRefusal(allowOverride: true) != nil)
        let f4 = TopicCreation.findings(single, brokerConfigs: [], existingTopics: ["scratch"], liveBrokers: 1, policy: .default)
        #expect(CreateTopic(single, findings: f4, policyName: "p").policyRefusal(allowOverride: true)?.contains(TopicCreation.topicExistsRule) == true)
        // A passing topic records no override.
        let ok = NewTopic(name: "fine", partitions: 1, replicationFactor: 3, configs: ["min.insync.replicas": "2", "unclean.leader.election.enable": "false"])
        let f5 = TopicCreation.findings(ok, brokerConfigs: [], existingTopics: [], liveBrokers: 3, policy: .default)
        #expect(CreateTopic(ok, findings: f5, policyName: "p").recordDetails == .object(["policy": "p", "verdict": "pass"]))
    }
}
