import Foundation
import KafkaOpsCore

/// The probe: what each key does.
extension ProbePanel {
    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.create):
            guard case .missing(let topic, _, nil) = stage, let creation else { return .none }
            if ctx.operations.protected, let why = confirmation.refusalIfWrong { return .error(why) }
            if ctx.operations.protected { confirmed = confirmation.typed }
            stage = .creating
            return PanelOutcome(jobs: [Self.createJob(topic, findings: creation.findings, policyName: creation.policyName,
                                                      confirmation: ctx.operations.protected ? confirmation.typed : nil,
                                                      ticket: runs.current)])
        case .action(.run):
            guard stage == .confirming else { return .none }
            if let why = confirmation.refusalIfWrong { return .error(why) }
            confirmed = confirmation.typed
            return start(ctx)
        case .action(.restart):
            return start(ctx)
        case .action(.close):
            return PanelOutcome(cancel: ["probe"], close: true)
        case .readOnly(let b):
            return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound:
            if isTyping(ctx) { confirmation.edit(key) }
        }
        return .none
    }
}
