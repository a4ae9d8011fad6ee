import Foundation
import KafkaOpsCore
import TestSupport
import Testing
@testable import KafkaOpsTUI

/// The fake cluster, recording every mutating request.
final class RecordingCluster: ForwardingCluster, @unchecked Sendable {
    let base: FakeCluster
    private let lock = NSLock()
    private var _calls: [String] = []
    var calls: [String] { lock.withLock { _calls } }
    var failAlter: ClusterError?

    init(_ base: FakeCluster = FakeCluster()) { self.base = base }
    func note(_ s: String) { lock.withLock { _calls.append(s) } }

    var displayName: String { "recording" }
    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] { note("read"); return [] }
    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws { note("create \(topic.name)") }
    func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        note("alter \(topic) " + set.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        if let failAlter { throw failAlter }
    }
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        note("reset \(group)"); return []
    }
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        note("delete offsets \(group)"); return []
    }
    func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        note("elect " + (partitions ?? []).map(\.description).joined(separator: ","))
        return (partitions ?? []).map { PartitionResult($0) }
    }
    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { note("produce"); return [] }
}

/// The rows of a table in display order (after filter and sort).
func visibleRows(_ t: Table) -> [Row] { t.order.map { t.rows[$0] } }

@Suite struct FixesAndAuditTests {
    func state(readOnly: Bool = false, protected: Bool = false, audit: MemoryChangeLog? = MemoryChangeLog()) async throws -> ConsoleState {
        var s = loadedState(try await fakeSnapshot(), readOnly: readOnly)
        s.operations = OperationSettings(protected: protected, bootstrap: "kafka-1:9092", openChangeLog: {
            guard let audit else { throw ClusterError(.broker, "audit log directory is not writable") }
            return audit
        })
        return s
    }

