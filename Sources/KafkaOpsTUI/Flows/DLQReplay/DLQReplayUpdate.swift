import Foundation
import KafkaOpsCore

/// The replay: what each key does at each step.
extension DLQReplayPanel {
    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.proceed):
            if let why = blocker(ctx) { return .error(why) }
            confirmation = Self.nameConfirmation(dlq)
            retrying = false
            stage = .confirm
        case .action(.back):
            if stage == .preview { return .closed }
            stage = progress == nil ? .preview : .done
        case .action(.replay):
            if ctx.operations.protected, let why = confirmation.refusalIfWrong { return .error(why) }
            return start(ctx)
        case .action(.stop):
            guard !stopping else { return .none }
            // Not a cancel: the batch in flight gets its delivery reports, then the outcome is written.
            stopping = true
            stop.raise()
            return PanelOutcome(status: StatusMessage(text: "stopping after the current batch…", isError: false))
        case .action(.retry):
            confirmation = Self.nameConfirmation(dlq)
            retrying = true
            stage = .confirm
        case .action(.close):
            return .closed
        case .readOnly:
            return .error("read-only connection: records cannot be replayed")
        case .unbound:
            switch stage {
            case .preview:
                guard target.edit(key) else { return .none }
                plan = Self.plan(entries, target: target.text, now: now, mapping: ctx.operations.dlqHeaders)
            case .confirm where ctx.operations.protected:
                confirmation.edit(key)
            default: break
            }
        }
        return .none
    }
}
