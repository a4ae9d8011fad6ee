import Foundation
import Testing
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsTUI

/// FakeCluster plus a record of every createTopic request (and a broker refusal when asked).
struct CreatingCluster: ForwardingCluster {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var _requests: [(topic: NewTopic, validateOnly: Bool)] = []
        var requests: [(topic: NewTopic, validateOnly: Bool)] { lock.withLock { _requests } }
        func add(_ t: NewTopic, _ v: Bool) { lock.withLock { _requests.append((t, v)) } }
    }

    var base = FakeCluster()
    let log = Log()
    /// Refuse the real creation (not validate-only) with this error.
    var refuseCreate: ClusterError?

    var displayName: String { "creating" }
    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        log.add(topic, validateOnly)
        if !validateOnly, let refuseCreate { throw refuseCreate }
    }
}

extension ConsoleState {
    var createPanel: CreateTopicPanel? { topPanel as? CreateTopicPanel }
    var text: String { screenLines().joined(separator: "\n") }
    /// The screen's lines trimmed and joined by one space (wrapped text reads as one line).
    var flowing: String { screenLines().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
}

func jobNames(_ effects: [Effect]) -> [String] {
    effects.compactMap { if case .job(let j) = $0 { return j.name } else { return nil } }
}

@Suite struct CreateTopicPanelTests {
    /// The topics screen of the fake cluster at 80x24, with an in-memory audit log.
    func topicsScreen(protected: Bool = false, policy: TopicPolicy = .default, audit: MemoryChangeLog = MemoryChangeLog(),
                      brokers: Int = 3) async throws -> ConsoleState {
        var snap = try await fakeSnapshot()
        snap.metadata.brokers = Array(snap.metadata.brokers.prefix(brokers))
        var s = loadedState(snap)
        s.policy = policy
        s.operations = OperationSettings(protected: protected, bootstrap: "kafka-1:9092", openChangeLog: { audit })
        s.press(.char("2"))
        return s
    }

    /// Opens the form with `c` and types `name` into the first field.
    func openForm(_ s: inout ConsoleState, name: String = "orders-v2") {
        #expect(s.press(.char("c")).isEmpty)
        s.type(name)
    }

    @Test func cOpensTheFormPrefilledFromThePolicyAndTheCluster() async throws {
        var s = try await topicsScreen()
        s.press(.char("c"))
        let p = try #require(s.createPanel)
        #expect(p.step == .form)
        let f = p.form
        #expect(f.name == "" && f.partitions == "1" && f.replicationFactor == "3" && f.minInsyncReplicas == "2")
        #expect(f.retention == "7d" && f.uncleanLeaderElection == "false" && f.otherConfigs["cleanup.policy"] == "delete")
        let lines = s.screenLines()
        #expect(lines[1].hasPrefix("Topics › Create topic"))
        #expect(lines.contains { $0.contains("replication factor") && $0.contains("3") })
        #expect(lines.contains { $0.contains("unclean election") && $0.contains("false") })
        #expect(lines.contains { $0.contains("cleanup.policy") && $0.contains("delete") })
        #expect(lines[23].contains("Ctrl-S/F2 review") && lines[23].contains("Esc cancel"))
        #expect(s.text.contains("Topic name is illegal, it can't be empty"))
    }

    @Test func theRFIsNeverPrefilledAboveTheLiveBrokers() async throws {
        var s = try await topicsScreen(brokers: 2)
        openForm(&s)
        #expect(s.createPanel?.form.replicationFactor == "2")
        // 2 replicas is what the cluster can hold; the policy wants 3, and says so beside the field (why: below).
        #expect(s.screenLines().contains { $0.contains("replication factor") && $0.contains("3 needed, 2 live: see below") })
    }

    @Test(arguments: [
        ("bad name!", "contains a character other than ASCII alphanumerics"),
        ("..", "Topic name cannot be \".\" or \"..\""),
        (String(repeating: "x", count: 250), "can't be longer than 249 characters"),
        ("orders", "Topic 'orders' already exists."),
        ("a_very_long_topic_name_that_goes_on_and_on_and_never_seems_to_end_at_all", "collides with existing topics"),
        ("orders.v2_eu", "Due to limitations in metric names"),
        ("注文イベント", "Topic name \"注文イベント\" is illegal, it contains a character other than ASCII alphanumerics"),
    ])
    func aBadNameShowsKafkasReason(_ name: String, _ reason: String) async throws {
        var s = try await topicsScreen()
        openForm(&s, name: name)
        #expect(s.flowing.contains(reason), "screen:\n\(s.text)")
        let nameLine = try #require(s.screenLines().first { $0.contains("› name") })
        #expect(nameLine.contains(name.hasPrefix("orders.") ? "!" : "✗"))
    }

