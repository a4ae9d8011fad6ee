import Foundation
import KafkaOpsCore
import KafkaOpsKafka
import KafkaOpsDemo

/// A command's connection: the resolved profile, the client (read-only when asked) and the deadline.
struct Session: Sendable {
    let resolved: ResolvedProfile
    let client: any ClusterClient
    let timeout: Duration

    var deadline: Deadline { .after(timeout) }

    static func open(_ o: some ConnectionArguments) throws -> Session {
        let r = try ProfileLoader.resolve(o)
        for w in r.warnings { warn("warning: \(w)") }
        let base: any ClusterClient
        if r.isDemo {
            base = DemoCluster()
        } else if let s = r.settings {
            do {
                base = try KafkaClusterClient(settings: s)
            } catch let e as ClusterError {
                throw e
            } catch {
                throw ClusterError(.configuration, "cannot set up the Kafka client: \(error)")
            }
        } else {
            throw UsageError("no cluster given")
        }
        return Session(resolved: r, client: base.readOnly(r.readOnly), timeout: o.timeoutDuration)
    }

    func loadSnapshot(parts: SnapshotLoader.Parts = .all, topics: Set<String>? = nil) async throws -> ClusterSnapshot {
        let snap = try await SnapshotLoader(client: client).load(parts: parts, topics: topics, deadline: deadline)
        for p in snap.problems { warn("warning: \(p)") }
        return snap
    }
}
