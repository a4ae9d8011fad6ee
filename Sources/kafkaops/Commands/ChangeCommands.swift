import Foundation
import KafkaOpsCore
import KafkaOpsFiles
import Yams

extension ChangeLogFile {
    /// The profile's change log, opened before a change; a failure is a usage error (nothing was changed).
    static func open(_ r: ResolvedProfile, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> ChangeLogFile {
        do { return try open(path: r.profile.auditLog, profile: r.name, environment: env, warn: { kafkaops.warn($0) }) }
        catch { throw UsageError(error.description) }
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

    /// Runs `change` through the pipeline, then `report`s it; Ctrl-C, SIGHUP and SIGTERM are held from the
    /// checks until the report is out (`holdingStopSignals`; a replay stops between batches on `interrupted`).
    /// A refusal (nothing sent) exits 1, or 2 for a missing `--confirm`; a failure is recorded, then thrown.
    /// Warns when the outcome could not be recorded.
    func run<C: ClusterChange>(_ change: C, confirm: String?, allowOverride: Bool = false,
                               interrupted: InterruptFlag = InterruptFlag(), prepare: () throws -> Void = {},
                               report: (ChangeDone<C.Outcome>) async throws -> Void) async throws {
        try await holdingStopSignals(interrupted) {
            let done: ChangeDone<C.Outcome>
            do {
                done = try await pipeline.run(change, client: client, timeout: timeout, confirmation: confirm,
                                              allowOverride: allowOverride, prepare: prepare)
            } catch let refused as ChangeRefused {
                switch refused {
                case .readOnly: throw ClusterError.readOnly(change.summary)
                case .notConfirmed: throw UsageError(refused.description)
                case .notStarted(let e): throw e
                case .policy: throw ClusterError(.policyViolation, refused.description)
                case .cluster: throw ClusterError(.changedSincePlan, refused.description)
                case .incomplete: throw ClusterError(.changedSincePlan, refused.description)
                }
            } catch let failed as ChangeFailed {
                warnUnrecorded(failed.unrecorded)
                throw failed.underlying
            }
            warnUnrecorded(done.unrecorded)
            try await report(done)
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