    @Test func theAuditScreenListsErrorsFirstAndOpensTheTopic() async throws {
        var s = try await state()
        s.press(.char("5"))
        #expect(s.current.screen == .audit)
        let rows = visibleRows(try #require(s.current.table))
        #expect(!rows.isEmpty)
        let levels = rows.map { $0.cells[0] }
        // Errors come before warnings, warnings before infos.
        let rank = levels.map { $0 == "error" ? 0 : ($0 == "warning" ? 1 : 2) }
        #expect(rank == rank.sorted())
        // legacy has RF 1: a replication-factor error, explained under the table.
        let i = try #require(rows.firstIndex { $0.cells[1] == "legacy" && $0.cells[2] == PolicyRule.replicationFactor })
        for _ in 0..<i { s.press(.down) }
        let lines = s.screenLines()
        #expect(lines.contains { $0.hasPrefix(" now      1") })
        #expect(lines.contains { $0.hasPrefix(" why ") })
        s.press(.enter)
        #expect(s.current.screen == .topicDetail("legacy"))
        // `:audit` reaches it too.
        s.press(.char(":")); s.type("audit"); s.press(.enter)
        #expect(s.current.screen == .audit)
    }

    @Test func whatIfFromTheBrokersScreenListsWhatBreaks() async throws {
        var s = try await state()
        s.press(.char("4"))
        s.press(.down)  // broker 2
        s.press(.char("w"))
        #expect(s.current.screen == .whatIf([2]))
        // The per-topic summary first, worst first: legacy's partitions are already offline, payments-1 goes.
        let topics = visibleRows(try #require(s.current.table))
        #expect(topics.first?.cells[5] == "OFFLINE")
        #expect(Set(topics.filter { $0.cells[5] == "OFFLINE" }.map(\.id)) == ["t:legacy", "t:payments"])
        // Tab: the partitions.
        s.press(.tab)
        var rows = visibleRows(try #require(s.current.table))
        // payments-1 has only broker 2 in its ISR: offline without it (unclean election is off).
        let payments1 = try #require(rows.first { $0.id == "payments-1" })
        #expect(payments1.cells[5] == "OFFLINE")
        // The worst rows come first.
        #expect(rows.first?.cells[5] == "OFFLINE")
        let summary = s.screenLines()[2]
        // payments-1, and legacy's partitions that are already offline.
        #expect(summary.contains("offline \(rows.filter { $0.cells[5] == "OFFLINE" }.count) "))
        #expect(rows.filter { $0.cells[5] == "OFFLINE" }.map(\.id).sorted() == ["legacy-0", "legacy-1", "payments-1"])
        // orders-0 keeps 2 of 3 replicas in sync with min ISR 2: still writable, under-replicated, shown with `i`.
        #expect(!rows.contains { $0.id == "orders-0" })
        s.press(.char("i"))
        rows = visibleRows(try #require(s.current.table))
        #expect(rows.first { $0.id == "orders-0" }?.cells[5] == "under-replicated")
        s.press(.escape)
        #expect(s.current.screen == .brokers)
        // An unknown broker id is an error on the status line; nothing opens.
        s.press(.char(":")); s.type("whatif 9"); s.press(.enter)
        #expect(s.current.screen == .brokers)
        #expect(s.status?.isError == true)
        #expect(s.status?.text == "broker 9 is not in the cluster (brokers: 1, 2, 3, 4)")
    }

    @Test func raisingMinISRIsPreviewedConfirmedAppliedAndAudited() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(audit: audit)
        let client = RecordingCluster()
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        let preview = s.screenLines().joined(separator: "\n")
        #expect(preview.contains("min.insync.replicas: 1 (broker)  →  2 (topic)"))
        // The equivalent command, wrapped to the screen (nothing cut off).
        #expect(preview.contains("kafka-configs.sh --bootstrap-server kafka-1:9092 --alter"))
        #expect(preview.contains("--add-config\n min.insync.replicas=2"))
        #expect(preview.contains("Nothing has been sent yet"))
        #expect(client.calls.isEmpty)
        let effects = s.press(.char("y"))
        #expect(!s.loading)
        await s.runJobs(effects, client: client)
        #expect(client.calls == ["alter \(FakeCluster.cjk) min.insync.replicas=2"])
        #expect(s.loading)  // the change reloads the cluster view
        #expect(s.screenLines().joined(separator: "\n").contains("Applied: min.insync.replicas=2"))
        let line = try #require(audit.outcomes.first)
        #expect(line.action == "topic.alter-config" && line.target == FakeCluster.cjk && line.result == "ok")
        #expect(line.after == .object(["min.insync.replicas": .string("2")]))
        s.press(.enter)
        #expect(s.panels.isEmpty)
    }

    @Test func aProtectedProfileNeedsTheTopicNameTyped() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(protected: true, audit: audit)
        let client = RecordingCluster()
        s.press(.char(":")); s.type("topic \(FakeCluster.emoji)"); s.press(.enter)
        s.press(.char("U"))
        #expect(s.panels.isEmpty)
        #expect(s.status?.text == "unclean.leader.election.enable is already false")
        s.press(.char("m"))
        #expect(s.screenLines().joined().contains("type the topic name"))
        var effects = s.press(.enter)
        #expect(effects.isEmpty)
        #expect(s.status?.isError == true)
        s.type("wrong")
        effects = s.press(.enter)
        #expect(effects.isEmpty)
        s.press(.ctrl("u"))
        s.type(FakeCluster.emoji)
        effects = s.press(.enter)
        await s.runJobs(effects, client: client)
        #expect(client.calls == ["alter \(FakeCluster.emoji) min.insync.replicas=2"])
        #expect(audit.outcomes.count == 1)
    }

    /// Issue 10 point 2: the log opens, but its started record cannot be written (a full disk).
    @Test func aStartedRecordThatCannotBeWrittenRefusesBeforeAnyRequest() async throws {
        let audit = MemoryChangeLog()
        audit.failWrites = true
        var s = try await state(audit: audit)
        let client = RecordingCluster()
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        await s.runJobs(s.press(.enter), client: client)
        #expect(client.calls.isEmpty)
        let screen = s.screenLines().joined(separator: "\n")
        #expect(screen.contains("Refused: the audit log cannot be written"))
        #expect(screen.contains("No space left on"))
    }

    @Test func anUnwritableAuditLogRefusesBeforeAnyRequest() async throws {
        var s = try await state(audit: nil)
        let client = RecordingCluster()
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        let effects = s.press(.enter)
        await s.runJobs(effects, client: client)
        #expect(client.calls.isEmpty)
        #expect(s.screenLines().joined(separator: "\n").contains("Refused: the audit log cannot be written"))
    }

    @Test func aBrokerFailureIsShownAndAudited() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(audit: audit)
        let client = RecordingCluster()
        client.failAlter = ClusterError(.broker, "Topic authorization failed", code: "TOPIC_AUTHORIZATION_FAILED")
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        await s.runJobs(s.press(.char("y")), client: client)
        #expect(s.screenLines().joined(separator: "\n").contains("Failed: Topic authorization failed"))
        #expect(audit.outcomes.first?.result.hasPrefix("failed") == true)
    }

    @Test func readOnlyHasNoFixKeysAndSendsNothing() async throws {
        var s = try await state(readOnly: true)
        let client = RecordingCluster()
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        for key in ["m", "U", "E"] {
            let effects = s.press(.char(Character(key)))
            await s.runJobs(effects, client: client)
            #expect(s.panels.isEmpty)
        }
        // Even when asked directly.
        _ = s.perform(.fix(.raiseMinISR))
        #expect(s.panels.isEmpty)
        #expect(s.status?.text.contains("read-only") == true)
        #expect(client.calls.isEmpty)
    }

    @Test func aTopicWhoseRFIsTooLowGetsTheReassignmentPlanInstead() async throws {
        var s = try await state()
        s.press(.char(":")); s.type("topic legacy"); s.press(.enter)
        s.press(.char("m"))
        #expect(s.panels.isEmpty)
        #expect(s.status?.text.contains("RF 1 is too low") == true)
        s.press(.char("P"))
        let text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("from 1 to 3"))
        #expect(text.contains("kafka-reassign-partitions.sh --bootstrap-server kafka-1:9092"))
        #expect(text.contains("\"replicas\""))
    }

