import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard (`R` on a group, `:reset GROUP`): Kafka's `--reset-offsets`, step by step.
///
/// Loading (the group's state, members, commits and the partitions, as the CLI reads them) → Scope
/// (nothing picked: every partition the group committed; or topics and partitions picked from two
/// lists) → Target (one of Kafka's scenarios; the date-time and duration fields resolve live) → Plan
/// (current, new, delta per partition, skips and re-reads highlighted) → Confirm (an extra `y` for a
/// plan that skips records; the group name on a protected profile) → Result (per partition, the undo
/// file and the command that undoes the reset). Esc goes back one step; nothing is sent to the
/// cluster before the final confirmation, and an active group is refused as soon as it is loaded.
public struct ResetWizardPanel: FlowPanel {
    public enum Step: Sendable, Hashable {
        case loading, loadFailed, refused, scope, target, planning, plan, confirm, executing, result
    }

    public var title: String { "Reset offsets › " + Fmt.safe(group) }
    public var changeInFlight: String? { step == .executing ? "the offsets are being reset" : nil }

    public var group: String
    public internal(set) var step: Step = .loading
    /// What went wrong while loading or planning, or why the group is refused (already sanitised lines).
    public internal(set) var problem: [String] = []
    public internal(set) var inputs: ResetInputs?

    // Scope.
    struct TopicChoice: Sendable, Hashable {
        var name: String
        var partitions: [Int32]
        var committed: Int
    }

    var topics: [TopicChoice] = []
    /// Picked partitions by topic; nothing picked means every partition the group committed.
    public internal(set) var picked: [String: Set<Int32>] = [:]
    var topicList = ListNavigation()
    var partitionList = ListNavigation()
    var partitionsFocused = false

    // Target.
    public enum TargetKind: Int, CaseIterable, Sendable, Hashable {
        case toEarliest, toLatest, toCurrent, toOffset, shiftBy, toDatetime, byDuration

        var label: String {
            ["to-earliest", "to-latest", "to-current", "to-offset", "shift-by", "to-datetime", "by-duration"][rawValue]
        }
        var hint: String {
            ["the log start of each partition", "the log end of each partition",
             "keep the committed offset (none: the log end)", "clamped to the log",
             "from the commit; -N goes back", "UTC unless Z, +01:00; or -1h",
             "back from now: 30m, PT1H, P1DT2H"][rawValue]
        }
        var hasField: Bool { rawValue >= TargetKind.toOffset.rawValue }
        var isTime: Bool { self == .toDatetime || self == .byDuration }
    }

    public internal(set) var targetKind: TargetKind = .toEarliest
    public internal(set) var fields: [TargetKind: TextField] = [:]
    /// The chosen target's field has the keys (entered with Enter or Tab; Esc or Tab leave it).
    public internal(set) var editingField = false
    /// The live resolution of the date-time or duration field.
    var preview: Preview?
    /// The live resolution asked for last.
    var resolutions = JobTickets()

    struct Preview: Sendable {
        var ticket: JobTicket
        var kind: TargetKind
        var pending: Bool
        var error: String?
        var summary: String = ""
        var lines: [(text: String, role: Role)] = []
    }

    // Plan and confirmation.
    public internal(set) var plan: ResetPlan?
    /// The plan asked for last (Esc while planning makes it stale).
    var plans = JobTickets()
    /// The plan's rows, built once per plan (never per frame).
    var planTable: Table?
    public internal(set) var skipAccepted = false
    /// The group's name typed on a protected profile.
    public internal(set) var confirmation: NameConfirmation

    // Result.
    public enum Outcome: Sendable, Hashable {
        /// Refused before anything was sent (the audit log or the undo file could not be opened).
        case refused(String)
        /// The commit failed as a whole (after the undo file was written).
        case failed(String, undoPath: String, auditPath: String)
        /// Done; `unrecorded`: the warning when the outcome record could not be written.
        case done(ResetExecution, auditPath: String, unrecorded: String?)
    }

    public internal(set) var outcome: Outcome?
    /// The command that undoes the reset, exactly as it can be run (see `ResetOperation.undoCommand`).
    public internal(set) var undoCommand: String?
    /// The first column of the undo command shown (←/→ on the result: the command stays on one line).
    public internal(set) var undoScroll = 0
    var resultTable: Table?
    /// Planned as soon as the group is loaded (and found inactive): `u` on the result (the offsets to go back
    /// to), or `s` on the record a group is stuck on (shift-by 1 on that partition).
    var planOnLoad: ResetTarget?

