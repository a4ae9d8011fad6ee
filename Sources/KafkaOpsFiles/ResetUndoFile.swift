import KafkaOpsCore

/// Writes a reset's undo file (`ResetUndo.contents`: the offsets committed before) as a new file,
/// before anything is committed; the CLI and the console's wizard both write it here, in the pipeline's
/// `prepare` step, so a file that cannot be written refuses the reset with nothing sent.
public enum ResetUndoFile {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Creates `path` (an existing path, link or device is refused) holding the plan's previous offsets.
    public static func create(_ plan: ResetPlan, at path: String) throws(Failure) {
        do throws(ExclusiveFile.Failure) { try ExclusiveFile.create(path, contents: ResetUndo.contents(plan)) } catch {
            throw Failure(description: ResetUndo.cannotWrite(path, reason: error.reason))
        }
    }
}
