import Foundation
import KafkaOpsCore

/// A replay run ended (complete, failed or stopped); the audit record is written.
public struct DLQReplayFinished: Sendable {
    var result: ReplayRun
    var auditPath: String
    /// The warning when the outcome could not be written to the audit log.
    var unrecorded: String? = nil
}

/// Replays DLQ records from the console (`p` in the DLQ browser): a preview (how many records go to which
/// topics and partitions, with which keys; a target topic field, empty for each record's original topic),
/// a confirmation (typing the DLQ topic's name on a protected profile), then the replay in a job with the
/// CLI's loop (`ReplayRunner`: acks=all, idempotent, rate-limited, counted from delivery reports), its
/// progress, and the result: what was written (exact DLQ offsets), what failed and why, `r` to retry those.
/// The audit log is opened before anything is sent; nothing is deleted from the DLQ.
public struct DLQReplayPanel: FlowPanel {
    public enum Stage: Sendable, Hashable { case preview, confirm, running, done }
    /// What a replay run sends back, with the run's ticket (a retry is a new run).
    public enum Event: Sendable {
        /// Progress of a running replay (after every batch).
        case progressed(JobTicket, ReplayProgress)
        case finished(JobTicket, DLQReplayFinished)
        /// The replay was refused before anything was sent (the audit log could not be opened).
        case refused(JobTicket, String)
    }

    public var dlq: String
    public let entries: [DLQEntry]
    public let fromMarks: Bool
    public var target = TextField("", maxLength: 249)
    /// The DLQ topic's name typed on a protected profile.
    public var confirmation: NameConfirmation
    public private(set) var stage: Stage = .preview
    public private(set) var plan: ReplayPlan
    /// The progress of the replay (nil before it starts); kept across retries so a written record is never sent again.
    public private(set) var progress: ReplayProgress?
    public private(set) var stoppedBy: String?
    public private(set) var auditPath: String?
    public private(set) var refused: String?
    public private(set) var retrying = false
    /// Where the target partitions ended when the first run started: a retry reads them from there and skips
    /// every record already written (nil before the first run).
    public private(set) var checkpoint: ReplayCheckpoint?
    private var runs = JobTickets()
    private var stopping = false
    /// Raised by s/Esc: the running replay stops after the current batch's delivery reports.
    private var stop = StopFlag()
    private let now: Date

    public var title: String { "Replay" }
    public var changeInFlight: String? { stage == .running ? "a replay is running (s stops it after the current batch)" : nil }

    public init(dlq: String, entries: [DLQEntry], fromMarks: Bool, _ ctx: PanelContext) {
        self.dlq = dlq; self.entries = entries; self.fromMarks = fromMarks; now = ctx.now
        confirmation = Self.nameConfirmation(dlq)
        plan = Self.plan(entries, target: "", now: ctx.now, mapping: ctx.operations.dlqHeaders)
    }

    static func nameConfirmation(_ dlq: String) -> NameConfirmation {
        NameConfirmation(name: dlq, refusal: "type the DLQ topic name '\(Fmt.safe(dlq))' to confirm (protected profile)")
    }

    static func plan(_ entries: [DLQEntry], target: String, now: Date, mapping: DLQHeaderMapping) -> ReplayPlan {
        let t = target.trimmingCharacters(in: .whitespaces)
        return ReplayPlanner.plan(records: entries.map(\.record), contexts: entries.map(\.context),
                                  target: t.isEmpty ? .original : .topic(t), options: ReplayOptions(mapping: mapping), now: now)
    }

    var targetName: String? {
        let t = target.text.trimmingCharacters(in: .whitespaces)
        return t.isEmpty ? nil : t
    }

    /// Destination topics that the last snapshot does not know (replay never creates topics).
    func missingTopics(_ ctx: PanelContext) -> [String] {
        guard let snap = ctx.snapshot else { return [] }
        let known = Set(snap.metadata.topics.map(\.name))
        return Set(plan.items.map(\.record.topic)).subtracting(known).sorted()
    }

    /// Why the replay cannot start now, or nil.
    func blocker(_ ctx: PanelContext) -> String? {
        if ctx.readOnly { return "read-only connection: records cannot be replayed" }
        if plan.items.isEmpty { return "nothing to replay: no record can go anywhere (name a target topic)" }
        let missing = missingTopics(ctx)
        if !missing.isEmpty {
            return "target topic(s) do not exist: \(missing.map(Fmt.safe).joined(separator: ", ")) (replay never creates topics)"
        }
        return nil
    }

