import Foundation
import KafkaOpsCore

/// The change panel: what its jobs send back, and how the flow takes it (`receive`).
extension ChangePanel {
    /// What the change's job sends back: its outcome; a reading panel's job, the preview it read.
    public enum Event: Sendable { case finished(ChangeOutcome), previewRead(ChangePreview) }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        if case .change(.previewRead(let p)) = event {
            guard phase == .reading else { return .none }
            preview = p.lines
            job = p.job
            blocked = p.blocked ?? (p.job == nil ? "nothing to apply" : nil)
            phase = .preview
            nav.reset()
            return .none
        }
        guard case .change(.finished(let r)) = event else { return .none }
        phase = .done(r)
        nav.reset()
        return PanelOutcome(status: StatusMessage(text: r.lines.first ?? (r.ok ? "done" : "failed"), isError: !r.ok), reload: true)
    }
}

/// A preview read off the main actor: its lines, why it cannot be applied (nil: it can), and the change's job.
public struct ChangePreview: Sendable {
    public var lines: [(text: String, role: Role)]
    public var blocked: String?
    public var job: Job?

    public init(lines: [(text: String, role: Role)], blocked: String?, job: Job?) {
        self.lines = lines; self.blocked = blocked; self.job = job
    }
}
