import Foundation
import KafkaOpsCore

/// Writes a reset's undo file (the offsets committed before it, see `ResetUndo`), creating its
/// directory (0700). Shared by `kafkaops reset-offsets --execute` and the console's reset wizard;
/// both call it before anything is committed, so a failure changes nothing.
public enum ResetUndoFile {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write the undo file \(path): \(reason); nothing was changed" }
    }

    public static func write(_ plan: ResetPlan, to path: String) throws(WriteError) {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: NSNumber(value: AuditLog.directoryPermissions)])
            }
            try ResetUndo.contents(plan).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw WriteError(path: path, reason: error.localizedDescription)
        }
    }
}
