import ArgumentParser
import Foundation
import KafkaOpsCore

extension TopicCommand {
    struct AlterConfig: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alter-config",
            abstract: "Set or delete topic config overrides (IncrementalAlterConfigs), previewed before and after.",
            discussion: """
            Without --execute it only prints the preview. A change that leaves min.insync.replicas \
            above the replication factor is refused (exit 1), always. A change that breaks a policy \
            rule (e.g. lowering retention.ms below the policy's minimum in a disk-full incident) or \
            makes a finding worse is refused unless --allow-policy-violation (recorded in the audit \
            log; on a protected profile --confirm too).
            Here --config is a topic config, as in kafka-topics.sh (--set is the same option); the config file is --config-file.
            Example: kafkaops topic alter-config orders --config min.insync.replicas=2 --config unclean.leader.election.enable=false --execute
            """)

        @OptionGroup var connection: TopicConfigGlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "Topic name.", completion: Completions.topics) var name: String
        @Option(name: [.customLong("config"), .customLong("set")], help: ArgumentHelp(
            "A topic config override to set (repeatable), as topic create takes it; --set is the same.", valueName: "key=value"))
        var sets: [String] = []
        @Option(name: .customLong("delete"), help: "Override to delete, falling back to the broker default (repeatable).") var deletes: [String] = []
        @Option(name: .long, help: "Policy file (YAML).") var policy: String?
        @Flag(name: .long, help: "Apply the change (default: preview only).") var execute = false
        @Flag(name: .long, help: "Apply even if the change adds a policy warning or worsens an existing finding (never a new error, never min ISR above RF).") var allowPolicyViolation = false
        @Option(name: .long, help: "The topic name again, required on a protected profile.") var confirm: String?

        func validate() throws {
            guard !sets.isEmpty || !deletes.isEmpty else { throw ValidationError("nothing to change: give --config key=value or --delete key") }
            for c in sets where !c.contains("=") || c.hasPrefix("=") {
                throw ValidationError("--config '\(c)' is not key=value" + (c.contains("=") ? "" : " (here --config is a topic config; the config file is --config-file)"))
            }
        }

        struct ChangeJSON: Encodable {
            let name: String
            @NullEncoded var before: String?
            let before_source: String
            @NullEncoded var after: String?
            let after_source: String
        }
        struct AlterJSON: Encodable {
            let topic: String
            let changes: [ChangeJSON]
            let new_policy_errors: [FindingJSON]
            let new_policy_warnings: [FindingJSON]
            @NullEncoded var refused: String?
            let executed: Bool
            let result: String
        }

        func run() async throws {
            let s = try Session.open(connection)
            let r = s.resolved
            if execute { try requireWritable(r, action: "alter the configs of topic \(name)") }
            let (policyValue, _) = try PolicyLoader.load(option: policy, profile: r.profile)
            let setMap = keyValues(sets)
            let snap = try await s.loadSnapshot(parts: [.configs], topics: [name])
            guard snap.topic(name) != nil else {
                throw ClusterError(.unknownTopic, "topic '\(name)' does not exist", hint: "list topics with: kafkaops topics")
            }
            let preview = ConfigChangePreview.compute(snap, topic: name, set: setMap, delete: deletes, policy: policyValue)
            let changes = preview.changes.map {
                ChangeJSON(name: $0.name, before: $0.before, before_source: $0.beforeSource, after: $0.after, after_source: $0.afterSource)
            }
            let worse = preview.verdict.worse
            let refusal = preview.verdict.refusal(allowOverride: allowPolicyViolation)

            func report(executed: Bool, result: String) throws {
                switch out.output {
                case .json, .yaml:
                    try emitStructured(out.output, AlterJSON(topic: name, changes: changes,
                                           new_policy_errors: worse.filter { $0.severity == .error }.map(FindingJSON.init),
                                           new_policy_warnings: worse.filter { $0.severity != .error }.map(FindingJSON.init),
                                           refused: refusal, executed: executed, result: result))
                case .table:
                    var t = TextTable([("CONFIG", .left), ("BEFORE", .left), ("", .left), ("AFTER", .left)])
                    for c in changes {
                        t.add([c.name, "\(c.before ?? "-") (\(c.before_source))", "->", "\(c.after ?? "-") (\(c.after_source))"])
                    }
                    var o = "Topic \(Sanitizer.terminal(name)):\n" + t.render()
                    if !worse.isEmpty { o += "This change breaks the policy or makes it worse:\n" + findingsTable(worse) }
                    o += result + "\n"
                    emit(o)
                }
            }
            if let refusal {
                try report(executed: false, result: "Refused: \(Sanitizer.terminal(refusal)). Nothing was changed.")
                throw ExitCode(1)
            }
            guard execute else {
                try report(executed: false, result: "Preview only: run again with --execute to apply.")
                return
            }
            try await s.run(AlterTopicConfigs(preview), confirm: confirm, allowOverride: allowPolicyViolation) { done in
                guard done.outcome.isAnswered else {
                    try report(executed: true, result: done.outcome.line("the config change", lost: nil))
                    throw ExitCode(1)
                }
                try report(executed: true, result: "Applied.")
            }
        }
    }

    struct ReassignPlan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reassign-plan",
            abstract: "Print the kafka-reassign-partitions.sh JSON that raises a topic's replication factor (executes nothing).",
            discussion: "Save it and run: kafka-reassign-partitions.sh --bootstrap-server B --reassignment-json-file plan.json --execute")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Topic name.", completion: Completions.topics) var name: String
        @Option(name: .customLong("replication-factor"), help: "The replication factor to reach.") var replicationFactor: Int

        func run() async throws {
            let s = try Session.open(global)
            let md = try await s.client.metadata(deadline: s.deadline)
            switch ReassignmentPlan.raiseReplicationFactor(topic: name, to: replicationFactor, metadata: md) {
            case .success(let plan): emit(plan.json() + "\n")
            case .failure(.unknownTopic(let t)): throw ClusterError(.unknownTopic, "topic '\(t)' does not exist")
            case .failure(let e): throw UsageError(e.description)
            }
        }
    }
}

