import Foundation
import KafkaOpsCore
#if canImport(Glibc)
import Glibc
#endif

/// A lock held while a run goes on, so a second run of the same thing on this machine is refused (two
/// replays of one DLQ to one target would both write every record): an flock'ed file under the state
/// directory (`locks/`), named from a key (cluster, source, target). The file says who holds it (pid, start
/// time, what), for the refusal. The kernel releases the lock when the process ends, however it ends (SIGKILL
/// too), so a stale file never blocks: only a live holder does.
public final class RunLock: @unchecked Sendable {
    /// Another process holds the lock: `description` names it ("pid 4242 since 2026-12-07T10:01:02.123Z: ...").
    public struct Held: Error, Sendable, CustomStringConvertible {
        public var holder: String
        public var description: String { holder }
    }

    /// The lock file could not be opened or locked.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public enum Refusal: Error, Sendable, CustomStringConvertible {
        case held(Held)
        case failed(Failure)
        public var description: String {
            switch self {
            case .held(let h): return h.description
            case .failed(let f): return f.description
            }
        }
    }

    private let lock = NSLock()
    private var fd: Int32
    public let path: String

    private init(fd: Int32, path: String) { self.fd = fd; self.path = path }
    deinit { release() }

    /// The lock file's path for `key` in `directory` (a readable part of the key and its FNV-1a hash).
    public static func path(directory: String, key: String) -> String {
        directory + "/" + StateFileName.of(key) + ".lock"
    }

    /// Takes the lock for `key` without waiting; `holder` is what this run writes into the file for others
    /// ("replay big-dlt -> target"). Throws `.held` with the file's holder line when another process has it.
    public static func acquire(directory: String, key: String, holder: String) throws(Refusal) -> RunLock {
        do { try ExclusiveFile.makeParents(of: directory + "/x", mode: 0o700) } catch {
            throw .failed(Failure(description: "cannot create the lock directory \(directory): \(String(describing: error))"))
        }
        let path = Self.path(directory: directory, key: key)
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .failed(Failure(description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))"))
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .failed(Failure(description: "cannot use the lock file \(path): it is not a regular file"))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let text = Self.contents(fd)
            close(fd)
            if code == EAGAIN {
                throw .held(Held(holder: text.isEmpty ? "another process (its lock file \(path) says nothing more)" : text))
            }
            throw .failed(Failure(description: "cannot lock \(path): \(String(cString: strerror(code)))"))
        }
        let line = "pid \(getpid()) since \(ISO8601.string(Date())): \(holder)"
        _ = ftruncate(fd, 0)
        _ = line.utf8CString.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count - 1, 0) }
        return RunLock(fd: fd, path: path)
    }

    static func contents(_ fd: Int32) -> String {
        var buf = [UInt8](repeating: 0, count: 1024)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return "" }
        return Sanitizer.terminal(String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock (the file stays: removing it would race with the next holder).
    public func release() {
        lock.withLock {
            if fd >= 0 {
                _ = flock(fd, LOCK_UN)
                _ = close(fd)
            }
            fd = -1
        }
    }
}
