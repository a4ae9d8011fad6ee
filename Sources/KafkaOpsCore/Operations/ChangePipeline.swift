import Foundation

/// The change log's name for each kind of change: the one definition of the action names.
public enum ChangeAction: String, Sendable, Hashable, CaseIterable {
    case createTopic = "topic.create"
    case alterTopicConfig = "topic.alter-config"
    case electPreferredLeaders = "leaders.elect-preferred"
    case resetOffsets = "group.reset-offsets"
    case replayDLQ = "dlq.replay"
    /// A probe run that writes probe records (`ProbeRun`); the probe topic's creation is `createTopic`.
    case probeRun = "probe.run"
    case addPartitions = "topic.add-partitions"
    case deleteTopic = "topic.delete"
    case deleteGroup = "group.delete"
    case deleteGroupOffsets = "group.delete-offsets"
    /// Records written by `kafkaops produce` (`ProduceRecords`).
    case produce = "produce"

    /// The name of the record written before anything is sent.
    public var startedName: String { rawValue + ".started" }
}

/// A change to a cluster, planned and previewed. It is sent only by `ChangePipeline.run`, which
/// checks it, records its start, executes it and records its outcome, for the CLI and the console alike.
public protocol ClusterChange: Sendable {
    associatedtype Outcome: Sendable
    var action: ChangeAction { get }
    /// The resource changed (topic, group, DLQ; "*" for every topic); also the name a protected profile
    /// makes the operator type, unless `confirmationName` says otherwise.
    var target: String { get }
    /// What the change does, after "refused to …": "alter the configs of topic orders".
    var summary: String { get }
    /// The change log's before and after of the started record, and its details.
    var recordBefore: JSONValue { get }
    var recordAfter: JSONValue { get }
    var recordDetails: JSONValue { get }
    /// Why the policy refuses this change; nil when it may be made. `allowOverride` is the operator's
    /// `--allow-policy-violation` (the console never passes it).
    func policyRefusal(allowOverride: Bool) -> String?
    /// The name the operator types on a protected profile; nil: no name needed (e.g. every topic).
    var confirmationName: String? { get }
    /// Reads the cluster just before the change is sent: why it no longer holds (the group gained a
    /// member since the plan), or nil. Nothing has been written or sent yet.
    func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String?
    /// Sends the change and reads it back. Throws when it failed before anything changed (recorded
    /// as failed); a lost answer is an outcome (`ChangeExecution.result` "unknown: …"), not a throw.
    func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<Outcome>
    /// Why earlier changes of this action on this target that have no outcome (`ChangeHistory`) refuse this
    /// one; nil (the default): they are named in a warning and the change goes on.
    func incompleteRefusal(_ earlier: [ChangeHistory.Entry]) -> String?
}

extension ClusterChange {
    public var recordBefore: JSONValue { .null }
    public var recordDetails: JSONValue { .null }
    public var confirmationName: String? { target }
    public func policyRefusal(allowOverride: Bool) -> String? { nil }
    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? { nil }
    public func incompleteRefusal(_ earlier: [ChangeHistory.Entry]) -> String? { nil }
}

/// What an executed change did, and how the change log records its outcome.
public struct ChangeExecution<Outcome: Sendable>: Sendable {
    public var outcome: Outcome
    /// "ok", "partial", "unknown: …".
    public var result: String
    public var details: JSONValue
    /// The outcome record's `before` and `after`, when they differ from the started record's (nil: the same).
    public var before: JSONValue?
    public var after: JSONValue?

    public init(_ outcome: Outcome, result: String, details: JSONValue = .null, before: JSONValue? = nil, after: JSONValue? = nil) {
        self.outcome = outcome; self.result = result; self.details = details; self.before = before; self.after = after
    }
}

/// A change that ran: its outcome, and the warning to show when the outcome record could not be written.
public struct ChangeDone<Outcome: Sendable>: Sendable {
    public var outcome: Outcome
    public var result: String
    /// Set when the change was made but the change log does not say so (show it loudly).
    public var unrecorded: String?
    /// The change log the records went to.
    public var logPath: String
}

/// A change that was not sent: the checks refused it, or its start could not be recorded.
public enum ChangeRefused: Error, Sendable, Hashable, CustomStringConvertible {
    case readOnly(String)
    case notConfirmed(profile: String?, name: String)
    case policy(String)
    /// The cluster no longer allows it (checked just before sending).
    case cluster(String)
    case notStarted(ChangeNotStarted)
    /// An earlier change on the target has no outcome and this change may not go on past it.
    case incomplete(String)

    public var description: String {
        switch self {
        case .readOnly(let what): return "read-only connection: refused to \(what); nothing was sent to the cluster"
        case .notConfirmed(let profile, let name):
            return "profile \(profile ?? "(unnamed)") is protected: repeat the name to confirm with --confirm \(name)"
        case .policy(let why), .cluster(let why): return "refused: \(why); nothing was sent to the cluster"
        case .notStarted(let e): return e.description
        case .incomplete(let why): return why
        }
    }
}

