import Foundation
import Testing
@testable import KafkaOpsCore

/// The one path every change takes (`ChangePipeline`): what refuses before anything is written or sent,
/// and how each outcome is recorded. Each check is the rule for every change, not for one command.
@Suite struct ChangePipelineTests {
    /// What happened, in order: "open", "prepare", "record <action> <result>", "execute".
    /// What happened, in order.
    typealias Trace = Locked<[String]>

    final class Log: ChangeLog, @unchecked Sendable {
        let path = "/test/audit.log"
        let trace: Trace
        /// Records whose result starts with one of these fail to be written.
        let failing: [String]
        init(_ trace: Trace, failing: [String] = []) { self.trace = trace; self.failing = failing }
        func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws {
            if failing.contains(where: { result.hasPrefix($0) }) { throw ChangeLogWriteError(path: path, reason: "No space left on device") }
            trace.append("record \(action) \(result)")
        }
    }

    struct Change: ClusterChange {
        let trace: Trace
        var refusal: String?
        var stale: String?
        var failure: ClusterError?
        var confirmationName: String? = "orders"
        var action: ChangeAction { .alterTopicConfig }
        var target: String { "orders" }
        var summary: String { "alter the configs of topic orders" }
        var recordAfter: JSONValue { ["min.insync.replicas": "2"] }
        func policyRefusal(allowOverride: Bool) -> String? { allowOverride ? nil : refusal }
        func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? { stale }
        func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<Int> {
            trace.append("execute")
            if let failure { throw failure }
            return ChangeExecution(7, result: "ok")
        }
    }

    let client = LostAnswerCluster(committed: [:])

    func pipeline(_ trace: Trace, readOnly: Bool = false, protected: Bool = false, failing: [String] = [],
                  openFails: Bool = false) -> ChangePipeline {
        ChangePipeline(guardrails: ChangeGuard(readOnly: readOnly, protected: protected, profile: "prod")) {
            trace.append("open")
            if openFails { throw ChangeLogWriteError(path: "/test/audit.log", reason: "Permission denied") }
            return Log(trace, failing: failing)
        }
    }

    @Test func aChangeIsRecordedStartedThenExecutedThenRecordedWithItsOutcome() async throws {
        let t = Trace()
        let done = try await pipeline(t).run(Change(trace: t), client: client, timeout: .seconds(1), prepare: { t.append("prepare") })
        #expect(done.outcome == 7)
        #expect(done.unrecorded == nil)
        #expect(t.value == ["open", "prepare", "record topic.alter-config.started started", "execute", "record topic.alter-config ok"])
    }

    @Test func readOnlyRefusesBeforeTheLogIsOpenedOrAnythingSent() async {
        let t = Trace()
        await #expect(throws: ChangeRefused.readOnly("alter the configs of topic orders")) {
            _ = try await pipeline(t, readOnly: true).run(Change(trace: t), client: client, timeout: .seconds(1))
        }
        #expect(t.value.isEmpty)
    }

    @Test func thePolicyRefusesUnlessOverriddenAndTheOverrideIsTheChangesToGive() async throws {
        let t = Trace()
        let change = Change(trace: t, refusal: "the change breaks 1 policy rule")
        await #expect(throws: ChangeRefused.policy("the change breaks 1 policy rule")) {
            _ = try await pipeline(t).run(change, client: client, timeout: .seconds(1))
        }
        #expect(t.value.isEmpty)
        _ = try await pipeline(t).run(change, client: client, timeout: .seconds(1), allowOverride: true)
        #expect(t.value.contains("execute"))
    }

    @Test func aProtectedProfileNeedsTheNameTypedExactly() async throws {
        let t = Trace()
        for wrong in [nil, "", "Orders", "orders "] as [String?] {
            await #expect(throws: ChangeRefused.notConfirmed(profile: "prod", name: "orders")) {
                _ = try await pipeline(t, protected: true).run(Change(trace: t), client: client, timeout: .seconds(1), confirmation: wrong)
            }
        }
        #expect(t.value.isEmpty)
        _ = try await pipeline(t, protected: true).run(Change(trace: t), client: client, timeout: .seconds(1), confirmation: "orders")
        #expect(t.value.contains("execute"))
        // A change over many resources has no single name to type.
        let t2 = Trace()
        _ = try await pipeline(t2, protected: true).run(Change(trace: t2, confirmationName: nil), client: client, timeout: .seconds(1))
        #expect(t2.value.contains("execute"))
    }

    @Test func aClusterThatChangedSinceThePlanRefusesBeforeTheLogIsOpened() async {
        let t = Trace()
        await #expect(throws: ChangeRefused.cluster("a member joined")) {
            _ = try await pipeline(t).run(Change(trace: t, stale: "a member joined"), client: client, timeout: .seconds(1))
        }
        #expect(t.value.isEmpty)
    }

    @Test func aLogThatCannotBeOpenedOrAFailedPrepareSendsNothing() async {
        let t = Trace()
        await #expect(throws: ChangeLogWriteError.self) {
            _ = try await pipeline(t, openFails: true).run(Change(trace: t), client: client, timeout: .seconds(1))
        }
        #expect(t.value == ["open"])
        let t2 = Trace()
        struct UndoFileRefused: Error {}
        await #expect(throws: UndoFileRefused.self) {
            _ = try await pipeline(t2).run(Change(trace: t2), client: client, timeout: .seconds(1), prepare: { throw UndoFileRefused() })
        }
        #expect(t2.value == ["open"], "no started record, nothing executed")
    }

    @Test func aStartedRecordThatCannotBeWrittenSendsNothing() async {
        let t = Trace()
        await #expect {
            _ = try await pipeline(t, failing: ["started"]).run(Change(trace: t), client: client, timeout: .seconds(1))
        } throws: { error in
            guard case .notStarted(let e) = error as? ChangeRefused else { return false }
            return e.description.contains("No space left on device") && e.description.contains("nothing was sent")
        }
        #expect(!t.value.contains("execute"))
    }

    @Test func aFailedChangeIsRecordedAsFailedAndThrown() async {
        let t = Trace()
        await #expect {
            _ = try await pipeline(t).run(Change(trace: t, failure: ClusterError(.policyViolation, "broker refused")),
                                          client: client, timeout: .seconds(1))
        } throws: { error in
            ((error as? ChangeFailed)?.underlying as? ClusterError)?.message == "broker refused"
                && (error as? ChangeFailed)?.unrecorded == nil
        }
        #expect(t.value.last?.hasPrefix("record topic.alter-config failed: ") == true)
    }

    @Test func anOutcomeThatCannotBeRecordedIsSaidLoudly() async throws {
        let t = Trace()
        let done = try await pipeline(t, failing: ["ok"]).run(Change(trace: t), client: client, timeout: .seconds(1))
        #expect(done.outcome == 7, "the change was made")
        let warning = try #require(done.unrecorded)
        #expect(warning.hasPrefix("WARNING: topic.alter-config orders finished with result \"ok\""))
    }

    @Test func everyActionNameIsDefinedOnceAndTheStartedRecordIsNamedAfterIt() {
        #expect(Set(ChangeAction.allCases.map(\.rawValue)).count == ChangeAction.allCases.count)
        #expect(ChangeAction.resetOffsets.startedName == "group.reset-offsets.started")
    }
}
