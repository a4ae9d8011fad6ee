import ArgumentParser
import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// `kafkaops probe` (issue 16): writes numbered records with acks=all to every partition of a
/// probe topic while reading them back, and says what was acknowledged, refused, lost,
/// duplicated or reordered, with latencies per partition and per leader broker.
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove the write path: produce with acks=all to a probe topic, read back, report loss and latency.",
        discussion: """
        Writes to every partition of the probe topic (default kafkaops-probe) with acks=all and \
        idempotence while a reader assigned to the same partitions (no group, nothing committed) \
        reads them back. Exit 0 when every acknowledged record came back once and in order and no \
        write was refused; 1 when anything was lost, duplicated, out of order, refused or unanswered, \
        or on a cluster error; 2 on a usage error. When the topic does not exist it offers to create \
        it (one partition per broker, the policy's replication factor and min.insync.replicas) \
        through the same checked, audited creation as `topic create`; --create does it without asking. \
        Every run is a change in the audit log (probe.run: started, then its outcome). The probe writes \
        only into a topic that holds nothing but probe records (the first and last 500 of each \
        partition are read); --allow-non-probe-topic writes into another. On a protected profile \
        --confirm TOPIC is required.
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @Option(name: .long, help: "Probe topic (default kafkaops-probe).") var topic: String = ProbeTopic.defaultName
    @Option(name: .long, help: "Records per partition (default: as many as --duration allows).") var records: Int?
    @Option(name: .long, help: ArgumentHelp("Stop sending after this long (10s, 5m, PT10S; default 10s).", valueName: "duration"))
    var duration: String = "10s"
    @Option(name: .long, parsing: .unconditional, help: "Records per second in all (default: no limit).") var rate: Double?
    @Flag(name: .long, help: "Create the probe topic without asking when it does not exist.") var create = false
    @Option(name: .long, help: "Policy file (YAML) for the probe topic's creation; default: the profile's or the built-in one.")
    var policy: String?
    @Option(name: .long, help: "The topic name again, required on a protected profile (to create it and to write to it).")
    var confirm: String?
    @Flag(name: .long, help: "Write even into a topic that holds records other than probe records (a business topic).")
    var allowNonProbeTopic = false
    @Flag(name: .long, help: "Kept for old scripts: every run is recorded in the audit log (probe.run).") var record = false

    func validate() throws {
        if let records, records < 1 { throw ValidationError("--records must be at least 1") }
        if let rate, let problem = SettingRange.probeRate.problem("--rate", rate) { throw ValidationError(problem) }
        _ = try durationValue()
    }

    func durationValue() throws -> Duration {
        do {
            let ms = try OffsetTime.parseShortDuration(duration)
            if let problem = SettingRange.sampleDuration.problem("--duration", milliseconds: ms) { throw ValidationError(problem) }
            return .milliseconds(ms)
        } catch let e as OffsetTimeError {
            throw ValidationError("--duration: \(e.message)")
        }
    }

    func run() async throws {
        let s = try Session.open(global)
        let r = s.resolved
        // Every probe record is a write: a read-only connection refuses the run before anything is sent.
        try requireWritable(r, action: "write probe records to \(topic)")
        let runFor = try durationValue()
        // The run is bounded by its duration, one batch's timeout, reading back and closing.
        Watchdog.arm(seconds: Double(runFor.components.seconds) + 3 * global.timeout + 10)

        var md = try await s.client.metadata(deadline: s.deadline)
        if !md.topics.contains(where: { $0.name == topic }) {
            try await createTopic(s, metadata: md)
            // A new topic's partitions get their leaders a moment after the creation is answered.
            let ready = await ReadBack.retrying(budget: s.timeout) { deadline -> ClusterMetadata in
                let m = try await s.client.metadata(deadline: deadline)
                guard let t = m.topics.first(where: { $0.name == topic }), !t.partitions.isEmpty,
                      t.partitions.allSatisfy({ $0.leader != nil }) else {
                    throw ClusterError(.unknownTopic, "the probe topic has no leaders yet")
                }
                return m
            }
            if case .success(let m) = ready { md = m }
        }
        guard let info = md.topics.first(where: { $0.name == topic }), !info.partitions.isEmpty else {
            throw ClusterError(.unknownTopic, "topic '\(topic)' does not exist or has no partitions yet",
                               hint: "wait a moment and run the probe again")
        }
        let (partitions, leaders) = ProbeTopic.partitions(of: info)
        let plan = ProbePlan(topic: topic, partitions: partitions, leaders: leaders, recordsPerPartition: records,
                             duration: runFor, rate: rate, timeout: s.timeout)
        let planRecord: JSONValue = .object([
            "run_id": .string(plan.runID), "partitions": .array(partitions.map { .int(Int64($0)) }),
            "records_per_partition": records.map { .int(Int64($0)) } ?? .null, "rate": rate.map(JSONValue.double) ?? .null,
            "duration_ms": .int(Int64(runFor / .milliseconds(1)))])
        let interrupted = InterruptFlag()
        let change = ProbeRun(topic: topic, plan: planRecord, allowNonProbeTopic: allowNonProbeTopic) { [topic] client, timeout in
            let tps = partitions.map { TopicPartition(topic, $0) }
            let start = try await client.endOffsets(tps, deadline: .after(timeout))
            let session = try await ClientProbeSession.open(client, start: start, deadline: .after(timeout))
            var frozen = plan
            frozen.startOffsets = Dictionary(uniqueKeysWithValues: start.map { ($0.key.partition, $0.value) })
            warn("probing \(Sanitizer.terminal(topic)): \(partitions.count) partition(s), run \(plan.runID)")
            let run = Task { [frozen] in
                await ProbeRunner.run(session, plan: frozen) { p in
                    warn("sent \(p.sent), acknowledged \(p.acknowledged), failed \(p.failed), received \(p.received)")
                }
            }
            // A stop signal ends the sending (the records in flight get their answers); the outcome is recorded.
            let watch = Task {
                while !Task.isCancelled {
                    if interrupted.isSet { run.cancel(); return }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            let report = await run.value
            watch.cancel()
            await session.close()
            var totals = ProbeRunTotals()
            totals.add(report)
            return totals
        }
        try await s.run(change, confirm: confirm, interrupted: interrupted) { done in
            guard let report = done.outcome.last else { throw ExitCode(1) }
            switch out.output {
            case .json, .yaml: try emitStructured(out.output, report)
            case .table: emit(Self.table(report))
            }
            for p in report.problems { warn("probe: " + p) }
            if !report.passed { throw ExitCode(1) }
        }
    }

    /// The probe topic is missing: create it through the checked, audited creation when asked to
    /// (--create, or yes at the prompt on a terminal); otherwise say how.
    private func createTopic(_ s: Session, metadata md: ClusterMetadata) async throws {
        let (policyValue, policyName) = try PolicyLoader.load(option: policy, profile: s.resolved.profile)
        let planned = ProbeTopic.planned(name: topic, liveBrokers: md.liveBrokerCount, policy: policyValue)
        let what = "\(planned.partitions) partition(s), replication factor \(planned.replicationFactor), "
            + "min.insync.replicas \(planned.configs["min.insync.replicas"] ?? "-")"
        if !create {
            guard isatty(0) == 1, isatty(2) == 1 else {
                throw ClusterError(.unknownTopic, "the probe topic '\(topic)' does not exist",
                                   hint: "run again with --create to create it (\(what)), or name one with --topic")
            }
            FileHandle.standardError.write(Data("The probe topic \(Sanitizer.terminal(topic)) does not exist. Create it (\(what))? [y/N] ".utf8))
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                throw ClusterError(.unknownTopic, "the probe topic '\(topic)' does not exist; nothing was created")
            }
        }
        var brokerConfigs: [ConfigEntry] = []
        if let b = md.controllerID ?? md.brokers.first?.id {
            brokerConfigs = (try? await s.client.brokerConfigs(b, deadline: s.deadline)) ?? []
        }
        let findings = TopicCreation.findings(planned, brokerConfigs: brokerConfigs, existingTopics: md.topics.map(\.name),
                                              liveBrokers: md.liveBrokerCount, policy: policyValue)
        let change = CreateTopic(planned, findings: findings, policyName: policyName)
        if let refusal = change.policyRefusal(allowOverride: false) {
            if out.output == .table { emit(findingsTable(findings)) }
            throw ClusterError(.policyViolation, "refused to create the probe topic '\(topic)': \(refusal)",
                               hint: "create a topic that passes the policy with `kafkaops topic create` and pass it with --topic")
        }
        try await s.run(change, confirm: confirm) { done in
            guard done.outcome.isAnswered, done.outcome.isApplied != false else {
                throw ClusterError(.broker, done.outcome.line("the creation of topic \(topic)", lost: nil))
            }
            warn("created the probe topic \(Sanitizer.terminal(topic)) (\(what))")
        }
    }

    static func table(_ r: ProbeReport) -> String {
        func ms(_ v: Double?) -> String { v.map { String(format: "%.1f", $0) } ?? "-" }
        func lat(_ l: LatencySummary) -> String { "\(ms(l.p50))/\(ms(l.p99))/\(ms(l.max))" }
        var t = TextTable([("PARTITION", .right), ("LEADER", .right), ("SENT", .right), ("ACKED", .right), ("FAILED", .right),
                           ("RECEIVED", .right), ("LOST", .right), ("DUP", .right), ("ORDER", .right),
                           ("ACK MS p50/p99/max", .left), ("E2E MS p50/p99/max", .left), ("ERRORS", .left)])
        for p in r.partitions {
            t.add([String(p.partition), p.leader.map(String.init) ?? "none", String(p.sent), String(p.acknowledged),
                   String(p.failed), String(p.received), String(p.lost), String(p.duplicated), String(p.outOfOrder),
                   lat(p.ackMs), lat(p.e2eMs),
                   p.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")])
        }
        var b = TextTable([("BROKER", .right), ("PARTITIONS", .left), ("ACK MS p50/p99/max", .left), ("E2E MS p50/p99/max", .left)])
        for x in r.brokers {
            b.add([String(x.broker), x.partitions.map(String.init).joined(separator: ","), lat(x.ackMs), lat(x.e2eMs)])
        }
        let verdict = r.passed ? "every acknowledged record came back, once, in order"
            : r.problems.joined(separator: "; ")
        return "Probe of \(Sanitizer.terminal(r.topic)) (run \(r.runID)): sent \(r.sent), acknowledged \(r.acknowledged), "
            + "failed \(r.failed), received \(r.received), lost \(r.lost), duplicated \(r.duplicated)\n"
            + t.render() + "\n" + b.render() + "Verdict: \(verdict)\n"
    }
}

extension Probe: TimedCommand { var timeoutSeconds: Double { global.timeout } }
