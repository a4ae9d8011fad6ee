import Foundation
import KafkaOpsCore

/// Runs blocking work (waiting for a child process, a port, a pipe) on a thread of its own.
/// Swift concurrency runs every test on a pool as wide as the machine has cores (two on CI): a
/// test that blocks one of those threads for seconds stalls every other test's timers and jobs,
/// which turns into timeouts that have nothing to do with the code under test.
public func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
        let t = Thread { c.resume(with: Result { try body() }) }
        t.stackSize = 4 << 20
        t.start()
    }
}

extension ClusterClient {
    /// Produces test data and fails unless every record's delivery report says it was written
    /// (seed data that silently went missing makes later assertions fail for the wrong reason).
    public func produceAll(_ records: [OutgoingRecord], deadline: Deadline) async throws {
        let reports = try await produce(records, deadline: deadline)
        for r in reports {
            if case .failure(let e) = r.result { throw e }
        }
        if reports.count != records.count {
            throw ClusterError(.broker, "produce returned \(reports.count) delivery reports for \(records.count) records")
        }
    }
}
