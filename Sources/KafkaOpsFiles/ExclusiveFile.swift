import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Creates the files kafkaops writes beside a change (a reset's undo file, an exported plan): always a new
/// regular file, created exclusively by `RegularFile` (O_CREAT | O_EXCL | O_NOFOLLOW), so an existing file, a
/// device such as /dev/null or /dev/full, a FIFO or a symbolic link is never written through or replaced.
/// Missing parent directories are created 0700. The contents are written whole and synced, or the file is
/// removed again. Shared by the CLI and the console (KafkaOpsCore does no I/O); errors are one line in the
/// system's words.
public enum ExclusiveFile {
    public typealias Failure = RegularFile.Failure

    public static func create(_ path: String, contents: String, mode: mode_t = 0o600,
                              directoryMode: mode_t = 0o700) throws(Failure) {
        guard !path.isEmpty else { throw Failure(path: path, reason: "the path is empty") }
        if let why = RegularFile.existing(path) { throw Failure(path: path, reason: why) }
        try makeParents(of: path, mode: directoryMode)
        let fd = try RegularFile.open(path, .createNew, mode: mode)
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

    static func reason(_ code: Int32) -> String { RegularFile.reason(code) }
}