    @Test func aWarningOnTheNameDoesNotBlockTheReview() async throws {
        var s = try await topicsScreen()
        openForm(&s, name: "orders.v2_eu")
        s.press(.function(2))
        #expect(s.createPanel?.step == .review)
        #expect(s.text.contains("pass with warnings"))
    }

    @Test func anRFAboveTheLiveBrokersSaysWhyAndBlocksTheReview() async throws {
        var s = try await topicsScreen()
        openForm(&s)
        s.press(.tab, .tab, .ctrl("u"))
        s.type("5")
        #expect(s.screenLines().contains { $0.contains("› replication factor") && $0.contains("✗ must be <= 3 live brokers") })
        #expect(s.flowing.contains("Replication factor: 5 larger than available brokers: 3."))
        s.press(.ctrl("s"))
        #expect(s.createPanel?.step == .form)
        #expect(s.status?.isError == true)
        #expect(s.status?.text.contains("must be <= 3 live brokers") == true)
    }

    @Test func numbersThatAreNotNumbersAreNamed() async throws {
        var s = try await topicsScreen()
        openForm(&s)
        s.press(.tab, .ctrl("u"))
        s.type("six")
        #expect(s.text.contains("partitions must be a whole number"))
        s.press(.tab, .tab, .tab, .ctrl("u"))
        s.type("a week")
        #expect(s.flowing.contains("retention must be milliseconds, a duration like 7d or 12h"))
        s.press(.tab, .ctrl("u"))
        s.type("maybe")
        #expect(s.text.contains("unclean.leader.election.enable must be true or false"))
    }

    @Test func aPolicyErrorBlocksTheReviewAndFocusesItsField() async throws {
        var s = try await topicsScreen()
        openForm(&s)
        s.press(.tab, .tab, .ctrl("u"))
        s.type("2")
        s.press(.tab, .tab, .tab, .ctrl("u"))
        s.type("true")
        #expect(s.screenLines().contains { $0.contains("unclean election") && $0.contains("✗ policy: false") })
        #expect(s.flowing.contains("unclean-leader-election: now true (topic), expected false"))
        s.press(.function(2))
        let p = try #require(s.createPanel)
        #expect(p.step == .form)
        #expect(p.focus == 2, "the first field with an error gets the focus")
        #expect(s.status?.text.hasPrefix("fix 3 errors before the review") == true)
        #expect(s.screenLines()[21].contains("3 errors, 0 warnings: fix the errors to review"))
    }

    @Test func aRuleThePolicyMakesAWarningLetsTheReviewThrough() async throws {
        var policy = TopicPolicy.default
        policy.severity[PolicyRule.replicationFactor] = .warning
        policy.severity[PolicyRule.rfAboveMinISR] = .warning
        var s = try await topicsScreen(policy: policy)
        openForm(&s)
        s.press(.tab, .tab, .ctrl("u"))
        s.type("2")
        #expect(s.screenLines().contains { $0.contains("› replication factor") && $0.contains("! policy: >= 3") })
        s.press(.enter, .enter, .enter, .enter, .enter)
        #expect(s.createPanel?.step == .review, "Enter on the last field reviews")
        #expect(s.text.contains("policy (profile policy): pass with warnings"))
        #expect(s.text.contains("! replication-factor: now 2, expected >= 3"))
    }

