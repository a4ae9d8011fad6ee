import ArgumentParser
import Foundation
import KafkaOpsCore

extension TopicCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a topic that passes the durability policy.",
            discussion: """
            Checks the name as Kafka does and every policy rule; a violation exits 1 listing every \
            violated rule and creates nothing. --dry-run asks the broker to validate (validateOnly) \
            and prints the plan. On a protected profile, repeat the name with --confirm NAME. \
            --allow-policy-violation creates it despite the policy's rules (e.g. a single-broker test \
            cluster below the policy's replication factor), recorded in the audit log; never despite \
            Kafka's own (name, existing topic, more replicas than live brokers, min ISR above RF).
            """)

        @OptionGroup var connection: TopicConfigGlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "Topic name.") var name: String
        @Option(name: .long, help: "Number of partitions.") var partitions: Int32
        @Option(name: [.customLong("replication-factor")], help: "Replication factor.") var replicationFactor: Int16
        @Option(name: .customLong("config"), help: "A topic config override key=value (repeatable).") var configs: [String] = []
        @Option(name: .long, help: "Policy file (YAML); default: the profile's policy or the built-in one.") var policy: String?
        @Flag(name: .long, help: "Validate on the broker (validateOnly) and print the plan; create nothing.") var dryRun = false
        @Option(name: .long, help: "The topic name again, required on a protected profile.") var confirm: String?
        @Flag(name: .long, help: "Create it even though it violates the policy's rules (recorded in the audit log); never Kafka's own.") var allowPolicyViolation = false

        func validate() throws {
            guard partitions > 0 else { throw ValidationError("--partitions must be at least 1") }
            guard replicationFactor > 0 else { throw ValidationError("--replication-factor must be at least 1") }
            for c in configs where !c.contains("=") || c.hasPrefix("=") {
                throw ValidationError("--config '\(c)' is not key=value")
            }
        }

        var configMap: [String: String] {
            keyValues(configs)
        }

        struct PlanJSON: Encodable {
            let topic: String
            let partitions: Int32
            let replication_factor: Int16
            let configs: [String: String]
            let verdict: String
            let findings: [FindingJSON]
            let command: String
            let validated_by_broker: Bool
            let created: Bool
            @NullEncoded var health: String?
        }

        func run() async throws {
            let s = try Session.open(connection)
            let r = s.resolved
            if !dryRun { try requireWritable(r, action: "create topic \(name)") }
            let (policyValue, policyName) = try PolicyLoader.load(option: policy, profile: r.profile)
            let topic = NewTopic(name: name, partitions: partitions, replicationFactor: replicationFactor, configs: configMap)

            let md = try await s.client.metadata(deadline: s.deadline)
            var brokerConfigs: [ConfigEntry] = []
            if let b = md.controllerID ?? md.brokers.first?.id {
                do { brokerConfigs = try await s.client.brokerConfigs(b, deadline: s.deadline) } catch {
                    warn("warning: broker configs could not be read (\(error)); Kafka's defaults are assumed")
                }
            }
            let findings = TopicCreation.findings(topic, brokerConfigs: brokerConfigs, existingTopics: md.topics.map(\.name),
                                                  liveBrokers: md.liveBrokerCount, policy: policyValue)
            let change = CreateTopic(topic, findings: findings, policyName: policyName)
            let command = TopicCreation.kafkaTopicsCommand(topic, bootstrap: r.settings?.bootstrapServers ?? "BOOTSTRAP")
            let verdict = TopicCreation.verdict(findings)

            func report(validated: Bool, created: Bool, health: String?) throws {
                switch out.output {
                case .json, .yaml:
                    try emitStructured(out.output, PlanJSON(topic: name, partitions: partitions, replication_factor: replicationFactor, configs: topic.configs,
                                          verdict: verdict, findings: findings.map(FindingJSON.init), command: command,
                                          validated_by_broker: validated, created: created, health: health))
                case .table:
                    var o = "Topic \(Sanitizer.terminal(name)): \(partitions) partition(s), replication factor \(replicationFactor)\n"
                    o += "Configs: " + (topic.configs.isEmpty ? "(broker defaults)" : topic.configs.sorted { $0.key < $1.key }
                        .map { "\($0.key)=\($0.value)" }.joined(separator: " ")) + "\n"
                    o += "Policy (\(policyName)): \(verdict)\n"
                    if !findings.isEmpty { o += findingsTable(findings) }
                    o += "Equivalent: \(Sanitizer.terminal(command))\n"
                    if validated { o += "The broker validated the request (validateOnly).\n" }
                    if created { o += "Created topic \(Sanitizer.terminal(name))" + (health.map { ", health: \($0)" } ?? "") + "\n" }
                    emit(o)
                }
            }

            if let refusal = change.policyRefusal(allowOverride: allowPolicyViolation) {
                try report(validated: false, created: false, health: nil)
                if out.output == .table {
                    warn("refused: \(Sanitizer.terminal(refusal)); nothing was created")
                    // The override is advised only where it would work (never for a rule it cannot accept).
                    if !allowPolicyViolation, change.policyRefusal(allowOverride: true) == nil,
                       let short = TopicCreation.brokerShortage(policy: policyValue, metadata: md) {
                        warn(short.message(override: "--allow-policy-violation"))
                    }
                }
                throw ExitCode(1)
            }
            if dryRun {
                try await s.client.createTopic(topic, validateOnly: true, deadline: s.deadline)
                try report(validated: true, created: false, health: nil)
                return
            }
            try await s.run(change, confirm: confirm, allowOverride: allowPolicyViolation) { done in
                guard done.outcome.isAnswered else {
                    warn(done.outcome.line("the creation of topic \(name)", lost: nil))
                    try report(validated: false, created: done.outcome.isApplied == true, health: nil)
                    throw ExitCode(1)
                }
                var health: String?
                if let snap = try? await s.loadSnapshot(parts: [.configs], topics: [name]) {
                    health = snap.topicSummaries(includeInternal: true, groupLags: []).first { $0.name == name }?.health.worst.name
                }
                try report(validated: false, created: true, health: health)
            }
        }
    }
}

/// `key=value` arguments (validated beforehand) as a dictionary; a later key wins.
func keyValues(_ args: [String]) -> [String: String] {
    var m: [String: String] = [:]
    for a in args {
        let parts = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 { m[String(parts[0])] = String(parts[1]) }
    }
    return m
}
