import Foundation
import KafkaOpsCore

/// The replay: what its jobs send back, and how the flow takes it (`receive`).
extension DLQReplayPanel {
    /// What a replay run sends back, with the run's ticket (a retry is a new run).
    public enum Event: Sendable {
        /// Progress of a running replay (after every batch).
        case progressed(JobTicket, ReplayProgress)
        case finished(JobTicket, DLQReplayFinished)
        /// The replay was refused before anything was sent (the audit log could not be opened).
        case refused(JobTicket, String)
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
}

/// A replay run ended (complete, failed or stopped); the audit record is written.
public struct DLQReplayFinished: Sendable {
    var result: ReplayRun
    var auditPath: String
    /// The warning when the outcome could not be written to the audit log.
    var unrecorded: String? = nil
}
