import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard: what each key does at each step.
extension ResetWizardPanel {
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
            editingField = false
            return PanelOutcome(cancel: ["resolve"])
        case .choose(let n)?:
            editingField = false
            targetKind = TargetKind(rawValue: max(0, min(TargetKind.allCases.count - 1, targetKind.rawValue + n))) ?? targetKind
            return retarget()
        case .enterField?:
            editingField = targetKind.hasField
            return .none
        case .leaveField?:
            editingField = false
            return .none
        case .proceed?:
            switch target() {
            case .failure(let f): return .error(f.message)
            case .success(let t):
                editingField = false
                return startPlan(t)
            }
        default:
            if editingField, var f = fields[targetKind] {
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
        case .done(let e, _, _)?: before = e.plan.previousOffsets
        case .failed?: before = plan?.previousOffsets ?? []
        default: return .info("nothing was changed, so there is nothing to undo")
        }
        guard !before.isEmpty else {
            return .info("nothing to undo: the reset covered no partition")
        }
        planOnLoad = .fromFile(before)
        step = .loading
        plan = nil
        planTable = nil
        outcome = nil
        resultTable = nil
        undoScroll = 0
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
            case .copyUndo?:
                guard let command = undoCommand else { return .none }
                return PanelOutcome(status: StatusMessage(text: "undo command copied to the clipboard (OSC 52: the terminal must allow it)",
                                                          isError: false), copy: command)
            case .scrollCommand(let by)?:
                let total = (undoCommand ?? "").count
                undoScroll = max(0, min(undoScroll + by, total - max(1, ctx.size.width - 2)))
            case .move(let m)?: resultTable?.move(by: ListNavigation.delta(m, page: rows), viewport: rows)
            default: break
            }
            return .none
        }
    }
}
