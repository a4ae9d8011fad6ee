import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 10 point 1: the one rule for topic changes (`PolicyGate`, through `ConfigChangePreview`).
@Suite("Policy gate") struct PolicyGateTests {
    /// One topic with `rf` replicas on 3 live brokers, its overrides, and safe broker defaults.
    func snapshot(rf: Int, _ overrides: [String: String]) -> ClusterSnapshot {
        let replicas = Array(Int32(1)...Int32(rf))
        let md = ClusterMetadata(clusterID: "c", controllerID: 1, brokers: (1...3).map { Broker(id: Int32($0), host: "b\($0)", port: 9092) },
                                 topics: [TopicInfo(name: "t", partitions: [PartitionInfo(id: 0, leader: 1, replicas: replicas, isr: replicas)])])
        var entries = [ConfigEntry(name: "segment.bytes", value: "1073741824", source: .defaultConfig)]
        for (k, v) in overrides { entries.append(ConfigEntry(name: k, value: v, source: .topic)) }
        return ClusterSnapshot(metadata: md, topicConfigs: ["t": entries],
                               brokerConfigs: [ConfigEntry(name: "unclean.leader.election.enable", value: "false", source: .staticBroker)])
    }

    func verdict(rf: Int = 3, _ overrides: [String: String], set: [String: String], policy: TopicPolicy = .default) -> ChangeVerdict {
        ConfigChangePreview.compute(snapshot(rf: rf, overrides), topic: "t", set: set, policy: policy).verdict
    }

    @Test func minISRAboveRFIsRefusedEvenWhenTheTopicAlreadyBrokeTheRule() {
        // audit-log in the demo: RF 3, min ISR 3 (rf-above-min-isr already broken); 4 makes every acks=all write fail.
        let v = verdict(["min.insync.replicas": "3"], set: ["min.insync.replicas": "4"])
        #expect(v.forbidden.map(\.rule) == [PolicyRule.rfAboveMinISR])
        #expect(v.refusal(allowOverride: true)?.contains("never allowed") == true)
        // Whatever the policy's levels say.
        var lax = TopicPolicy.default
        lax.requireRFAboveMinISR = false
        lax.severity = [PolicyRule.rfAboveMinISR: .off, PolicyRule.minInsyncReplicas: .off]
        #expect(verdict(["min.insync.replicas": "3"], set: ["min.insync.replicas": "4"], policy: lax).refusal(allowOverride: true) != nil)
    }

    @Test func minISR2OnAnRF1TopicIsRefused() {
        // tansu's case: RF 1 and min ISR 1 break two rules already; 2 "fixes" one and leaves min ISR above RF.
        let v = verdict(rf: 1, [:], set: ["min.insync.replicas": "2"])
        #expect(!v.forbidden.isEmpty)
        #expect(v.refusal(allowOverride: true) != nil)
    }

    @Test func minISREqualToRFIsANewErrorUnlessThePolicyAllowsIt() {
        let v = verdict(["min.insync.replicas": "2"], set: ["min.insync.replicas": "3"])
        #expect(v.forbidden.isEmpty)
        #expect(v.newErrors.map(\.rule) == [PolicyRule.rfAboveMinISR])
        #expect(v.refusal(allowOverride: false) != nil)
        // Issue 27 point 10: a new policy error is the operator's call with --allow-policy-violation (audited).
        #expect(v.refusal(allowOverride: true) == nil)
        var allows = TopicPolicy.default
        allows.requireRFAboveMinISR = false
        #expect(verdict(["min.insync.replicas": "2"], set: ["min.insync.replicas": "3"], policy: allows).refusal(allowOverride: false) == nil)
        // A warning-level rule: refused, but the override accepts it.
        var warns = TopicPolicy.default
        warns.severity = [PolicyRule.rfAboveMinISR: .warning]
        let w = verdict(["min.insync.replicas": "2"], set: ["min.insync.replicas": "3"], policy: warns)
        #expect(w.overridable.map(\.rule) == [PolicyRule.rfAboveMinISR])
        #expect(w.refusal(allowOverride: false) != nil)
        #expect(w.refusal(allowOverride: true) == nil)
    }