    @Test func preferredLeaderElectionMovesOnlyPartitionsAwayFromTheirPreferredLeader() async throws {
        var snap = try await fakeSnapshot()
        let i = try #require(snap.metadata.topics.firstIndex { $0.name == "orders" })
        snap.metadata.topics[i].partitions[4].leader = snap.metadata.topics[i].partitions[4].replicas[1]
        let audit = MemoryChangeLog()
        var s = loadedState(snap)
        s.operations = OperationSettings(openChangeLog: { audit })
        let client = RecordingCluster()
        s.press(.char(":")); s.type("topic orders"); s.press(.enter)
        s.press(.char("E"))
        #expect(s.screenLines().joined(separator: "\n").contains("orders-4: leader"))
        await s.runJobs(s.press(.char("y")), client: client)
        #expect(client.calls == ["elect orders-4"])
        #expect(audit.outcomes.first?.action == "leaders.elect-preferred")
        #expect(s.screenLines().joined(separator: "\n").contains("Elected 1 of 1 partition(s)."))
    }

    @Test func ctrlCDuringAChangeAsksAgainInsteadOfQuitting() async throws {
        var s = try await state()
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        #expect(s.press(.ctrl("c")) == [.quit])  // nothing sent yet: quits at once
        s.quitting = false
        let job = s.press(.char("y"))            // now the change is in flight
        #expect(job.contains { if case .job = $0 { return true } else { return false } })
        #expect(s.press(.ctrl("c")).isEmpty)
        #expect(!s.quitting)
        #expect(s.status?.text.contains("Ctrl-C again quits anyway") == true)
        #expect(s.press(.ctrl("c")) == [.quit])
        #expect(s.quitting)
    }

    @Test func wrapKeepsEveryWordWithinTheWidth() {
        let text = "kafka-configs.sh --bootstrap-server a-very-long-bootstrap-address-that-does-not-fit:9092 --alter"
        let lines = TextWrap.words(text, width: 30)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 30 })
        #expect(lines.joined(separator: " ").replacingOccurrences(of: " ", with: "") == text.replacingOccurrences(of: " ", with: ""))
        #expect(TextWrap.words("short", width: 30) == ["short"])
        #expect(TextWrap.words("注文イベント注文イベント", width: 6).allSatisfy { DisplayWidth.of($0) <= 6 })
    }
}
