import Foundation

/// A probe session on any cluster client: records go out through `produce` (acks=all,
/// idempotent) and come back through a `RecordTail` opened before the first send.
public struct ClientProbeSession: ProbeSession {
    let client: any ClusterClient
    let tail: any RecordTail
    /// The probe topic (for `reread`).
    let topic: String?

    /// `start`: where the tail begins, each probe partition's log end before the run.
    public static func open(_ client: any ClusterClient, start: [TopicPartition: Int64],
                            deadline: Deadline) async throws -> ClientProbeSession {
        ClientProbeSession(client: client, tail: try await client.openTail(start, deadline: deadline), topic: start.keys.first?.topic)
    }

    public func send(_ records: [OutgoingRecord], deadline: Deadline) async -> [ProbeOutcome] {
        let reports: [DeliveryReport]
        do {
            reports = try await client.produce(records, deadline: deadline)
        } catch {
            // The batch was refused as a whole (the producer could not be created, cancelled):
            // every record failed for that one reason.
            let reason = Self.reason(error)
            let at = ProbeRunner.nowMicros()
            return records.map { _ in ProbeOutcome(.failed(reason), atMicros: at) }
        }
        let returned = ProbeRunner.nowMicros()
        var byIndex: [Int: DeliveryReport] = [:]
        for r in reports { byIndex[r.index] = r }
        return records.indices.map { i in
            guard let r = byIndex[i] else { return ProbeOutcome(.unanswered, atMicros: returned) }
            let at = r.answeredAt.map { Int64(($0.timeIntervalSince1970 * 1_000_000).rounded()) } ?? returned
            switch r.result {
            case .success: return ProbeOutcome(.acknowledged, atMicros: at)
            case .failure(let e): return ProbeOutcome(.failed(Self.reason(e)), atMicros: at)
            }
        }
    }

    public func poll(maxWait: Duration) async throws -> [Record] {
        try await tail.poll(maxWait: maxWait)
    }

    public func reread(from start: [Int32: Int64]) async throws -> any RecordTail {
        guard let topic else { throw ClusterError(.invalidRequest, "no probe topic") }
        return try await client.openTail(Dictionary(uniqueKeysWithValues: start.map { (TopicPartition(topic, $0.key), $0.value) }),
                                         deadline: .after(.seconds(10)))
    }

    public func close() async { await tail.close() }

    /// The name an operator looks up: Kafka's error code (NOT_ENOUGH_REPLICAS), else the kind.
    static func reason(_ error: any Error) -> String {
        guard let e = error as? ClusterError else { return "error" }
        if let code = e.code, !code.isEmpty {
            return code.hasPrefix("_") ? String(code.dropFirst()) : code
        }
        return e.kind.rawValue.uppercased()
    }
}