    @Test func anExistingFindingMadeWorseIsRefusedUnlessOverridden() {
        // retention 3d already breaks retention-min (7d); 1d is worse, 5d is better.
        let worse = verdict(["min.insync.replicas": "2", "retention.ms": "259200000"], set: ["retention.ms": "86400000"])
        #expect(worse.newErrors.isEmpty)
        #expect(worse.overridable.map(\.rule) == [PolicyRule.retentionMin])
        #expect(worse.refusal(allowOverride: false)?.contains("worse") == true)
        #expect(worse.refusal(allowOverride: true) == nil)
        let better = verdict(["min.insync.replicas": "2", "retention.ms": "259200000"], set: ["retention.ms": "432000000"])
        #expect(better.worse.isEmpty)
        #expect(better.refusal(allowOverride: false) == nil)
    }

    @Test func theOverrideAcceptsWarningsAndNewPolicyErrors() {
        var policy = TopicPolicy.default
        policy.maxRetentionMs = 30 * 86_400_000  // retention-max is a warning by default
        let warning = verdict(["min.insync.replicas": "2"], set: ["retention.ms": String(60 * Int64(86_400_000))], policy: policy)
        #expect(warning.overridable.map(\.rule) == [PolicyRule.retentionMax])
        #expect(warning.refusal(allowOverride: false) != nil)
        #expect(warning.refusal(allowOverride: true) == nil)
        // Lowering min ISR to 1 breaks min-insync-replicas: a new error, refused unless overridden (issue 27 point 10).
        let error = verdict(["min.insync.replicas": "2"], set: ["min.insync.replicas": "1"])
        #expect(error.newErrors.map(\.rule) == [PolicyRule.minInsyncReplicas])
        #expect(error.refusal(allowOverride: false)?.contains("--allow-policy-violation") == true)
        #expect(error.refusal(allowOverride: true) == nil)
        // Lowering retention.ms below the policy's minimum in a disk-full incident: the same, no policy file needed.
        let retention = verdict(["min.insync.replicas": "2"], set: ["retention.ms": "3600000"])
        #expect(retention.newErrors.map(\.rule) == [PolicyRule.retentionMin])
        #expect(retention.refusal(allowOverride: true) == nil)
    }

    /// Issue 27 point 9: `min.insync.replicas=２` (a full-width digit, which Kafka's Java reads as 2) was
    /// read as unset (1) and passed the min ISR > RF gate. Only ASCII digits are numbers; anything else is
    /// refused, with or without the override.
    @Test(arguments: ["２", "2 ", "+2", "٢", "2e0", ""])
    func aConfigValueThatIsNotASCIIDigitsIsRefused(_ value: String) {
        let v = verdict(rf: 1, [:], set: ["min.insync.replicas": value])
        if value == "2 " {
            // Spaces around are trimmed, as Kafka does: 2 on RF 1 is min ISR above RF.
            #expect(!v.forbidden.isEmpty)
            return
        }
        #expect(v.refusal(allowOverride: true)?.contains("ASCII digits") == true, "\(value): \(String(describing: v.refusal(allowOverride: true)))")
        let topic = NewTopic(name: "t", partitions: 1, replicationFactor: 1, configs: ["min.insync.replicas": value])
        let f = TopicCreation.findings(topic, brokerConfigs: [], existingTopics: [], liveBrokers: 3, policy: .default)
        let change = CreateTopic(topic, findings: f, policyName: "default")
        #expect(change.policyRefusal(allowOverride: true)?.contains("ASCII digits") == true, "\(value)")
        #expect(ConfigValues.integer(value) == nil)
    }

    /// Issue 27 point 10: RF 1 on a one-broker cluster with --allow-policy-violation was refused ("no policy
    /// override accepts: rf-above-min-isr") while the next line advised the flag. The override accepts it;
    /// min.insync.replicas above the replication factor stays refused whatever the override.
    @Test func theOverrideCreatesRF1OnAOneBrokerClusterButNeverMinISRAboveRF() {
        let rf1 = NewTopic(name: "t", partitions: 1, replicationFactor: 1)
        let f = TopicCreation.findings(rf1, brokerConfigs: [], existingTopics: [], liveBrokers: 1, policy: .default)
        #expect(f.contains { $0.rule == PolicyRule.rfAboveMinISR })
        let change = CreateTopic(rf1, findings: f, policyName: "default")
        #expect(change.policyRefusal(allowOverride: false) != nil)
        #expect(change.policyRefusal(allowOverride: true) == nil, "\(String(describing: change.policyRefusal(allowOverride: true)))")
        let above = NewTopic(name: "t", partitions: 1, replicationFactor: 1, configs: ["min.insync.replicas": "2"])
        let g = TopicCreation.findings(above, brokerConfigs: [], existingTopics: [], liveBrokers: 1, policy: .default)
        #expect(CreateTopic(above, findings: g, policyName: "default").policyRefusal(allowOverride: true) != nil)
        // A broker default above the replication factor counts too.
        let broker = [ConfigEntry(name: "min.insync.replicas", value: "2", source: .staticBroker)]
        let h = TopicCreation.findings(rf1, brokerConfigs: broker, existingTopics: [], liveBrokers: 1, policy: .default)
        #expect(CreateTopic(rf1, findings: h, policyName: "default").policyRefusal(allowOverride: true) != nil)
    }

