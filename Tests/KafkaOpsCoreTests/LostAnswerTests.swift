import Foundation
import Testing
@testable import KafkaOpsCore

/// A change whose answer is lost (the request was sent, no answer came before the timeout) has an
/// unknown outcome: it is read back, and recorded as "unknown: ...; read back: applied / not applied",
/// never as failed (ARCHITECTURE.md, "Operations"). The rule for every topic change, not only resets.
@Suite struct LostAnswerTests {
    /// Makes (or not) each change, then loses the answer; its reads fail `readFailures` times first.
    final class FrozenAfterSend: ClusterClient, @unchecked Sendable {
        private let lock = NSLock()
        let applies: Bool
        /// How the answer is lost: a timeout by default.
        let lostError: ClusterError
        private var readFailures: Int
        private var overrides: [String: String] = ["retention.ms": "100"]
        private var topics: [TopicInfo] = [TopicInfo(name: "orders", partitions: [
            PartitionInfo(id: 0, leader: 2, replicas: [1, 2], isr: [1, 2])])]

        /// The source the configs are read back with (tansu reports a topic override as DEFAULT_CONFIG).
        let reportedSource: ConfigSource

        init(applies: Bool, readFailures: Int = 0, lostError: ClusterError = ClusterError(.timeout, "no answer within the timeout"),
             reportedSource: ConfigSource = .topic) {
            self.applies = applies; self.readFailures = readFailures; self.lostError = lostError; self.reportedSource = reportedSource
        }

        func read<T>(_ body: () -> T) throws -> T {
            try lock.withLock {
                if readFailures > 0 { readFailures -= 1; throw ClusterError(.timeout, "no answer within the timeout") }
                return body()
            }
        }
        func lost(_ change: () -> Void) throws -> Never {
            if applies { lock.withLock(change) }
            throw lostError
        }

