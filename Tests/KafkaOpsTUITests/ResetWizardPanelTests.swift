import Foundation
import KafkaOpsCore
import TestSupport
import Testing
@testable import KafkaOpsTUI

/// A cluster for the reset wizard: an active group (`live-svc`, Stable, one member), an inactive
/// one with commits (`idle-svc`, Empty), record timestamps one minute apart from `anchor`, commits
/// that can fail per partition, and a log of every call.
struct ResetFakeCluster: ClusterClient {
    final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var _calls: [String] = []
        private var _timesAsked: [Int64] = []
        private var _committed: [String: [TopicPartition: Int64]]

        init(_ committed: [String: [TopicPartition: Int64]]) { _committed = committed }

        func call(_ name: String) { lock.withLock { _calls.append(name) } }
        var calls: [String] { lock.withLock { _calls } }
        func asked(_ ts: Int64) { lock.withLock { _timesAsked.append(ts) } }
        /// Every timestamp an offsetsForTimes query named, in order.
        var timesAsked: [Int64] { lock.withLock { _timesAsked } }
        func clearCalls() { lock.withLock { _calls = [] } }
        func committed(_ g: String) -> [TopicPartition: Int64] { lock.withLock { _committed[g] ?? [:] } }
        func commit(_ g: String, _ o: [TopicPartition: Int64]) { lock.withLock { _committed[g, default: [:]].merge(o) { $1 } } }
        func delete(_ g: String, _ tps: [TopicPartition]) { lock.withLock { for tp in tps { _committed[g]?[tp] = nil } } }
    }

    static let datetimeAnchor: Int64 = 1_795_392_000_000  // 2026-11-23T00:00:00.000Z
    let state: State
    /// Timestamp (ms) of offset 0; offset o was written at anchor + o minutes.
    var anchor: Int64 = datetimeAnchor
    var failing: Set<TopicPartition> = []
    var bigPartitions: Int32 = 40
    /// The commit is made, then its answer is lost: the call times out (a broker that stopped answering).
    var loseAnswer = false
    /// The commit is made, then the connection closes before its answer (librdkafka `_TRANSPORT`).
    var cutAfterCommit = false

    init(anchor: Int64 = datetimeAnchor, failing: Set<TopicPartition> = []) {
        self.anchor = anchor; self.failing = failing
        state = State([
            "live-svc": Dictionary(uniqueKeysWithValues: (0..<4).map { (TopicPartition("orders", $0), Int64(500)) }),
            "idle-svc": [TopicPartition("orders", 0): 400, TopicPartition("orders", 1): 600, TopicPartition("orders", 2): 1000,
                         TopicPartition("payments", 0): 300],
        ])
    }

    var displayName: String { "reset-fake" }

    func logOffsets(of tp: TopicPartition) -> LogOffsets? {
        switch tp.topic {
        case "orders" where (0..<4).contains(tp.partition): return LogOffsets(start: 0, end: 1000)
        case "payments" where (0..<2).contains(tp.partition): return LogOffsets(start: 50, end: 500)
        case "big" where (0..<bigPartitions).contains(tp.partition): return LogOffsets(start: 0, end: 10)
        default: return nil
        }
    }

    func metadata(deadline: Deadline) async throws -> ClusterMetadata {
        state.call("metadata")
        func parts(_ n: Int32) -> [PartitionInfo] { (0..<n).map { PartitionInfo(id: $0, leader: 1, replicas: [1], isr: [1]) } }
        return ClusterMetadata(clusterID: "reset-fake", controllerID: 1, brokers: [Broker(id: 1, host: "k1", port: 9092)],
                               topics: [TopicInfo(name: "orders", partitions: parts(4)), TopicInfo(name: "payments", partitions: parts(2)),
                                        TopicInfo(name: "big", partitions: parts(bigPartitions))])
    }
    func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] { state.call("topicConfigs"); return [:] }
    func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] { state.call("brokerConfigs"); return [] }
    func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] { state.call("describeAcls"); return [] }
    func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        state.call("listGroups")
        return [GroupListing(id: "live-svc", state: .stable), GroupListing(id: "idle-svc", state: .empty)]
    }
    func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        state.call("describeGroups")
        return [
            GroupDescription(id: "live-svc", state: .stable, assignor: "range", members: [
                GroupMember(memberID: "live-app-1-9f3c", clientID: "live-app", host: "/10.1.1.1",
                            assignment: (0..<4).map { TopicPartition("orders", $0) }),
            ]),
            GroupDescription(id: "idle-svc", state: .empty),
        ].filter { groups.contains($0.id) }
    }
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        state.call("committedOffsets")
        return state.committed(group)
    }
    func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        state.call("logOffsets")
        var out: [TopicPartition: LogOffsets] = [:]
        for tp in partitions { out[tp] = logOffsets(of: tp) }
        return out
    }
    func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] {
        state.call("offsetsForTimes")
        var out: [TopicPartition: Int64?] = [:]
        for (tp, ts) in query {
            state.asked(ts)
            guard let log = logOffsets(of: tp) else { continue }
            let minutes = ts <= anchor ? 0 : (ts - anchor + 59_999) / 60_000
            let o = max(log.start, minutes)
            out[tp] = o < log.end ? o : Int64?.none
        }
        return out
    }
    /// Reads from an offset: the record at each offset holds "order N" (every offset holds one).
    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        state.call("readRecords")
        guard case .offset(let from) = request.start, let log = logOffsets(of: TopicPartition(request.topic, request.partition)) else { return [] }
        return (max(from, log.start)..<min(log.end, max(from, log.start) + Int64(request.maxRecords))).map { o in
            Record(topic: request.topic, partition: request.partition, offset: o, timestamp: anchor + o * 60_000,
                   key: Array("k\(o)".utf8), value: Array("order \(o)".utf8))
        }
    }
    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws { state.call("createTopic") }
    func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        state.call("alterTopicConfigs")
    }
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        state.call("alterGroupOffsets")
        var ok: [TopicPartition: Int64] = [:]
        let results = offsets.keys.sorted().map { tp in
            if failing.contains(tp) {
                return PartitionResult(tp, error: ClusterError(.broker, "The coordinator is not available.", code: "COORDINATOR_NOT_AVAILABLE"))
            }
            ok[tp] = offsets[tp]
            return PartitionResult(tp)
        }
        state.commit(group, ok)
        if loseAnswer { throw ClusterError(.timeout, "alter the offsets of group \(group): no answer within the timeout") }
        if cutAfterCommit {
            throw ClusterError(.unreachable, "the connection to b:9092 closed before alter the offsets of group \(group) was answered",
                               code: "_TRANSPORT")
        }
        return results
    }
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        state.call("deleteGroupOffsets")
        state.delete(group, partitions)
        return partitions.sorted().map { PartitionResult($0) }
    }
    func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] { [] }
    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { [] }
}

