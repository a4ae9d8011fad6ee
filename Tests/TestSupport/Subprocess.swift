import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid by this object alone.
///
/// Foundation's `Process` is not used in the tests: on Linux its `waitUntilExit` spins a run loop
/// until a dispatch source on the shared pool reaps the child. When the tests' own tasks keep
/// that pool busy (two threads on a 2-core CI machine), nothing reaps, and `waitUntilExit` spins
/// for ever, holding a pool thread itself (seen as a test run hung at 200% CPU with zombie children).
public final class Subprocess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `path` with `arguments`; stdin from `stdinPath` (else /dev/null), stdout and stderr
    /// appended to the given files (else /dev/null). `environment` nil: this process's.
    public init(_ path: String, _ arguments: [String], environment: [String: String]? = nil, stdinPath: String? = nil,
                stdoutPath: String? = nil, stderrPath: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        let env = environment ?? ProcessInfo.processInfo.environment
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for e in envp { free(e) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw SpawnError(description: "cannot start \(path): \(String(cString: strerror(rc)))") }
        pid = child
    }

    /// The exit code once the child has ended (128 + N when killed by signal N); nil while it runs.
    public func poll() -> Int32? {
        lock.withLock {
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            guard r == pid else { return nil }
            exitStatus = Self.code(status)
            return exitStatus
        }
    }

    public var isRunning: Bool { poll() == nil }

    /// Waits for the child to end (blocking: call it off the test threads, see `offThread`).
    @discardableResult
    public func wait() -> Int32 {
        if let done = poll() { return done }
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, 0)
            if r == pid { break }
            if r == -1 && errno != EINTR { return poll() ?? -1 }
        }
        return lock.withLock {
            if exitStatus == nil { exitStatus = Self.code(status) }
            return exitStatus ?? -1
        }
    }

    /// Waits at most `seconds`; the exit code, or nil if it still runs.
    public func wait(seconds: Double) -> Int32? {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let c = poll() { return c }
            usleep(5_000)
        }
        return poll()
    }

    public func signal(_ sig: Int32) { if isRunning { kill(pid, sig) } }

    static func code(_ status: Int32) -> Int32 {
        let sig = status & 0x7f
        return sig == 0 ? (status >> 8) & 0xff : 128 + sig
    }

    /// Runs to the end with stdout and stderr captured through temporary files; blocking.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil,
                           timeout: Double? = nil) throws -> (code: Int32, stdout: String, stderr: String, timedOut: Bool) {
        let tmp = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        let out = tmp.appendingPathComponent("kafkaops-sub-\(id).out").path
        let err = tmp.appendingPathComponent("kafkaops-sub-\(id).err").path
        var inPath: String?
        if let stdin {
            let p = tmp.appendingPathComponent("kafkaops-sub-\(id).in").path
            try Data(stdin.utf8).write(to: URL(fileURLWithPath: p))
            inPath = p
        }
        defer { for p in [out, err] + (inPath.map { [$0] } ?? []) { unlink(p) } }
        let child = try Subprocess(path, arguments, environment: environment, stdinPath: inPath, stdoutPath: out, stderrPath: err)
        var timedOut = false
        let code: Int32
        if let timeout, child.wait(seconds: timeout) == nil {
            child.signal(SIGKILL)
            timedOut = true
            code = child.wait()
        } else {
            code = child.wait()
        }
        // Decoded leniently: a record's bytes need not be UTF-8 (invalid sequences become U+FFFD).
        let o = String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self)
        let e = String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self)
        return (code, o, e, timedOut)
    }
}
