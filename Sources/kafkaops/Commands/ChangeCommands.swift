import Foundation
import KafkaOpsCore
import KafkaOpsFiles
import Yams

extension ChangeLogFile {
    /// The profile's change log, opened before a change; a path that cannot be the log (a link, FIFO, device,
    /// directory, /dev/null on a protected profile, no permission) is a local I/O failure: exit 1, nothing sent.
    static func open(_ r: ResolvedProfile, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> ChangeLogFile {
        do {
            return try open(path: r.profile.auditLog, profile: r.name, protected: r.profile.protected, environment: env,
                            warn: { kafkaops.warn($0) })
        } catch { throw LocalFileError(error.description) }
    }
}

/// A local file kafkaops must write (the audit log) cannot be used: exit 1, as a failure, not a usage error.
struct LocalFileError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// The change log as the CLI's watchdog sees it: which change is between its started and outcome records, so
/// that a watchdog that has to end the run writes that change's outcome (unknown) before it does.
final class WatchedChangeLog: ChangeLog, @unchecked Sendable {
    private let log: any ChangeLog
    private let lock = NSLock()
    /// The started record of the change whose outcome is not written yet.
    private var open: (action: ChangeAction, target: String, before: JSONValue, after: JSONValue, details: JSONValue)?

    init(_ log: any ChangeLog) { self.log = log }

    var path: String { log.path }

    func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws {
        try lock.withLock {
            try log.record(action: action, target: target, before: before, after: after, result: result, details: details)
            if let started = ChangeAction.allCases.first(where: { $0.startedName == action }) {
                open = (started, target, before, after, details)
            } else if open?.action.rawValue == action && open?.target == target {
                open = nil
            }
        }
    }

    /// Writes the open change's outcome as unknown (no answer within `seconds`); the line to show, nil when no
    /// change is open.
    func finishUnknown(seconds: Double) -> String? {
        lock.withLock {
            guard let o = open else { return nil }
            open = nil
            let result = "unknown: no answer within \(Int(seconds.rounded())) s; kafkaops ended the run before the outcome was known"
            do {
                try log.record(action: o.action.rawValue, target: o.target, before: o.before, after: o.after, result: result, details: o.details)
                return "recorded as unknown in the audit log \(log.path)"
            } catch {
                return "WARNING: the audit log does not say so: \(error). Its started record is there; record the outcome by hand."
            }
        }
    }
}

extension Session {
    /// The profile's guard (read-only, protected) and change log, for Core's `ChangePipeline`.
    var pipeline: ChangePipeline {
        let r = resolved
        var p = ChangePipeline(guardrails: ChangeGuard(readOnly: r.readOnly, protected: r.profile.protected, profile: r.name),
                               openLog: { try ChangeLogFile.open(r) })
        p.history = { try changeHistory() }
        p.notice = { kafkaops.warn($0) }
        return p
    }

    /// The profile's change log read back (empty when it does not exist yet).
    func changeHistory() throws -> ChangeHistory {
        guard let path = ChangeLogReader.path(configured: resolved.profile.auditLog, environment: ProcessInfo.processInfo.environment)
        else { return ChangeHistory([]) }
        return ChangeHistory(try ChangeLogReader.read(path: path).records)
    }

    /// The watchdog's bound for one change: the checks' read of the cluster, its requests (a reset sends two)
    /// and the read-back each have the whole --timeout, plus the watchdog's usual margin.
    var changeBound: Double {
        4 * (Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18) + 5
    }

