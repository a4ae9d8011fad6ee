import Foundation
import KafkaOpsCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads the change log back (`kafkaops changes`, the check for changes without an outcome), without
/// following a symbolic link and without blocking on a FIFO: only a regular file is read. A log that does not
/// exist yet is empty. A line that is not a whole record (cut by a full disk) is skipped and counted.
public enum ChangeLogReader {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public struct Contents: Sendable {
        public var records: [ChangeRecord]
        /// Lines that are not records (torn or foreign).
        public var unreadableLines: Int
    }

    /// The change log at `path` (the profile's `audit_log`, else the default), as `ChangeLogFile.open` names it.
    public static func path(configured: String?, environment env: [String: String]) -> String? {
        configured.map { XDGPaths.expandingTilde($0, env) } ?? ChangeLogFiles.defaultPath(environment: env)
    }

    public static func read(path: String) throws(Failure) -> Contents {
        let data: [UInt8]
        do throws(RegularFile.Failure) {
            guard let bytes = try RegularFile.read(path) else { return Contents(records: [], unreadableLines: 0) }
            data = bytes
        } catch {
            throw Failure(description: "cannot read the audit log \(path): \(error.reason)")
        }
        var records: [ChangeRecord] = []
        var bad = 0
        for line in data.split(separator: UInt8(ascii: "\n")) {
            let text = String(decoding: line, as: UTF8.self)
            if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if let r = try? ChangeRecord.parse(line: text) { records.append(r) } else { bad += 1 }
        }
        return Contents(records: records, unreadableLines: bad)
    }
}
