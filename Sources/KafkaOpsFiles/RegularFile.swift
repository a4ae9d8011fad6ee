import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one rule for every file kafkaops writes (the change log, a reset's undo file, an exported plan): the
/// file is the one its path names. It is opened without following a symbolic link (O_NOFOLLOW) and without
/// waiting (O_NONBLOCK: opening a FIFO that has no reader would block forever, deaf to Ctrl-C), and what was
/// opened must be a regular file; a link, FIFO, socket, device or directory is refused with one line saying
/// which. Shared by the CLI and the console; errors are in the system's words.
public enum RegularFile {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        /// Why, in words: "it already exists", "it is a symbolic link", "Permission denied".
        public var reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
        public var description: String { "\(path): \(reason)" }
    }

    public enum Opening: Sendable {
        /// A new file only (O_EXCL): an existing path of any kind is refused.
        case createNew
        /// Appends to the regular file there, or creates it (the change log). Opened read-write, so that
        /// the writer can read its last byte and truncate a record it could not write whole.
        case appendOrCreate
    }

    /// Opens `path` as `opening` says with `mode` for a new file; the descriptor of a regular file (or, with
    /// `allowNullDevice`, of the null device /dev/null: check `isNullDevice`). Anything else is closed again
    /// and refused.
    public static func open(_ path: String, _ opening: Opening, mode: mode_t, allowNullDevice: Bool = false) throws(Failure) -> Int32 {
        guard !path.isEmpty else { throw Failure(path: path, reason: "the path is empty") }
        if case .createNew = opening, let why = existing(path) { throw Failure(path: path, reason: why) }
        let flags: Int32 = switch opening {
        case .createNew: O_WRONLY | O_CREAT | O_EXCL
        case .appendOrCreate: O_RDWR | O_APPEND | O_CREAT
        }
        let fd = Glibc.open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        guard fd >= 0 else {
            let code = errno
            // Say what is there (a link, a FIFO without a reader, a directory) rather than the bare errno.
            if let type = type(atPath: path), type != S_IFREG || code == EEXIST { throw Failure(path: path, reason: describe(type)) }
            throw Failure(path: path, reason: reason(code))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw Failure(path: path, reason: reason(code))
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFREG || (allowNullDevice && isNullDevice(st)) {
            // Back to blocking writes: O_NONBLOCK was only there so that the open itself could not hang.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            return fd
        }
        _ = Glibc.close(fd)
        throw Failure(path: path, reason: refusal(type))
    }

    /// Whether `st` is the null device (character device 1:3, /dev/null), where writes vanish.
    /// The bytes of the regular file `path` names, read whole without following a link; nil when nothing is
    /// there. Refused, in words: a link ("it is a symbolic link"), anything but a regular file ("it is not a
    /// regular file"), one larger than `limit` bytes, or the system's reason.
    public static func read(_ path: String, limit: Int? = nil) throws(Failure) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw Failure(path: path, reason: code == ELOOP ? "it is a symbolic link" : reason(code))
        }
        defer { _ = Glibc.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(path: path, reason: "it is not a regular file")
        }
        if let limit, st.st_size > limit { throw Failure(path: path, reason: "it is larger than \(limit) bytes") }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failure(path: path, reason: reason(errno))
            }
            if n == 0 { return data }
            data += buf[0..<n]
        }
    }

    public static func isNullDevice(_ st: stat) -> Bool {
        (st.st_mode & S_IFMT) == S_IFCHR && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3
    }

    /// Why `path` cannot be created, when something is already there (lstat: a symbolic link is not followed).
    static func existing(_ path: String) -> String? { type(atPath: path).map(describe) }

    /// The type (S_IFREG, S_IFLNK, ...) of what is at `path`, without following a link; nil when nothing is there.
    static func type(atPath path: String) -> mode_t? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    /// Why a new file cannot be created where one of `type` is.
    static func describe(_ type: mode_t) -> String {
        type == S_IFREG ? "the file already exists; kafkaops never overwrites one (choose a new name)" : refusal(type)
    }

    /// The one line for a path that is not a regular file.
    static func refusal(_ type: mode_t) -> String {
        switch type {
        case S_IFLNK: return "it is a symbolic link; kafkaops writes only the file a path names, never through a link"
        case S_IFDIR: return "it is a directory"
        case S_IFIFO: return "it is a FIFO (named pipe), not a regular file"
        case S_IFSOCK: return "it is a socket, not a regular file"
        case S_IFCHR, S_IFBLK: return "it is a device, not a regular file"
        default: return "it is not a regular file"
        }
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func major(_ dev: dev_t) -> UInt32 { UInt32(truncatingIfNeeded: ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff)) }
    private static func minor(_ dev: dev_t) -> UInt32 { UInt32(truncatingIfNeeded: (dev & 0xff) | ((dev >> 12) & ~0xff)) }
}
