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

/// Prints the warning `LoggedChange.finish` returns when the outcome record could not be written.
func warnUnrecorded(_ warning: String?) {
    if let warning { warn(warning) }
}


enum PolicyLoader {
    /// `--policy FILE`, else the profile's `policy:`, else the built-in default.
    static func load(option: String?, profile: Profile) throws -> (TopicPolicy, String) {
        guard let path = option ?? profile.policy else { return (.default, "built-in default policy") }
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

/// Refuses a change on a protected profile unless the operator typed the resource name.
func requireConfirmation(_ r: ResolvedProfile, name: String, given: String?) throws {
    guard r.profile.protected else { return }
    guard given == name else {
        throw UsageError("profile \(r.name) is protected: repeat the name to confirm with --confirm \(name)")
    }
}

func requireWritable(_ r: ResolvedProfile, action: String) throws {
    if r.readOnly { throw ClusterError.readOnly(action) }
}
