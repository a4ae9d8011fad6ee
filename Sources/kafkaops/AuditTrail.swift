import Foundation
import KafkaOpsCore
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// Appends one JSON line per mutation to the audit log named in the profile (`audit_log:`),
/// default `$XDG_STATE_HOME/kafkaops/audit.log`. The file is opened before the mutation, so an
/// unwritable log refuses the change instead of leaving it unrecorded.
final class AuditTrail: AuditRecorder, @unchecked Sendable {
    let path: String
    let profile: String
    /// -1 once closed; guarded by `lock` (the console records from job tasks).
    private var fd: Int32
    private let lock = NSLock()

    static func open(_ r: ResolvedProfile, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> AuditTrail {
        guard let path = r.profile.auditLog ?? AuditLog.defaultPath(environment: env) else {
            throw UsageError("no audit log path: set audit_log in the profile or HOME/XDG_STATE_HOME")
        }
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: NSNumber(value: AuditLog.directoryPermissions)])
        } catch {
            throw UsageError("cannot create the audit log directory \(dir): \(error.localizedDescription); nothing was changed")
        }
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(AuditLog.filePermissions))
        guard fd >= 0 else {
            throw UsageError("cannot open the audit log \(path): \(String(cString: strerror(errno))); nothing was changed")
        }
        return AuditTrail(path: path, profile: r.name, fd: fd)
    }

    private init(path: String, profile: String, fd: Int32) {
        self.path = path; self.profile = profile; self.fd = fd
    }

    deinit { close() }

    /// Appends one entry; a failure to write is reported on stderr (the change already happened).
    func record(action: String, target: String, before: JSONValue = .null, after: JSONValue = .null,
                result: String, details: JSONValue = .null) {
        let env = ProcessInfo.processInfo.environment
        let entry = AuditLogEntry(time: Date(), user: AuditLog.user(environment: env), host: ProcessInfo.processInfo.hostName,
                                  profile: profile, action: action, target: target, before: before, after: after,
                                  result: result, details: details)
        do {
            let line = try entry.jsonLine()  // ends with its newline
            let ok = lock.withLock {
                fd >= 0 && line.utf8CString.withUnsafeBufferPointer { buf in
                    write(fd, buf.baseAddress, buf.count - 1) == buf.count - 1
                }
            }
            if !ok { warn("warning: could not append to the audit log \(path): \(String(cString: strerror(errno)))") }
        } catch {
            warn("warning: could not encode the audit record: \(error)")
        }
    }

    /// Closes the file (also when the trail is released); later records report a failure.
    func close() {
        lock.withLock {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }
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
