import Foundation
import KafkaOpsCore
#if canImport(Glibc)
import Glibc
#endif

/// The change log file: one JSON line per record, in the audit log named in the profile (`audit_log:`),
/// default `$XDG_STATE_HOME/kafkaops/audit.log`. The file is opened before the mutation, as the file its path
/// names (`RegularFile`: no link followed, a regular file or a new one), and every record is written whole on
/// a line of its own and synced (fsync) before `record` returns, so a change whose started record cannot be
/// written is refused before anything is sent (see `ChangePipeline`). A record that cannot be written whole
/// is cut off again (the file is truncated back to its last whole line), and a log deleted or replaced since
/// it was opened is noticed, not written into the void.
public final class ChangeLogFile: ChangeLog, @unchecked Sendable {
    public let path: String
    public let profile: String
    /// -1 once closed; guarded by `lock` (the console records from job tasks).
    private var fd: Int32
    private let lock = NSLock()
    private let user: String
    private let host: String
    /// The file opened (device and inode), to notice one deleted or replaced under us; nil for /dev/null.
    private let identity: (dev: dev_t, ino: ino_t)?

    /// The change log could not be opened: nothing may be changed.
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Opens (creating it and its directory when needed) the log at `path`, the profile's `audit_log`, else
    /// the default (`ChangeLogFiles.defaultPath`). A link, FIFO, device or directory there is refused; the null
    /// device (`audit_log: /dev/null`, where nothing is kept) is refused on a `protected` profile and said in a
    /// warning elsewhere. `warn` also hears of a log that was readable by others (made 0600).
    public static func open(path configured: String?, profile: String, protected: Bool = false,
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
        let fd: Int32
        do throws(RegularFile.Failure) {
            fd = try RegularFile.open(path, .appendOrCreate, mode: mode_t(ChangeLogFiles.filePermissions), allowNullDevice: true)
        } catch {
            throw OpenError(description: "cannot use the audit log \(path): \(error.reason); nothing was changed")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let why = String(cString: strerror(errno))
            _ = Glibc.close(fd)
            throw OpenError(description: "cannot use the audit log \(path): \(why); nothing was changed")
        }
        let identity: (dev: dev_t, ino: ino_t)?
        if RegularFile.isNullDevice(st) {
            if protected {
                _ = Glibc.close(fd)
                throw OpenError(description: "cannot use the audit log \(path): it is the null device, which keeps nothing, "
                                + "and profile \(profile) is protected: its changes must be recorded; nothing was changed")
            }
            warn("warning: the audit log is \(path), the null device: this change will not be recorded anywhere")
            identity = nil
        } else {
            identity = (st.st_dev, st.st_ino)
            tightenPermissions(fd: fd, path: path, warn: warn)
        }
        return ChangeLogFile(path: path, profile: profile, fd: fd, identity: identity,
                             user: ChangeLogFiles.user(environment: env, accountName: accountName()),
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

    private init(path: String, profile: String, fd: Int32, identity: (dev: dev_t, ino: ino_t)?, user: String, host: String) {
        self.path = path; self.profile = profile; self.fd = fd; self.identity = identity; self.user = user; self.host = host
    }

    deinit { close() }

    /// Appends one entry and syncs it; throws `ChangeLogWriteError` when the line is not written whole
    /// and synced (a full disk, an I/O error, a log deleted since it was opened, a closed trail). A line
    /// that was written in part is cut off again, so the log keeps only whole lines.
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
            guard let identity else { return appendWhole(Array(line.utf8), at: nil) }
            var st = stat()
            guard fstat(fd, &st) == 0 else { return String(cString: strerror(errno)) }
            if st.st_nlink == 0 { return "the file was deleted after it was opened; nothing written to it would be kept" }
            var now = stat()
            if stat(path, &now) != 0 || now.st_dev != identity.dev || now.st_ino != identity.ino {
                return "the file was moved or replaced after it was opened; nothing written to it would be found there"
            }
            // A record always starts on a line of its own, even after a line cut short by a crash.
            var bytes = Array(line.utf8)
            if st.st_size > 0 {
                var last: UInt8 = 0
                if pread(fd, &last, 1, st.st_size - 1) == 1, last != UInt8(ascii: "\n") { bytes.insert(UInt8(ascii: "\n"), at: 0) }
            }
            return appendWhole(bytes, at: st.st_size)
        }
        if let failure { throw ChangeLogWriteError(path: path, reason: failure) }
    }

    /// Appends `bytes` and syncs them; on a failure truncates the file back to `size` (its length before),
    /// so no part of the line stays. Nil when written and synced, else why not. Called under `lock`.
    private func appendWhole(_ bytes: [UInt8], at size: off_t?) -> String? {
        var done = 0
        var failure: String?
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            if n == 0 { failure = "the write made no progress"; break }
            done += n
        }
        // /dev/null cannot be synced (EINVAL), and has nothing to wait for.
        if failure == nil, fsync(fd) != 0, !(size == nil && errno == EINVAL) {
            failure = "fsync failed: " + String(cString: strerror(errno))
        }
        guard let failure else { return nil }
        if let size, done > 0 || failure.hasPrefix("fsync") {
            if ftruncate(fd, size) != 0 {
                return failure + "; and the part written could not be cut off again (\(String(cString: strerror(errno)))): "
                    + "the log's last line is incomplete"
            }
            _ = fsync(fd)
        }
        return failure
    }

    /// Closes the file (also when the trail is released); later records fail.
    public func close() {
        lock.withLock {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }
}

