import ArgumentParser
import Foundation
import KafkaOpsCore
import KafkaOpsFiles

struct ResetOffsets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-offsets",
        abstract: "Reset a consumer group's committed offsets, as kafka-consumer-groups.sh --reset-offsets does, but safer.",
        discussion: """
        Dry run by default: prints current, new and delta per partition with the records skipped and re-read.
        --execute first writes the current offsets to an undo file (same CSV as --export; a partition without a commit \
        is `topic,partition,` and its undo deletes the commit), then commits, reads the offsets back and reports per \
        partition; it prints the command that undoes the reset. A commit whose answer is lost (timed out after it was \
        sent) has an unknown outcome: the offsets are read back and each partition is reported applied, not applied \
        or unknown (exit 1). --undo-file and --export create a new file: an existing path is refused.
        Only an inactive group (Empty, Dead, or not existing yet) can be reset. A reset that skips more records than \
        the profile's reset_skip_threshold (default 0) also needs --allow-skip.
        --to-datetime and --by-duration take the same forms: a date-time yyyy-MM-ddTHH:mm[:ss[.SSS]] with an optional \
        zone (Z, +hh, +hhmm, +hh:mm; without a zone it is UTC), or a relative time, now minus a duration: -1h, 30m, PT1H, P1DT2H.
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions

    @Option(name: .long, help: "The consumer group.", completion: Completions.groups) var group: String
    @Flag(name: .long, help: "Every partition the group has committed offsets for.") var allTopics = false
    @Option(name: .customLong("topic"), help: "Topic, or topic:0,2,5 for some partitions (repeatable).", completion: Completions.topics) var topics: [String] = []

    @Flag(name: .long, help: "Reset to the log start.") var toEarliest = false
    @Flag(name: .long, help: "Reset to the log end.") var toLatest = false
    @Flag(name: .long, help: "Keep the committed offset (a partition without one gets the log end).") var toCurrent = false
    @Option(name: .long, parsing: .unconditional, help: "Reset to this offset (clamped to the log).") var toOffset: Int64?
    @Option(name: .long, parsing: .unconditional, help: "Move by N from the committed offset (negative: back, e.g. --shift-by -100).") var shiftBy: Int64?
    @Option(name: .long, parsing: .unconditional, help: "Earliest offset at or after this time (2026-11-30T19:32, Kafka's 2026-11-30T19:32:00.000, +01:00; UTC when no zone; -1h: an hour ago).") var toDatetime: String?
    @Option(name: .long, parsing: .unconditional, help: "Earliest offset at or after now minus this duration (30m, 1h, PT30M, P1DT2H).") var byDuration: String?
    @Option(name: .customLong("from-file"), help: "CSV topic,partition,offset (or group,topic,partition,offset); an empty offset deletes the commit.") var fromFileArgument: String?

    @Flag(name: .long, help: "Only print the plan (the default).") var dryRun = false
    @Flag(name: .long, help: "Apply the plan.") var execute = false
    @Option(name: .customLong("export"), help: "Write the plan as CSV (for --from-file) to this new file, or - for stdout.") var exportArgument: String?
    @Option(name: .customLong("undo-file"), help: "The new file --execute writes the undo file to (default: under $XDG_STATE_HOME/kafkaops/undo/).") var undoFileArgument: String?
    @Flag(name: .long, help: "Allow a reset that skips records (moves forward) past the profile's threshold.") var allowSkip = false
    @Option(name: .long, help: "The group id again, required on a protected profile.") var confirm: String?

    var fromFile: String? { fromFileArgument.map(expandingTilde) }
    var export: String? { exportArgument.map { $0 == "-" ? $0 : expandingTilde($0) } }
    var undoFile: String? { undoFileArgument.map(expandingTilde) }

    func validate() throws {
        do { _ = try ResetMode.from(dryRun: dryRun, execute: execute) } catch { throw ValidationError(error.description) }
        if allTopics && !topics.isEmpty { throw ValidationError("--all-topics and --topic cannot be used together") }
        let n = [toEarliest, toLatest, toCurrent, toOffset != nil, shiftBy != nil, toDatetime != nil, byDuration != nil, fromFile != nil]
            .filter { $0 }.count
        if n == 0 { throw ValidationError(ResetError.noTarget.description) }
        if n > 1 { throw ValidationError("Only one reset scenario may be given (--to-earliest, --to-latest, --to-current, --to-offset, --shift-by, --to-datetime, --by-duration, --from-file)") }
        if fromFile == nil && !allTopics && topics.isEmpty { throw ValidationError(ResetError.scopeRequired.description) }
    }

    func target() throws -> ResetTarget {
        do {
            if toEarliest { return .toEarliest }
            if toLatest { return .toLatest }
            if toCurrent { return .toCurrent }
            if let o = toOffset { return .toOffset(o) }
            if let s = shiftBy { return .shiftBy(s) }
            if let d = toDatetime { return try ResetTarget.datetime(d) }
            if let d = byDuration { return try ResetTarget.duration(d) }
            if let f = fromFile {
                let text: String
                do { text = try String(contentsOfFile: f, encoding: .utf8) } catch {
                    throw UsageError("cannot read \(Sanitizer.terminal(f)): \(FileErrors.reason(error))")
                }
                return .fromFile(try ResetCSV.entries(text, group: group))
            }
        } catch let e as ResetError {
            throw UsageError((fromFile.map { "\($0): " } ?? "") + e.description)
        }
        throw UsageError(ResetError.noTarget.description)
    }

    func scope() throws -> ResetScope? {
        if allTopics { return .allTopics }
        if topics.isEmpty { return nil }
        do { return try ResetScope.parseTopicArguments(topics) } catch { throw UsageError(error.description) }
    }

    struct RowJSON: Encodable {
        let topic: String
        let partition: Int32
        @NullEncoded var current_offset: Int64?
        @NullEncoded var new_offset: Int64?
        @NullEncoded var delta: Int64?
        let log_start_offset: Int64
        let log_end_offset: Int64
        let records_skipped: Int64
        let records_reread: Int64
        let notes: [String]
        @NullEncoded var result: String?
    }
    struct PlanJSON: Encodable {
        let group: String
        let target: String
        let executed: Bool
        let partitions: [RowJSON]
        let records_skipped: Int64
        let records_reread: Int64
        let partitions_changed: Int
        let partitions_without_commit: Int
        @NullEncoded var undo_file: String?
        /// ok, partial, or unknown (an answer was lost); null for a dry run.
        @NullEncoded var outcome: String?
        @NullEncoded var undo_command: String?
    }

    func run() async throws {
        let target = try target()
        let scope = try scope()
        let s = try Session.open(global)
        let r = s.resolved
        if execute { try requireWritable(r, action: "reset the offsets of group \(group)") }
        let c = s.client, d = s.deadline

        // A group that does not exist yet (state nil) can be reset: Kafka creates it with the commit.
        let inputs = try await ResetInputs.load(group: group, client: c, deadline: d, secondSampleAfter: ResetInputs.assignCommitterPause)
        do {
            try inputs.checkInactive()
        } catch {
            throw ClusterError(.groupNotEmpty, ResetPreflight.refusalText(error).joined(separator: "\n"))
        }
        if inputs.state == nil { warn("warning: no such group \(Sanitizer.terminal(group)); a new group will be created") }

        let plan: ResetPlan
        do {
            plan = try await ResetOperation.plan(inputs, scope: scope, target: target, client: c, deadline: s.deadline)
        } catch let e as ResetError {
            switch e {
            case .unknownTopics, .unknownPartitions: throw ClusterError(.unknownPartition, e.description)
            case .partitionsWithoutLeader, .missingLogOffsets, .missingTimeLookup: throw ClusterError(.broker, e.description)
            default: throw UsageError(e.description)
            }
        }
        if let export {
            // On a terminal: topic names are sanitised (raw ESC, U+202E); the file keeps them exact for --from-file.
            if export == "-" { emit(Sanitizer.multiline(plan.csv())) } else {
                do throws(ExclusiveFile.Failure) { try ExclusiveFile.create(export, contents: plan.csv()) } catch {
                    throw UsageError("cannot write the plan to \(Sanitizer.terminal(export)): \(Sanitizer.terminal(error.reason))"
                                     + (execute ? "; nothing was changed" : ""))
                }
                warn("plan exported to \(export)")
            }
            if export == "-" && !execute { return }
        }
        // With the preview and the report: how long the group was watched for an assign() committer.
        func sayWatched() {
            if let w = inputs.watched {
                warn("no commit seen while watching the group's offsets for \(w.components.seconds) s "
                     + "(a consumer using assign() that commits less often is not seen)")
            }
        }
        guard execute else {
            sayWatched()
            try report(plan, executed: false, execution: nil)
            return
        }
        guard let undo = undoFile ?? ResetUndo.defaultPath(group: group, environment: ProcessInfo.processInfo.environment) else {
            throw UsageError("no place for the undo file: give --undo-file or set HOME; nothing was changed")
        }
        let change = ResetOffsetsChange(plan: plan, undoPath: undo, skipThreshold: r.profile.resetSkipThreshold ?? 0)
        if let refusal = change.policyRefusal(allowOverride: allowSkip) {
            try report(plan, executed: false, execution: nil)
            throw UsageError("refused: " + refusal)
        }
        try await s.run(change, confirm: confirm, allowOverride: allowSkip, prepare: {
            do throws(ResetUndoFile.Failure) { try ResetUndoFile.create(plan, at: undo) } catch { throw UsageError(error.description) }
        }) { done in
            let execution = done.outcome
            let undoCommand = ResetOperation.undoCommand(plan, undoPath: undo, connection: global.connectionArguments,
                                                         protected: r.profile.protected)
            warn("undo file: \(undo) (restore with: \(undoCommand))")
            sayWatched()
            try report(plan, executed: true, execution: (execution, undoCommand))
            if let line = execution.lostAnswerLine {
                warn(line)
                throw ExitCode(1)
            }
            if !execution.allInPlace { throw ExitCode(1) }
        }
    }

    func report(_ plan: ResetPlan, executed: Bool, execution: (ResetExecution, String)?) throws {
        let results = execution.map { e in Dictionary(uniqueKeysWithValues: e.0.rows.map { ($0.partition, $0.text) }) }
        let undo = execution?.0.undoPath
        let outcome = execution.map { e in e.0.lostAnswer != nil ? "unknown" : (e.0.allInPlace ? "ok" : "partial") }
        let rows = plan.rows.map { row in
            RowJSON(topic: row.topic, partition: row.partition, current_offset: row.current, new_offset: row.new, delta: row.delta,
                    log_start_offset: row.logStart, log_end_offset: row.logEnd, records_skipped: row.recordsSkipped,
                    records_reread: row.recordsReread, notes: row.messages, result: results?[row.topicPartition])
        }
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, PlanJSON(group: plan.group, target: plan.target.summary, executed: executed, partitions: rows,
                                  records_skipped: plan.recordsSkipped, records_reread: plan.recordsReread,
                                  partitions_changed: plan.partitionsChanged, partitions_without_commit: plan.partitionsWithoutCommit,
                                  undo_file: undo, outcome: outcome, undo_command: execution?.1))
        case .table:
            var cols: [(String, TextTable.Align)] = [("TOPIC", .left), ("PARTITION", .right), ("CURRENT-OFFSET", .right),
                                                     ("NEW-OFFSET", .right), ("DELTA", .right), ("SKIPPED/RE-READ", .right),
                                                     ("LOG-START", .right), ("LOG-END", .right)]
            if results != nil { cols.append(("RESULT", .left)) }
            cols.append(("NOTE", .left))
            var t = TextTable(cols)
            for (row, j) in zip(plan.rows, rows) {
                // DELTA is the offset move; SKIPPED/RE-READ adds up to the totals (the note says where they differ).
                let delta = row.delta.map { $0 > 0 ? "+\($0)" : String($0) } ?? "-"
                var cells = [row.topic, String(row.partition), fmt(row.current), fmt(row.new), delta, row.skippedOrRereadText,
                             String(row.logStart), String(row.logEnd)]
                if let r = j.result { cells.append(r) }
                cells.append(row.noteTexts.joined(separator: "; "))
                t.add(cells)
            }
            var o = "Group \(Sanitizer.terminal(plan.group)), \(plan.target.summary)\(execute ? "" : " (dry run)"):\n" + t.render()
            o += plan.summaryLine + "\n"
            if plan.recordsSkipped > 0 { o += "WARNING: \(plan.recordsSkipped) records will be SKIPPED (never processed by this group).\n" }
            for m in plan.messages where !m.hasPrefix("no committed") { o += "note: \(m)\n" }
            if !executed { o += execute ? "Nothing was changed.\n" : "Dry run: nothing was changed. Add --execute to apply.\n" }
            if let e = execution?.0, let line = e.lostAnswerLine { o += line.prefix(1).uppercased() + line.dropFirst() + "\n" }
            if let undo { o += "Undo file: \(undo)\n" }
            if let cmd = execution?.1 { o += "Undo with: \(cmd)\n" }
            emit(o)
        }
    }
}

extension ResetOffsets: TimedCommand { var timeoutSeconds: Double { global.timeout } }