    @Test func configsThePolicyRequiresGetAFieldAndTheirReason() async throws {
        var policy = TopicPolicy.default
        policy.requiredConfigs = ["compression.type": .oneOf(["zstd", "lz4"])]
        var s = try await topicsScreen(policy: policy)
        openForm(&s)
        #expect(s.createPanel?.form.otherConfigs["compression.type"] == "zstd")
        s.press(.backTab, .ctrl("u"))
        s.type("gzip")
        #expect(s.screenLines().contains { $0.contains("› compression.type") && $0.contains("✗ policy: compression.type one of") })
        #expect(s.flowing.contains("required-config: now compression.type=gzip (topic), expected compression.type one of zstd, lz4"))
        s.press(.backTab, .ctrl("u"))
        s.type("compacted")
        #expect(s.screenLines().contains { $0.contains("› cleanup.policy") && $0.contains("✗ cleanup.policy must be delete,") })
        #expect(s.flowing.contains("cleanup.policy must be delete, compact or compact,delete"))
        s.press(.ctrl("s"))
        #expect(s.createPanel?.step == .form)
        #expect(s.status?.text.hasPrefix("fix 2 errors") == true)
        s.press(.ctrl("u"))
        s.type("compact")
        s.press(.tab, .ctrl("u"))
        s.type("lz4")
        s.press(.ctrl("s"))
        #expect(s.createPanel?.step == .review)
        #expect(s.createPanel?.plan?.configs["compression.type"] == "lz4")
        #expect(s.flowing.contains("--config cleanup.policy=compact --config compression.type=lz4"))
    }

    @Test func prefilledValuesFollowTheClusterUntilTyped() async throws {
        var s = try await topicsScreen()
        openForm(&s)
        #expect(s.createPanel?.form.replicationFactor == "3")
        var two = try await fakeSnapshot()
        two.metadata.brokers.removeLast()
        s.press(.ctrl("r"))  // an editing key the form ignores: nothing changes
        _ = s.startLoad(metadataFirst: false)
        _ = s.update(.snapshotLoaded(s.loadID, .success(two)))
        #expect(s.createPanel?.form.replicationFactor == "2")
        #expect(s.text.contains("2 live brokers"))
        s.press(.tab, .tab, .ctrl("u"))
        s.type("3")
        #expect(s.text.contains("3 needed, 2 live: see below"))
        #expect(s.flowing.contains("Replication factor: 3 larger than available brokers: 2."))
        _ = s.startLoad(metadataFirst: false)
        _ = s.update(.snapshotLoaded(s.loadID, .success(try await fakeSnapshot())))
        #expect(s.createPanel?.form.replicationFactor == "3")
        #expect(!s.text.contains("live brokers:"))
        #expect(s.screenLines().contains { $0.contains("› replication factor") && $0.contains("✓") })
    }

    @Test func theReviewShowsTheConfigsTheVerdictAndTheKafkaTopicsCommand() async throws {
        var s = try await topicsScreen()
        openForm(&s)
        s.press(.tab, .ctrl("u"))
        s.type("12")
        s.press(.ctrl("s"))
        #expect(s.createPanel?.step == .review)
        let lines = s.screenLines()
        #expect(lines[1].hasPrefix("Topics › Create topic › Review"))
        #expect(lines[2].contains("Create topic orders-v2: 12 partitions, replication factor 3"))
        #expect(s.flowing.contains("configs: cleanup.policy=delete min.insync.replicas=2 retention.ms=604800000 unclean.leader.election.enable=false"))
        #expect(s.text.contains("policy (built-in default policy): pass"))
        let command = "kafka-topics.sh --bootstrap-server kafka-1:9092 --create --topic orders-v2 --partitions 12 --replication-factor 3 --config cleanup.policy=delete --config min.insync.replicas=2 --config retention.ms=604800000 --config unclean.leader.election.enable=false"
        #expect(s.flowing.contains(command), "screen:\n\(s.text)")
        #expect(s.text.contains("Enter asks the broker to validate it"))
        #expect(lines[23].contains("Enter validate on the broker"))
        // The CLI prints the same command line: one implementation.
        let plan = try #require(s.createPanel?.plan)
        #expect(TopicCreation.kafkaTopicsCommand(plan, bootstrap: "kafka-1:9092") == command)
        // Esc goes back to the form with what was typed.
        s.press(.escape)
        #expect(s.createPanel?.step == .form)
        #expect(s.createPanel?.form.partitions == "12")
    }

