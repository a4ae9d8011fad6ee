import Foundation
import KafkaOpsCore
@testable import KafkaOpsTUI

/// An audit log in memory.
final class MemoryAudit: AuditRecorder, @unchecked Sendable {
    struct Entry { var action, target: String; var before, after: JSONValue; var result: String; var details: JSONValue }
    private let lock = NSLock()
    private var _entries: [Entry] = []
    var entries: [Entry] { lock.withLock { _entries } }
    let path = "/memory/audit.log"
    func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) {
        lock.withLock { _entries.append(Entry(action: action, target: target, before: before, after: after, result: result, details: details)) }
    }
}

/// Values a job sent.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var _values: [any Sendable] = []
    var values: [any Sendable] { lock.withLock { _values } }
    func add(_ v: any Sendable) { lock.withLock { _values.append(v) } }
    /// The values sent so far, emptying the inbox.
    func take() -> [any Sendable] { lock.withLock { defer { _values = [] }; return _values } }
}

extension ConsoleState {
    /// Runs the jobs among `effects` against `client` (as the program would, off the main actor)
    /// and delivers what they sent to their panel; returns the effects of those deliveries.
    @discardableResult
    mutating func runJobs(_ effects: [Effect], client: any ClusterClient) async -> [Effect] {
        var out: [Effect] = []
        for case .job(let job) in effects {
            let inbox = Inbox()
            await job.run(JobContext(client: client, timeout: .seconds(5), operations: operations) { inbox.add($0) })
            for v in inbox.values { out += update(.panelReceived(panelID: job.panelID, value: v)) }
        }
        return out
    }
}