@Suite struct ResetWizardPanelTests {
    struct Setup {
        var state: ConsoleState
        let fake: ResetFakeCluster
        let audit = MemoryChangeLog()
        let undoDir: String
    }

    static func setup(_ fake: ResetFakeCluster = ResetFakeCluster(), readOnly: Bool = false, protected: Bool = false,
                      threshold: Int64 = 0) async throws -> Setup {
        var snap = try await SnapshotLoader(client: fake).load(deadline: .seconds(5))
        snap.fetchedAt = t0
        var s = loadedState(snap, readOnly: readOnly)
        let undoDir = FileManager.default.temporaryDirectory.appendingPathComponent("reset-wizard-\(UUID().uuidString)").path
        var setup = Setup(state: s, fake: fake, undoDir: undoDir)
        let audit = setup.audit
        s.operations = OperationSettings(protected: protected, openChangeLog: { audit }, undoDirectory: undoDir,
                                         resetSkipThreshold: threshold)
        setup.state = s
        fake.state.clearCalls()
        return setup
    }

    /// Runs the jobs among `effects` against `client` and feeds what they send to the panels, then
    /// the jobs that this asks for; returns the other effects.
    @discardableResult
    static func run(_ effects: [Effect], _ s: inout ConsoleState, _ client: any ClusterClient) async -> [Effect] {
        var pending = effects, other: [Effect] = []
        while !pending.isEmpty {
            let e = pending.removeFirst()
            guard case .job(let job) = e else { other.append(e); continue }
            let inbox = Inbox()
            await job.run(JobContext(client: client, timeout: testJobTimeout, operations: s.operations) { inbox.append($0) })
            for v in inbox.value { pending += s.update(.panelReceived(panelID: job.panelID, value: v)) }
        }
        return other
    }

    static func jobNames(_ effects: [Effect]) -> [String] {
        effects.compactMap { if case .job(let j) = $0 { return j.name }; return nil }
    }

    /// Opens the wizard on `group` with `:reset GROUP` and runs the load job.
    static func open(_ t: inout Setup, _ group: String) async {
        t.state.press(.char(":"))
        t.state.type("reset \(group)")
        let effects = t.state.press(.enter)
        #expect(jobNames(effects) == ["load"])
        await run(effects, &t.state, t.fake)
    }

