import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// `kafkaops topic create` against tansu: what the CLI creates lands on the broker; a policy
/// violation creates nothing.
@Suite(.serialized)
final class TopicCreateTansuTests {
    let broker: TansuBroker
    let dir: URL
    var b: String { broker.bootstrap }

    init() async throws {
        broker = try await TansuBroker.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-create-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { broker.stop(); try? FileManager.default.removeItem(at: dir) }

    /// A single-broker policy (tansu has one broker): RF 1 allowed, everything else as the default.
    func singleBrokerPolicy() throws -> String {
        let p = dir.appendingPathComponent("policy.yaml")
        try "min_replication_factor: 1\nmin_insync_replicas: 1\nrequire_rf_above_min_isr: false\n".write(to: p, atomically: true, encoding: .utf8)
        return p.path
    }

    func topicNames() async throws -> [String] {
        let c = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: b))
        return try await c.metadata(deadline: .after(.seconds(10))).topics.map(\.name)
    }

    @Test func createdTopicHasThePartitionsAndConfigsAsked() async throws {
        let r = try await CLI.run(["topic", "create", "ledger", "--bootstrap", b, "--partitions", "4", "--replication-factor", "1",
                             "--config", "retention.ms=1209600000", "--config", "cleanup.policy=delete", "--config", "min.insync.replicas=1",
                             "--policy", try singleBrokerPolicy(), "--output", "json"],
                            environment: ["XDG_STATE_HOME": dir.path])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["created"] as? Bool == true)
        #expect((obj["command"] as? String)?.hasPrefix("kafka-topics.sh --bootstrap-server \(b) --create --topic ledger --partitions 4 --replication-factor 1") == true)
        // The topic and its configs as the broker reports them, through the CLI.
        let (_, d) = try await CLI.json(["topic", "describe", "ledger", "--bootstrap", b, "--output", "json"])
        #expect((d["partitions"] as? [[String: Any]])?.count == 4)
        let configs = try #require(d["configs"] as? [[String: Any]])
        func value(_ n: String) -> String? { configs.first { $0["name"] as? String == n }?["value"] as? String }
        #expect(value("retention.ms") == "1209600000")
        #expect(value("cleanup.policy") == "delete")
        #expect(value("min.insync.replicas") == "1")
        // Audit trail.
        let log = try String(contentsOf: dir.appendingPathComponent("kafkaops/audit.log"), encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(try ChangeRecord.parse(line: String(try #require(lines.first))).action == "topic.create.started")
        let entry = try ChangeRecord.parse(line: String(try #require(lines.last)))
        #expect(entry.action == "topic.create")
        #expect(entry.target == "ledger")
        #expect(entry.result == "ok")
    }

    /// Issue 13, point 8: a single-broker cluster below the built-in policy's RF: refused with why and what to do,
    /// then created with --allow-policy-violation, the change log naming every rule overridden.
    @Test func allowPolicyViolationCreatesOnASingleBrokerAndTheAuditLogSaysSo() async throws {
        let args = ["topic", "create", "scratch", "--bootstrap", b, "--partitions", "1", "--replication-factor", "1",
                    "--config", "min.insync.replicas=1", "--config", "unclean.leader.election.enable=false"]
        let refused = try await CLI.run(args, environment: ["XDG_STATE_HOME": dir.path])
        #expect(refused.code == 1)
        #expect(refused.stderr.contains("replication factor 3 needed (policy), 1 broker live: add brokers, or create it with replication factor 1 under a policy override (--allow-policy-violation"))
        #expect(try await !topicNames().contains("scratch"))
        let r = try await CLI.run(args + ["--allow-policy-violation"], environment: ["XDG_STATE_HOME": dir.path])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try await topicNames().contains("scratch"))
        let log = try String(contentsOf: dir.appendingPathComponent("kafkaops/audit.log"), encoding: .utf8)
        let entry = try ChangeRecord.parse(line: String(try #require(log.split(separator: "\n").last)))
        #expect(entry.action == "topic.create" && entry.result == "ok")
        guard case .object(let d) = entry.details, case .array(let overridden)? = d["policy_overridden"] else {
            Issue.record("no policy_overridden in \(entry.details)"); return
        }
        #expect(overridden.contains(.string("replication-factor (1)")))
        // Kafka's own rules stay: more replicas than brokers is refused even so.
        let two = try await CLI.run(["topic", "create", "scratch2", "--bootstrap", b, "--partitions", "1", "--replication-factor", "2",
                                     "--config", "min.insync.replicas=1", "--allow-policy-violation"], environment: ["XDG_STATE_HOME": dir.path])
        #expect(two.code == 1)
        #expect(two.stderr.contains("no policy override accepts: replication-factor-above-brokers (2)"))
    }

    @Test func policyViolationListsEveryRuleAndCreatesNothing() async throws {
        // The built-in policy: RF >= 3, min ISR >= 2, RF > min ISR, unclean off, retention >= 7 days.
        let r = try await CLI.run(["topic", "create", "risky", "--bootstrap", b, "--partitions", "1", "--replication-factor", "1",
                             "--config", "unclean.leader.election.enable=true", "--config", "retention.ms=3600000"])
        #expect(r.code == 1)
        for rule in ["replication-factor", "min-insync-replicas", "rf-above-min-isr", "unclean-leader-election", "retention-min",
                     "replication-factor-above-brokers"] where rule != "replication-factor-above-brokers" {
            #expect(r.stdout.contains(rule), "missing \(rule) in \(r.stdout)")
        }
        #expect(r.stderr.contains("nothing was created"))
        #expect(try await !topicNames().contains("risky"))
    }

    @Test func illegalNameAndReplicationFactorAboveBrokersAreRefused() async throws {
        let r = try await CLI.run(["topic", "create", "bad name!", "--bootstrap", b, "--partitions", "1", "--replication-factor", "3",
                             "--policy", try singleBrokerPolicy(), "--output", "json"])
        #expect(r.code == 1)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rules = Set((obj["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
        #expect(rules.contains("replication-factor-above-brokers"))
        #expect(rules.contains { $0.hasPrefix("name") })
        #expect(try await !topicNames().contains("bad name!"))
    }

    @Test func alterConfigPreviewsThenAppliesAndIsAudited() async throws {
        let policy = try singleBrokerPolicy()
        let create = try await CLI.run(["topic", "create", "alerts", "--bootstrap", b, "--partitions", "1", "--replication-factor", "1",
                                  "--config", "retention.ms=864000000", "--policy", policy], environment: ["XDG_STATE_HOME": dir.path])
        #expect(create.code == 0, "\(create.stderr)")
        func retention() async throws -> String? {
            let (_, d) = try await CLI.json(["topic", "describe", "alerts", "--bootstrap", b, "--output", "json"])
            return (d["configs"] as? [[String: Any]])?.first { $0["name"] as? String == "retention.ms" }?["value"] as? String
        }
        // Preview only: nothing changes.
        let preview = try await CLI.run(["topic", "alter-config", "alerts", "--bootstrap", b, "--set", "retention.ms=1209600000",
                                   "--policy", policy, "--output", "json"])
        #expect(preview.code == 0, "\(preview.stderr)")
        let p = try #require(try JSONSerialization.jsonObject(with: Data(preview.stdout.utf8)) as? [String: Any])
        #expect(p["executed"] as? Bool == false)
        let change = try #require((p["changes"] as? [[String: Any]])?.first)
        #expect(change["before"] as? String == "864000000")
        #expect(change["after"] as? String == "1209600000")
        await #expect(try retention() == "864000000")
        // A change that breaks the policy is refused (retention below 7 days).
        let bad = try await CLI.run(["topic", "alter-config", "alerts", "--bootstrap", b, "--set", "retention.ms=60000",
                               "--policy", policy, "--execute"], environment: ["XDG_STATE_HOME": dir.path])
        #expect(bad.code == 1)
        #expect(bad.stdout.contains("retention-min"))
        await #expect(try retention() == "864000000")
        // Applied with --execute, and audited.
        let apply = try await CLI.run(["topic", "alter-config", "alerts", "--bootstrap", b, "--set", "retention.ms=1209600000",
                                 "--policy", policy, "--execute"], environment: ["XDG_STATE_HOME": dir.path])
        #expect(apply.code == 0, "\(apply.stderr)")
        await #expect(try retention() == "1209600000")
        let log = try String(contentsOf: dir.appendingPathComponent("kafkaops/audit.log"), encoding: .utf8)
        let last = try ChangeRecord.parse(line: String(try #require(log.split(separator: "\n").last)))
        #expect(last.action == "topic.alter-config")
        #expect(last.before == .object(["retention.ms": .string("864000000")]))
        #expect(last.after == .object(["retention.ms": .string("1209600000")]))
    }

    @Test func readOnlyRefusesCreation() async throws {
        let r = try await CLI.run(["topic", "create", "ro", "--bootstrap", b, "--partitions", "1", "--replication-factor", "1",
                             "--policy", try singleBrokerPolicy(), "--read-only"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("read-only"))
        #expect(try await !topicNames().contains("ro"))
    }
}

/// The policy commands against the demo cluster (three brokers, unsafe topics, a broker that fails).
@Suite struct PolicyDemoCLITests {
    @Test func auditFindsTheUnsafeTopicsAndExitsOne() async throws {
        let r = try await CLI.run(["audit", "--demo", "--output", "json"])
        #expect(r.code == 1)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = try #require(obj["findings"] as? [[String: Any]])
        func has(_ rule: String, _ target: String) -> Bool {
            findings.contains { $0["rule"] as? String == rule && $0["target"] as? String == target }
        }
        #expect(has("replication-factor", "notifications"))             // RF 1
        #expect(has("rf-above-min-isr", "audit-log"))                    // RF 3 == min ISR 3
        #expect(has("unclean-leader-election", "metrics-raw"))
        #expect(has("group-data-lost", "billing-reconciler"))            // committed below log start
        #expect(!findings.contains { $0["target"] as? String == "orders" && $0["severity"] as? String == "error" })
        #expect((obj["errors"] as? Int ?? 0) > 0)
    }

    @Test func whatIfBrokerDownListsOfflineAndUnderMinISRPartitions() async throws {
        let r = try await CLI.run(["audit", "--demo", "--what-if-broker-down", "3", "--output", "json"])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["broker"] as? Int == 3)
        #expect(obj["breaks_writes"] as? Bool == true)
        #expect(r.code == 1)
        let topics = try #require(obj["topics"] as? [[String: Any]])
        // RF-1 partitions on broker 3 go offline; audit-log (min ISR 3) goes under min ISR.
        let offline = topics.filter { !(($0["offline_partitions"] as? [Int]) ?? []).isEmpty }.compactMap { $0["topic"] as? String }
        #expect(!offline.isEmpty)
        #expect(offline.allSatisfy { ["notifications", "sessions-cache"].contains($0) })
        let underMin = topics.first { $0["topic"] as? String == "audit-log" }
        #expect(((underMin?["under_min_isr_partitions"] as? [Int]) ?? []).count > 0)
        let unknown = try await CLI.run(["audit", "--demo", "--what-if-broker-down", "42"])
        #expect(unknown.code == 2)
    }

    @Test func resetOfAnActiveGroupIsRefusedWithKafkasReasonAndTheMembers() async throws {
        let r = try await CLI.run(["reset-offsets", "--demo", "--group", "order-service", "--all-topics", "--to-earliest", "--execute"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("Assignments can only be reset if the group 'order-service' is inactive, but the current state is Stable."))
        #expect(r.stderr.contains("consumer-order-service-1 on /10.20.11.11"))
    }

    @Test func createWithReplicationFactorAboveTheBrokerCountIsRefused() async throws {
        let r = try await CLI.run(["topic", "create", "too-wide", "--demo", "--partitions", "3", "--replication-factor", "4"])
        #expect(r.code == 1)
        #expect(r.stdout.contains("replication-factor-above-brokers"))
        let ok = try await CLI.run(["topic", "create", "payments.v2", "--demo", "--partitions", "6", "--replication-factor", "3",
                              "--config", "min.insync.replicas=2", "--dry-run"])
        #expect(ok.code == 0, "\(ok.stdout) \(ok.stderr)")
        #expect(ok.stdout.contains("validated"))
        // '.' and '_' collide in metric names: a warning, not a refusal.
        #expect(ok.stdout.contains("payments.v2"))
    }

    @Test func lintClientReportsTheRisksOfTheSampleProducer() async throws {
        let sample = TansuBroker.projectRoot().appendingPathComponent("samples/producer.properties").path
        let r = try await CLI.run(["lint-client", sample, "--output", "json"])
        #expect(r.code == 1)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let keys = Set((obj["findings"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String })
        #expect(keys.isSuperset(of: ["acks", "retries", "enable.idempotence"]))
    }
}
