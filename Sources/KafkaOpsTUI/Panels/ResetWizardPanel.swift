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
    public private(set) var step: Step = .loading
    /// What went wrong while loading or planning, or why the group is refused (already sanitised lines).
    public private(set) var problem: [String] = []
    public private(set) var inputs: ResetInputs?

    // Scope.
    struct TopicChoice: Sendable, Hashable {
        var name: String
        var partitions: [Int32]
        var committed: Int
    }
    var topics: [TopicChoice] = []
    /// Picked partitions by topic; nothing picked means every partition the group committed.
    public private(set) var picked: [String: Set<Int32>] = [:]
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
             "from the commit; -N goes back", "UTC unless a zone is given",
             "back from now: PT30M, P1DT2H"][rawValue]
        }
        var hasField: Bool { rawValue >= TargetKind.toOffset.rawValue }
        var isTime: Bool { self == .toDatetime || self == .byDuration }
    }
    public private(set) var targetKind: TargetKind = .toEarliest
    public private(set) var fields: [TargetKind: TextField] = [:]
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
    public private(set) var plan: ResetPlan?
    /// The plan asked for last (Esc while planning makes it stale).
    var plans = JobTickets()
    /// The plan's rows, built once per plan (never per frame).
    var planTable: Table?
    public private(set) var skipAccepted = false
    /// The group's name typed on a protected profile.
    public private(set) var confirmation: NameConfirmation

    // Result.
    public enum Outcome: Sendable, Hashable {
        /// Refused before anything was sent (the audit log or the undo file could not be opened).
        case refused(String)
        /// The commit failed as a whole (after the undo file was written).
        case failed(String, undoPath: String, auditPath: String)
        case done(ResetExecution, auditPath: String)
    }
    public private(set) var outcome: Outcome?
    /// The command that undoes the reset, exactly as it can be run (see `ResetOperation.undoCommand`).
    public private(set) var undoCommand: String?
    var resultTable: Table?
    /// `u` on the result: the offsets to go back to, planned once the group is read again.
    var pendingUndo: [ResetFileEntry]?

    /// What the wizard's jobs send back.
    public enum Event: Sendable {
        case loaded(Result<ResetInputs, Failure>)
        case resolved(JobTicket, Result<ResetPlan, Failure>)
        case planned(JobTicket, Result<ResetPlan, Failure>)
        case executed(Outcome)
    }

    public struct Failure: Error, Sendable {
        public var message: String
    }

    public static func open(group: String, _ ctx: PanelContext) -> (ResetWizardPanel, PanelOutcome) {
        var p = ResetWizardPanel(group: group)
        // Prefilled time targets: an hour back, to the minute.
        let hourAgo = (OffsetTime.milliseconds(ctx.now) / 60_000 - 60) * 60_000
        p.fields = [.toOffset: TextField("", maxLength: 20), .shiftBy: TextField("", maxLength: 21),
                    .toDatetime: TextField(String(ISO8601.string(milliseconds: hourAgo).dropLast()), maxLength: 40),
                    .byDuration: TextField("PT1H", maxLength: 40)]
        return (p, PanelOutcome(jobs: [loadJob(group)]))
    }

    /// Reads the group (listing, description, commits, metadata).
    static func loadJob(_ group: String) -> Job {
        Job("load", sending: Event.self) { jc in
            let r = await attempt { try await ResetInputs.load(group: group, client: jc.client, deadline: jc.deadline) }
            await jc.send(.loaded(r))
        }
    }

    init(group: String) {
        self.group = group
        confirmation = Self.nameConfirmation(group)
    }

    static func nameConfirmation(_ group: String) -> NameConfirmation {
        NameConfirmation(name: group, refusal: "protected profile: type the group name exactly (\(Fmt.safe(group))) to confirm")
    }

    static func attempt<T: Sendable>(_ body: () async throws -> T) async -> Result<T, Failure> {
        do { return .success(try await body()) } catch {
            return .failure(Failure(message: Fmt.safe(String(describing: error))))
        }
    }

    // MARK: scope

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

    mutating func setPicked(_ topic: String, _ set: Set<Int32>) {
        picked[topic] = set.isEmpty ? nil : set
    }

    mutating func handleScope(_ action: Action, _ ctx: PanelContext) -> PanelOutcome {
        let page = max(1, listHeight(ctx) - 1)
        switch action {
        case .close: return .closed
        case .switchList, .focusTopics, .focusPartitions:
            partitionsFocused = action == .switchList ? !partitionsFocused : action == .focusPartitions
            if partitionsFocused && (currentTopic?.partitions.isEmpty ?? true) { partitionsFocused = false }
        case .move(let m): moveCursor(m, page: page)
        case .pick:
            guard let t = currentTopic else { return .none }
            let have = picked[t.name] ?? []
            if partitionsFocused {
                guard t.partitions.indices.contains(partitionList.position) else { return .none }
                let p = t.partitions[partitionList.position]
                setPicked(t.name, have.contains(p) ? have.subtracting([p]) : have.union([p]))
            } else {
                setPicked(t.name, have.count == t.partitions.count ? [] : Set(t.partitions))
            }
        case .pickAll:
            if partitionsFocused, let t = currentTopic {
                setPicked(t.name, (picked[t.name]?.count ?? 0) == t.partitions.count ? [] : Set(t.partitions))
            } else {
                let everything = topics.allSatisfy { (picked[$0.name]?.count ?? 0) == $0.partitions.count }
                picked = [:]
                if !everything { for t in topics where !t.partitions.isEmpty { picked[t.name] = Set(t.partitions) } }
            }
        case .proceed:
            if picked.isEmpty && (inputs?.committed.isEmpty ?? true) {
                return .error("the group has no committed offsets: pick topics or partitions (Space)")
            }
            step = .target
            return retarget()
        default: break
        }
        return .none
    }

    mutating func moveCursor(_ move: ListNavigation.Move, page: Int) {
        if partitionsFocused, let t = currentTopic {
            partitionList.moveCursor(move, count: t.partitions.count, page: page)
        } else {
            let before = topicList.position
            topicList.moveCursor(move, count: topics.count, page: page)
            if topicList.position != before { partitionList.reset() }
        }
    }

    // MARK: target

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

    /// After the target or its field changed: resolve a time target live (replacing the previous job).
    mutating func retarget() -> PanelOutcome {
        guard targetKind.isTime else {
            preview = nil
            return PanelOutcome(cancel: ["resolve"])
        }
        let ticket = resolutions.next()
        switch target() {
        case .failure(let f):
            preview = Preview(ticket: ticket, kind: targetKind, pending: false, error: f.message)
            return PanelOutcome(cancel: ["resolve"])
        case .success(let t):
            preview = Preview(ticket: ticket, kind: targetKind, pending: true, error: nil)
            guard let inputs else { return .none }
            let scope = self.scope
            let job = Job("resolve", sending: Event.self) { jc in
                let r = await Self.attempt {
                    try await ResetOperation.plan(inputs, scope: scope, target: t, client: jc.client, deadline: jc.deadline)
                }
                await jc.send(.resolved(ticket, r))
            }
            return PanelOutcome(jobs: [job])
        }
    }

    mutating func handleTarget(_ action: Action?, _ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch action {
        case .back?:
            step = .scope
            preview = nil
            return PanelOutcome(cancel: ["resolve"])
        case .choose(let n)?:
            targetKind = TargetKind(rawValue: max(0, min(TargetKind.allCases.count - 1, targetKind.rawValue + n))) ?? targetKind
            return retarget()
        case .proceed?:
            switch target() {
            case .failure(let f): return .error(f.message)
            case .success(let t): return startPlan(t)
            }
        default:
            if targetKind.hasField, var f = fields[targetKind] {
                let before = f.text
                if f.edit(key) {
                    fields[targetKind] = f
                    return f.text == before ? .none : retarget()
                }
            }
            return .none
        }
    }

    /// Plans going back to the offsets before the reset just made (what its undo file holds): the group
    /// is read again first, then the plan, confirmation and execution follow as for any reset.
    mutating func undo() -> PanelOutcome {
        let before: [ResetFileEntry]
        switch outcome {
        case .done(let e, _)?: before = e.plan.previousOffsets
        case .failed?: before = plan?.previousOffsets ?? []
        default: return .info("nothing was changed, so there is nothing to undo")
        }
        guard !before.isEmpty else {
            return .info("nothing to undo: the reset covered no partition")
        }
        pendingUndo = before
        step = .loading
        plan = nil
        planTable = nil
        outcome = nil
        resultTable = nil
        skipAccepted = false
        confirmation = Self.nameConfirmation(group)
        return PanelOutcome(jobs: [Self.loadJob(group)],
                            status: StatusMessage(text: "planning the undo: back to the offsets before the reset", isError: false))
    }

    mutating func startPlan(_ target: ResetTarget) -> PanelOutcome {
        guard let inputs else { return .none }
        let ticket = plans.next()
        step = .planning
        let scope = self.scope
        let job = Job("plan", sending: Event.self) { jc in
            let r = await Self.attempt {
                try await ResetOperation.plan(inputs, scope: scope, target: target, client: jc.client, deadline: jc.deadline)
            }
            await jc.send(.planned(ticket, r))
        }
        return PanelOutcome(jobs: [job], cancel: ["resolve"])
    }

    // MARK: plan

    static let planColumns = [Column("TOPIC", width: 0, minWidth: 10), Column.number("PART", 4), Column.number("CURRENT", 10),
                              Column.number("NEW", 10), Column.number("DELTA", 14), Column("NOTE", width: 20, minWidth: 4)]

    /// The plan's table rows: built once when the plan arrives.
    static func planRows(_ plan: ResetPlan) -> [Row] {
        plan.rows.map { r in
            var deltaText = "-", deltaRole = Role.muted
            if let d = r.delta {
                if r.recordsSkipped > 0 { deltaText = "+\(d) skip"; deltaRole = .critical }
                else if r.recordsReread > 0 { deltaText = "\(d) re-read"; deltaRole = .warning }
                else { deltaText = d > 0 ? "+\(d)" : String(d); deltaRole = .body }
            }
            var note = r.notes.map(\.short).joined(separator: "; ")
            var noteRole: Role = r.notes.contains { if case .belowLogStart = $0 { return true }; return false } ? .critical
                : (r.notes.isEmpty ? .body : .warning)
            // A commit below the log start: retention already deleted records this group never read.
            let lost = r.current.map { $0 < r.logStart } ?? false
            if lost && note.isEmpty { note = "current below log start: data lost"; noteRole = .critical }
            return Row(id: r.topicPartition.description,
                       cells: [Fmt.safe(r.topic), String(r.partition), r.current.map(String.init) ?? "-", r.new.map(String.init) ?? "none", deltaText, note],
                       roles: [.body, .body, r.current == nil ? .muted : (lost ? .critical : .body), .body, deltaRole, noteRole],
                       sortKeys: [], search: "")
        }
    }

    /// Rows below the step line (the panel's content area less its first row).
    static func contentHeight(_ ctx: PanelContext) -> Int { ctx.content.height - 1 }
    /// The plan table's height (header included): the rest holds the title, the selected row's
    /// note, the totals (two lines), the skip line and the hint.
    static func planTableHeight(_ content: Int) -> Int { max(2, content - 6) }
    /// The result table's height: the rest holds the outcome line, the undo file and command, the audit log.
    static func resultTableHeight(_ content: Int) -> Int { max(2, content - 8) }

    mutating func handlePlan(_ action: Action, _ ctx: PanelContext) -> PanelOutcome {
        let rows = Self.planTableHeight(Self.contentHeight(ctx)) - 1
        switch action {
        case .back:
            step = .target
            return retarget()
        case .proceed:
            guard plan != nil else { return .none }
            skipAccepted = false
            confirmation = Self.nameConfirmation(group)
            step = .confirm
        case .move(let m): planTable?.move(by: ListNavigation.delta(m, page: rows), viewport: rows)
        default: break
        }
        return .none
    }

    // MARK: confirm and execute

    var needsSkipAcceptance: Bool { (plan?.recordsSkipped ?? 0) > 0 && !skipAccepted }

    mutating func handleConfirm(_ action: Action?, _ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        guard let plan else { return .none }
        switch action {
        case .back?:
            step = .plan
        case .acceptSkips?:
            skipAccepted = true
        case .proceed?:
            // Enter before the skips are accepted.
            return .error("this reset skips \(plan.recordsSkipped) records: press y to accept that first, or Esc")
        case .reset?:
            if ctx.operations.protected, let why = confirmation.refusalIfWrong { return .error(why) }
            return execute(plan, ctx)
        default:
            if !needsSkipAcceptance && ctx.operations.protected { confirmation.edit(key) }
        }
        return .none
    }

    /// The final step: open the audit log (or refuse), write the undo file (or refuse), commit, read
    /// back, verify and record; every cluster call is in the job.
    mutating func execute(_ plan: ResetPlan, _ ctx: PanelContext) -> PanelOutcome {
        step = .executing
        let group = self.group
        let job = Job("execute", sending: Event.self) { jc in
            let audit: any ChangeLog
            do { audit = try jc.operations.openChangeLog() } catch {
                await jc.send(.executed(.refused("cannot open the audit log: \(Fmt.safe(String(describing: error))); nothing was sent")))
                return
            }
            if let why = await Self.recheck(plan, jc) {
                await jc.send(.executed(.refused(why + "; nothing was sent")))
                return
            }
            guard let undo = ResetUndo.defaultPath(group: group, directory: jc.operations.undoDirectory,
                                                   environment: ProcessInfo.processInfo.environment) else {
                await jc.send(.executed(.refused("no place for the undo file (set HOME or the profile's undo directory); nothing was sent")))
                return
            }
            do throws(ExclusiveFile.Failure) { try ExclusiveFile.create(undo, contents: ResetUndo.contents(plan)) } catch {
                await jc.send(.executed(.refused(Fmt.safe(ResetUndo.cannotWrite(undo, reason: error.reason)))))
                return
            }
            do {
                let done = try await ResetOperation.execute(plan, undoPath: undo, client: jc.client, audit: audit, timeout: jc.timeout)
                await jc.send(.executed(.done(done, auditPath: audit.path)))
            } catch let notStarted as ChangeNotStarted {
                await jc.send(.executed(.refused(Fmt.safe(notStarted.description))))
            } catch let failed as ResetExecutionFailed {
                let why = String(describing: failed.underlying) + (failed.unrecorded.map { "; " + $0 } ?? "")
                await jc.send(.executed(.failed(Fmt.safe(why), undoPath: undo, auditPath: audit.path)))
            } catch {
                await jc.send(.executed(.failed(Fmt.safe(String(describing: error)), undoPath: undo, auditPath: audit.path)))
            }
        }
        return PanelOutcome(jobs: [job])
    }

    /// The group may have changed while the operator read the plan: reads it again and says why the
    /// plan no longer holds (a member joined, or offsets were committed), or nil.
    static func recheck(_ plan: ResetPlan, _ jc: FlowJobContext<Event>) async -> String? {
        let fresh: ResetInputs
        do { fresh = try await ResetInputs.load(group: plan.group, client: jc.client, deadline: jc.deadline) } catch {
            return "cannot read the group again before the reset: \(Fmt.safe(String(describing: error)))"
        }
        do { try fresh.checkInactive() } catch { return ResetPreflight.refusalText(error).joined(separator: " ") }
        let changed = plan.rows.filter { row in fresh.committed[row.topicPartition].flatMap { $0 >= 0 ? $0 : nil } != row.current }
        guard let first = changed.first else { return nil }
        let now = fresh.committed[first.topicPartition].map(String.init) ?? "none"
        return "the committed offsets of \(changed.count) partition(s) changed since the plan (\(Fmt.safe(first.topicPartition.description)): "
            + "\(first.current.map(String.init) ?? "none") → \(now)); Esc and plan again"
    }

    static func resultRows(_ e: ResetExecution) -> [Row] {
        e.rows.map { r in
            let role: Role
            switch r.status {
            case .inPlace, .applied: role = .healthy
            case .unknown: role = .warning
            default: role = .critical
            }
            return Row(id: r.partition.description,
                       cells: [Fmt.safe(r.partition.topic), String(r.partition.partition), r.expected.map(String.init) ?? "none", r.text],
                       roles: [.body, .body, .body, role], sortKeys: [], search: "")
        }
    }

    static let resultColumns = [Column("TOPIC", width: 24, minWidth: 10), Column.number("PART", 4), Column.number("NEW", 11),
                                Column("RESULT", width: 0, minWidth: 10)]

    // MARK: Panel

    public enum Action: Sendable, Hashable {
        case close, back, proceed
        case move(ListNavigation.Move), choose(Int)
        case switchList, focusTopics, focusPartitions, pick, pickAll
        case acceptSkips, reset, waitForResult, undo
    }

    /// A target's field, or the group name on a protected profile's confirmation, has the keys.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        (step == .target && targetKind.hasField) || (step == .confirm && !needsSkipAcceptance && ctx.operations.protected)
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        let close = FlowBinding<Action>([.escape], .close, "close (nothing was changed)", short: "close")
        let back = FlowBinding<Action>([.escape], .back, "back one step (nothing is sent)", short: "back")
        let moves = ListNavigation.bindings { Action.move($0) }
        let spacePages = [FlowBinding<Action>([.char(" ")], .move(.pages(1)), "down a page")]
        let all: [FlowBinding<Action>]
        switch step {
        case .loading, .loadFailed, .refused:
            all = [close]
        case .scope:
            all = [FlowBinding([.char(" ")], .pick, "pick or unpick the topic (all its partitions) or the partition", short: "pick"),
                   FlowBinding([.char("a")], .pickAll, "pick or unpick everything in the list", short: "all"),
                   FlowBinding([.tab, .backTab], .switchList, "switch between the topics and their partitions",
                               short: "topics/partitions", label: "Tab"),
                   FlowBinding([.enter], .proceed, "choose the target (nothing picked: every partition the group committed)",
                               short: "target"),
                   close,
                   FlowBinding([.left, .char("h")], .focusTopics, "the topics list"),
                   FlowBinding([.right, .char("l")], .focusPartitions, "the partitions list")]
                + moves
        case .target:
            all = [.note("↑↓", "choose"),
                   FlowBinding([.up, .backTab], .choose(-1), "the previous target"),
                   FlowBinding([.down, .tab], .choose(1), "the next target"),
                   FlowBinding([.enter], .proceed, "plan the reset (nothing is changed before the confirmation)", short: "plan"),
                   back]
        case .planning:
            all = [back]
        case .plan:
            all = [.note("↑↓", "scroll"),
                   FlowBinding([.enter], .proceed, "go to the confirmation", short: "confirm"), back] + moves + spacePages
        case .confirm where needsSkipAcceptance:
            all = [FlowBinding([.char("y"), .char("Y")], .acceptSkips, "accept that the reset skips records", short: "accept skipping",
                               label: "y"),
                   back, FlowBinding([.enter], .proceed, "(after y) reset the offsets now")]
        case .confirm:
            all = [FlowBinding([.enter], .reset, ctx.operations.protected ? "reset the offsets now (after typing the group name)"
                                                                            : "reset the offsets now",
                               short: "reset now", destructive: true),
                   back]
        case .executing:
            all = [.note("", "resetting…", help: "the offsets are being reset: the result follows"),
                   FlowBinding([.escape], .waitForResult, "(the reset is running; its result follows)")]
        case .result:
            all = [.note("↑↓", "scroll"),
                   FlowBinding([.char("u")], .undo, "undo this reset: plan going back to the offsets before it", short: "undo this reset",
                               destructive: true),
                   FlowBinding([.escape, .enter, .char("q")], .close, "close", short: "close", label: "Esc")]
                + moves + spacePages
        }
        return FlowKeys(all, readOnly: ctx.readOnly)
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        let action: Action?
        switch keys(ctx).lookup(key) {
        case .action(let a): action = a
        case .readOnly(let b): return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound: action = nil
        }
        switch step {
        case .loading, .loadFailed, .refused:
            return action == .close ? .closed : .none
        case .scope:
            guard let action else { return .none }
            return handleScope(action, ctx)
        case .target: return handleTarget(action, key, ctx)
        case .planning:
            guard action == .back else { return .none }
            step = .target
            plans.expire()
            return PanelOutcome(cancel: ["plan"])
        case .plan:
            guard let action else { return .none }
            return handlePlan(action, ctx)
        case .confirm: return handleConfirm(action, key, ctx)
        case .executing:
            return action == .waitForResult ? .info("the reset is running; its result follows") : .none
        case .result:
            let rows = Self.resultTableHeight(Self.contentHeight(ctx)) - 1
            switch action {
            case .close?: return .closed
            case .undo?: return undo()
            case .move(let m)?: resultTable?.move(by: ListNavigation.delta(m, page: rows), viewport: rows)
            default: break
            }
            return .none
        }
    }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .resetOffsets(let event) = event else { return .none }
        switch event {
        case .loaded(let r):
            guard step == .loading else { return .none }
            switch r {
            case .failure(let f):
                step = .loadFailed
                problem = ["cannot load group \(Fmt.safe(group)): \(f.message)"]
            case .success(let inputs):
                self.inputs = inputs
                do {
                    try inputs.checkInactive()
                    buildTopics(inputs)
                    step = .scope
                    if let undo = pendingUndo {
                        pendingUndo = nil
                        return startPlan(.fromFile(undo))
                    }
                } catch {
                    pendingUndo = nil
                    step = .refused
                    problem = ResetPreflight.refusalText(error)
                }
            }
        case .resolved(let ticket, let r):
            guard step == .target, var p = preview, p.ticket == ticket, resolutions.isCurrent(ticket) else { return .none }
            p.pending = false
            switch r {
            case .failure(let f): p.error = f.message
            case .success(let plan):
                p.summary = plan.summaryLine
                p.lines = plan.rows.map { row in
                    let delta = row.delta.map { $0 > 0 ? " (+\($0))" : " (\($0))" } ?? " (no commit)"
                    let note = row.notes.contains(.fellBackToLogEnd) ? " log end" : ""
                    let role: Role = row.recordsSkipped > 0 ? .critical : (row.recordsReread > 0 ? .warning : .body)
                    return (Fmt.safe(row.topicPartition.description) + " → \(row.new.map(String.init) ?? "no commit")" + delta + note, role)
                }
            }
            preview = p
        case .planned(let ticket, let r):
            guard step == .planning, plans.isCurrent(ticket) else { return .none }
            switch r {
            case .failure(let f):
                step = .target
                return .error("cannot plan: \(f.message)")
            case .success(let plan):
                self.plan = plan
                planTable = Table(title: "Plan", columns: Self.planColumns, rows: Self.planRows(plan), emptyText: "no partition in scope")
                step = .plan
            }
        case .executed(let o):
            guard step == .executing else { return .none }
            outcome = o
            step = .result
            if let plan { undoCommand = ResetOperation.undoCommand(plan, undoPath: undoPathOf(o) ?? "",
                                                                   connection: ctx.operations.connectionArguments,
                                                                   protected: ctx.operations.protected) }
            switch o {
            case .refused(let why):
                return .error("refused: " + why)
            case .failed(let why, _, _):
                return PanelOutcome(status: StatusMessage(text: "reset of \(Fmt.safe(group)) failed: \(why)", isError: true), reload: true)
            case .done(let e, _):
                resultTable = Table(title: "Result", columns: Self.resultColumns, rows: Self.resultRows(e), emptyText: "no partition")
                let n = e.rows.count
                var text = e.allInPlace ? "offsets of \(Fmt.safe(group)) reset: \(n) of \(n) partitions in place"
                    : "offsets of \(Fmt.safe(group)) reset: \(e.failedCount) of \(n) partitions NOT in place"
                if let lost = e.lostAnswerLine { text = "reset of \(Fmt.safe(group)): " + Fmt.safe(lost) }
                if let unrecorded = e.unrecorded { text += "; " + Fmt.safe(unrecorded) }
                return PanelOutcome(status: StatusMessage(text: text, isError: !e.succeeded || e.unrecorded != nil), reload: true)
            }
        }
        return .none
    }

    func undoPathOf(_ o: Outcome) -> String? {
        switch o {
        case .refused: return nil
        case .failed(_, let u, _): return u
        case .done(let e, _): return e.undoPath
        }
    }

    // MARK: drawing

    func listHeight(_ ctx: PanelContext) -> Int { max(1, Self.contentHeight(ctx) - 4) }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        drawSteps(&g, area: area)
        let a = PanelArea(y: area.y + 1, height: area.height - 1, width: area.width)
        switch step {
        case .loading:
            g.put("Reading group \(Fmt.safe(group)): state, members, committed offsets, partitions…", x: 1, y: a.y, maxWidth: a.width - 2, role: .muted)
        case .loadFailed:
            WrappedText.draw(&g, problem, x: 1, y: a.y, width: a.width - 2, maxLines: a.height, role: .critical)
        case .refused:
            drawRefusal(&g, a)
        case .scope: drawScope(&g, a)
        case .target, .planning: drawTarget(&g, a)
        case .plan: drawPlan(&g, a)
        case .confirm: drawConfirm(&g, a, ctx)
        case .executing:
            g.put("Resetting: opening the audit log, writing the undo file, committing \(plan?.rows.count ?? 0) offsets…",
                  x: 1, y: a.y + 1, maxWidth: a.width - 2, role: .warning)
        case .result: drawResult(&g, a)
        }
    }

    func drawSteps(_ g: inout Grid, area: PanelArea) {
        let names: [(String, [Step])] = [("Scope", [.scope]), ("Target", [.target, .planning]), ("Plan", [.plan]),
                                         ("Confirm", [.confirm, .executing]), ("Result", [.result])]
        var x = 1
        for (i, (name, steps)) in names.enumerated() {
            if i > 0 { x += g.put(" › ", x: x, y: area.y, role: .muted) }
            x += g.put(name, x: x, y: area.y, role: steps.contains(step) ? .selected : .muted)
        }
        if step != .loading && step != .loadFailed && step != .refused {
            let s = "scope: " + (picked.isEmpty ? "all committed (\(inputs?.committed.count ?? 0))" : "\(pickedCount) picked")
            let w = DisplayWidth.of(s)
            if area.width - w - 1 > x + 2 { g.put(s, x: area.width - w - 1, y: area.y, role: .muted) }
        }
    }

    func drawRefusal(_ g: inout Grid, _ a: PanelArea) {
        var y = a.y
        g.put("Cannot reset the offsets of \(Fmt.safe(group)): nothing was changed.", x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 2
        guard let first = problem.first else { return }
        y += WrappedText.draw(&g, [first], x: 1, y: y, width: a.width - 2, maxLines: 4, role: .critical)
        let rest = Array(problem.dropFirst())
        let room = a.y + a.height - y - 1
        guard !rest.isEmpty, room > 0 else { return }
        let shown = rest.count > room ? Array(rest.prefix(room - 1)) + ["  … and \(rest.count - room + 1) more member(s)"] : rest
        for line in shown {
            g.put(line, x: 1, y: y, maxWidth: a.width - 2, role: line.hasPrefix("  ") ? .body : .warning)
            y += 1
        }
    }

    func drawScope(_ g: inout Grid, _ a: PanelArea) {
        var y = a.y
        if picked.isEmpty {
            g.put("Nothing picked: every partition the group committed (\(inputs?.committed.count ?? 0)). Space picks instead.",
                  x: 1, y: y, maxWidth: a.width - 2, role: .body)
        } else {
            g.put("Picked: \(scopeSummary).", x: 1, y: y, maxWidth: a.width - 2, role: .highlight)
        }
        y += 2
        let leftW = min(44, a.width / 2 + 4), rightX = leftW + 2, rightW = a.width - rightX - 1
        // Rows between the column titles and the hint line at the bottom.
        let height = a.y + a.height - (y + 1) - 1
        g.put("TOPIC", x: 1, y: y, role: .tableHeader)
        g.put("PICKED/PARTS", x: leftW - 13, y: y, maxWidth: 13, role: .tableHeader, align: .right)
        let cur = currentTopic
        g.put("PARTITIONS OF " + Fmt.safe(cur?.name ?? ""), x: rightX, y: y, maxWidth: rightW, role: .tableHeader)
        y += 1
        guard height > 0 else { return }
        if topics.isEmpty {
            g.put("no topics in the cluster", x: 2, y: y, role: .muted)
            return
        }
        // Topics.
        let tOff = topicList.window(count: topics.count, height: height)
        for (row, i) in (tOff..<min(topics.count, tOff + height)).enumerated() {
            let t = topics[i]
            let n = picked[t.name]?.count ?? 0
            let mark = n == 0 ? "[ ]" : (n == t.partitions.count ? "[x]" : "[-]")
            let focused = i == topicList.position
            let role: Role = focused ? (partitionsFocused ? .highlight : .selected) : (t.committed > 0 ? .body : .muted)
            if focused { g.fill(y: y + row, x: 0, width: leftW, role: role) }
            g.put(mark + " " + Fmt.safe(t.name), x: 1, y: y + row, maxWidth: leftW - 15, role: role)
            let counts = "\(n)/\(t.partitions.count)" + (t.committed > 0 ? " c" : "  ")
            g.put(counts, x: leftW - 13, y: y + row, maxWidth: 13, role: role, align: .right)
        }
        if tOff > 0 { g.put("▲", x: leftW, y: y, role: .muted) }
        if tOff + height < topics.count { g.put("▼", x: leftW, y: y + height - 1, role: .muted) }
        // Partitions of the topic under the cursor.
        guard let t = cur, rightW > 8 else { return }
        let have = picked[t.name] ?? []
        let pOff = partitionList.window(count: t.partitions.count, height: height)
        for (row, i) in (pOff..<min(t.partitions.count, pOff + height)).enumerated() {
            let p = t.partitions[i]
            let committed = inputs?.committed[TopicPartition(t.name, p)]
            let focused = partitionsFocused && i == partitionList.position
            let role: Role = focused ? .selected : (committed == nil ? .muted : .body)
            if focused { g.fill(y: y + row, x: rightX, width: rightW, role: role) }
            let text = (have.contains(p) ? "[x] " : "[ ] ") + String(p).padding(toLength: 5, withPad: " ", startingAt: 0)
                + (committed.map { "committed \($0)" } ?? "no commit")
            g.put(text, x: rightX, y: y + row, maxWidth: rightW, role: role)
        }
        if pOff + height < t.partitions.count { g.put("▼", x: a.width - 1, y: y + height - 1, role: .muted) }
        g.put("c: the group committed on it", x: 1, y: a.y + a.height - 1, maxWidth: leftW, role: .muted)
    }

    func drawTarget(_ g: inout Grid, _ a: PanelArea) {
        var y = a.y
        g.put("Where to move the group (Kafka's scenarios):", x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        let fieldX = 16, fieldW = 26
        for kind in TargetKind.allCases {
            let on = kind == targetKind
            g.put(on ? ">" : " ", x: 1, y: y, role: on ? .selected : .body)
            g.put(kind.label, x: 3, y: y, maxWidth: 12, role: on ? .selected : .body)
            if kind.hasField, let f = fields[kind] {
                f.draw(&g, x: fieldX, y: y, width: fieldW, focused: on && step == .target)
                var side = kind.hint, role = Role.muted
                if on, case .failure(let e) = target(kind), !(f.text.isEmpty) { side = "✗ " + e.message; role = .critical }
                g.put(side, x: fieldX + fieldW + 2, y: y, maxWidth: a.width - fieldX - fieldW - 3, role: role)
            } else {
                g.put(kind.hint, x: fieldX, y: y, maxWidth: a.width - fieldX - 1, role: .muted)
            }
            y += 1
        }
        y += 1
        if step == .planning {
            g.put("Planning: reading the log offsets of the partitions in scope…", x: 1, y: y, maxWidth: a.width - 2, role: .warning)
            return
        }
        let bottom = a.y + a.height
        guard targetKind.isTime, let p = preview else {
            g.put("Enter shows the plan; nothing is changed before you confirm it.", x: 1, y: y, maxWidth: a.width - 2, role: .muted)
            return
        }
        if let e = p.error {
            WrappedText.draw(&g, [e], x: 1, y: y, width: a.width - 2, maxLines: bottom - y, role: .critical)
            return
        }
        if p.pending {
            g.put("Resolving \(Fmt.safe(fields[targetKind]?.text ?? ""))…", x: 1, y: y, maxWidth: a.width - 2, role: .muted)
            return
        }
        g.put("Resolved: " + p.summary, x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        let colW = (a.width - 2) / 2
        let rows = max(0, bottom - y)
        let capacity = rows * 2
        let shown = p.lines.count > capacity ? capacity - 1 : p.lines.count
        for i in 0..<shown {
            let (text, role) = p.lines[i]
            g.put(text, x: 1 + (i / rows) * colW, y: y + i % rows, maxWidth: colW - 1, role: role)
        }
        if shown < p.lines.count {
            g.put("+\(p.lines.count - shown) more: Enter", x: 1 + colW, y: y + rows - 1, maxWidth: colW - 1, role: .muted)
        }
    }

    func drawPlan(_ g: inout Grid, _ a: PanelArea) {
        guard let plan, let t = planTable else { return }
        var y = a.y
        g.put("Group \(Fmt.safe(group)), \(plan.target.summary): \(plan.rows.count) partition\(plan.rows.count == 1 ? "" : "s")",
              x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        let height = Self.planTableHeight(a.height)
        Self.drawTable(t, &g, y: y, width: a.width, height: height)
        y += height
        if let i = t.order.indices.contains(t.selected) ? t.order[t.selected] : nil, plan.rows.indices.contains(i),
           !plan.rows[i].notes.isEmpty {
            g.put(Fmt.safe(plan.rows[i].messages.joined(separator: " ")), x: 1, y: y, maxWidth: a.width - 2, role: .muted)
        }
        y += 1
        WrappedText.draw(&g, [Fmt.safe(plan.summaryLine)], x: 1, y: y, width: a.width - 2, maxLines: 2, role: .body)
        y += 2
        if plan.recordsSkipped > 0 {
            g.put("SKIPS \(plan.recordsSkipped) records: the group will never process them.", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
        } else if plan.recordsReread > 0 {
            g.put("\(plan.recordsReread) records will be read again.", x: 1, y: y, maxWidth: a.width - 2, role: .warning)
        } else {
            g.put("No record is skipped or read again.", x: 1, y: y, maxWidth: a.width - 2, role: .healthy)
        }
        y += 1
        g.put("Nothing has been changed yet. Enter: confirm, Esc: change the target.", x: 1, y: y, maxWidth: a.width - 2, role: .muted)
    }

    /// Draws a pre-built table (rows built once per plan) with the console's table view.
    static func drawTable(_ t: Table, _ g: inout Grid, y: Int, width: Int, height: Int) {
        Views.table(t, x: 0, y: y, width: width, height: height, noRows: t.emptyText, &g)
    }

    func drawConfirm(_ g: inout Grid, _ a: PanelArea, _ ctx: PanelContext) {
        guard let plan else { return }
        var y = a.y
        g.put("Reset group \(Fmt.safe(group)) \(plan.target.summary)?", x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        y += WrappedText.draw(&g, [Fmt.safe(plan.summaryLine)], x: 1, y: y, width: a.width - 2, maxLines: 2, role: .body) + 1
        if plan.recordsSkipped > 0 {
            let loud = plan.skipsMoreThan(ctx.operations.resetSkipThreshold)
            let role: Role = loud ? .critical : .warning
            g.fill(y: y, x: 1, width: a.width - 2, role: role)
            g.put(" THIS RESET SKIPS \(plan.recordsSkipped) RECORDS: the group will never process them.", x: 1, y: y, maxWidth: a.width - 2, role: role)
            y += 1
            if loud {
                g.fill(y: y, x: 1, width: a.width - 2, role: role)
                g.put(" That is MORE than the profile's reset_skip_threshold (\(ctx.operations.resetSkipThreshold)).",
                      x: 1, y: y, maxWidth: a.width - 2, role: role)
                y += 1
            }
            if skipAccepted {
                g.put("✓ skipping \(plan.recordsSkipped) records accepted", x: 1, y: y, maxWidth: a.width - 2, role: .warning)
            } else {
                g.put("Press y to accept skipping them, or Esc to go back.", x: 1, y: y, maxWidth: a.width - 2, role: .title)
            }
            y += 2
        }
        if !needsSkipAcceptance {
            if ctx.operations.protected {
                let label = "Protected profile: type the group name to confirm: "
                let lx = g.put(label, x: 1, y: y, maxWidth: a.width - 12, role: .title)
                confirmation.draw(&g, x: 1 + lx, y: y, width: max(10, a.width - lx - 3))
                y += 1
                g.put("then Enter to reset the offsets now.", x: 1, y: y, maxWidth: a.width - 2, role: .muted)
            } else {
                g.put("Press Enter to reset the offsets now.", x: 1, y: y, maxWidth: a.width - 2, role: .title)
            }
            y += 2
        }
        y = max(y, a.y + a.height - 3)
        WrappedText.draw(&g, ["Before anything is sent, the audit log is opened and the committed offsets are written to an undo file."],
                  x: 1, y: y, width: a.width - 2, maxLines: 2, role: .muted)
    }

    func drawResult(_ g: inout Grid, _ a: PanelArea) {
        guard let outcome else { return }
        var y = a.y
        let w = a.width - 2
        let pathLines = undoPathOf(outcome).map { TextWrap.characters(Fmt.safe($0), width: w) } ?? []
        let cmdLines = TextWrap.characters(Fmt.safe(undoCommand ?? ""), width: w)
        // Below the table: the undo file's title and path, "Undo with:" and the command, the audit log.
        let below = pathLines.count + cmdLines.count + 3
        let undo: String?, audit: String?
        switch outcome {
        case .refused(let why):
            g.put("Refused: nothing was sent to the cluster.", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
            WrappedText.draw(&g, [why], x: 1, y: y + 2, width: a.width - 2, maxLines: a.height - 2, role: .critical)
            return
        case .failed(let why, let u, let au):
            g.put("The reset failed:", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
            y += 1
            y += WrappedText.draw(&g, [why], x: 1, y: y, width: a.width - 2, maxLines: 4, role: .critical)
            undo = u; audit = au
        case .done(let e, let au):
            let n = e.rows.count
            if let lost = e.lostAnswerLine {
                y += WrappedText.draw(&g, ["Outcome UNKNOWN at first: " + Fmt.safe(lost) + " (see RESULT)."], x: 1, y: y,
                               width: a.width - 2, maxLines: 3, role: e.allInPlace ? .warning : .critical) - 1
            } else if e.allInPlace {
                g.put("Done: \(n) of \(n) partition\(n == 1 ? "" : "s") in place.", x: 1, y: y, maxWidth: a.width - 2, role: .healthy)
            } else {
                g.put("\(e.failedCount) of \(n) partitions NOT in place (see RESULT).", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
            }
            y += 1
            undo = e.undoPath; audit = au
            if let t = resultTable {
                let height = max(2, min(Self.resultTableHeight(a.height), a.y + a.height - y - below))
                Self.drawTable(t, &g, y: y, width: a.width, height: height)
                y += height
            }
        }
        guard undo != nil else { return }
        g.put("Undo file (the offsets before; none: the commit is deleted):", x: 1, y: y, maxWidth: w, role: .title)
        y += 1
        for l in pathLines { g.put(l, x: 1, y: y, maxWidth: w, role: .body); y += 1 }
        g.put("Undo with:", x: 1, y: y, maxWidth: w, role: .title)
        y += 1
        for l in cmdLines { g.put(l, x: 1, y: y, maxWidth: w, role: .body); y += 1 }
        if let audit, y < a.y + a.height {
            g.put("Recorded in the audit log " + Fmt.safe(audit), x: 1, y: y, maxWidth: w, role: .muted)
        }
    }
}
