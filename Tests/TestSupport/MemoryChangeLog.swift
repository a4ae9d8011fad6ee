import Foundation
import KafkaOpsCore

/// An audit log in memory, for tests that run a change and read its records' results back.
public final class MemoryChangeLog: ChangeLog, @unchecked Sendable {
    public let path = "/memory/audit.log"
    private let lock = NSLock()
    private var _results: [String] = []
    public var results: [String] { lock.withLock { _results } }

    public init() {}

    public func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws {
        lock.withLock { _results.append(result) }
    }

    /// A pipeline on a writable connection that records here.
    public var pipeline: ChangePipeline {
        ChangePipeline(guardrails: ChangeGuard(readOnly: false, protected: false), openLog: { self })
    }
}
