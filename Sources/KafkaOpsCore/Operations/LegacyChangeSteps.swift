import Foundation

// TEMPORARY, while the console's flows are being moved to their new shape on another branch: the
// step-by-step entry points the console's jobs still call, each now a thin wrapper over the change
// values and `ChangePipeline`. Deleted when the console's jobs call `ChangePipeline` themselves.

extension ConfigChangePreview {
    public static var auditAction: String { ChangeAction.alterTopicConfig.rawValue }
    public var auditBefore: JSONValue { AlterTopicConfigs(self).recordBefore }
    public var auditAfter: JSONValue { AlterTopicConfigs(self).recordAfter }
}

extension PreferredElection {
    public static var auditAction: String { ChangeAction.electPreferredLeaders.rawValue }
    public static func auditBefore(_ c: [ElectionCandidate]) -> JSONValue { ElectPreferredLeaders(candidates: c, topics: nil).recordBefore }
    public static func auditAfter(_ c: [ElectionCandidate]) -> JSONValue { ElectPreferredLeaders(candidates: c, topics: nil).recordAfter }
}

extension TopicCreation {
    public static var auditAction: String { ChangeAction.createTopic.rawValue }
    public static func auditAfter(_ t: NewTopic) -> JSONValue { CreateTopic(t, findings: [], policyName: "").recordAfter }
    public static func auditDetails(policy: String, verdict: String) -> JSONValue {
        .object(["policy": .string(policy), "verdict": .string(verdict)])
    }
}

/// The commit of a reset failed (`underlying`); its outcome record was written, or `unrecorded` says it could not be.
public struct ResetExecutionFailed: Error, Sendable, CustomStringConvertible {
    public var underlying: any Error
    public var unrecorded: String?
    public var description: String { String(describing: underlying) }
}

extension ResetExecution {
    /// The warning to show when the outcome record could not be written (set by the legacy `execute`).
    public var unrecorded: String? {
        get { legacyUnrecorded }
        set { legacyUnrecorded = newValue }
    }
}

extension ResetOperation {
    public static func execute(_ plan: ResetPlan, undoPath: String, client: any ClusterClient, audit: any ChangeLog,
                               timeout: Duration) async throws -> ResetExecution {
        let pipeline = ChangePipeline(guardrails: ChangeGuard(readOnly: false, protected: false), openLog: { audit })
        do {
            let done = try await pipeline.run(ResetOffsetsChange(plan: plan, undoPath: undoPath, skipThreshold: .max),
                                              client: client, timeout: timeout, allowOverride: true)
            var e = done.outcome
            e.unrecorded = done.unrecorded
            return e
        } catch let r as ChangeRefused {
            if case .notStarted(let e) = r { throw e }
            throw ClusterError(.groupNotEmpty, r.description)
        } catch let f as ChangeFailed {
            throw ResetExecutionFailed(underlying: f.underlying, unrecorded: f.unrecorded)
        }
    }
}

extension ReplayRunner {
    public static var auditAction: String { ChangeAction.replayDLQ.rawValue }

    public static func auditStarted(_ recorder: any ChangeLog, dlq: String, start: ReplayStart,
                                    target: String?) throws(ChangeNotStarted) -> LoggedChange {
        try LoggedChange.start(recorder, action: auditAction, target: dlq, before: ReplayChange.startedBefore(start),
                               details: ReplayChange.startedDetails(start, destination: target))
    }

    @discardableResult
    public static func audit(_ change: LoggedChange, plan: ReplayPlan, run: ReplayRun, target: String?) -> String? {
        let o = ReplayChange.outcome(run, plan: plan, destination: target)
        return change.finish(result: o.result, before: o.before, after: o.after, details: o.details)
    }
}
