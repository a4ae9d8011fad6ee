import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failed file operation in words an operator understands: the system's reason ("Not a directory",
/// "Permission denied"), never Foundation's "The operation could not be completed. (NSCocoaErrorDomain
/// error 512.)". One place for every file the tool writes (undo and export files, the audit log's directory).
public enum FileErrors {
    /// The reason of a Foundation or POSIX error, in one line.
    public static func reason(_ error: any Error) -> String {
        if let p = error as? POSIXError { return strerrorText(p.code.rawValue) }
        if let c = error as? CocoaError, let under = c.underlying { return reason(under) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return strerrorText(Int32(truncatingIfNeeded: ns.code)) }
        if let under = ns.userInfo[NSUnderlyingErrorKey] as? any Error { return reason(under) }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return strerrorText(ENOENT)
            case .fileWriteNoPermission, .fileReadNoPermission: return strerrorText(EACCES)
            case .fileWriteOutOfSpace: return strerrorText(ENOSPC)
            case .fileWriteVolumeReadOnly: return strerrorText(EROFS)
            case .fileWriteFileExists: return strerrorText(EEXIST)
            case .fileWriteInvalidFileName, .fileReadInvalidFileName: return "invalid file name"
            default: return "the file system refused (error \(ns.code))"
            }
        }
        return Sanitizer.terminal("\(error)")
    }

    /// "cannot write the undo file /x/y.csv: Not a directory".
    public static func message(_ what: String, path: String, _ error: any Error) -> String {
        "cannot \(what) \(path): \(reason(error))"
    }

    static func strerrorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
