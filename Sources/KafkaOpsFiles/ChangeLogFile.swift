import Foundation
import KafkaOpsCore
#if canImport(Glibc)
import Glibc
#endif

/// The change log file: one JSON line per record, in the audit log named in the profile (`audit_log:`),
/// default `$XDG_STATE_HOME/kafkaops/audit.log`. The file is opened before the mutation, and every
/// record is written whole and synced (fsync) before `record` returns, so a change whose started
/// record cannot be written is refused before anything is sent (see `ChangePipeline`).
public final class ChangeLogFile: ChangeLog, @unchecked Sendable {
    public let path: String
    public let profile: String
    /// -1 once closed; guarded by `lock` (the console records from job tasks).
    private var fd: Int32
    private let lock = NSLock()
    private let user: String
    private let host: String

    /// The change log could not be opened: nothing may be changed.
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Opens (creating it and its directory when needed) the log at `path`, the profile's `audit_log`, else
    /// the default (`ChangeLogFiles.defaultPath`). `warn` hears of a log that was readable by others (made 0600).
    public static func open(path configured: String?, profile: String,
                            environment env: [String: String] = ProcessInfo.processInfo.environment,
                            warn: (String) -> Void) throws(OpenError) -> ChangeLogFile {
        guard let path = configured.map({ XDGPaths.expandingTilde($0, env) }) ?? ChangeLogFiles.defaultPath(environment: env) else {
            throw OpenError(description: "no audit log path: set audit_log in the profile or HOME/XDG_STATE_HOME")
        }
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: NSNumber(value: ChangeLogFiles.directoryPermissions)])
        } catch {
            throw OpenError(description: "cannot create the audit log directory \(dir): \(FileErrors.reason(error)); nothing was changed")
        }
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(ChangeLogFiles.filePermissions))
        guard fd >= 0 else {
            throw OpenError(description: "cannot open the audit log \(path): \(String(cString: strerror(errno))); nothing was changed")
        }
        tightenPermissions(fd: fd, path: path, warn: warn)
        return ChangeLogFile(path: path, profile: profile, fd: fd, user: ChangeLogFiles.user(environment: env, accountName: accountName()),
                             host: ProcessInfo.processInfo.hostName)
    }

    /// A log that already existed readable by others (an older kafkaops, a copy) is made 0600: it names
    /// every change, its targets and its users. Said once on stderr.
    private static func tightenPermissions(fd: Int32, path: String, warn: (String) -> Void) {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return }
        let loose = st.st_mode & mode_t(0o077)
        guard loose != 0 else { return }
        if fchmod(fd, mode_t(ChangeLogFiles.filePermissions)) == 0 {
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

    /// Appends one entry and syncs it; throws `ChangeLogWriteError` when the line is not written whole
    /// and synced (a full disk, /dev/full, an I/O error, a closed trail).
    public func record(action: String, target: String, before: JSONValue = .null, after: JSONValue = .null,
                result: String, details: JSONValue = .null) throws {
        let entry = ChangeRecord(time: Date(), user: user, host: host, profile: profile, action: action, target: target,
                                  before: before, after: after, result: result, details: details)
        let line: String
        do {
            line = try entry.jsonLine()  // ends with its newline
        } catch {
            throw ChangeLogWriteError(path: path, reason: "the record could not be encoded: \(error)")
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
        if let failure { throw ChangeLogWriteError(path: path, reason: failure) }
    }

    /// Closes the file (also when the trail is released); later records fail.
    public func close() {
        lock.withLock {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }
}

