import Foundation
import KafkaOpsCore
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// Appends one JSON line per mutation to the audit log named in the profile (`audit_log:`),
/// default `$XDG_STATE_HOME/kafkaops/audit.log`. The file is opened before the mutation, and every
/// record is written whole and synced (fsync) before `record` returns, so a change whose started
/// record cannot be written is refused before anything is sent (see `LoggedChange`).
final class AuditTrail: AuditRecorder, @unchecked Sendable {
    let path: String
    let profile: String
    /// -1 once closed; guarded by `lock` (the console records from job tasks).
    private var fd: Int32
    private let lock = NSLock()
    private let user: String
    private let host: String

    static func open(_ r: ResolvedProfile, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> AuditTrail {
        guard let path = r.profile.auditLog ?? AuditLog.defaultPath(environment: env) else {
            throw UsageError("no audit log path: set audit_log in the profile or HOME/XDG_STATE_HOME")
        }
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: NSNumber(value: AuditLog.directoryPermissions)])
        } catch {
            throw UsageError("cannot create the audit log directory \(dir): \(FileErrors.reason(error)); nothing was changed")
        }
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(AuditLog.filePermissions))
        guard fd >= 0 else {
            throw UsageError("cannot open the audit log \(path): \(String(cString: strerror(errno))); nothing was changed")
        }
        tightenPermissions(fd: fd, path: path)
        return AuditTrail(path: path, profile: r.name, fd: fd, user: AuditLog.user(environment: env, accountName: accountName()),
                          host: ProcessInfo.processInfo.hostName)
    }

    /// A log that already existed readable by others (an older kafkaops, a copy) is made 0600: it names
    /// every change, its targets and its users. Said once on stderr.
    private static func tightenPermissions(fd: Int32, path: String) {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return }
        let loose = st.st_mode & mode_t(0o077)
        guard loose != 0 else { return }
        if fchmod(fd, mode_t(AuditLog.filePermissions)) == 0 {
            warn("warning: the audit log \(path) was readable by others (mode \(String(st.st_mode & 0o777, radix: 8))); it is now 600")
        } else {
            warn("warning: the audit log \(path) is readable by others (mode \(String(st.st_mode & 0o777, radix: 8))) and could not be made 600: \(String(cString: strerror(errno)))")
        }
    }

    /// The name of the real uid's account (getpwuid_r), nil when it has none.
    private static func accountName() -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buf = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(getuid(), &pwd, &buf, buf.count, &result) == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    private init(path: String, profile: String, fd: Int32, user: String, host: String) {
        self.path = path; self.profile = profile; self.fd = fd; self.user = user; self.host = host
    }

    deinit { close() }

    /// Appends one entry and syncs it; throws `AuditWriteError` when the line is not written whole
    /// and synced (a full disk, /dev/full, an I/O error, a closed trail).
    func record(action: String, target: String, before: JSONValue = .null, after: JSONValue = .null,
                result: String, details: JSONValue = .null) throws {
        let entry = AuditLogEntry(time: Date(), user: user, host: host, profile: profile, action: action, target: target,
                                  before: before, after: after, result: result, details: details)
        let line: String
        do {
            line = try entry.jsonLine()  // ends with its newline
        } catch {
            throw AuditWriteError(path: path, reason: "the record could not be encoded: \(error)")
        }
        let failure: String? = lock.withLock {
            guard fd >= 0 else { return "the log is closed" }
            let bytes = Array(line.utf8)
            var done = 0
            while done < bytes.count {
                let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                if n == 0 { return "the write made no progress" }
                done += n
            }
            // A device that cannot be synced (EINVAL: a pipe, /dev/null) is accepted: there is no disk to
            // wait for. Any other failure means the line may not be on disk.
            if fsync(fd) != 0 && errno != EINVAL && errno != EROFS {
                return "fsync failed: " + String(cString: strerror(errno))
            }
            return nil
        }
        if let failure { throw AuditWriteError(path: path, reason: failure) }
    }

    /// Closes the file (also when the trail is released); later records fail.
    func close() {
        lock.withLock {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
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