    static func wizard(_ s: ConsoleState) throws -> ResetWizardPanel { try #require(s.topPanel as? ResetWizardPanel) }

    /// The screen's text with runs of blanks and line breaks folded to one space (for wrapped sentences).
    static func flat(_ s: ConsoleState) -> String {
        s.screenLines().joined(separator: " ").split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Chooses a target on the target step (Home-like: up to the top, then down) and types its value
    /// (Enter first: the field takes text only once entered).
    static func choose(_ t: inout Setup, _ kind: ResetWizardPanel.TargetKind, value: String? = nil) -> [Effect] {
        for _ in 0..<8 { t.state.press(.up) }
        var last: [Effect] = []
        for _ in 0..<kind.rawValue { last = t.state.press(.down) }
        if let value {
            t.state.press(.enter)
            last = t.state.press(.ctrl("u"))
            for c in value { last = t.state.update(.keyPressed(.char(c))) }
        }
        return last
    }

    /// From the scope step: the target, then Enter and the plan job.
    static func plan(_ t: inout Setup, _ kind: ResetWizardPanel.TargetKind, value: String? = nil) async throws -> ResetPlan {
        if try wizard(t.state).step == .scope { t.state.press(.enter) }
        await run(choose(&t, kind, value: value), &t.state, t.fake)
        // A prefilled field (to-datetime, by-duration) is entered first, then Enter plans.
        if try kind.hasField && !wizard(t.state).editingField { t.state.press(.enter) }
        let effects = t.state.press(.enter)
        #expect(jobNames(effects) == ["plan"])
        await run(effects, &t.state, t.fake)
        let w = try wizard(t.state)
        #expect(w.step == .plan, "\(t.state.screenLines().joined(separator: "\n"))")
        return try #require(w.plan)
    }

    /// Opens the wizard, plans to-earliest for every committed partition, confirms and runs the reset.
    static func resetToEarliest(_ t: inout Setup, _ group: String) async throws {
        await open(&t, group)
        _ = try await plan(&t, .toEarliest)
        t.state.press(.enter)
        await run(t.state.press(.enter), &t.state, t.fake)
    }

    /// Issue 13: the undo command is one line (selecting it copies a runnable command), its start shown first
    /// and its end after scrolling right with →. `command`: the whole command when the test knows it.
    static func expectUndoCommandOnOneLine(_ t: inout Setup, _ command: String?) throws {
        let lines = t.state.screenLines()
        let row = try #require(lines.firstIndex { $0.contains("kafkaops reset-offsets --group idle-svc --from-file") })
        #expect(lines.filter { $0.contains("--from-file") || $0.contains("--execute") }.count == 1)
        #expect(lines[row - 1].contains("Undo with (one line, ←/→ scroll"))
        if let command { #expect(command.hasPrefix(lines[row].trimmingCharacters(in: .whitespaces))) }
        for _ in 0..<40 { t.state.press(.right) }
        let end = t.state.screenLines()[row].trimmingCharacters(in: .whitespaces)
        #expect(end.hasSuffix("--execute --allow-skip"), "\(end)")
        if let command { #expect(command.hasSuffix(end)) }
        for _ in 0..<40 { t.state.press(.left) }
        #expect(t.state.screenLines()[row] == lines[row])
    }

    static func new(_ plan: ResetPlan) -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: plan.rows.compactMap { r in r.new.map { (r.topicPartition.description, $0) } })
    }

    // MARK: refusals

    /// Issue 11: a group without members whose committed offsets move between two reads a moment
    /// apart commits with assign(): the wizard refuses it as it refuses an active group (as the CLI).
    @Test func anAssignCommitterIsRefusedAfterASecondSample() async throws {
        var t = try await Self.setup()
        let fake = t.fake
        let tp = try #require(fake.state.committed("idle-svc").keys.sorted().first)
        let before = try #require(fake.state.committed("idle-svc")[tp])
        // A consumer using assign() commits once the wizard has read the offsets the first time.
        let committer = Task {
            while !fake.state.calls.contains("committedOffsets") { try await Task.sleep(for: .milliseconds(10)) }
            fake.state.commit("idle-svc", [tp: before + 1])
        }
        await Self.open(&t, "idle-svc")
        try await committer.value
        #expect(try Self.wizard(t.state).step == .refused)
        #expect(Self.flat(t.state).contains("nothing was changed"))
        #expect(!fake.state.calls.contains("alterGroupOffsets"))
    }

    @Test func anActiveGroupIsRefusedWithKafkasReasonAndItsMembers() async throws {
        var t = try await Self.setup()
        t.state.press(.char("3"))
        for _ in 0..<10 where t.state.current.table?.selectedRow?.id != "live-svc" { t.state.press(.down) }
        #expect(t.state.current.table?.selectedRow?.id == "live-svc")
        let effects = t.state.press(.char("R"))
        #expect(Self.jobNames(effects) == ["load"])
        #expect(Self.flat(t.state).contains("Reading group live-svc"))
        await Self.run(effects, &t.state, t.fake)
        #expect(try Self.wizard(t.state).step == .refused)
        let text = Self.flat(t.state)
        #expect(text.contains("Assignments can only be reset if the group 'live-svc' is inactive, but the current state is Stable."))
        #expect(text.contains("live-app on /10.1.1.1"))
        #expect(text.contains("nothing was changed"))
        #expect(t.state.screenLines().allSatisfy { DisplayWidth.of($0) <= 80 })
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
        t.state.press(.escape)
        #expect(t.state.topPanel == nil)
    }

    @Test func aReadOnlyConnectionRefusesToOpenTheWizardAndSendsNothing() async throws {
        var t = try await Self.setup(readOnly: true)
        t.state.press(.char("3"))
        var effects = t.state.press(.char("R"))
        #expect(effects.isEmpty && t.state.topPanel == nil)
        t.state.press(.char(":"))
        t.state.type("reset idle-svc")
        effects = t.state.press(.enter)
        #expect(effects.isEmpty)
        #expect(t.state.topPanel == nil)
        #expect(t.state.status?.text == "read-only connection: offsets cannot be reset")
        #expect(t.fake.state.calls.isEmpty)
    }

    // MARK: scope

    @Test func scopeIsEveryCommittedPartitionOrThePickedOnes() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        var w = try Self.wizard(t.state)
        #expect(w.step == .scope)
        #expect(w.scope == .allTopics)
        var text = Self.flat(t.state)
        #expect(text.contains("every partition the group committed (4)"))
        // The group's topics first: orders, payments, then big.
        let lines = t.state.screenLines()
        let orders = try #require(lines.firstIndex { $0.contains("[ ] orders") })
        let big = try #require(lines.firstIndex { $0.contains("[ ] big") })
        #expect(orders < big)
        #expect(text.contains("0 committed 400"))
        #expect(text.contains("3 no commit"))

        t.state.press(.char(" "))  // all of orders
        #expect(try Self.wizard(t.state).scope == .topics([TopicScope("orders")]))
        t.state.press(.tab, .down, .char(" "))  // not orders-1
        w = try Self.wizard(t.state)
        #expect(w.scope == .topics([TopicScope("orders", partitions: [0, 2, 3])]))
        text = Self.flat(t.state)
        #expect(text.contains("[-] orders"))
        #expect(text.contains("[ ] 1 committed 600"))
        #expect(text.contains("3 picked partitions on 1 topic"))
        t.state.press(.char("a"))
        #expect(try Self.wizard(t.state).scope == .topics([TopicScope("orders")]))
        t.state.press(.char("a"))
        #expect(try Self.wizard(t.state).scope == .allTopics)
        t.state.press(.tab, .down, .tab, .down, .char(" "))  // payments-1, as the only pick
        #expect(try Self.wizard(t.state).scope == .topics([TopicScope("payments", partitions: [1])]))
        t.state.press(.tab, .char("a"))  // topics list: every partition of every topic
        w = try Self.wizard(t.state)
        #expect(w.picked == ["orders": [0, 1, 2, 3], "payments": [0, 1], "big": Set(0..<40)])

        // The plan covers the picked partitions only.
        t.state.press(.char("a"), .up, .char(" "))  // clear, then orders only
        let plan = try await Self.plan(&t, .toEarliest)
        #expect(plan.rows.map(\.topicPartition.description) == ["orders-0", "orders-1", "orders-2", "orders-3"])
        #expect(plan.rows.last?.notes == [.noCommittedOffset])
        // Esc goes back step by step, to the picks as they were.
        t.state.press(.escape)
        #expect(try Self.wizard(t.state).step == .target)
        t.state.press(.escape)
        #expect(try Self.wizard(t.state).step == .scope)
        #expect(try Self.wizard(t.state).scope == .topics([TopicScope("orders")]))
        t.state.press(.escape)
        #expect(t.state.topPanel == nil)
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
    }

    // MARK: targets

    @Test(arguments: [
        (ResetWizardPanel.TargetKind.toEarliest, nil, ["orders-0": 0, "orders-1": 0, "orders-2": 0, "payments-0": 50]),
        (.toLatest, nil, ["orders-0": 1000, "orders-1": 1000, "orders-2": 1000, "payments-0": 500]),
        (.toCurrent, nil, ["orders-0": 400, "orders-1": 600, "orders-2": 1000, "payments-0": 300]),
        (.toOffset, "700", ["orders-0": 700, "orders-1": 700, "orders-2": 700, "payments-0": 500]),
        (.shiftBy, "-100", ["orders-0": 300, "orders-1": 500, "orders-2": 900, "payments-0": 200]),
        (.toDatetime, "2026-11-23T04:10:00.000", ["orders-0": 250, "orders-1": 250, "orders-2": 250, "payments-0": 250]),
        (.toDatetime, "2026-11-23T05:10:00.000+01:00", ["orders-0": 250, "orders-1": 250, "orders-2": 250, "payments-0": 250]),
    ] as [(ResetWizardPanel.TargetKind, String?, [String: Int64])])
    func eachTargetProducesKafkasPlan(kind: ResetWizardPanel.TargetKind, value: String?, expected: [String: Int64]) async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        let plan = try await Self.plan(&t, kind, value: value)
        #expect(Self.new(plan) == expected)
        if kind == .toOffset {
            #expect(plan.rows.first { $0.topic == "payments" }?.notes == [.clampedToLogEnd(requested: 700, logEnd: 500)])
            #expect(Self.flat(t.state).contains("clamped to log"))
        }
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
    }

