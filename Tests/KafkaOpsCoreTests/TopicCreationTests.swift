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
