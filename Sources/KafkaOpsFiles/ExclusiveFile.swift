import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Creates the files kafkaops writes beside a change (a reset's undo file, an exported plan): always a new
/// regular file, created exclusively (O_CREAT | O_EXCL | O_NOFOLLOW), so an existing file, a device such as
/// /dev/null or /dev/full, or a symbolic link is never written through or replaced. Missing parent
/// directories are created 0700. The contents are written whole and synced, or the file is removed again.
/// Shared by the CLI and the console (KafkaOpsCore does no I/O); errors are one line in the system's words.
public enum ExclusiveFile {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        /// Why, in words: "it already exists", "it is a symbolic link", "Permission denied".
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func create(_ path: String, contents: String, mode: mode_t = 0o600,
                              directoryMode: mode_t = 0o700) throws(Failure) {
        guard !path.isEmpty else { throw Failure(path: path, reason: "the path is empty") }
        if let why = existing(path) { throw Failure(path: path, reason: why) }
        try makeParents(of: path, mode: directoryMode)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else {
            let code = errno
            // Created by someone else in between: say what is there now.
            if code == EEXIST || code == ELOOP, let why = existing(path) { throw Failure(path: path, reason: why) }
            throw Failure(path: path, reason: reason(code))
        }
        let bytes = Array(contents.utf8)
        var done = 0
        var failure: String?
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = reason(errno)
                break
            }
            if n == 0 { failure = "the write made no progress"; break }
            done += n
        }
        if failure == nil, fsync(fd) != 0 { failure = "fsync failed: " + reason(errno) }
        if close(fd) != 0, failure == nil { failure = reason(errno) }
        if let failure {
            // Our own new file, half written: remove it rather than leave a wrong one behind.
            unlink(path)
            throw Failure(path: path, reason: failure)
        }
    }

    /// Why `path` cannot be created, when something is already there (lstat: a symbolic link is not followed).
    static func existing(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: return "it is a symbolic link; kafkaops creates a new file and never writes through a link"
        case S_IFREG: return "the file already exists; kafkaops never overwrites one (choose a new name)"
        case S_IFDIR: return "it is a directory"
        default: return "it is not a regular file (a device, pipe or socket); kafkaops only creates new regular files"
        }
    }

    /// mkdir -p with `mode` for the directories it creates; an existing directory (or a link to one) is fine.
    static func makeParents(of path: String, mode: mode_t) throws(Failure) {
        let dir = (path as NSString).deletingLastPathComponent
        guard !dir.isEmpty, dir != "/" else { return }
        var prefix = dir.hasPrefix("/") ? "" : "."
        for component in dir.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) == 0 { continue }
            let code = errno
            var st = stat()
            if code == EEXIST, stat(prefix, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { continue }
            throw Failure(path: path, reason: code == EEXIST ? "\(prefix) is not a directory"
                                                             : "cannot create the directory \(prefix): \(reason(code))")
        }
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