    /// Issue 23, point 10: on the target list `j`/`k` move, whatever the target under the cursor; a field
    /// takes text only once entered with Enter or Tab (Esc or Tab leave it), and the footer says so.
    @Test func jAndKMoveOnTheTargetListAndAFieldTakesTextOnlyOnceEntered() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        t.state.press(.enter)
        for _ in 0..<3 { t.state.press(.char("j")) }
        #expect(try Self.wizard(t.state).targetKind == .toOffset)
        #expect(t.state.screenLines().last?.contains("Enter/Tab type to-offset") == true, "\(t.state.screenLines().last ?? "")")
        t.state.press(.char("j"))
        var w = try Self.wizard(t.state)
        #expect(w.targetKind == .shiftBy, "j on to-offset moves on")
        #expect(w.fields[.toOffset]?.text == "" && w.fields[.shiftBy]?.text == "", "no j typed into a field")
        t.state.press(.char("k"))
        #expect(try Self.wizard(t.state).targetKind == .toOffset)
        // Digits on the list are not text either; Enter enters the field, then they are.
        t.state.press(.char("7"))
        #expect(try Self.wizard(t.state).fields[.toOffset]?.text == "")
        t.state.press(.enter)
        #expect(t.state.screenLines().last?.contains("Esc/Tab list") == true, "\(t.state.screenLines().last ?? "")")
        t.state.press(.char("7"), .char("j"), .char("0"))
        w = try Self.wizard(t.state)
        #expect(w.fields[.toOffset]?.text == "7j0" && w.targetKind == .toOffset, "inside the field j is text")
        // Tab leaves the field (its text stays); j moves again.
        t.state.press(.tab)
        t.state.press(.char("j"))
        w = try Self.wizard(t.state)
        #expect(w.targetKind == .shiftBy && w.fields[.toOffset]?.text == "7j0")
        // Tab enters a field too; Esc leaves it without leaving the step.
        t.state.press(.tab, .char("5"), .escape)
        w = try Self.wizard(t.state)
        #expect(w.step == .target && !w.editingField && w.fields[.shiftBy]?.text == "5")
    }

    @Test func byDurationGoesBackFromNow() async throws {
        // Offset o of orders was written (1000 - o) minutes and 30 s ago; payments ends at 500.
        // The test reads the clock around the plan, not a fixed margin: a loaded machine may take
        // longer than the 30 s between two offsets to get from setup to the plan.
        let now = OffsetTime.milliseconds(Date())
        var t = try await Self.setup(ResetFakeCluster(anchor: now - 1000 * 60_000 + 30_000))
        await Self.open(&t, "idle-svc")
        let plan = try await Self.plan(&t, .byDuration, value: "PT100M")
        let after = OffsetTime.milliseconds(Date())
        // The field is resolved as it is typed, then the plan asks again: the plan's instant is the last.
        let ts = try #require(t.fake.state.timesAsked.last)
        #expect(ts >= now - 100 * 60_000 && ts <= after - 100 * 60_000, "100 minutes before the plan was made")
        let orders = (ts - t.fake.anchor + 59_999) / 60_000
        #expect(after - now >= 30_000 || orders == 900, "planned promptly, it is offset 900")
        #expect(Self.new(plan) == ["orders-0": orders, "orders-1": orders, "orders-2": orders, "payments-0": 500])
        #expect(plan.rows.first { $0.topic == "payments" }?.notes == [.fellBackToLogEnd])
    }

    /// Issue 27 point 9: the preview says how long an Empty group's offsets were watched for an assign()
    /// committer, as the CLI's does; a group with members is not watched, and nothing is said.
    @Test func thePlanSaysHowLongTheOffsetsWereWatched() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        _ = try await Self.plan(&t, .toEarliest)
        #expect(Self.flat(t.state).contains("Watched \(ResetInputs.assignCommitterPause.components.seconds) s: no commit seen."),
                "\(t.state.screenLines().joined(separator: "\n"))")
    }

    @Test func theTimeFieldsResolveLiveAndSayWhatIsWrong() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        t.state.press(.enter)
        // Half typed: the parse error beside the field, and no lookup.
        var effects = Self.choose(&t, .toDatetime, value: "2026-11-23T04")
        #expect(Self.jobNames(effects).isEmpty)
        #expect(effects.contains(.cancelJob(panelID: 1, name: "resolve")))
        var lines = t.state.screenLines()
        let row = try #require(lines.first { $0.contains("to-datetime") })
        #expect(row.contains("✗ invalid date-time"))
        #expect(Self.flat(t.state).contains("expected yyyy-MM-dd'T'HH:mm:ss.SSS"))
        // Completed: the offsets it resolves to, per partition.
        for c in ":10:00.000" { effects = t.state.update(.keyPressed(.char(c))) }
        #expect(Self.jobNames(effects) == ["resolve"])
        await Self.run(effects, &t.state, t.fake)
        var text = Self.flat(t.state)
        #expect(text.contains("orders-0 → 250 (-150)"))
        #expect(text.contains("orders-2 → 250 (-750)"))
        #expect(text.contains("4 of 4 partitions change: 0 records skipped, 1300 re-read"))
        #expect(t.fake.state.calls.contains("offsetsForTimes"))
        // An answer for an earlier keystroke is dropped: the field shows what its text resolves to.
        let stale = t.state.press(.char("Z"))
        #expect(Self.jobNames(stale) == ["resolve"])
        t.state.press(.backspace, .char("+"), .char("0"))
        let fresh = t.state.press(.char("1"))  // 04:10+01:00 is 03:10 UTC: offset 190
        await Self.run(stale, &t.state, t.fake)
        lines = t.state.screenLines()
        #expect(lines.joined().contains("Resolving"))
        await Self.run(fresh, &t.state, t.fake)
        #expect(Self.flat(t.state).contains("orders-0 → 190 (-210)"))

        // The duration field: bad, then good (the short form 1H is a duration too).
        effects = Self.choose(&t, .byDuration, value: "x1H")
        #expect(Self.jobNames(effects).isEmpty)
        text = Self.flat(t.state)
        #expect(text.contains("✗"))
        #expect(text.contains("invalid date-time") && text.contains("-1h"))
        effects = t.state.press(.home)
        effects = t.state.press(.delete)
        #expect(Self.jobNames(effects) == ["resolve"])
        await Self.run(effects, &t.state, t.fake)
        #expect(Self.flat(t.state).contains("Resolved:"))
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
    }

    /// Issue 13: the date-time field takes minutes without seconds, a zone, and a relative time (now minus the
    /// duration); its hint is whole at 80x24 and 200x50.
    @Test(arguments: [(80, 24), (200, 50)])
    func theDateTimeFieldTakesShortAndRelativeForms(width: Int, height: Int) async throws {
        var t = try await Self.setup()
        _ = t.state.update(.resized(Size(width: width, height: height)))
        await Self.open(&t, "idle-svc")
        t.state.press(.enter)
        var effects = Self.choose(&t, .toDatetime, value: "2026-11-23T04:10")
        #expect(Self.jobNames(effects) == ["resolve"])
        await Self.run(effects, &t.state, t.fake)
        #expect(Self.flat(t.state).contains("orders-0 → 250 (-150)"), "\(t.state.screenLines().joined(separator: "\n"))")
        effects = Self.choose(&t, .toDatetime, value: "2026-11-23T05:10+01:00")
        await Self.run(effects, &t.state, t.fake)
        #expect(Self.flat(t.state).contains("orders-0 → 250 (-150)"))
        effects = Self.choose(&t, .toDatetime, value: "-1h")
        #expect(Self.jobNames(effects) == ["resolve"])
        await Self.run(effects, &t.state, t.fake)
        #expect(Self.flat(t.state).contains("Resolved:") && !Self.flat(t.state).contains("✗"), "\(Self.flat(t.state))")
        guard case .success(.byDuration(3_600_000)) = try Self.wizard(t.state).target() else {
            Issue.record("-1h is not an hour back: \(try Self.wizard(t.state).target())"); return
        }
        let lines = t.state.screenLines()
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width })
        #expect(lines.contains { $0.contains("to-datetime") && $0.contains("UTC unless Z, +01:00; or -1h") })
        #expect(lines.contains { $0.contains("by-duration") && $0.contains("back from now: 30m, PT1H, P1DT2H") })
    }

    // MARK: plan, confirmation, execution

    @Test func thePlanTableHighlightsSkipsAndReReadsAndScrollsAt80x24() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        t.state.press(.char("G"), .char(" "))  // every partition of big (40) plus nothing else
        t.state.press(.char("g"), .char(" "))  // and all of orders
        let plan = try await Self.plan(&t, .toOffset, value: "500")
        #expect(plan.rows.count == 44)
        let g = t.state.grid()
        #expect(g.lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        let header = try #require(g.find("CURRENT"))
        #expect(g.lines[header.y].contains("TOPIC") && g.lines[header.y].contains("DELTA"))
        // big-0 is row 1 (sorted): no commit; orders-0 moves forward 100 (skip), orders-1 back 100 (re-read).
        #expect(g.lines.contains { $0.contains("big") && $0.contains("no committed") })
        #expect(g.find("▼") != nil)
        t.state.press(.end)
        let end = t.state.grid()
        let skip = try #require(end.find("100 skipped"))
        #expect(end.role(x: skip.x, y: skip.y) == .critical)
        #expect(end.lines[skip.y].contains("+100"))
        let reread = try #require(end.find("100 re-read"))
        #expect(end.lines[reread.y].contains("-100"))
        #expect(end.role(x: reread.x, y: reread.y) == .warning)
        #expect(end.find("▲") != nil)
        let text = Self.flat(t.state)
        #expect(text.contains("44 of 44 partitions change: 100 records skipped, 600 re-read; 41 partitions have no committed offset"))
        #expect(text.contains("SKIPS 100 records"))
    }

    /// Issue 13: the per-partition SKIPPED/RE-READ column adds up to the totals; a committed offset below the log
    /// start makes the delta larger than what is skipped, and the row says why (at 80x24 and 200x50).
    @Test(arguments: [(80, 24), (200, 50)])
    func skippedAndReReadAddUpAndAnOffsetBelowTheLogStartSaysWhy(width: Int, height: Int) async throws {
        let fake = ResetFakeCluster()
        fake.state.commit("idle-svc", [TopicPartition("payments", 0): 10])  // payments' log starts at 50
        var t = try await Self.setup(fake)
        _ = t.state.update(.resized(Size(width: width, height: height)))
        await Self.open(&t, "idle-svc")
        let plan = try await Self.plan(&t, .toLatest)
        let pay = try #require(plan.rows.first { $0.topic == "payments" })
        #expect(pay.delta == 490 && pay.recordsSkipped == 450 && pay.recordsGone == 40)
        #expect(plan.recordsSkipped == 600 + 400 + 450)
        let g = t.state.grid()
        #expect(g.lines.allSatisfy { DisplayWidth.of($0) <= width })
        let header = try #require(g.find("SKIPPED/RE-READ"))
        #expect(g.lines[header.y].contains("DELTA"))
        // The column, row by row, adds up to the total.
        func skipped(_ line: String) -> Int64? {
            let words = line.split(separator: " ")
            guard let i = words.firstIndex(of: "skipped"), i > 0 else { return nil }
            return Int64(words[i - 1])
        }
        let rows = g.lines[(header.y + 1)...].prefix(plan.rows.count)
        #expect(rows.compactMap(skipped).reduce(0, +) == plan.recordsSkipped)
        let payLine = try #require(rows.first { $0.contains("payments") })
        #expect(payLine.contains("+490") && payLine.contains("450 skipped"))
        if width >= 200 { #expect(payLine.contains("old offset below log start: 40 gone")) }
        else { #expect(payLine.contains("old offset")) }
        // The selected row's line says it in full at any width.
        t.state.press(.end)
        var text = Self.flat(t.state)
        #expect(text.contains("40 records deleted by retention, not skipped: old offset 10 < log start 50."))
        #expect(text.contains("1450 records skipped, 0 re-read"))
        #expect(text.contains("40 records below the log start already deleted (neither skipped nor re-read)"))
        t.state.press(.home)
        text = Self.flat(t.state)
        #expect(!text.contains("deleted by retention, not skipped"))
    }

    @Test func aPlanThatSkipsRecordsNeedsAnExtraConfirmation() async throws {
        var t = try await Self.setup()
        await Self.open(&t, "idle-svc")
        _ = try await Self.plan(&t, .toLatest)
        t.state.press(.enter)
        #expect(try Self.wizard(t.state).step == .confirm)
        var g = t.state.grid()
        let loud = try #require(g.find("THIS RESET SKIPS 1200 RECORDS"))
        #expect(g.role(x: loud.x, y: loud.y) == .critical)
        #expect(Self.flat(t.state).contains("MORE than the profile's reset_skip_threshold (0)"))
        var effects = t.state.press(.enter)
        #expect(Self.jobNames(effects).isEmpty)
        #expect(t.state.status?.text.contains("press y") == true)
        t.state.press(.char("y"))
        #expect(Self.flat(t.state).contains("skipping 1200 records accepted"))
        effects = t.state.press(.enter)
        #expect(Self.jobNames(effects) == ["execute"])

        // Under the threshold: still a y, but not the loud line.
        var quiet = try await Self.setup(threshold: 5000)
        await Self.open(&quiet, "idle-svc")
        _ = try await Self.plan(&quiet, .toLatest)
        quiet.state.press(.enter)
        g = quiet.state.grid()
        let warn = try #require(g.find("THIS RESET SKIPS 1200 RECORDS"))
        #expect(g.role(x: warn.x, y: warn.y) == .warning)
        #expect(!Self.flat(quiet.state).contains("reset_skip_threshold"))
        #expect(Self.jobNames(quiet.state.press(.enter)).isEmpty)
        #expect(!quiet.fake.state.calls.contains("alterGroupOffsets"))
    }

    @Test func aProtectedProfileNeedsTheGroupNameTyped() async throws {
        var t = try await Self.setup(protected: true)
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        await Self.open(&t, "idle-svc")
        _ = try await Self.plan(&t, .toEarliest)
        t.state.press(.enter)
        #expect(Self.flat(t.state).contains("Protected profile: type the group name to confirm"))
        #expect(Self.jobNames(t.state.press(.enter)).isEmpty)
        t.state.type("idle")
        #expect(Self.jobNames(t.state.press(.enter)).isEmpty)
        #expect(t.state.status?.text.contains("type the group name exactly") == true)
        t.state.type("-svc")
        let effects = t.state.press(.enter)
        #expect(Self.jobNames(effects) == ["execute"])
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
        await Self.run(effects, &t.state, t.fake)
        #expect(t.fake.state.calls.contains("alterGroupOffsets"))
    }

    /// Issue 10 point 6: the commit is made but its answer is lost (a timeout after sending): the result
    /// says the outcome was unknown, reads the offsets back and shows each partition applied; never "failed".
    @Test func aLostAnswerIsUnknownThenReadBackNotFailed() async throws {
        var fake = ResetFakeCluster()
        fake.loseAnswer = true
        var t = try await Self.setup(fake)
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        await Self.open(&t, "idle-svc")
        let plan = try await Self.plan(&t, .toEarliest)
        t.state.press(.enter)
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        #expect(t.fake.state.committed("idle-svc") == plan.offsets)
        let w = try Self.wizard(t.state)
        guard case .done(let e, _, _)? = w.outcome else { Issue.record("outcome: \(String(describing: w.outcome))"); return }
        #expect(e.lostAnswer != nil)
        #expect(e.rows.allSatisfy { $0.status == .applied })
        let text = Self.flat(t.state)
        #expect(text.contains("Outcome UNKNOWN at first"))
        #expect(text.contains("read back: 4 applied, 0 not applied, 0 unknown"))
        #expect(t.state.screenLines().filter { $0.contains("applied (read back)") }.count == 4)
        #expect(!text.contains("failed"))
        #expect(t.state.status?.isError == true)
        let outcome = try #require(t.audit.outcomes.first)
        #expect(outcome.result.hasPrefix("unknown: "))
    }

    /// Issue 27 point 1: the connection closes after the commit was sent (`_TRANSPORT`): unknown, read back
    /// applied, never "failed".
    @Test func aConnectionCutAfterTheCommitIsUnknownThenReadBackNotFailed() async throws {
        var fake = ResetFakeCluster()
        fake.cutAfterCommit = true
        var t = try await Self.setup(fake)
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        await Self.open(&t, "idle-svc")
        let plan = try await Self.plan(&t, .toEarliest)
        t.state.press(.enter)
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        #expect(t.fake.state.committed("idle-svc") == plan.offsets)
        let w = try Self.wizard(t.state)
        guard case .done(let e, _, _)? = w.outcome else { Issue.record("outcome: \(String(describing: w.outcome))"); return }
        #expect(e.lostAnswer != nil)
        #expect(e.rows.allSatisfy { $0.status == .applied })
        #expect(!Self.flat(t.state).contains("failed"))
        let outcome = try #require(t.audit.outcomes.first)
        #expect(outcome.result.hasPrefix("unknown: "))
    }

    /// Issue 10 point 12: `u` after a reset that gave partitions their first commit deletes those commits
    /// again (DeleteConsumerGroupOffsets), after the same preview and confirmation.
    @Test func uRestoresNoCommitByDeletingTheOffsets() async throws {
        var t = try await Self.setup()
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        await Self.open(&t, "idle-svc")
        t.state.press(.char("a"))  // every partition of every topic, most of them without a commit
        let plan = try await Self.plan(&t, .toEarliest)
        #expect(plan.partitionsWithoutCommit > 0)
        let before = t.fake.state.committed("idle-svc")
        t.state.press(.enter)
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        #expect(t.fake.state.committed("idle-svc").count == plan.rows.count)
        try Self.expectUndoCommandOnOneLine(&t, nil)

        await Self.run(t.state.press(.char("u")), &t.state, t.fake)
        let undo = try #require(try Self.wizard(t.state).plan)
        #expect(undo.deletions.count == plan.partitionsWithoutCommit)
        #expect(Self.flat(t.state).contains("commit deleted"))
        t.state.press(.enter)
        if Self.flat(t.state).contains("accept skipping") { t.state.press(.char("y")) }
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        #expect(t.fake.state.calls.contains("deleteGroupOffsets"))
        #expect(t.fake.state.committed("idle-svc") == before)
        guard case .done(let e, _, _)? = try Self.wizard(t.state).outcome else { Issue.record("no result"); return }
        #expect(e.allInPlace)
    }

    @Test func executingOpensTheAuditLogWritesTheUndoFileAndShowsEachPartition() async throws {
        var t = try await Self.setup()
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        await Self.open(&t, "idle-svc")
        let plan = try await Self.plan(&t, .toEarliest)
        t.state.press(.enter)
        #expect(Self.flat(t.state).contains("Press Enter to reset the offsets now"))
        let effects = t.state.press(.enter)
        #expect(Self.flat(t.state).contains("Resetting"))
        let after = await Self.run(effects, &t.state, t.fake)
        #expect(after.contains { if case .loadSnapshot = $0 { return true }; return false })  // the snapshot is reloaded
        #expect(try Self.wizard(t.state).step == .result)

        // The cluster has the new offsets.
        #expect(t.fake.state.committed("idle-svc") == plan.offsets)
        // The undo file holds the old ones, in --from-file format.
        let files = try FileManager.default.contentsOfDirectory(atPath: t.undoDir)
        #expect(files.count == 1)
        let undoPath = t.undoDir + "/" + files[0]
        #expect(files[0].hasPrefix("idle-svc-") && files[0].hasSuffix(".csv"))
        let csv = try String(contentsOfFile: undoPath, encoding: .utf8)
        #expect(try ResetCSV.entries(csv, group: "idle-svc") == plan.previousOffsets)
        #expect(csv.split(separator: "\n").sorted() == ["orders,0,400", "orders,1,600", "orders,2,1000", "payments,0,300"])
        // One audit entry, shaped like the CLI's.
        let entries = t.audit.outcomes
        #expect(entries.count == 1)
        let e = try #require(entries.first)
        #expect(e.action == "group.reset-offsets" && e.target == "idle-svc" && e.result == "ok")
        #expect(e.before == ["orders-0": 400, "orders-1": 600, "orders-2": 1000, "payments-0": 300])
        #expect(e.after == ["orders-0": 0, "orders-1": 0, "orders-2": 0, "payments-0": 50])
        guard case .object(let details) = e.details else { Issue.record("details: \(e.details)"); return }
        #expect(details["undo_file"] == .string(undoPath))
        #expect(details["target"] == "to earliest")

        // The result screen: per partition, the undo file and the command that undoes it, whole.
        let lines = t.state.screenLines()
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        let text = Self.flat(t.state)
        #expect(text.contains("Done: 4 of 4 partitions in place."))
        #expect(lines.filter { $0.contains("in place") }.count >= 5)
        #expect(t.state.status?.text == "offsets of idle-svc reset: 4 of 4 partitions in place")
        // The path is one line (issue 23, point 11), its start in view; → scrolls it with the command to its end.
        let pathRow = try #require(lines.firstIndex { $0.hasPrefix(" /") })
        #expect(undoPath.hasPrefix(lines[pathRow].trimmingCharacters(in: .whitespaces)))
        for _ in 0..<40 { t.state.press(.right) }
        #expect(undoPath.hasSuffix(t.state.screenLines()[pathRow].trimmingCharacters(in: .whitespaces)))
        for _ in 0..<40 { t.state.press(.left) }
        #expect(text.contains("/memory/audit.log"))
        try Self.expectUndoCommandOnOneLine(&t, "kafkaops reset-offsets --group idle-svc --from-file \(undoPath) --execute --allow-skip")
        t.state.press(.escape)
        #expect(t.state.topPanel == nil)
    }

    /// Issue 23, point 11: `c` on the result puts the undo command (it names the undo file) on the clipboard
    /// with OSC 52; no other key does, at any step.
    @Test func cCopiesTheUndoCommandAndNoOtherKeyWritesTheClipboard() async throws {
        var t = try await Self.setup()
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        func copies(_ e: [Effect]) -> [String] { e.compactMap { if case .copyToClipboard(let s) = $0 { return s }; return nil } }
        var seen: [String] = []
        await Self.open(&t, "idle-svc")
        seen += copies(t.state.press(.char("c")))
        seen += copies(t.state.press(.enter))
        for k in [Key.char("c"), .char("j"), .char("c"), .char("k")] { seen += copies(t.state.press(k)) }
        _ = try await Self.plan(&t, .toEarliest)
        seen += copies(t.state.press(.char("c")))
        t.state.press(.enter)
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        #expect(try Self.wizard(t.state).step == .result)
        for k in [Key.right, .left, .down, .up, .char("l"), .char("h"), .char(" ")] { seen += copies(t.state.press(k)) }
        #expect(seen.isEmpty, "only c on the result copies")
        #expect(t.state.screenLines().last?.contains("c copy undo") == true, "\(t.state.screenLines().last ?? "")")
        let command = try #require(try Self.wizard(t.state).undoCommand)
        #expect(command.contains("--from-file "))
        #expect(copies(t.state.press(.char("c"))) == [command])
        #expect(t.state.status?.text.contains("copied to the clipboard") == true)
        #expect(t.fake.state.calls.filter { $0 == "alterGroupOffsets" }.count == 1, "copying sends nothing")
    }

    /// The OSC 52 sequence carries the text base64-encoded (no control byte of it reaches the terminal), and
    /// the program writes it to the terminal only when the effect asks.
    @Test @MainActor func theClipboardSequenceIsOSC52AndWrittenOnlyWhenAsked() async throws {
        let text = "kafkaops reset-offsets --group 'a\u{1B}b' --from-file /tmp/x.csv --execute"
        let seq = Clipboard.osc52(text)
        #expect(seq.hasPrefix("\u{1B}]52;c;") && seq.hasSuffix("\u{07}"))
        let payload = String(seq.dropFirst(7).dropLast())
        #expect(Data(base64Encoded: payload).map { String(decoding: $0, as: UTF8.self) } == text)
        #expect(!payload.unicodeScalars.contains { $0.value < 0x20 })
        let term = FakeTerminal()
        let program = ConsoleProgram(options: ConsoleOptions(client: FakeCluster(), profileName: "demo", readOnly: false, isDemo: true),
                                     terminal: term)
        program.run(.scheduleTick(after: .seconds(60)))
        #expect(term.copies.isEmpty)
        program.run(.copyToClipboard(text))
        #expect(term.copies == [seq])
    }

    @Test func uOnTheResultPlansAndAppliesTheUndo() async throws {
        var t = try await Self.setup()
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        await Self.open(&t, "idle-svc")
        let plan = try await Self.plan(&t, .toEarliest)
        let before = t.fake.state.committed("idle-svc")
        t.state.press(.enter)
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        #expect(t.fake.state.committed("idle-svc") == plan.offsets)
        #expect(t.state.screenLines().last?.contains("u undo this reset") == true)

        // u: the group is read again, then a from-file plan back to the offsets before.
        await Self.run(t.state.press(.char("u")), &t.state, t.fake)
        let w = try Self.wizard(t.state)
        #expect(w.step == .plan)
        let undo = try #require(w.plan)
        #expect(undo.target.summary == "from file (4 partitions)")
        #expect(Dictionary(uniqueKeysWithValues: undo.rows.compactMap { r in r.new.map { (r.topicPartition, $0) } }) == before)
        #expect(Dictionary(uniqueKeysWithValues: undo.rows.compactMap { r in r.current.map { (r.topicPartition, $0) } }) == plan.offsets)
        #expect(Self.flat(t.state).contains("Nothing has been changed yet"))
        // Confirmed and executed like any reset: the offsets are back, with an audit line and an undo file of its own.
        t.state.press(.enter)
        if Self.flat(t.state).contains("accept skipping") { t.state.press(.char("y")) }
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        #expect(t.fake.state.committed("idle-svc") == before)
        #expect(t.audit.outcomes.map(\.action) == ["group.reset-offsets", "group.reset-offsets"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.undoDir).count == 2)
    }

    @Test func aFailedPartitionIsShownWithItsReason() async throws {
        var t = try await Self.setup(ResetFakeCluster(failing: [TopicPartition("orders", 1)]))
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        try await Self.resetToEarliest(&t, "idle-svc")
        let text = Self.flat(t.state)
        #expect(text.contains("1 of 4 partitions NOT in place"))
        let g = t.state.grid()
        let failed = try #require(g.lines.first { $0.contains("orders") && $0.contains("failed:") })
        #expect(failed.contains("failed: The coordinator"))
        let at = try #require(g.find("failed: The coordinator"))
        #expect(g.role(x: at.x, y: at.y) == .critical)
        #expect(g.lines.filter { $0.contains("in place") && !$0.contains("NOT") }.count == 3)
        #expect(t.audit.outcomes.first?.result == "partial")
        #expect(t.state.status?.isError == true)
    }

    @Test func anAuditLogThatCannotBeOpenedRefusesAndSendsNothing() async throws {
        var t = try await Self.setup()
        t.state.operations.openChangeLog = { throw ClusterError(.invalidRequest, "permission denied: /var/log/kafkaops/audit.log") }
        try await Self.resetToEarliest(&t, "idle-svc")
        let text = Self.flat(t.state)
        #expect(text.contains("Refused: nothing was sent to the cluster."))
        #expect(text.contains("cannot open the audit log: permission denied"))
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
        #expect(!FileManager.default.fileExists(atPath: t.undoDir))
    }

    /// Issue 10 point 2: the log opens, but the started record cannot be written (a full disk).
    @Test func aStartedRecordThatCannotBeWrittenRefusesTheReset() async throws {
        var t = try await Self.setup()
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        t.audit.failWrites = true
        try await Self.resetToEarliest(&t, "idle-svc")
        let text = Self.flat(t.state)
        #expect(text.contains("Refused: nothing was sent to the cluster."))
        #expect(text.contains("No space left on device"))
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
    }

    @Test func offsetsCommittedAfterThePlanWereShownRefuseTheReset() async throws {
        var t = try await Self.setup()
        defer { try? FileManager.default.removeItem(atPath: t.undoDir) }
        await Self.open(&t, "idle-svc")
        _ = try await Self.plan(&t, .toEarliest)
        t.state.press(.enter)
        t.fake.state.commit("idle-svc", [TopicPartition("orders", 1): 640])  // a consumer ran meanwhile
        await Self.run(t.state.press(.enter), &t.state, t.fake)
        let text = Self.flat(t.state)
        #expect(text.contains("Refused: nothing was sent to the cluster."))
        #expect(text.contains("changed since the plan (orders-1: 600 → 640)"))
        #expect(!t.fake.state.calls.contains("alterGroupOffsets"))
        #expect(t.audit.entries.isEmpty)
    }
}
