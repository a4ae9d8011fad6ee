import Foundation
import KafkaOpsCore

/// A change log in memory, for tests that run a change and read its records back.
public final class MemoryChangeLog: ChangeLog, @unchecked Sendable {
    public struct Entry: Sendable {
        public var action, target: String
        public var before, after: JSONValue
        public var result: String
        public var details: JSONValue
    }

    public let path = "/memory/audit.log"
    private let lock = NSLock()
    private var _entries: [Entry] = []
    private var _failWrites = false

    public init() {}

    public var entries: [Entry] { lock.withLock { _entries } }
    /// Every record's result, the started records' ("started") included.
    public var results: [String] { entries.map(\.result) }
    /// The outcome records (every change also writes a "<action>.started" record before it).
    public var outcomes: [Entry] { entries.filter { !$0.action.hasSuffix(".started") } }
    /// Set to make every write fail, as a full disk would.
    public var failWrites: Bool {
        get { lock.withLock { _failWrites } }
        set { lock.withLock { _failWrites = newValue } }
    }

    public func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws {
        if failWrites { throw ChangeLogWriteError(path: path, reason: "No space left on device") }
        lock.withLock { _entries.append(Entry(action: action, target: target, before: before, after: after, result: result, details: details)) }
    }

    /// A pipeline on a writable connection that records here.
    public var pipeline: ChangePipeline {
        ChangePipeline(guardrails: ChangeGuard(readOnly: false, protected: false), openLog: { self })
    }
}