    public enum Action: Sendable { case proceed, back, replay, stop, retry, close }

    /// The target topic field has the keys in the preview; the DLQ name field in a protected confirmation.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        stage == .preview || (stage == .confirm && ctx.operations.protected)
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        let back = FlowBinding<Action>([.escape], .back, "back (nothing is sent)", short: "back")
        switch stage {
        case .preview:
            return FlowKeys([.note("type", "target topic", help: "type the target topic (empty: each record's original topic)"),
                             FlowBinding([.enter], .proceed, "continue to the confirmation (nothing is sent yet)", short: "continue"),
                             back], readOnly: ctx.readOnly)
        case .confirm:
            let replay = ctx.operations.protected
                ? FlowBinding<Action>([.enter], .replay, "replay the records (after typing the DLQ topic name)", short: "replay",
                                      destructive: true)
                : FlowBinding<Action>([.char("y"), .enter], .replay, "replay the records", short: "replay", destructive: true)
            return FlowKeys((ctx.operations.protected ? [.note("type", "DLQ name", help: "type the DLQ topic's name to confirm")] : [])
                            + [replay, back], readOnly: ctx.readOnly)
        case .running:
            return FlowKeys([FlowBinding([.char("s"), .escape], .stop, "stop after this batch (what was written stays written)",
                                         short: "stop after this batch")], readOnly: ctx.readOnly)
        case .done:
            let rest = progress?.report.remaining.count ?? 0
            let retry = rest > 0 ? [FlowBinding<Action>([.char("r")], .retry, "retry the \(rest) record(s) not written", short: "retry \(rest)",
                                                        destructive: true)] : []
            return FlowKeys(retry + [FlowBinding([.escape, .enter, .char("q")], .close, "close", short: "close", label: "Esc")],
                            readOnly: ctx.readOnly)
        }
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.proceed):
            if let why = blocker(ctx) { return .error(why) }
            confirmation = Self.nameConfirmation(dlq)
            retrying = false
            stage = .confirm
        case .action(.back):
            if stage == .preview { return .closed }
            stage = progress == nil ? .preview : .done
        case .action(.replay):
            if ctx.operations.protected, let why = confirmation.refusalIfWrong { return .error(why) }
            return start(ctx)
        case .action(.stop):
            guard !stopping else { return .none }
            // Not a cancel: the batch in flight gets its delivery reports, then the outcome is written.
            stopping = true
            stop.raise()
            return PanelOutcome(status: StatusMessage(text: "stopping after the current batch…", isError: false))
        case .action(.retry):
            confirmation = Self.nameConfirmation(dlq)
            retrying = true
            stage = .confirm
        case .action(.close):
            return .closed
        case .readOnly:
            return .error("read-only connection: records cannot be replayed")
        case .unbound:
            switch stage {
            case .preview:
                guard target.edit(key) else { return .none }
                plan = Self.plan(entries, target: target.text, now: now, mapping: ctx.operations.dlqHeaders)
            case .confirm where ctx.operations.protected:
                confirmation.edit(key)
            default: break
            }
        }
        return .none
    }

    /// Starts the replay job: the audit log is opened first (a failure refuses, nothing is sent); then the
    /// target is checked (`ReplayRunner.prepare`: on a retry, records already written are skipped) and the
    /// started record written before the first record is sent.
    mutating func start(_ ctx: PanelContext) -> PanelOutcome {
        if let why = blocker(ctx) { return .error(why) }
        let run = runs.next()
        stage = .running
        stopping = false
        stop = StopFlag()
        stoppedBy = nil
        refused = nil
        let start = progress ?? ReplayProgress(plan: plan)
        progress = start
        let includeFailed = retrying
        let (dlq, plan, target, since, stop) = (self.dlq, self.plan, targetName, checkpoint, self.stop)
        let job = Job("replay", sending: Event.self) { jc in
            let recorder: any ChangeLog
            do { recorder = try jc.operations.openChangeLog() } catch {
                await jc.send(.refused(run, "the audit log cannot be written: \(Fmt.safe(String(describing: error))); nothing was sent"))
                return
            }
            let prepared: ReplayStart
            do {
                prepared = try await ReplayRunner.prepare(start, includeFailed: includeFailed, since: since,
                                                          client: jc.client, timeout: jc.timeout)
            } catch {
                await jc.send(.refused(run, "cannot check the target before sending: \(Fmt.safe(String(describing: error))); nothing was sent"))
                return
            }
            let change: LoggedChange
            do {
                change = try ReplayRunner.auditStarted(recorder, dlq: dlq, start: prepared, target: target)
            } catch {
                await jc.send(.refused(run, "the audit log cannot be written: \(Fmt.safe(String(describing: error))); nothing was sent"))
                return
            }
            let result = await ReplayRunner.run(prepared, client: jc.client,
                                                rate: jc.operations.replayRate, timeout: jc.timeout,
                                                shouldStop: { stop.isRaised || jc.exiting.isRaised },
                                                onBatch: { p in await jc.send(.progressed(run, p)) })
            let unrecorded = ReplayRunner.audit(change, plan: plan, run: result, target: target)
            await jc.send(.finished(run, DLQReplayFinished(result: result, auditPath: change.recorder.path, unrecorded: unrecorded)))
        }
        return PanelOutcome(jobs: [job])
    }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .dlqReplay(let event) = event else { return .none }
        switch event {
        case .progressed(let run, let p):
            guard runs.isCurrent(run), stage == .running else { return .none }
            progress = p
        case .finished(let run, let f):
            guard runs.isCurrent(run) else { return .none }
            progress = f.result.progress
            stoppedBy = f.result.stoppedBy
            auditPath = f.auditPath
            if checkpoint == nil { checkpoint = f.result.checkpoint }
            stage = .done
            let rep = f.result.progress.report
            let text = "replay " + (rep.isComplete ? "done: " : "incomplete: ") + rep.summary
                + (f.unrecorded.map { "; " + Fmt.safe($0) } ?? "")
            return PanelOutcome(status: StatusMessage(text: text, isError: !rep.isComplete || f.unrecorded != nil), reload: true)
        case .refused(let run, let reason):
            guard runs.isCurrent(run) else { return .none }
            refused = reason
            stage = progress?.report.written.isEmpty == false ? .done : .preview
            if stage == .preview { progress = nil }
            return .error(Fmt.safe(reason))
        }
        return .none
    }

    // MARK: drawing

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        var y = area.y
        let bottom = area.y + area.height
        let w = area.width - 2
        func line(_ text: String, _ role: Role = .body, x: Int = 1) {
            guard y < bottom else { return }
            g.put(text, x: x, y: y, maxWidth: w - (x - 1), role: role)
            y += 1
        }
        let what = fromMarks ? "marked" : "selected"
        line("Replay \(entries.count) \(what) record(s) from \(Fmt.safe(dlq))", .title)
        switch stage {
        case .preview, .confirm:
            var x = g.put("Target topic: ", x: 1, y: y, role: .body) + 1
            target.draw(&g, x: x, y: y, width: min(30, w - x), focused: stage == .preview)
            x += min(30, w - x) + 1
            if targetName == nil { g.put("(empty: each record's original topic)", x: x, y: y, maxWidth: max(0, w - x), role: .muted) }
            y += 1
            previewLines(ctx, line: line)
            if stage == .confirm {
                y = max(y, bottom - 3)
                let n = retrying ? (progress?.report.remaining.count ?? 0) : plan.items.count
                line((retrying ? "Retry \(n) record(s) not written yet?" : "Replay \(n) record(s)?")
                     + " acks=all, idempotent; nothing is deleted from the DLQ.", .warning)
                if ctx.operations.protected {
                    let lead = g.put("Protected profile: type the DLQ topic name to confirm: ", x: 1, y: y, role: .warning)
                    confirmation.draw(&g, x: 1 + lead, y: y, width: max(4, min(40, w - lead)))
                    y += 1
                } else {
                    line("Press y or Enter to replay, Esc to go back.", .warning)
                }
            } else if let why = blocker(ctx) {
                y = max(y, bottom - 1)
                line(why, .critical)
            } else {
                y = max(y, bottom - 1)
                line("Enter: continue to the confirmation", .muted)
            }
        case .running, .done:
            resultLines(line: line)
        }
    }

    func previewLines(_ ctx: PanelContext, line: (String, Role, Int) -> Void) {
        let p = plan.preview
        line("To replay: \(p.total)   not replayable: \(p.notReplayable)", p.total > 0 ? .body : .warning, 1)
        line(columns("TO TOPIC", "PARTITION", "RECORDS"), .tableHeader, 1)
        for d in p.destinations.prefix(5) {
            line(columns(Fmt.safe(d.topic), d.partition.map(String.init) ?? "by key", String(d.count)), .body, 1)
        }
        if p.destinations.count > 5 { line("… \(p.destinations.count - 5) more destination(s)", .muted, 1) }
        if !p.keysSample.isEmpty { line("Keys: " + p.keysSample.map(Fmt.safe).joined(separator: ", "), .body, 1) }
        for skip in plan.notReplayable.prefix(2) {
            line("not replayable: \(skip.source.partition):\(skip.source.offset) \(Fmt.safe(skip.reason))", .warning, 1)
        }
        let rate = ctx.operations.replayRate.flatMap { $0 > 0 ? $0 : nil }.map { "\(Int($0)) records/s" } ?? "no limit"
        line("Error headers dropped; kafkaops.replay.source and kafkaops.replay.time added", .muted, 1)
        line("Timestamps: kept (original)  ·  rate: \(rate)  ·  acks=all, idempotent", .muted, 1)
    }

    /// "TOPIC (30 columns)  PARTITION  RECORDS" with the numbers right-aligned.
    func columns(_ topic: String, _ partition: String, _ count: String) -> String {
        let shown = DisplayWidth.of(topic) > 30 ? String(topic.prefix(29)) + "…" : topic
        func right(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        return shown + String(repeating: " ", count: max(0, 30 - DisplayWidth.of(shown))) + " " + right(partition, 9) + " " + right(count, 8)
    }

    func resultLines(line: (String, Role, Int) -> Void) {
        guard let progress else { return }
        let rep = progress.report
        let total = progress.items.count
        if stage == .running {
            line("Replaying to " + (targetName.map(Fmt.safe) ?? "the original topics") + "…", .body, 1)
            line("written \(rep.written.count) of \(total)   failed \(rep.failed.count)", .body, 1)
            let width = 40
            let done = total == 0 ? 0 : rep.written.count * width / total
            line("[" + String(repeating: "#", count: done) + String(repeating: ".", count: width - done) + "] "
                 + "\(total == 0 ? 0 : rep.written.count * 100 / total)%", .healthy, 1)
            line(stopping ? "stopping after the current batch…" : "s or Esc stops after the current batch (what was written stays written)", .muted, 1)
            return
        }
        line((rep.isComplete ? "Replay complete: " : "Replay incomplete: ") + rep.summary, rep.isComplete ? .healthy : .critical, 1)
        if let s = stoppedBy { line("Stopped: " + Fmt.safe(s), .warning, 1) }
        line("Written (DLQ offsets): " + (rep.writtenRanges.isEmpty ? "none" : rep.writtenRanges.map(Fmt.safe).joined(separator: "; ")), .body, 1)
        for f in rep.failed.prefix(6) {
            line("failed \(f.source.partition):\(f.source.offset): \(Fmt.safe(f.reason))", .critical, 1)
        }
        if rep.failed.count > 6 { line("… \(rep.failed.count - 6) more failure(s)", .critical, 1) }
        if !rep.alreadyWritten.isEmpty {
            line("Skipped as already written: " + ReplayOffsetRange.compress(rep.alreadyWritten.map(\.source)).map(Fmt.safe).joined(separator: "; "), .body, 1)
        }
        if !rep.unknown.isEmpty {
            line(ReplayReport.unknownLabel + ": " + ReplayOffsetRange.compress(rep.unknown.map(\.source)).map(Fmt.safe).joined(separator: "; "), .warning, 1)
        }
        if !rep.pending.isEmpty {
            line("Not sent: " + ReplayOffsetRange.compress(rep.pending).map(Fmt.safe).joined(separator: "; "), .warning, 1)
        }
        if !rep.isComplete { line("r retries the \(rep.remaining.count) record(s) not written (the target is checked first: written ones are never sent again)", .muted, 1) }
        if let a = auditPath { line("Audit log: " + Fmt.safe(a), .muted, 1) }
        line("Nothing was deleted from the DLQ.", .muted, 1)
    }
}