struct ElectLeaders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "elect-leaders",
        abstract: "Preferred leader election for partitions whose leader is not the first replica (kafka-leader-election.sh --election-type PREFERRED).",
        discussion: "Without --execute it lists the partitions that would move.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @Option(name: .customLong("topic"), help: "Topic (repeatable).", completion: Completions.topics) var topics: [String] = []
    @Flag(name: .long, help: "Every topic.") var allTopics = false
    @Flag(name: .long, help: "Run the election (default: preview only).") var execute = false
    @Option(name: .long, help: "Required on a protected profile: the topic's name, the topics' names joined by commas (as given), or all-topics with --all-topics.") var confirm: String?

    func validate() throws {
        if topics.isEmpty == !allTopics { throw ValidationError("give --topic T (repeatable) or --all-topics") }
    }

    struct Row: Encodable {
        let topic: String
        let partition: Int32
        @NullEncoded var leader: Int32?
        @NullEncoded var preferred_leader: Int32?
        let result: String
    }

    func run() async throws {
        let s = try Session.open(global)
        if execute { try requireWritable(s.resolved, action: "run a preferred leader election") }
        let md = try await s.client.metadata(deadline: s.deadline)
        for t in topics where !md.topics.contains(where: { $0.name == t }) {
            throw ClusterError(.unknownTopic, "topic '\(t)' does not exist")
        }
        let candidates = PreferredElection.candidates(md, topics: allTopics ? nil : Set(topics))
        let leftOut = PreferredElection.notElectable(md, topics: allTopics ? nil : Set(topics)).map {
            "\($0.partition.topic)-\($0.partition.partition): preferred replica \($0.preferred) is not \($0.live ? "in sync" : "live"), left out"
        }
        guard execute && !candidates.isEmpty else { return try report(candidates, results: [:], warnings: s.resolved.warnings, leftOut: leftOut) }
        try await s.run(ElectPreferredLeaders(candidates: candidates, topics: allTopics ? nil : topics), confirm: confirm) { done in
            try report(candidates, results: done.outcome, warnings: s.resolved.warnings, leftOut: leftOut)
            if done.outcome.values.contains(where: { $0 != "elected" }) { throw ExitCode(1) }
        }
    }

    func report(_ candidates: [ElectionCandidate], results: [TopicPartition: String], warnings: [String], leftOut: [String]) throws {
        let rows = candidates.map { c in
            Row(topic: c.partition.topic, partition: c.partition.partition, leader: c.leader, preferred_leader: c.preferred,
                result: execute ? (results[c.partition] ?? "no answer") : "would elect \(c.preferred)")
        }
        switch out.output {
        case .json, .yaml: try emitStructured(out.output, RecordsDocument(records: rows, warnings: warnings + leftOut))
        case .table:
            for w in leftOut { warn("warning: \(w)") }   // the profile's warnings are already on stderr
            var t = TextTable([("TOPIC", .left), ("PARTITION", .right), ("LEADER", .right), ("PREFERRED", .right), ("RESULT", .left)])
            for r in rows { t.add([r.topic, String(r.partition), fmt(r.leader), fmt(r.preferred_leader), r.result]) }
            emit(rows.isEmpty ? "Every leader is already its preferred replica (or the preferred replica is not in sync).\n"
                 : t.render() + (execute ? "" : "Preview only: run again with --execute to elect.\n"))
        }
    }
}

