import ArgumentParser
import Foundation
import KafkaOpsCore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every topic, the broker defaults and the groups against the durability policy.",
        discussion: """
        Exit code 1 when any error-level finding exists, or when part of the cluster could not be \
        read (configs, broker defaults, groups, offsets: the audit is incomplete, listed in \
        `incomplete`), so it can gate a pipeline.
        --what-if-broker-down ID recomputes the ISR without that broker and lists, per topic, the \
        partitions that would go under min ISR (acks=all writes fail) or offline (exit 1 if any).
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @Option(name: .long, help: "Policy file (YAML); default: the profile's policy or the built-in one.") var policy: String?
    @Option(name: .long, help: "Broker id: what breaks if this broker goes down.") var whatIfBrokerDown: Int32?
    @Flag(name: .long, help: "Include internal topics such as __consumer_offsets.") var includeInternal = false

    struct AuditJSON: Encodable {
        let policy: String
        let topics_checked: Int
        let groups_checked: Int
        let errors: Int
        let warnings: Int
        let findings: [FindingJSON]
        let notes: [String]
        let complete: Bool
        let incomplete: [String]
    }

    struct WhatIfJSON: Encodable {
        struct Topic: Encodable {
            let topic: String
            let min_insync_replicas: Int
            let unclean_leader_election: Bool
            let offline_partitions: [Int32]
            let under_min_isr_partitions: [Int32]
            let under_replicated_partitions: [Int32]
            let data_loss_possible_partitions: [Int32]
            let leader_moves: Int
        }
        let broker: Int32
        let broker_was_live: Bool
        let live_brokers_after: [Int32]
        let offline: Int
        let under_min_isr: Int
        let under_replicated: Int
        let data_loss_possible: Int
        let breaks_writes: Bool
        let topics: [Topic]
    }

    func run() async throws {
        let s = try Session.open(global)
        let (policyValue, policyName) = try PolicyLoader.load(option: policy, profile: s.resolved.profile)
        let snap = try await s.loadSnapshot(parts: [.configs, .logOffsets, .groups, .groupStartOffsets])
        if let id = whatIfBrokerDown {
            let r: WhatIfResult
            switch WhatIf.brokerDown(id, snapshot: snap, includeInternal: includeInternal) {
            case .success(let x): r = x
            case .failure(let e): throw UsageError(e.description)
            }
            let topics = r.topics.filter { $0.offline + $0.underMinISR + $0.underReplicated + $0.dataLossPossible > 0 }
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, WhatIfJSON(
                    broker: id, broker_was_live: r.brokerWasLive, live_brokers_after: r.liveBrokersAfter, offline: r.offline,
                    under_min_isr: r.underMinISR, under_replicated: r.underReplicated, data_loss_possible: r.dataLossPossible,
                    breaks_writes: r.breaksWrites,
                    topics: topics.map { t in
                        WhatIfJSON.Topic(topic: t.topic, min_insync_replicas: t.minISR, unclean_leader_election: t.uncleanLeaderElection,
                                         offline_partitions: t.partitions.filter(\.offline).map(\.partition),
                                         under_min_isr_partitions: t.partitions.filter(\.underMinISR).map(\.partition),
                                         under_replicated_partitions: t.partitions.filter(\.underReplicated).map(\.partition),
                                         data_loss_possible_partitions: t.partitions.filter(\.dataLossPossible).map(\.partition),
                                         leader_moves: t.leaderMoves)
                    }))
            case .table:
                var o = "If broker \(id) goes down" + (r.brokerWasLive ? "" : " (it is already down: this is the current state)") + ":\n"
                o += "  \(r.offline) partition(s) offline (reads and writes fail), \(r.underMinISR) under min ISR (acks=all writes fail), "
                    + "\(r.underReplicated) under-replicated, \(r.dataLossPossible) where unclean election could lose data\n\n"
                var t = TextTable([("TOPIC", .left), ("MIN-ISR", .right), ("OFFLINE", .left), ("UNDER-MIN-ISR", .left),
                                   ("UNDER-REPLICATED", .right), ("DATA-LOSS-POSSIBLE", .left)])
                for x in topics.sorted(by: { ($0.offline, $0.underMinISR, $1.topic) > ($1.offline, $1.underMinISR, $0.topic) }) {
                    t.add([x.topic, String(x.minISR), partitionList(x.partitions.filter(\.offline).map(\.partition)),
                           partitionList(x.partitions.filter(\.underMinISR).map(\.partition)), String(x.underReplicated),
                           partitionList(x.partitions.filter(\.dataLossPossible).map(\.partition))])
                }
                o += topics.isEmpty ? "No partition would be affected.\n" : t.render()
                emit(o)
            }
            // Min ISR and unclean election come from the configs: without them the answer is a guess.
            let unread = snap.unread(topics: snap.metadata.topics.map(\.name))
            if !unread.isEmpty {
                warn("the what-if is incomplete: " + unread.joined(separator: "; ") + ": exit 1")
                throw ExitCode(1)
            }
            if r.breaksWrites { throw ExitCode(1) }
            return
        }
        let (lagFacts, _) = await loadLagFacts(s, lags: snap.allGroupLags(), broker: snap.metadata.brokers.map(\.id).min(),
                                               timeout: global.timeout)
        let result = DurabilityAudit.run(snap, policy: policyValue, options: AuditOptions(includeInternal: includeInternal),
                                         lagFacts: lagFacts)
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, AuditJSON(policy: policyName, topics_checked: result.topicsChecked, groups_checked: result.groupsChecked,
                                   errors: result.errorCount, warnings: result.warningCount,
                                   findings: result.findings.map(FindingJSON.init), notes: result.notes,
                                   complete: result.isComplete, incomplete: result.incomplete))
        case .table:
            var o = "Audit against \(policyName): \(result.summary)\n"
            for n in result.notes { o += "note: \(Sanitizer.terminal(n))\n" }
            for n in result.incomplete { o += "incomplete: \(Sanitizer.terminal(n))\n" }
            if result.findings.isEmpty {
                o += result.isComplete ? "No findings.\n" : "No findings in what could be checked; the rest is unknown.\n"
            } else {
                o += findingsTable(result.findings)
            }
            emit(o)
        }
        if !result.isComplete {
            warn("the audit is incomplete (\(result.incomplete.count) part\(result.incomplete.count == 1 ? "" : "s") could not be read): exit 1; raise --timeout or check the cluster")
        }
        if result.fails { throw ExitCode(1) }
    }
}

func partitionList(_ ps: [Int32]) -> String { ps.isEmpty ? "-" : ps.map(String.init).joined(separator: ",") }

struct LintClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint-client",
        abstract: "Report the data-loss risks in a producer or consumer .properties file.",
        discussion: "Exit code 1 when an error-level risk is found.")

    @OptionGroup var out: OutputOptions
    @Argument(help: "A Java .properties file (producer or consumer configuration).") var file: String
    @Option(name: .long, help: "producer, consumer or auto (from the keys).") var kind: String = "auto"

    struct LintJSON: Encodable {
        struct F: Encodable {
            let rule: String, key: String, current: String, severity: String, reason: String, fix: String
            @NullEncoded var line: Int?
        }
        struct P: Encodable { let line: Int; let message: String }
        let file: String
        let producer_checked: Bool
        let consumer_checked: Bool
        let findings: [F]
        let parse_problems: [P]
    }

    func run() async throws {
        guard let k = ClientKind(rawValue: kind) else {
            throw UsageError("--kind must be producer, consumer or auto, got '\(kind)'")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw UsageError("cannot read \(file)")
        }
        let r = ClientLint.lint(properties: text, kind: k)
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, LintJSON(file: file, producer_checked: r.producerChecked, consumer_checked: r.consumerChecked,
                                  findings: r.findings.map { .init(rule: $0.rule, key: $0.key, current: $0.current,
                                                                    severity: $0.severity.rawValue, reason: $0.reason, fix: $0.fix, line: $0.line) },
                                  parse_problems: r.parseProblems.map { .init(line: $0.line, message: $0.message) }))
        case .table:
            var o = "\(file): checked as " + [r.producerChecked ? "producer" : nil, r.consumerChecked ? "consumer" : nil]
                .compactMap { $0 }.joined(separator: " and ") + "\n"
            for p in r.parseProblems { o += "line \(p.line): \(Sanitizer.terminal(p.message))\n" }
            if r.findings.isEmpty {
                o += "No data-loss risks found.\n"
            } else {
                for f in r.findings.sorted(by: { $0.severity > $1.severity }) {
                    o += "\(f.severity.rawValue.uppercased()) \(f.key) = \(Sanitizer.terminal(f.current))"
                        + (f.line.map { " (line \($0))" } ?? "") + "\n    why: \(f.reason)\n    fix: \(f.fix)\n"
                }
            }
            emit(o)
        }
        if r.hasErrors { throw ExitCode(1) }
    }
}