    public static func open(group: String, _ ctx: PanelContext) -> (ResetWizardPanel, PanelOutcome) {
        var p = ResetWizardPanel(group: group)
        // Prefilled time targets: an hour back, to the minute.
        let hourAgo = (OffsetTime.milliseconds(ctx.now) / 60_000 - 60) * 60_000
        p.fields = [.toOffset: TextField("", maxLength: 20), .shiftBy: TextField("", maxLength: 21),
                    .toDatetime: TextField(String(ISO8601.string(milliseconds: hourAgo).dropLast()), maxLength: 40),
                    .byDuration: TextField("PT1H", maxLength: 40)]
        return (p, PanelOutcome(jobs: [loadJob(group)]))
    }

    /// The wizard for skipping the record `group` is stuck on (`s` in the record view opened at a committed
    /// offset): that partition alone, `target` (shift-by 1; to-offset past a record that is not at the commit)
    /// planned once the group is loaded; preview, confirmation and undo as for any reset (Esc goes back to
    /// the target and the scope).
    public static func openSkipping(group: String, partition: TopicPartition, target: ResetTarget,
                                    _ ctx: PanelContext) -> (ResetWizardPanel, PanelOutcome) {
        var (p, o) = open(group: group, ctx)
        p.picked = [partition.topic: [partition.partition]]
        switch target {
        case .toOffset(let n):
            p.targetKind = .toOffset
            p.fields[.toOffset] = TextField(String(n), maxLength: 20)
        default:
            p.targetKind = .shiftBy
            p.fields[.shiftBy] = TextField("1", maxLength: 21)
        }
        p.planOnLoad = target
        return (p, o)
    }

    init(group: String) {
        self.group = group
        confirmation = Self.nameConfirmation(group)
    }

    static func nameConfirmation(_ group: String) -> NameConfirmation {
        NameConfirmation(name: group, refusal: "protected profile: type the group name exactly (\(Fmt.safe(group))) to confirm")
    }


    /// The scope the picks stand for.
    public var scope: ResetScope {
        if picked.isEmpty { return .allTopics }
        return .topics(picked.keys.sorted().compactMap { t in
            guard let set = picked[t], !set.isEmpty else { return nil }
            let all = inputs?.topology.partitions[t] ?? []
            return set.count == all.count ? TopicScope(t) : TopicScope(t, partitions: set.sorted())
        })
    }

    var pickedCount: Int { picked.values.reduce(0) { $0 + $1.count } }

    var scopeSummary: String {
        if picked.isEmpty {
            let n = inputs?.committed.count ?? 0
            return "all \(n) partition\(n == 1 ? "" : "s") the group committed"
        }
        let n = pickedCount
        return "\(n) picked partition\(n == 1 ? "" : "s") on \(picked.count) topic\(picked.count == 1 ? "" : "s")"
    }

    mutating func buildTopics(_ inputs: ResetInputs) {
        var committedBy: [String: Int] = [:]
        for tp in inputs.committed.keys { committedBy[tp.topic, default: 0] += 1 }
        topics = inputs.topology.partitions.compactMap { name, parts in
            let c = committedBy[name] ?? 0
            if c == 0 && (name.hasPrefix("__") || name.hasPrefix("_confluent")) { return nil }
            return TopicChoice(name: name, partitions: parts, committed: c)
        }
        // The group's own topics first.
        topics.sort { ($0.committed > 0 ? 0 : 1, $0.name) < ($1.committed > 0 ? 0 : 1, $1.name) }
    }

    var currentTopic: TopicChoice? { topics.indices.contains(topicList.position) ? topics[topicList.position] : nil }


    /// The target the fields describe, or why they do not.
    func target(_ kind: TargetKind? = nil) -> Result<ResetTarget, Failure> {
        let kind = kind ?? targetKind
        let text = (fields[kind]?.text ?? "").trimmingCharacters(in: .whitespaces)
        switch kind {
        case .toEarliest: return .success(.toEarliest)
        case .toLatest: return .success(.toLatest)
        case .toCurrent: return .success(.toCurrent)
        case .toOffset:
            guard let n = Int64(text), n >= 0 else {
                return .failure(Failure(message: text.isEmpty ? "type an offset" : "'\(Fmt.safe(text))' is not an offset (a whole number >= 0)"))
            }
            return .success(.toOffset(n))
        case .shiftBy:
            guard let n = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
                return .failure(Failure(message: text.isEmpty ? "type a number, negative to go back" : "'\(Fmt.safe(text))' is not a whole number"))
            }
            return .success(.shiftBy(n))
        case .toDatetime:
            do { return .success(try ResetTarget.datetime(text)) } catch { return .failure(Failure(message: error.description)) }
        case .byDuration:
            do { return .success(try ResetTarget.duration(text)) } catch { return .failure(Failure(message: error.description)) }
        }
    }


    var needsSkipAcceptance: Bool { (plan?.recordsSkipped ?? 0) > 0 && !skipAccepted }
}