/// A change that failed when executed: recorded as failed (or `unrecorded` says it could not be).
public struct ChangeFailed: Error, Sendable, CustomStringConvertible {
    public var underlying: any Error
    public var unrecorded: String?
    public var description: String { String(describing: underlying) }
}

/// What the connection allows: the profile's `read_only` (or `--read-only`) and `protected`.
public struct ChangeGuard: Sendable, Hashable {
    public var readOnly: Bool
    public var protected: Bool
    /// The profile's name, for messages.
    public var profile: String?

    public init(readOnly: Bool, protected: Bool, profile: String? = nil) {
        self.readOnly = readOnly; self.protected = protected; self.profile = profile
    }

    /// The checks that need no change log: read-only, the policy, the typed name. Nil when the change may go on.
    public func refusal<C: ClusterChange>(_ change: C, confirmation: String?, allowOverride: Bool) -> ChangeRefused? {
        if readOnly { return .readOnly(change.summary) }
        if let why = change.policyRefusal(allowOverride: allowOverride) { return .policy(why) }
        if protected, let name = change.confirmationName, confirmation != name {
            return .notConfirmed(profile: profile, name: name)
        }
        return nil
    }
}

/// The one path every change takes: checks (read-only, policy, typed name, then the cluster read again)
/// -> change log opened -> `prepare` -> started record (written and synced; when it cannot be,
/// nothing is sent) -> execute and read back -> outcome record. `prepare` is the caller's file work
/// that must be done before anything is sent (the reset's undo file).
public struct ChangePipeline: Sendable {
    public var guardrails: ChangeGuard
    /// Opens the change log; a throw refuses the change (nothing is sent).
    public var openLog: @Sendable () throws -> any ChangeLog

    /// Reads the change log back, for "an earlier change on this target has no outcome" (nil: not checked).
    public var history: (@Sendable () throws -> ChangeHistory)?
    /// Hears that check's warnings, before anything is sent.
    public var notice: @Sendable (String) -> Void = { _ in }

    public init(guardrails: ChangeGuard, openLog: @escaping @Sendable () throws -> any ChangeLog) {
        self.guardrails = guardrails; self.openLog = openLog
    }

    /// Earlier changes of this action on this target whose started record has no outcome: the change's
    /// `incompleteRefusal` refuses it, else each is named in a warning (what its record said was about to
    /// happen). A log that cannot be read back is said and not checked.
    func checkEarlierIncomplete<C: ClusterChange>(_ change: C) throws(ChangeRefused) {
        guard let history else { return }
        let earlier: [ChangeHistory.Entry]
        do {
            earlier = try history().unresolvedIncomplete(action: change.action.rawValue, target: change.target, profile: guardrails.profile)
        } catch {
            notice("warning: cannot read the audit log back to look for changes without an outcome: \(error)")
            return
        }
        if let why = change.incompleteRefusal(earlier) { throw .incomplete(why) }
        for e in earlier { notice("warning: " + e.incompleteDescription) }
    }

    /// Runs `change`. Throws `ChangeRefused` when nothing was sent, `ChangeFailed` when the change failed
    /// (its failure recorded). `openLog`'s and `prepare`'s errors are thrown as they are, with nothing
    /// sent: `prepare` runs after the checks and the log's opening, before the started record.
    public func run<C: ClusterChange>(_ change: C, client: any ClusterClient, timeout: Duration,
                                      confirmation: String? = nil, allowOverride: Bool = false,
                                      prepare: () throws -> Void = {}) async throws -> ChangeDone<C.Outcome> {
        if let refused = guardrails.refusal(change, confirmation: confirmation, allowOverride: allowOverride) { throw refused }
        if let why = await change.clusterRefusal(client: client, timeout: timeout) { throw ChangeRefused.cluster(why) }
        // The log is opened first: a path that is not a regular file is refused by its one rule, in one
        // line, before the log is read back for earlier changes without an outcome.
        let log = try openLog()
        try checkEarlierIncomplete(change)
        try prepare()
        let logged: LoggedChange
        do {
            logged = try LoggedChange.start(log, action: change.action, target: change.target,
                                            before: change.recordBefore, after: change.recordAfter, details: change.recordDetails)
        } catch { throw ChangeRefused.notStarted(error) }
        let execution: ChangeExecution<C.Outcome>
        do {
            execution = try await change.execute(client: client, timeout: timeout)
        } catch {
            // A change reports a lost answer as its outcome; an error it still throws that may have come after
            // the request was sent (`LostAnswer`) is recorded as unknown, never as failed.
            let result = LostAnswer.of(error).map { "unknown: no answer to the request (\($0.description)) after it may have been sent; not read back" }
                ?? "failed: \(error)"
            let unrecorded = logged.finish(result: result, details: change.recordDetails)
            throw ChangeFailed(underlying: error, unrecorded: unrecorded)
        }
        let unrecorded = logged.finish(result: execution.result, before: execution.before, after: execution.after, details: execution.details)
        return ChangeDone(outcome: execution.outcome, result: execution.result, unrecorded: unrecorded, logPath: log.path)
    }
}
