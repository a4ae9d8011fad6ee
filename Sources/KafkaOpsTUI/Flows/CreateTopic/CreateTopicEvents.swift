import Foundation
import KafkaOpsCore

/// Topic creation: what its jobs send back, and how the flow takes it (`receive`).
extension CreateTopicPanel {
    /// What the creation jobs send back to the panel.
    public enum Event: Sendable {
        /// The broker accepted the request with validateOnly (nothing was created).
        case validated(NewTopic, JobTicket)
        case validateFailed(NewTopic, String, JobTicket)
        /// The topic exists now; the audit record went to `auditPath`, or could not be written
        /// (`unrecorded`: the loud warning to show).
        case created(NewTopic, auditPath: String, unrecorded: String?)
        case createFailed(NewTopic, String)
        /// Refused before any request was sent (the audit log could not be opened).
        case refused(String)
    }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .createTopic(let event) = event else { return .none }
        switch event {
        case .validated(let t, let ticket):
            guard validations.isCurrent(ticket), t == plan, busy == .validating else { return .none }
            busy = nil
            step = .confirm
            return .info("the broker accepts the request (validate-only); nothing is created yet")
        case .validateFailed(let t, let reason, let ticket):
            guard validations.isCurrent(ticket), t == plan, busy == .validating else { return .none }
            busy = nil
            step = .form
            problem = "the broker refused it (validate-only): " + reason
            return .error("the broker refused the topic: " + Fmt.safe(reason))
        case .created(let t, let path, let unrecorded):
            busy = nil
            let text = unrecorded.map { "created topic \(Fmt.safe(t.name)); " + Fmt.safe($0) }
                ?? "created topic \(Fmt.safe(t.name)); audit: \(Fmt.safe(path))"
            return PanelOutcome(status: StatusMessage(text: text, isError: unrecorded != nil),
                                reload: true, open: .topicDetail(t.name))
        case .createFailed(_, let reason):
            busy = nil
            step = .form
            problem = "the broker refused to create it, nothing was created: " + reason
            return .error("create failed: " + Fmt.safe(reason))
        case .refused(let reason):
            busy = nil
            problem = reason
            return .error(Fmt.safe(reason))
        }
    }
}