    /// Runs `change` through the pipeline, then `report`s it; Ctrl-C, SIGHUP and SIGTERM are held from the
    /// checks until the report is out (`holdingStopSignals`; a replay stops between batches on `interrupted`),
    /// and one that arrives before the started record is written ends the command with nothing sent. The
    /// watchdog is re-armed for the whole change and records its outcome if it must end the run.
    /// A refusal (nothing sent) exits 1, or 2 for a missing `--confirm`; a failure is recorded, then thrown.
    /// Warns when the outcome could not be recorded.
    func run<C: ClusterChange>(_ change: C, confirm: String?, allowOverride: Bool = false,
                               interrupted: InterruptFlag = InterruptFlag(), prepare: () throws -> Void = {},
                               report: (ChangeDone<C.Outcome>) async throws -> Void) async throws {
        try await holdingStopSignals(interrupted) {
            // The change log the run opened, for the watchdog (set once, read from the watchdog's queue).
            let watched = Locked<WatchedChangeLog?>(nil)
            var pipeline = self.pipeline
            let open = pipeline.openLog
            pipeline.openLog = {
                let log = try WatchedChangeLog(open())
                watched.set(log)
                return log
            }
            Watchdog.arm(seconds: changeBound, change: Watchdog.PendingChange(
                what: change.summary, finish: { watched.value?.finishUnknown(seconds: $0) }))
            let done: ChangeDone<C.Outcome>
            do {
                done = try await pipeline.run(change, client: client, timeout: timeout, confirmation: confirm,
                                              allowOverride: allowOverride, prepare: {
                    // The last moments before the started record: a stop signal now means nothing is sent.
                    try interrupted.stopIfSet()
                    try prepare()
                    try interrupted.stopIfSet()
                })
            } catch let refused as ChangeRefused {
                throw refused.commandError(summary: change.summary)
            } catch let failed as ChangeFailed {
                warnUnrecorded(failed.unrecorded)
                throw failed.underlying
            }
            warnUnrecorded(done.unrecorded)
            try await report(done)
        }
    }
}

extension ChangeRefused {
    /// The error a command exits with for this refusal (nothing was sent): 2 for a missing `--confirm`, else 1.
    func commandError(summary: String) -> any Error {
        switch self {
        case .readOnly: return ClusterError.readOnly(summary)
        case .notConfirmed: return UsageError(description)
        case .notStarted(let e): return e
        case .policy: return ClusterError(.policyViolation, description)
        case .cluster, .incomplete: return ClusterError(.changedSincePlan, description)
        }
    }
}

/// Prints the warning when a change's outcome could not be recorded.
func warnUnrecorded(_ warning: String?) {
    if let warning { warn(warning) }
}


enum PolicyLoader {
    /// `--policy FILE`, else the profile's `policy:`, else the built-in default.
    static func load(option: String?, profile: Profile) throws -> (TopicPolicy, String) {
        guard let path = (option.map { expandingTilde($0) }) ?? profile.policy else { return (.default, "built-in default policy") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UsageError("cannot read policy file \(path)")
        }
        let policy: TopicPolicy
        do {
            policy = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? .default
                : try YAMLDecoder().decode(TopicPolicy.self, from: text)
        } catch {
            throw UsageError("policy file \(path) is not valid: \(ProfileLoader.describe(error))")
        }
        let problems = policy.problems()
        if !problems.isEmpty {
            throw UsageError("policy file \(path) is not valid: " + problems.joined(separator: "; "))
        }
        return (policy, path)
    }
}

/// Prints findings as a table (severity, rule, target, current, fix) or as JSON.
func findingsTable(_ findings: [Finding]) -> String {
    var t = TextTable([("SEVERITY", .left), ("RULE", .left), ("TARGET", .left), ("CURRENT", .left), ("FIX", .left)])
    for f in findings.sorted(by: { ($1.severity, $0.target, $0.rule) < ($0.severity, $1.target, $1.rule) }) {
        t.add([f.severity.rawValue.uppercased(), f.rule, f.target, f.current, f.fix])
    }
    return t.render()
}

struct FindingJSON: Encodable {
    let rule: String
    let severity: String
    let target_kind: String
    let target: String
    let current: String
    let expected: String
    let fix: String
    let reason: String

    init(_ f: Finding) {
        rule = f.rule; severity = f.severity.rawValue; target_kind = f.targetKind.rawValue; target = f.target
        current = f.current; expected = f.expected; fix = f.fix; reason = f.reason
    }
}

/// A path from the command line with `~` expanded (the shell leaves `--undo-file=~/x` as it is).
func expandingTilde(_ path: String) -> String {
    XDGPaths.expandingTilde(path, ProcessInfo.processInfo.environment)
}

/// Refuses early, before anything is read, a change on a read-only connection (the pipeline refuses it
/// again before anything is sent).
func requireWritable(_ r: ResolvedProfile, action: String) throws {
    if r.readOnly { throw ClusterError.readOnly(action) }
}
