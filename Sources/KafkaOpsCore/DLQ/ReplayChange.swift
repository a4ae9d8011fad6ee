import Foundation

/// A replay run as a change (`ChangePipeline`): the records this run sends (after the target was
/// checked for records an earlier run wrote), the same for the CLI and the console. Its started record
/// ("dlq.replay.started") names the DLQ offsets this run will send, so a run that never reaches its end
/// (the process killed) still left a trace; it also records where the target partitions ended when the
/// replay's first run started (`target_offsets_at_start`: where a resume looks for records already
/// written) and what the check skipped.
public struct ReplayChange: ClusterChange {
    public var dlq: String
    public var plan: ReplayPlan
    public var start: ReplayStart
    /// The `--to` topic; nil: the records' original topics.
    public var destination: String?
    /// Records per second (nil: unlimited).
    public var rate: Double?
    /// Why the run must end between batches ("interrupted by SIGTERM", a stop key); nil: go on.
    public var stopReason: @Sendable () -> String?
    /// Sees the progress after every batch.
    public var onBatch: @Sendable (ReplayProgress) async -> Void
    /// Earlier runs of this replay with no outcome that this run reads the target past (`ReplayResume`):
    /// they do not refuse it. Any other refuses it (`incompleteRefusal`).
    public var acknowledged: [ChangeHistory.Entry] = []
    /// DLQ records past the read's --limit, not part of this run (recorded, reported with the command for them).
    public var notRead = 0

    public init(dlq: String, plan: ReplayPlan, start: ReplayStart, destination: String?, rate: Double?,
                stopReason: @escaping @Sendable () -> String? = { nil },
                onBatch: @escaping @Sendable (ReplayProgress) async -> Void = { _ in }) {
        self.dlq = dlq; self.plan = plan; self.start = start; self.destination = destination; self.rate = rate
        self.stopReason = stopReason; self.onBatch = onBatch
    }

    public var action: ChangeAction { .replayDLQ }
    public var target: String { dlq }
    public var summary: String { "replay records from \(dlq)" }
    public var recordBefore: JSONValue { Self.startedBefore(start) }
    public var recordAfter: JSONValue { .null }
    public var recordDetails: JSONValue {
        guard case .object(var d) = Self.startedDetails(start, destination: destination) else { return .null }
        if notRead > 0 { d["dlq_records_not_read"] = .int(Int64(notRead)) }
        return .object(d)
    }

    /// An earlier run of this replay (same DLQ and target) with no outcome refuses a run that does not read
    /// the target from where that run started (it might write again what that run wrote).
    public func incompleteRefusal(_ earlier: [ChangeHistory.Entry]) -> String? {
        let label = ReplayResume.targetLabel(destination)
        let same = earlier.filter { e in
            guard case .object(let d)? = e.started?.details else { return false }
            return d["target"] == .string(label) && !acknowledged.contains(e)
        }
        return same.first.map { "refused: \($0.incompleteDescription); it may have written some of them; nothing was sent" }
    }

    static func startedBefore(_ start: ReplayStart) -> JSONValue { .object(["dlq_offsets": offsetsJSON(start.toSend)]) }

    static func startedDetails(_ start: ReplayStart, destination: String?) -> JSONValue {
        .object(["records": .int(Int64(start.toSend.count)),
                 "target": .string(destination ?? "original topics"),
                 "target_offsets_at_start": start.checkpoint.json,
                 "skipped_already_written": .int(Int64(start.skipped.count)),
                 "skipped_offsets": offsetsJSON(start.skipped)])
    }

    /// Runs the loop (`ReplayRunner.run`); never throws: a failed delivery ends the run and is in its outcome.
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<ReplayRun> {
        let stopReason = self.stopReason
        var run = await ReplayRunner.run(start, client: client, rate: rate, timeout: timeout,
                                         shouldStop: { stopReason() != nil }, onBatch: onBatch)
        if run.stoppedBy == "interrupted", let why = stopReason() { run.stoppedBy = why }
        var done = Self.outcome(run, plan: plan, destination: destination)
        if notRead > 0, case .object(var d) = done.details {
            d["dlq_records_not_read"] = .int(Int64(notRead))
            done.details = .object(d)
        }
        return done
    }

    /// How the change log records a run: this run's part (what it tried to send, what its check skipped).
    static func outcome(_ run: ReplayRun, plan: ReplayPlan, destination: String?) -> ChangeExecution<ReplayRun> {
        let all = run.progress.report
        let attempted = Set(run.attempted)
        let skipped = Set(run.skipped)
        // This run's part: what it tried to send, and what its check skipped.
        let rep = ReplayReport(written: all.written.filter { attempted.contains($0.source) },
                               failed: all.failed.filter { attempted.contains($0.source) },
                               pending: all.pending.filter { attempted.contains($0) },
                               alreadyWritten: all.alreadyWritten.filter { skipped.contains($0.source) },
                               unknown: all.unknown.filter { attempted.contains($0.source) })
        return ChangeExecution(
            run, result: rep.isComplete ? "ok" : "partial: " + rep.summary,
            details: .object(["written": .int(Int64(rep.written.count)), "failed": .int(Int64(rep.failed.count)),
                              "not_sent": .int(Int64(rep.pending.count)),
                              "unknown": .int(Int64(rep.unknown.count)),
                              "skipped_already_written": .int(Int64(rep.alreadyWritten.count)),
                              "written_offsets": offsetsJSON(rep.written.map(\.source)),
                              "unknown_offsets": offsetsJSON(rep.unknown.map(\.source)),
                              "stopped_by": run.stoppedBy.map(JSONValue.string) ?? .null,
                              "target_offsets_at_start": run.checkpoint.json,
                              "target": .string(destination ?? "original topics")]),
            before: .object(["dlq_offsets": offsetsJSON(run.attempted)]),
            after: .object(["destinations": .array(plan.preview.destinations.map {
                .string("\($0.topic)\($0.partition.map { "/\($0)" } ?? ""): \($0.count)")
            })]))
    }

    static func offsetsJSON(_ sources: [TopicPartitionOffset]) -> JSONValue {
        .array(ReplayOffsetRange.compress(sources).map(JSONValue.string))
    }
}