    @Test func aChangeThatLeavesAnExistingFindingAsItWasGoesAhead() {
        // RF 1 with min ISR 1: errors already; setting retention does not touch them.
        let v = verdict(rf: 1, [:], set: ["retention.ms": "604800000"])
        #expect(v.worse.isEmpty)
        #expect(v.refusal(allowOverride: false) == nil)
    }

    @Test func unreadConfigsRefuseTheChange() {
        var snap = snapshot(rf: 3, ["min.insync.replicas": "2"])
        snap.topicConfigs = [:]
        let v = ConfigChangePreview.compute(snap, topic: "t", set: ["retention.ms": "604800000"], policy: .default).verdict
        #expect(v.refusal(allowOverride: true)?.contains("configs could not be read") == true)
    }

    @Test func topicCreationNeverCreatesMinISRAboveRFWhateverThePolicy() {
        var lax = TopicPolicy.default
        lax.minReplicationFactor = 1
        lax.minInsyncReplicas = 1
        lax.severity = [PolicyRule.rfAboveMinISR: .off]
        let topic = NewTopic(name: "t", partitions: 1, replicationFactor: 1, configs: ["min.insync.replicas": "2"])
        let f = TopicCreation.findings(topic, brokerConfigs: [], existingTopics: [], liveBrokers: 3, policy: lax)
        #expect(f.contains { $0.rule == PolicyRule.rfAboveMinISR && $0.severity == .error })
        #expect(TopicCreation.verdict(f) == "violates the policy")
        // Equal is the policy's business: allowed here.
        let equal = NewTopic(name: "t", partitions: 1, replicationFactor: 2, configs: ["min.insync.replicas": "2"])
        #expect(!TopicCreation.findings(equal, brokerConfigs: [], existingTopics: [], liveBrokers: 3, policy: lax)
            .contains { $0.severity == .error })
        // The console's form too.
        let form = TopicForm(name: "t", partitions: "1", replicationFactor: "1", minInsyncReplicas: "2")
        let check = TopicCreation.checkForm(form, brokerConfigs: [], existingTopics: [], liveBrokers: 3, policy: lax)
        #expect(!check.canSubmit)
        #expect(check.findings(.minInsyncReplicas).contains { $0.rule == PolicyRule.rfAboveMinISR })
    }

    @Test func minISRFixOnAnRF1TopicRaisesTheReplicationFactorFirst() {
        // Setting min ISR 2 on RF 1 is refused by the gate: the fix shown must not suggest it.
        let facts = TopicFacts(existing: snapshot(rf: 1, [:]).metadata.topics[0], configs: [],
                               resolver: ConfigResolver(policy: .default, brokerConfigs: []))
        let f = PolicyCheck.check(facts, policy: .default).first { $0.rule == PolicyRule.minInsyncReplicas }
        #expect(f?.action == .raiseReplicationFactor(3))
        #expect(f?.fix.hasPrefix("raise the replication factor to 3") == true)
        #expect(f?.fix.hasSuffix("then set min.insync.replicas=2") == true)
    }

    @Test func theFixTextIsWrittenFromTheAction() {
        // rf-above-min-isr on RF 3 / min ISR 3: the fix sets min ISR 2, and says so.
        let facts = TopicFacts(existing: snapshot(rf: 3, ["min.insync.replicas": "3"]).metadata.topics[0],
                               configs: [ConfigEntry(name: "min.insync.replicas", value: "3", source: .topic)],
                               resolver: ConfigResolver(policy: .default, brokerConfigs: []))
        let f = PolicyCheck.check(facts, policy: .default).first { $0.rule == PolicyRule.rfAboveMinISR }
        #expect(f?.action == .setTopicConfigs(["min.insync.replicas": "2"]))
        #expect(f?.fix.hasPrefix("set min.insync.replicas=2 ") == true)
    }
}
