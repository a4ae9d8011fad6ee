import Foundation
import KafkaOpsCore

/// The change panel: what its jobs send back, and how the flow takes it (`receive`).
extension ChangePanel {
    /// What the change's job sends back: its outcome.
    public enum Event: Sendable { case finished(ChangeOutcome) }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .change(.finished(let r)) = event else { return .none }
        phase = .done(r)
        nav.reset()
        return PanelOutcome(status: StatusMessage(text: r.lines.first ?? (r.ok ? "done" : "failed"), isError: !r.ok), reload: true)
    }
}
