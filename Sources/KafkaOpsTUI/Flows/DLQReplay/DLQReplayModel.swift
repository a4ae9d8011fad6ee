import Foundation
import KafkaOpsCore

/// Replays DLQ records from the console (`p` in the DLQ browser): a preview (how many records go to which
/// topics and partitions, with which keys; a target topic field, empty for each record's original topic),
/// a confirmation (typing the DLQ topic's name on a protected profile), then the replay in a job with the
/// CLI's loop (`ReplayRunner`: acks=all, idempotent, rate-limited, counted from delivery reports), its
/// progress, and the result: what was written (exact DLQ offsets), what failed and why, `r` to retry those.
/// The audit log is opened before anything is sent; nothing is deleted from the DLQ.
public struct DLQReplayPanel: FlowPanel {
    public enum Stage: Sendable, Hashable { case preview, confirm, running, done }

    public var dlq: String
    public let entries: [DLQEntry]
    public let fromMarks: Bool
    public var target = TextField("", maxLength: 249)
    /// The DLQ topic's name typed on a protected profile.
    public var confirmation: NameConfirmation
    public internal(set) var stage: Stage = .preview
    public internal(set) var plan: ReplayPlan
    /// The progress of the replay (nil before it starts); kept across retries so a written record is never sent again.
    public internal(set) var progress: ReplayProgress?
    public internal(set) var stoppedBy: String?
    public internal(set) var auditPath: String?
    public internal(set) var refused: String?
    public internal(set) var retrying = false
    /// Where the target partitions ended when the first run started: a retry reads them from there and skips
    /// every record already written (nil before the first run).
    public internal(set) var checkpoint: ReplayCheckpoint?
    var runs = JobTickets()
    var stopping = false
    /// Raised by s/Esc: the running replay stops after the current batch's delivery reports.
    var stop = StopFlag()
    let now: Date

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
}
