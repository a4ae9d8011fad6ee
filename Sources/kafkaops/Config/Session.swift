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
            base = try demoCluster(ProcessInfo.processInfo.environment)
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

/// The demo cluster; benchmarks pick a bigger one with KAFKAOPS_DEMO_SCENARIO=scaled:TOPICS:PARTITIONS:GROUPS
/// or topics:N, make every call hang with KAFKAOPS_DEMO_HANG=1 (a blackholed cluster), and make some
/// calls time out with KAFKAOPS_DEMO_FAIL=describeConfigs(topics),listGroups (a cluster read in part).
/// KAFKAOPS_DEMO_AHEAD=SECONDS starts the demo that far into its timeline (35: broker 3 is down).
func demoCluster(_ env: [String: String]) throws -> DemoCluster {
    var scenario = DemoScenario.standard
    if let spec = env["KAFKAOPS_DEMO_SCENARIO"], !spec.isEmpty {
        let parts = spec.split(separator: ":").map(String.init)
        switch (parts.first, parts.count) {
        case ("scaled", 4):
            guard let t = Int(parts[1]), let p = Int(parts[2]), let g = Int(parts[3]) else {
                throw UsageError("KAFKAOPS_DEMO_SCENARIO=\(spec): expected scaled:TOPICS:PARTITIONS:GROUPS")
            }
            scenario = .scaled(topics: t, partitionsPerTopic: p, groups: g)
        case ("topics", 2):
            guard let t = Int(parts[1]) else { throw UsageError("KAFKAOPS_DEMO_SCENARIO=\(spec): expected topics:N") }
            scenario = .topicsOnly(t)
        default:
            throw UsageError("KAFKAOPS_DEMO_SCENARIO=\(spec): expected scaled:TOPICS:PARTITIONS:GROUPS or topics:N")
        }
    }
    let demo = DemoCluster(scenario: scenario)
    if let ahead = env["KAFKAOPS_DEMO_AHEAD"], !ahead.isEmpty {
        guard let s = Double(ahead), s.isFinite, s >= 0 else {
            throw UsageError("KAFKAOPS_DEMO_AHEAD=\(ahead): expected a number of seconds (0 or more)")
        }
        demo.clock.advance(by: s)
    }
    if env["KAFKAOPS_DEMO_HANG"] == "1" { demo.hang = true }
    if let f = env["KAFKAOPS_DEMO_FAIL"], !f.isEmpty {
        demo.failing = Set(f.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }
    return demo
}