        var displayName: String { "frozen" }
        func metadata(deadline: Deadline) async throws -> ClusterMetadata {
            try read { ClusterMetadata(clusterID: nil, controllerID: 1, brokers: [], topics: topics) }
        }
        func topicConfigs(_ names: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
            try read { ["orders": overrides.map { ConfigEntry(name: $0.key, value: $0.value, source: reportedSource) }] }
        }
        func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] { [] }
        func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] { [] }
        func listGroups(deadline: Deadline) async throws -> [GroupListing] { [] }
        func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] { [] }
        func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] { [:] }
        func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] { [:] }
        func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] { [:] }
        func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] { [] }
        func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
            try lost { topics.append(TopicInfo(name: topic.name, partitions: (0..<topic.partitions).map {
                PartitionInfo(id: $0, leader: 1, replicas: [1], isr: [1]) })) }
        }
        func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
            try lost { overrides.merge(set) { $1 }; for d in delete { overrides[d] = nil } }
        }
        func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] { [] }
        func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] { [] }
        func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
            try lost { topics[0].partitions[0].leader = 1 }
        }
        func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { [] }
    }

    static let snapshotPolicy = TopicPolicy.default

    func alter(_ cluster: FrozenAfterSend, timeout: Duration = .seconds(30)) async throws -> ChangeExecution<ChangeConfirmation> {
        var preview = ConfigChangePreview(topic: "orders", set: ["min.insync.replicas": "2"], delete: ["retention.ms"],
                                          changes: [], verdict: ChangeVerdict())
        preview.changes = []
        return try await AlterTopicConfigs(preview).execute(client: cluster, timeout: timeout)
    }

    @Test func aConfigChangeWhoseAnswerIsLostIsReadBackAsAppliedOrNot() async throws {
        let applied = try await alter(FrozenAfterSend(applies: true, readFailures: 2))
        #expect(applied.outcome == .readBack(applied: true, detail: "every config as asked"))
        #expect(applied.result.hasPrefix("unknown: no answer to the request"))
        #expect(applied.result.hasSuffix("read back: applied (every config as asked)"))
        let notApplied = try await alter(FrozenAfterSend(applies: false))
        #expect(notApplied.outcome == .readBack(applied: false, detail: "not as asked: min.insync.replicas, retention.ms"))
        #expect(!notApplied.result.hasPrefix("failed"))
    }

    /// Issue 27 point 9: the read-back judges the value, not its source: tansu reports the override it
    /// just set as DEFAULT_CONFIG, and the change was recorded as not applied.
    @Test func theReadBackJudgesTheValueNotItsSource() async throws {
        let cluster = FrozenAfterSend(applies: true, reportedSource: .defaultConfig)
        let preview = ConfigChangePreview(topic: "orders", set: ["min.insync.replicas": "2"], delete: [],
                                          changes: [], verdict: ChangeVerdict())
        let x = try await AlterTopicConfigs(preview).execute(client: cluster, timeout: .seconds(30))
        #expect(x.outcome == .readBack(applied: true, detail: "every config as asked"), "\(x.outcome)")
    }

    /// A deleted override that tansu still reports (as DEFAULT_CONFIG, with its old value) was judged
    /// deleted by its source: the read-back must not call it applied.
    @Test func aDeletedOverrideStillReadingItsOldValueIsNotApplied() async throws {
        let cluster = FrozenAfterSend(applies: false, reportedSource: .defaultConfig)
        let preview = ConfigChangePreview(topic: "orders", set: [:], delete: ["retention.ms"],
                                          changes: [ConfigChange(name: "retention.ms", before: "100", beforeSource: "topic", after: nil, afterSource: "default")],
                                          verdict: ChangeVerdict())
        let x = try await AlterTopicConfigs(preview).execute(client: cluster, timeout: .seconds(30))
        #expect(x.outcome.isApplied != true, "\(x.outcome)")
        #expect(!x.result.hasPrefix("failed"), "\(x.result)")
    }

    @Test func withoutAReadBackTheOutcomeIsUnknownNeverFailed() async throws {
        let x = try await alter(FrozenAfterSend(applies: true, readFailures: .max), timeout: .milliseconds(500))
        guard case .unknown = x.outcome else { Issue.record("expected unknown, got \(x.outcome)"); return }
        #expect(x.result.hasPrefix("unknown: ") && x.result.contains("not read back"))
        #expect(x.outcome.line("the config change", lost: nil).contains("UNKNOWN"))
    }

    @Test func aCreationWhoseAnswerIsLostIsReadBack() async throws {
        let t = NewTopic(name: "payments", partitions: 3, replicationFactor: 1)
        let made = try await CreateTopic(t, findings: [], policyName: "p").execute(client: FrozenAfterSend(applies: true), timeout: .seconds(30))
        #expect(made.outcome.isApplied == true)
        #expect(made.result.contains("read back: applied (the topic exists with 3 of 3 partition(s))"))
        let notMade = try await CreateTopic(t, findings: [], policyName: "p").execute(client: FrozenAfterSend(applies: false), timeout: .seconds(30))
        #expect(notMade.outcome.isApplied == false)
    }

    @Test func anElectionWhoseAnswerIsLostIsReadBackPerPartition() async throws {
        let tp = TopicPartition("orders", 0)
        let change = ElectPreferredLeaders(candidates: [ElectionCandidate(partition: tp, leader: 2, preferred: 1)], topics: ["orders"])
        let elected = try await change.execute(client: FrozenAfterSend(applies: true), timeout: .seconds(30))
        #expect(elected.outcome == [tp: "elected (read back)"])
        #expect(elected.result.hasPrefix("unknown: ") && elected.result.hasSuffix("read back: 1 of 1 elected"))
        let notElected = try await change.execute(client: FrozenAfterSend(applies: false), timeout: .seconds(30))
        #expect(notElected.outcome == [tp: "not elected (read back): leader 2"])
    }

    /// Issue 27 point 1: the ways an answer is lost besides a timeout, as librdkafka reports them.
    static let lostErrors: [ClusterError] = [
        // The connection closed after the request was sent (librdkafka `_TRANSPORT`).
        ClusterError(.unreachable, "the connection to b:9092 closed before create topic payments was answered", code: "_TRANSPORT"),
        // A timeout after an earlier connection error: reported as that error (`AdminRuntime.timeoutError`).
        ClusterError(.unreachable, "create topic payments did not answer in time; cannot connect to b:9092", code: "_TRANSPORT"),
        ClusterError(.unreachable, "all brokers down", code: "_ALL_BROKERS_DOWN"),
        ClusterError(.cancelled, "create topic payments was cancelled: the client was closed"),
        ClusterError(.broker, "create topic payments failed: fatal", code: "_FATAL"),
        ClusterError(.timeout, "the controller did not finish in time", code: "REQUEST_TIMED_OUT"),
    ]

    @Test(arguments: lostErrors)
    func anyErrorAfterTheRequestMayHaveBeenSentIsReadBackNeverFailed(_ lost: ClusterError) async throws {
        let t = NewTopic(name: "payments", partitions: 3, replicationFactor: 1)
        let made = try await CreateTopic(t, findings: [], policyName: "p")
            .execute(client: FrozenAfterSend(applies: true, lostError: lost), timeout: .seconds(30))
        #expect(made.outcome.isApplied == true)
        #expect(made.result.hasPrefix("unknown: ") && made.result.contains("read back: applied"), "\(made.result)")
        let altered = try await alter(FrozenAfterSend(applies: true, lostError: lost))
        #expect(altered.outcome == .readBack(applied: true, detail: "every config as asked"))
        let tp = TopicPartition("orders", 0)
        let elected = try await ElectPreferredLeaders(candidates: [ElectionCandidate(partition: tp, leader: 2, preferred: 1)], topics: ["orders"])
            .execute(client: FrozenAfterSend(applies: true, lostError: lost), timeout: .seconds(30))
        #expect(elected.outcome == [tp: "elected (read back)"])
    }

    /// The cluster's own refusal (or one before sending) proves nothing changed: failed, not read back.
    @Test(arguments: [
        ClusterError(.topicExists, "topic already exists", code: "TOPIC_ALREADY_EXISTS"),
        ClusterError(.policyViolation, "refused by the policy", code: "POLICY_VIOLATION"),
        ClusterError(.broker, "not the controller", code: "NOT_CONTROLLER"),
        ClusterError(.unsupported, "not supported", code: "_UNSUPPORTED_FEATURE"),
    ])
    func aRefusalIsAFailure(_ refusal: ClusterError) async throws {
        let t = NewTopic(name: "payments", partitions: 3, replicationFactor: 1)
        await #expect(throws: ClusterError.self) {
            try await CreateTopic(t, findings: [], policyName: "p").execute(client: FrozenAfterSend(applies: false, lostError: refusal),
                                                                             timeout: .seconds(30))
        }
        #expect(LostAnswer.of(refusal) == nil)
    }

    /// The pipeline's backstop: an error a change still throws that may have come after sending is recorded
    /// as unknown, not failed.
    @Test func thePipelineRecordsAThrownLostAnswerAsUnknown() async throws {
        struct Throws: ClusterChange {
            var action: ChangeAction { .createTopic }
            var target: String { "payments" }
            var summary: String { "create topic payments" }
            var recordAfter: JSONValue { .null }
            func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<Int> {
                throw ClusterError(.unreachable, "the connection closed", code: "_TRANSPORT")
            }
        }
        let log = RecordingLog()
        let pipeline = ChangePipeline(guardrails: ChangeGuard(readOnly: false, protected: false), openLog: { log })
        await #expect(throws: ChangeFailed.self) {
            _ = try await pipeline.run(Throws(), client: FrozenAfterSend(applies: false), timeout: .seconds(1))
        }
        #expect(log.results.count == 2)
        #expect(log.results.last?.hasPrefix("unknown: ") == true, "\(log.results)")
    }

    final class RecordingLog: ChangeLog, @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        var path: String { "memory" }
        var results: [String] { lock.withLock { stored } }
        func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws {
            lock.withLock { stored.append(result) }
        }
    }
}
