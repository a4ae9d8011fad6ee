import ArgumentParser
import Foundation
import KafkaOpsCore
import KafkaOpsFiles

extension DLQ {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send DLQ records back to their original topic (or --to TOPIC), acks=all and idempotent.",
            discussion: """
            Dry run by default: prints how many records go to which topics and partitions. --execute produces them \
            with the key, value, timestamp and headers (minus the error headers, plus kafkaops.replay.source and \
            kafkaops.replay.time). A record counts as replayed only when its delivery report says so. Nothing is \
            deleted from the DLQ. If the run stops early, the report names exactly which DLQ offsets were written and \
            prints the command that replays the rest: it carries --since-offsets (where the target partitions ended \
            when the first run started), and before sending anything it reads the target from there and skips every \
            record already written, so a record is never written twice, even when the outcome of some was unknown \
            (a broker that stopped answering). A plain rerun of the same replay (same DLQ and target) reads the target \
            from where the earlier runs in the audit log started and skips what they wrote. A second replay of the \
            same DLQ and target while one runs on this machine, or while an earlier one has no outcome in the audit \
            log (killed), is refused, naming it (and, for a killed one, the command that resumes it). Stopped by \
            --limit, the report says how many DLQ records were not read and prints the command for them. Ctrl-C, \
            SIGHUP and SIGTERM stop the replay after the current batch's delivery reports (a wait for --rate wakes at \
            once); the outcome is recorded and reported.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "The dead-letter topic.", completion: Completions.topics) var topic: String
        @Option(name: .long, help: "Replay to this topic instead of each record's original topic.") var to: String?
        @Option(name: .long, help: "Only records whose error class is this (full or short name).") var filterError: String?
        @Option(name: .long, help: "Only these DLQ offsets: P:N-M[,P:N-M...] (P:N one offset, P:N- to the end).") var offsets: String?
        @Option(name: .long, help: "Read at most this many DLQ records.") var limit: Int = 10_000
        @Option(name: .long, help: "Records per second (default: the profile's replay_rate, else no limit).") var rate: Double?
        @Option(name: .long, help: "Timestamp of replayed records: keep (the original's) or now.") var timestamp: String = "keep"
        @Flag(name: .long, help: "Only print the plan (the default).") var dryRun = false
        @Flag(name: .long, help: "Produce the records.") var execute = false
        @Option(name: .long, help: "The DLQ topic name again, required on a protected profile.") var confirm: String?
        @Option(name: .long, help: "Resume: TOPIC/PARTITION=OFFSET[,...], where the target partitions ended when the first run started; records already there are skipped (the printed resume command carries it).")
        var sinceOffsets: String?

        func validate() throws {
            if dryRun && execute { throw ValidationError("--dry-run and --execute cannot be used together") }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            if let rate, let problem = SettingRange.replayRate.problem("--rate", rate) { throw ValidationError(problem) }
            guard ReplayTimestampPolicy(rawValue: timestamp) != nil else { throw ValidationError("--timestamp must be keep or now") }
            if let offsets { do { _ = try ReplayOffsetRange.parse(offsets) } catch { throw ValidationError("\(error)") } }
            if let sinceOffsets { do { _ = try ReplayCheckpoint.parse(sinceOffsets) } catch { throw ValidationError("\(error)") } }
        }

        struct ReplayJSON: Encodable {
            struct Dest: Encodable { let topic: String; let partition: Int32?; let count: Int }
            struct Skip: Encodable { let source: String; let reason: String }
            let dlq: String
            let executed: Bool
            let records_read: Int
            let to_replay: Int
            let destinations: [Dest]
            let keys_sample: [String]
            let not_replayable: [Skip]
            @NullEncoded var written: Int?
            @NullEncoded var written_offsets: [String]?
            /// Where each record landed: "0:12 → orders/3@1042" (DLQ partition:offset → topic/partition@offset).
            @NullEncoded var landed: [String]?
            /// Values that are not valid JSON while most others are (likely to fail again).
            @NullEncoded var non_json_values: [String]?
            @NullEncoded var failed: [Skip]?
            @NullEncoded var not_sent: [String]?
            /// Sent without an answer: may be in the target; the resume command checks before sending.
            @NullEncoded var unknown: [String]?
            @NullEncoded var skipped_already_written: [String]?
            @NullEncoded var target_offsets_at_start: String?
            @NullEncoded var retry_command: String?
            /// DLQ records past --limit (not read, not replayed), and the command that replays them.
            @NullEncoded var not_read: Int?
            @NullEncoded var rest_command: String?
        }

        func run() async throws {
            let s = try Session.open(global)
            let r = s.resolved
            // Read-only refuses before anything is read or sent.
            if execute { try requireWritable(r, action: "replay records from \(topic)") }
            let d = Deadline.after(.seconds(max(global.timeout, 60)))
            // One metadata read: the DLQ's partitions and, below, that every target exists.
            let md = try await s.client.metadata(deadline: s.deadline)
            var records: [Record] = []
            var rest: LimitRest?
            if let offsets {
                _ = try dlqPartitions(md, topic: topic)
                for range in try ReplayOffsetRange.parse(offsets) {
                    records += try await s.client.readRecords(range.readRequest(topic: topic, maxRecords: limit), deadline: d)
                }
            } else {
                records = try await readDLQ(s, topic: topic, partition: nil, start: .earliest, limit: limit, deadline: d, metadata: md)
                if records.count >= limit { rest = try await limitRest(s, read: records, metadata: md) }
            }
            let mapping = r.profile.dlqHeaders ?? .none
            var contexts = records.map { DLQContext.decode(record: $0, mapping: mapping) }
            if let f = filterError {
                let keep = contexts.map { c in
                    c.errorClass == f || c.shortErrorClass == f || (c.errorClass?.hasSuffix("." + f) ?? false)
                }
                records = zip(records, keep).filter(\.1).map(\.0)
                contexts = zip(contexts, keep).filter(\.1).map(\.0)
            }
            let target: ReplayTarget = to.map { .topic($0) } ?? .original
            let plan = ReplayPlanner.plan(records: records, contexts: contexts, target: target,
                                          options: ReplayOptions(timestamp: ReplayTimestampPolicy(rawValue: timestamp) ?? .keepOriginal,
                                                                 mapping: mapping))
            // Every destination must exist: replay never creates topics.
            let existing = Set(md.topics.map(\.name))
            let missing = Set(plan.items.map(\.record.topic)).subtracting(existing)
            if !missing.isEmpty {
                throw ClusterError(.unknownTopic, "replay target topic(s) do not exist: \(missing.sorted().joined(separator: ", "))",
                                   hint: "create them first, or choose one with --to")
            }
            guard execute else {
                try report(plan: plan, read: records.count, executed: false, progress: nil, stoppedBy: nil, rest: rest)
                return
            }
            // Before sending: values that are not JSON among JSON values probably failed for that.
            if let odd = plan.nonJSONWarning { warn("warning: " + Sanitizer.terminal(odd)) }
            let rate = self.rate ?? r.profile.replayRate.flatMap { $0 > 0 ? $0 : nil }
            let since = try sinceOffsets.map { s throws -> ReplayCheckpoint in
                do { return try ReplayCheckpoint.parse(s) } catch { throw ValidationError("\(error)") }
            }
            // One replay of this DLQ to this target at a time on this machine: held until the end of the command.
            let lock = try acquireReplayLock(r, dlq: topic, destination: to)
            defer { lock.release() }
            // Earlier runs of this replay in the audit log: one without an outcome refuses (unless this run reads
            // the target from where it started); finished ones say where a plain rerun reads the target from.
            // A log that cannot be read back (not a regular file) is said; its writing is checked by the pipeline.
            let history: ChangeHistory
            do { history = try s.changeHistory() } catch {
                warn("warning: \(error): earlier runs of this replay cannot be looked for")
                history = ChangeHistory([])
            }
            let resume: ReplayResume
            do {
                resume = try ReplayResume.decide(history, profile: r.name, dlq: topic, destination: to, given: since,
                                                 resumeCommand: { command(offsets: $0.offsetItems, checkpoint: $0.checkpoint) })
            } catch { throw ClusterError(.changedSincePlan, String(describing: error)) }
            for note in resume.notes { warn(note) }
            // Before anything is sent: where the targets end now and, on a resume or rerun, what is already there.
            let start: ReplayStart
            do {
                start = try await ReplayRunner.prepare(ReplayProgress(plan: plan), since: resume.since, client: s.client, timeout: s.timeout)
            } catch {
                let e = error as? ClusterError ?? ClusterError(.broker, "\(error)")
                throw ClusterError(e.kind, "cannot check the replay target before sending: \(e.message); nothing was sent", hint: e.hint)
            }
            if !start.skipped.isEmpty { warn("skipped \(start.skipped.count) record(s) already written to the target by an earlier run") }
            // From here on, Ctrl-C, SIGHUP and SIGTERM stop the replay between batches, and the outcome is written.
            let interrupted = InterruptFlag()
            let total = plan.items.count
            var change = ReplayChange(dlq: topic, plan: plan, start: start, destination: to, rate: rate,
                                      stopReason: { interrupted.isSet ? "interrupted by \(interrupted.signalName ?? "a signal")" : nil },
                                      onBatch: { p in warn("replayed \(p.report.written.count) of \(total)") })
            change.acknowledged = resume.acknowledged.map(\.entry)
            change.notRead = rest?.count ?? 0
            try await s.run(change, confirm: confirm, interrupted: interrupted) { done in
                let run = done.outcome, rep = run.progress.report
                try report(plan: plan, read: records.count, executed: true, progress: rep, stoppedBy: run.stoppedBy,
                           checkpoint: run.checkpoint, rest: rest)
                if !rep.isComplete && !interrupted.isSet { throw ExitCode(1) }
            }
        }

        /// The command that replays the rest, runnable as printed: the same connection options, the DLQ
        /// offsets left, and where the target partitions ended when the first run started (so it skips what
        /// an unknown outcome did write).
        func retryCommand(_ rep: ReplayReport, checkpoint: ReplayCheckpoint) -> String? {
            command(offsets: rep.remainingOffsetItems, checkpoint: checkpoint)
        }

        /// The replay command for `items`, runnable as printed (the same connection options and target).
        func command(offsets items: [String], checkpoint: ReplayCheckpoint?, filter: Bool = false) -> String? {
            var extra: [String] = []
            if filter, let filterError { extra += ["--filter-error", filterError] }
            if timestamp != "keep" { extra += ["--timestamp", timestamp] }
            return ReplayResume.command(dlq: topic, connectionArguments: global.connectionArguments, offsets: items,
                                        checkpoint: checkpoint, destination: to, extra: extra)
        }

        /// What --limit left unread: how many DLQ records, and the `--offsets` items that start where the read stopped.
        struct LimitRest { var count: Int; var items: [String] }

        func limitRest(_ s: Session, read: [Record], metadata md: ClusterMetadata) async throws -> LimitRest? {
            let partitions = try dlqPartitions(md, topic: topic)
            let logs = try await s.client.logOffsets(partitions.map { TopicPartition(topic, $0) }, deadline: s.deadline)
            var next: [Int32: Int64] = [:]
            for r in read { next[r.partition] = max(next[r.partition] ?? 0, r.offset + 1) }
            var count: Int64 = 0
            var items: [String] = []
            for p in partitions {
                guard let log = logs[TopicPartition(topic, p)] else { continue }
                let from = max(next[p] ?? log.start, log.start)
                guard from < log.end else { continue }
                count += log.end - from
                items.append("\(p):\(from)-")
            }
            return count > 0 ? LimitRest(count: Int(count), items: items) : nil
        }

        func report(plan: ReplayPlan, read: Int, executed: Bool, progress: ReplayReport?, stoppedBy: String?,
                    checkpoint: ReplayCheckpoint = ReplayCheckpoint(), rest: LimitRest? = nil) throws {
            let retry = progress.flatMap { retryCommand($0, checkpoint: checkpoint) }
            let restCommand = rest.flatMap { command(offsets: $0.items, checkpoint: executed ? checkpoint : nil, filter: true) }
            func tpo(_ s: TopicPartitionOffset) -> String { "\(s.topic)/\(s.partition)/\(s.offset)" }
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, ReplayJSON(
                    dlq: topic, executed: executed, records_read: read, to_replay: plan.items.count,
                    destinations: plan.preview.destinations.map { .init(topic: $0.topic, partition: $0.partition, count: $0.count) },
                    keys_sample: plan.preview.keysSample,
                    not_replayable: plan.notReplayable.map { .init(source: "\($0.source.topic)/\($0.source.partition)/\($0.source.offset)", reason: $0.reason) },
                    written: progress?.written.count, written_offsets: progress?.writtenRanges, landed: progress?.landings,
                    non_json_values: plan.nonJSONOutliers.isEmpty ? nil : plan.nonJSONOutliers.map(tpo),
                    failed: progress?.failed.map { .init(source: "\($0.source.topic)/\($0.source.partition)/\($0.source.offset)", reason: $0.reason) },
                    not_sent: progress?.pending.map(tpo), unknown: progress?.unknown.map { tpo($0.source) },
                    skipped_already_written: progress?.alreadyWritten.map { tpo($0.source) },
                    target_offsets_at_start: progress == nil ? nil : checkpoint.argument, retry_command: retry,
                    not_read: rest?.count, rest_command: restCommand))
            case .table:
                var o = "\(Sanitizer.terminal(topic)): \(read) record(s) read, \(plan.items.count) to replay"
                    + (plan.notReplayable.isEmpty ? "" : ", \(plan.notReplayable.count) not replayable") + "\n"
                var t = TextTable([("TO TOPIC", .left), ("PARTITION", .right), ("RECORDS", .right)])
                for dst in plan.preview.destinations { t.add([dst.topic, dst.partition.map(String.init) ?? "by key", String(dst.count)]) }
                if !plan.preview.destinations.isEmpty { o += t.render() }
                if !plan.preview.keysSample.isEmpty { o += "Keys: " + plan.preview.keysSample.map(Sanitizer.terminal).joined(separator: ", ") + "\n" }
                if let odd = plan.nonJSONWarning { o += "warning: " + Sanitizer.terminal(odd) + "\n" }
                for skip in plan.notReplayable.prefix(20) {
                    o += "not replayable: \(skip.source.topic)/\(skip.source.partition)/\(skip.source.offset): \(Sanitizer.terminal(skip.reason))\n"
                }
                if let p = progress {
                    o += "Result: \(p.summary)\n"
                    if !p.writtenRanges.isEmpty { o += "Written (DLQ offsets): " + p.writtenRanges.joined(separator: "; ") + "\n" }
                    if !p.landings.isEmpty {
                        o += "Landed (DLQ partition:offset → topic/partition@offset):\n"
                        for l in p.landings { o += "  " + Sanitizer.terminal(l) + "\n" }
                    }
                    if !p.alreadyWritten.isEmpty {
                        o += "Skipped as already written (DLQ offsets): " + ReplayOffsetRange.compress(p.alreadyWritten.map(\.source)).joined(separator: "; ") + "\n"
                    }
                    if !p.unknown.isEmpty {
                        o += "\(ReplayReport.unknownLabel): " + ReplayOffsetRange.compress(p.unknown.map(\.source)).joined(separator: "; ") + "\n"
                    }
                    for f in p.failed.prefix(50) {
                        o += "failed: \(f.source.topic)/\(f.source.partition)/\(f.source.offset): \(Sanitizer.terminal(f.reason))\n"
                    }
                    if let stoppedBy { o += "Stopped early: \(Sanitizer.terminal(stoppedBy))\n" }
                    if let retry { o += "Replay the rest with: \(retry)\n" }
                }
                if let rest, let restCommand {
                    o += "Not read (past --limit \(limit)): \(rest.count) DLQ record(s); replay them with: \(restCommand)\n"
                }
                o += progress == nil ? "Dry run: nothing was produced. Add --execute to replay.\n" : "Nothing was deleted from the DLQ.\n"
                emit(o)
            }
        }
    }
}

/// The lock of a replay (cluster, DLQ, target) for its run, the CLI's and the console's: held by another
/// process, the replay is refused with one line naming it (pid, since when, what), nothing sent.
func acquireReplayLock(_ r: ResolvedProfile, dlq: String, destination: String?,
                       environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> RunLock {
    guard let dir = XDGPaths.stateDirectory(env)
            ?? ChangeLogReader.path(configured: r.profile.auditLog, environment: env).map({ ($0 as NSString).deletingLastPathComponent })
    else { throw UsageError("no state directory for the replay lock: set HOME or XDG_STATE_HOME") }
    let label = ReplayResume.targetLabel(destination)
    let cluster = r.settings?.bootstrapServers ?? "demo"
    let result = Result { () throws(RunLock.Refusal) -> RunLock in
        try RunLock.acquire(directory: dir + "/locks", key: ReplayResume.lockKey(cluster: cluster, dlq: dlq, destination: destination),
                            holder: "kafkaops dlq replay \(dlq) to \(label) on \(cluster)")
    }
    switch result {
    case .success(let lock): return lock
    case .failure(.held(let h)):
        throw ClusterError(.changedSincePlan, "refused: another replay of \(Sanitizer.terminal(dlq)) to \(Sanitizer.terminal(label)) is running on this machine (\(h.holder)); nothing was sent")
    case .failure(.failed(let f)):
        throw ClusterError(.configuration, "refused: \(f.description); nothing was sent")
    }
}
