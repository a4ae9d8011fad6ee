import Foundation
import Testing
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsTUI

/// Issue 13, point 8: with fewer live brokers than the policy's replication factor the form says so and why,
/// and offers the CLI's policy override (Ctrl-O), with the topic name typed to create it and the change log
/// naming the overridden rules.
@Suite struct CreateTopicShortageTests {
    /// The topics screen of the fake cluster with only `live` brokers; `alone`: no topic names another broker
    /// (a single-broker test cluster).
    func topicsScreen(live: [Int32], alone: Bool = false, size: Size = Size(width: 80, height: 24),
                      audit: MemoryChangeLog = MemoryChangeLog()) async throws -> ConsoleState {
        var snap = try await fakeSnapshot()
        snap.metadata.brokers.removeAll { !live.contains($0.id) }
        if alone { snap.metadata.topics = [TopicInfo(name: "orders", partitions: FakeCluster.partitions(1, replicas: [1]))] }
        var s = loadedState(snap, size: size)
        s.operations = OperationSettings(bootstrap: "kafka-1:9092", openChangeLog: { audit })
        s.press(.char("2"))
        return s
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func theFormSaysWhyInsteadOfOfferingTwoRefusedChoices(_ w: Int, _ h: Int) async throws {
        var s = try await topicsScreen(live: [1, 2], size: Size(width: w, height: h))
        s.press(.char("c"))
        s.type("orders-v2")
        let rf = try #require(s.screenLines().first { $0.contains("replication factor") && $0.contains("2") && $0.contains("✗") })
        #expect(rf.contains("3 needed, 2 live: see below"))
        #expect(s.flowing.contains("replication factor 3 needed (policy), 2 brokers live: wait for brokers 3, 4 (down) to return, or create it with replication factor 2 under a policy override (Ctrl-O, recorded in the audit log)"))
        #expect(s.screenLines().contains { $0.contains("the policy cannot be met with 2 live brokers: Ctrl-O overrides it (audited)") })
        // The footer has room for Ctrl-O at 200 columns; at 80 the line above it says it.
        if w >= 200 { #expect(s.screenLines().last?.contains("Ctrl-O override policy") == true) }
    }

    @Test func enoughBrokersOfferNoOverride() async throws {
        var s = try await topicsScreen(live: [1, 2, 3])
        s.press(.char("c"))
        #expect(s.screenLines().last?.contains("Ctrl-O") == false)
        s.press(.ctrl("o"))
        #expect(s.createPanel?.policyOverride == false)
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func aSingleBrokerClusterCreatesUnderATypedAuditedOverride(_ w: Int, _ h: Int) async throws {
        let audit = MemoryChangeLog()
        let client = CreatingCluster()
        var s = try await topicsScreen(live: [1], alone: true, size: Size(width: w, height: h), audit: audit)
        s.press(.char("c"))
        s.type("scratch")
        #expect(s.flowing.contains("replication factor 3 needed (policy), 1 broker live: add brokers, or create it with replication factor 1 under a policy override (Ctrl-O"))
        // Without the override the review is refused, as before.
        s.press(.ctrl("s"))
        #expect(s.createPanel?.step == .form)
        #expect(s.status?.isError == true)
        // Ctrl-O: the override, said on the form.
        s.press(.ctrl("o"))
        #expect(s.createPanel?.policyOverride == true)
        #expect(s.screenLines()[2].hasPrefix(" POLICY OVERRIDE ON · "))
        s.press(.ctrl("s"))
        #expect(s.createPanel?.step == .review)
        #expect(s.flowing.contains("violates the policy · OVERRIDDEN"))
        _ = await s.runJobs(s.press(.enter), client: client)       // validate-only
        #expect(s.createPanel?.step == .confirm)
        #expect(s.flowing.contains("policy override: type the topic name, then Enter, to create it:"))
        #expect(s.flowing.contains("violates the policy · OVERRIDDEN (3 rules, recorded in the audit log)"))
        // Typed: Enter alone creates nothing.
        #expect(jobNames(s.press(.enter)).isEmpty)
        #expect(s.status?.text == "policy override: type the topic name exactly to create it against the policy")
        s.type("scratch")
        let create = s.press(.enter)
        #expect(jobNames(create) == ["create"])
        _ = await s.runJobs(create, client: client)
        #expect(client.log.requests.map(\.validateOnly) == [true, false])
        #expect(client.log.requests.last?.topic.replicationFactor == 1)
        // Audited: the started and the outcome records name every rule the override accepted.
        let started = try #require(audit.entries.first)
        #expect(started.action == "topic.create.started")
        for e in [started, try #require(audit.outcomes.first)] {
            guard case .object(let d) = e.details, case .array(let overridden)? = d["policy_overridden"] else {
                Issue.record("no policy_overridden in \(e.details)"); continue
            }
            #expect(overridden.contains(.string("replication-factor (1)")))
        }
        #expect(audit.outcomes.first?.result == "ok")
    }
}
