import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard: what its jobs send back, and how the flow takes it (`receive`).
extension ResetWizardPanel {
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
                    if let target = planOnLoad {
                        planOnLoad = nil
                        return startPlan(target)
                    }
                } catch {
                    planOnLoad = nil
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
                planTable = Table(title: "Plan", columns: Self.planColumns(width: ctx.size.width), rows: Self.planRows(plan), emptyText: "no partition in scope")
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
            case .done(let e, _, let unrecorded):
                resultTable = Table(title: "Result", columns: Self.resultColumns, rows: Self.resultRows(e), emptyText: "no partition")
                let n = e.rows.count
                var text = e.allInPlace ? "offsets of \(Fmt.safe(group)) reset: \(n) of \(n) partitions in place"
                    : "offsets of \(Fmt.safe(group)) reset: \(e.failedCount) of \(n) partitions NOT in place"
                if let lost = e.lostAnswerLine { text = "reset of \(Fmt.safe(group)): " + Fmt.safe(lost) }
                if let unrecorded { text += "; " + Fmt.safe(unrecorded) }
                return PanelOutcome(status: StatusMessage(text: text, isError: !e.succeeded || unrecorded != nil), reload: true)
            }
        }
        return .none
    }

    func undoPathOf(_ o: Outcome) -> String? {
        switch o {
        case .refused: return nil
        case .failed(_, let u, _): return u
        case .done(let e, _, _): return e.undoPath
        }
    }
}