    @Test func validateOnlyThenCreateAfterConfirmationThenTheNewTopicIsShown() async throws {
        let audit = MemoryChangeLog()
        let client = CreatingCluster()
        var s = try await topicsScreen(audit: audit)
        openForm(&s)
        s.press(.function(2))
        let validate = s.press(.enter)
        #expect(jobNames(validate) == ["validate"])
        #expect(s.text.contains("validating on the broker (validate-only)"))
        #expect(client.log.requests.isEmpty)
        _ = await s.runJobs(validate, client: client)
        #expect(client.log.requests.map(\.validateOnly) == [true])
        #expect(audit.entries.isEmpty, "validate-only changes nothing and is not audited")
        #expect(s.createPanel?.step == .confirm)
        #expect(s.text.contains("✓ the broker accepts the request (validate-only)"))
        #expect(s.text.contains("Enter creates the topic"))

        let create = s.press(.enter)
        #expect(jobNames(create) == ["create"])
        #expect(s.press(.escape).isEmpty, "the panel stays while the create request is in flight")
        #expect(s.createPanel != nil)
        let after = await s.runJobs(create, client: client)
        let requests = client.log.requests
        #expect(requests.map(\.validateOnly) == [true, false])
        #expect(requests[1].topic == NewTopic(name: "orders-v2", partitions: 1, replicationFactor: 3, configs: [
            "cleanup.policy": "delete", "min.insync.replicas": "2", "retention.ms": "604800000",
            "unclean.leader.election.enable": "false"]))
        #expect(s.panels.isEmpty)
        #expect(s.current.screen == .topicDetail("orders-v2"))
        #expect(s.stack.map(\.screen) == [.topics, .topicDetail("orders-v2")])
        #expect(after.contains { if case .loadSnapshot = $0 { return true } else { return false } }, "the snapshot reloads")
        #expect(s.status?.text == "created topic orders-v2; audit: /memory/audit.log")
    }

    /// Issue 10 point 8: SIGHUP/SIGTERM while the create request is in flight: the console waits for its answer
    /// and its outcome record (bounded), then quits; it never exits between the request and the record.
    @Test func aStopSignalWaitsForTheCreateInFlightAndItsOutcome() async throws {
        let audit = MemoryChangeLog()
        let client = CreatingCluster()
        var s = try await topicsScreen(audit: audit)
        openForm(&s)
        s.press(.ctrl("s"))
        _ = await s.runJobs(s.press(.enter), client: client)
        let create = s.press(.enter)
        #expect(jobNames(create) == ["create"])
        let onSignal = s.update(.stopSignalReceived(SIGTERM))
        #expect(onSignal == [.stopChanges(waitAtMost: s.timeout + .seconds(5))])
        #expect(!s.quitting)
        let after = await s.runJobs(create, client: client)
        #expect(after.contains(.quit))
        #expect(s.quitting)
        #expect(audit.entries.map(\.action) == ["topic.create.started", "topic.create"])
        // The bounded wait: when it is over, the console quits whatever is still running.
        var t = try await topicsScreen()
        openForm(&t)
        t.press(.ctrl("s"))
        _ = await t.runJobs(t.press(.enter), client: client)
        _ = t.press(.enter)
        _ = t.update(.stopSignalReceived(SIGHUP))
        #expect(!t.quitting)
        #expect(t.update(.exitWaitEnded) == [.quit])
    }

    @Test func theChangeLogGetsTheSameEntryAsTheCLI() async throws {
        let audit = MemoryChangeLog()
        let client = CreatingCluster()
        var s = try await topicsScreen(audit: audit)
        openForm(&s)
        s.press(.ctrl("s"))
        _ = await s.runJobs(s.press(.enter), client: client)
        _ = await s.runJobs(s.press(.enter), client: client)
        let e = try #require(audit.outcomes.first)
        #expect(audit.outcomes.count == 1)
        #expect(e.action == "topic.create" && e.target == "orders-v2" && e.result == "ok")
        #expect(e.before == .null)
        let topic = NewTopic(name: "orders-v2", partitions: 1, replicationFactor: 3, configs: client.log.requests[1].topic.configs)
        #expect(e.after == CreateTopic(topic, findings: [], policyName: "").recordAfter)
        #expect(e.after == .object(["partitions": 1, "replication_factor": 3, "configs": .strings(topic.configs)]))
        #expect(e.details == .object(["policy": "built-in default policy", "verdict": "pass"]))
    }

    @Test func aProtectedProfileRequiresTheTypedName() async throws {
        let client = CreatingCluster()
        var s = try await topicsScreen(protected: true)
        openForm(&s)
        s.press(.ctrl("s"))
        _ = await s.runJobs(s.press(.enter), client: client)
        #expect(s.text.contains("protected profile: type the topic name, then Enter, to create it"))
        #expect(s.press(.enter).isEmpty)
        #expect(s.status?.text == "protected profile: type the topic name exactly to create it")
        s.type("orders-v")
        #expect(s.press(.enter).isEmpty)
        #expect(s.status?.isError == true)
        s.type("2")
        #expect(s.text.contains("orders-v2"))
        let create = s.press(.enter)
        #expect(jobNames(create) == ["create"])
        _ = await s.runJobs(create, client: client)
        #expect(client.log.requests.map(\.validateOnly) == [true, false])
        #expect(s.current.screen == .topicDetail("orders-v2"))
    }

    @Test func anAuditLogThatCannotBeOpenedRefusesAndSendsNothing() async throws {
        let client = CreatingCluster()
        var s = try await topicsScreen()
        s.operations.openChangeLog = { throw ClusterError(.invalidRequest, "cannot open the audit log /nope/audit.log") }
        openForm(&s)
        s.press(.ctrl("s"))
        _ = await s.runJobs(s.press(.enter), client: client)
        _ = await s.runJobs(s.press(.enter), client: client)
        #expect(client.log.requests.map(\.validateOnly) == [true], "only the validate-only request went out")
        #expect(s.createPanel?.step == .confirm)
        #expect(s.status?.isError == true)
        #expect(s.flowing.contains("the audit log cannot be written, so nothing was sent"))
    }

    /// Issue 10 point 2: the log opens, but the started record cannot be written (a full disk).
    @Test func aStartedRecordThatCannotBeWrittenRefusesAndSendsNothing() async throws {
        let client = CreatingCluster()
        let audit = MemoryChangeLog()
        audit.failWrites = true
        var s = try await topicsScreen(audit: audit)
        openForm(&s)
        s.press(.ctrl("s"))
        _ = await s.runJobs(s.press(.enter), client: client)
        _ = await s.runJobs(s.press(.enter), client: client)
        #expect(client.log.requests.map(\.validateOnly) == [true], "only the validate-only request went out")
        #expect(s.status?.isError == true)
        #expect(s.flowing.contains("the audit log cannot be written, so nothing was sent"))
        #expect(s.flowing.contains("No space left on device"))
    }

    @Test func aBrokerRefusalIsShownWithItsReasonAndTheFormStays() async throws {
        let audit = MemoryChangeLog()
        var client = CreatingCluster()
        client.refuseCreate = ClusterError(.invalidRequest, "Topic 'orders-v2' already exists.", code: "TOPIC_ALREADY_EXISTS")
        var s = try await topicsScreen(audit: audit)
        openForm(&s)
        s.press(.ctrl("s"))
        _ = await s.runJobs(s.press(.enter), client: client)
        _ = await s.runJobs(s.press(.enter), client: client)
        let p = try #require(s.createPanel)
        #expect(p.step == .form)
        #expect(p.form.name == "orders-v2")
        #expect(s.current.screen == .topics)
        #expect(s.flowing.contains("the broker refused to create it, nothing was created: Topic 'orders-v2' already exists."))
        #expect(audit.outcomes.map(\.result) == ["failed: Topic 'orders-v2' already exists. [TOPIC_ALREADY_EXISTS]"])
    }

    @Test func escCancelsTheFormWithoutAsking() async throws {
        var s = try await topicsScreen()
        openForm(&s)
        #expect(jobNames(s.press(.escape)).isEmpty)
        #expect(s.panels.isEmpty)
        #expect(s.status?.text == "topic creation cancelled: nothing was sent")
        #expect(s.screenLines()[1].hasPrefix("Topics"))
    }

    @Test func colonCreateOpensTheFormToo() async throws {
        var s = try await topicsScreen()
        s.press(.char(":"))
        s.type("create")
        s.press(.enter)
        #expect(s.createPanel != nil)
    }

    @Test func aReadOnlyConnectionRefusesBeforeAnyRequest() async throws {
        var snap = try await fakeSnapshot()
        snap.fetchedAt = t0
        var s = loadedState(snap, readOnly: true)
        s.press(.char("2"))
        var effects = s.press(.char("c"))
        #expect(s.panels.isEmpty)
        #expect(s.status?.text == "c: no such key here (? shows the keys)")
        s.press(.char(":"))
        s.type("create")
        effects += s.press(.enter)
        #expect(s.panels.isEmpty)
        #expect(s.status?.text == "read-only connection: topics cannot be created")
        #expect(jobNames(effects).isEmpty)
        #expect(!s.screenLines()[23].contains("create"))
    }
}
