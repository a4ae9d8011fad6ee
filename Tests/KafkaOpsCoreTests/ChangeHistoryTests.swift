import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 23 points 2 and 5, issue 27 point 3: the change log read back. A started record with no outcome is an
/// incomplete change that the next change on its target names (and a replay may not pass without reading the
/// target from where it started); a plain rerun of a replay reads the target from where earlier runs started.
@Suite struct ChangeHistoryTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func record(_ action: String, _ target: String, _ result: String, at s: Double, user: String = "ops",
                       before: JSONValue = .null, details: JSONValue = .null) -> ChangeRecord {
        ChangeRecord(time: t0.addingTimeInterval(s), user: user, host: "bastion", profile: "prod", action: action, target: target,
                     before: before, result: result, details: details)
    }

    static func replayStarted(at s: Double, target: String = "original topics", since: Int64 = 0) -> ChangeRecord {
        record("dlq.replay.started", "orders-dlt", "started", at: s, before: ["dlq_offsets": ["orders-dlt/0: 0-299"]],
               details: ["records": 300, "target": .string(target), "target_offsets_at_start": ["orders/0": .int(since)]])
    }

    @Test func aStartedRecordWithoutOutcomeIsIncompleteAndNamedWithWhatItWasAboutToDo() {
        let h = ChangeHistory([
            Self.record("group.reset-offsets.started", "payments", "started", at: 0, before: ["orders/0": 5]),
            Self.record("group.reset-offsets", "payments", "ok", at: 1),
            Self.record("group.reset-offsets.started", "payments", "started", at: 2, before: ["orders/0": 7]),
        ])
        #expect(h.entries.map(\.isIncomplete) == [false, true])
        let open = h.unresolvedIncomplete(action: "group.reset-offsets", target: "payments", profile: "prod")
        #expect(open.count == 1)
        let text = open[0].incompleteDescription
        #expect(text.contains("has no outcome"))
        #expect(text.contains("\"orders/0\":7"), "what the started record said was about to happen: \(text)")
        #expect(h.unresolvedIncomplete(action: "group.reset-offsets", target: "other", profile: "prod").isEmpty)
    }

    @Test func anOutcomeClosesTheNewestOpenStartedRecordSoAKilledOneStaysIncomplete() {
        // Killed (no outcome), then a later run that finished: the killed one stays incomplete, and is followed up.
        let h = ChangeHistory([
            Self.replayStarted(at: 0),
            Self.replayStarted(at: 5),
            Self.record("dlq.replay", "orders-dlt", "ok", at: 6),
        ])
        #expect(h.entries.map(\.isIncomplete) == [true, false])
        #expect(h.unresolvedIncomplete(action: "dlq.replay", target: "orders-dlt", profile: nil).isEmpty,
                "a later run of the same change that reached its outcome follows the killed one up")
    }

    @Test func aReplayAfterAKilledRunIsRefusedWithTheResumeCommandUnlessItReadsFromWhereThatRunStarted() throws {
        let h = ChangeHistory([Self.replayStarted(at: 0, since: 40)])
        #expect(throws: ReplayResumeRefusal.self) {
            _ = try ReplayResume.decide(h, profile: "prod", dlq: "orders-dlt", destination: nil, given: nil, resumeCommand: { _ in nil })
        }
        do {
            _ = try ReplayResume.decide(h, profile: "prod", dlq: "orders-dlt", destination: nil, given: nil, resumeCommand: { run in
                ReplayResume.command(dlq: "orders-dlt", connectionArguments: ["--profile", "prod"], offsets: run.offsetItems,
                                     checkpoint: run.checkpoint, destination: nil)
            })
            Issue.record("not refused")
        } catch {
            #expect(error.description.contains("--offsets 0:0-299 --since-offsets orders/0=40 --execute"), "\(error)")
            #expect(error.description.hasSuffix("nothing was sent"))
            #expect(!error.description.contains("\n"))
        }
        // Reading from later than where it started would not find what it wrote.
        #expect(throws: ReplayResumeRefusal.self) {
            _ = try ReplayResume.decide(h, profile: "prod", dlq: "orders-dlt", destination: nil,
                                        given: ReplayCheckpoint([TopicPartition("orders", 0): 41]), resumeCommand: { _ in nil })
        }
        let ok = try ReplayResume.decide(h, profile: "prod", dlq: "orders-dlt", destination: nil,
                                         given: ReplayCheckpoint([TopicPartition("orders", 0): 40]), resumeCommand: { _ in nil })
        #expect(ok.acknowledged.count == 1)
        // Another target is another replay.
        let other = try ReplayResume.decide(h, profile: "prod", dlq: "orders-dlt", destination: "elsewhere", given: nil, resumeCommand: { _ in nil })
        #expect(other.since == nil)
    }

    @Test func aPlainRerunReadsTheTargetFromWhereTheEarliestEarlierRunStarted() throws {
        let h = ChangeHistory([
            Self.replayStarted(at: 0, since: 10), Self.record("dlq.replay", "orders-dlt", "ok", at: 1),
            Self.replayStarted(at: 2, since: 70), Self.record("dlq.replay", "orders-dlt", "ok", at: 3),
        ])
        let r = try ReplayResume.decide(h, profile: "prod", dlq: "orders-dlt", destination: nil, given: nil, resumeCommand: { _ in nil })
        #expect(r.since == ReplayCheckpoint([TopicPartition("orders", 0): 10]))
        #expect(r.notes.count == 1)
    }

    @Test func thePipelineRefusesAReplayPastAnUnacknowledgedKilledRunAndNamesAKilledResetBeforeGoingOn() async throws {
        let log = MemoryLog()
        var pipeline = ChangePipeline(guardrails: ChangeGuard(readOnly: false, protected: false, profile: "prod"), openLog: { log })
        let notices = Locked<[String]>()
        pipeline.notice = { notices.append($0) }
        pipeline.history = { ChangeHistory([Self.replayStarted(at: 0),
                                            Self.record("group.reset-offsets.started", "payments", "started", at: 1, before: ["orders/0": 7])]) }
        let plan = ReplayPlan(items: [], notReplayable: [], preview: ReplayPreview(total: 0, notReplayable: 0, destinations: [], keysSample: []))
        let start = ReplayStart(progress: ReplayProgress(plan: plan), includeFailed: false, checkpoint: ReplayCheckpoint(), skipped: [])
        let replay = ReplayChange(dlq: "orders-dlt", plan: plan, start: start, destination: nil, rate: nil)
        await #expect(throws: ChangeRefused.self) {
            _ = try await pipeline.run(replay, client: LostAnswerCluster(committed: [:]), timeout: .seconds(1))
        }
        #expect(log.count == 0, "refused: nothing recorded, nothing sent")
        var acknowledged = replay
        acknowledged.acknowledged = try pipeline.history!().unresolvedIncomplete(action: "dlq.replay", target: "orders-dlt", profile: "prod")
        _ = try await pipeline.run(acknowledged, client: LostAnswerCluster(committed: [:]), timeout: .seconds(1))
        #expect(log.count == 2)
        _ = try await pipeline.run(Named(target: "payments"), client: LostAnswerCluster(committed: [:]), timeout: .seconds(1))
        #expect(notices.value.contains { $0.contains("group.reset-offsets of payments") && $0.contains("has no outcome") && $0.contains("\"orders/0\":7") },
                "\(notices.value)")
    }

    final class MemoryLog: ChangeLog, @unchecked Sendable {
        let path = "/test/audit.log"
        private let lock = NSLock()
        private var n = 0
        var count: Int { lock.withLock { n } }
        func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws {
            lock.withLock { n += 1 }
        }
    }

    struct Named: ClusterChange {
        var target: String
        var action: ChangeAction { .resetOffsets }
        var summary: String { "reset \(target)" }
        var recordAfter: JSONValue { .null }
        func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<Int> { ChangeExecution(0, result: "ok") }
    }
}
