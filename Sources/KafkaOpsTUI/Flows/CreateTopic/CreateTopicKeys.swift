import Foundation
import KafkaOpsCore

/// Topic creation: the key table (the footer, `?` help and `update` read it).
extension CreateTopicPanel {
    public enum Action: Sendable { case next, previous, nextOrReview, review, cancel, validate, stopValidating, edit, create, policyOverride }

    /// A form field has the keys, or the topic name is typed again on a protected profile.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        busy == nil && (step == .form || (step == .confirm && needsTypedName(ctx)))
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        if busy == .creating {
            return FlowKeys([.note("", "creating the topic: waiting for the broker")], readOnly: ctx.readOnly)
        }
        let edit = FlowBinding<Action>([.escape], .edit, "back to the form", short: "edit")
        switch step {
        case .form:
            return FlowKeys([
                FlowBinding([.tab, .down], .next, "the next field", short: "next"),
                FlowBinding([.backTab, .up], .previous, "the previous field", short: "previous"),
                // Ctrl-S and F2 both reach the console in tmux and over SSH: the terminal is in raw mode.
                FlowBinding([.ctrl("s"), .function(2)], .review, "review the topic (when the form has no error)", short: "review"),
                FlowBinding([.escape], .cancel, "cancel: nothing is sent", short: "cancel"),
            ] + (Self.canOverride(ctx) ? [
                FlowBinding([.ctrl("o")], .policyOverride,
                            policyOverride ? "policy override off" : "override the policy (too few live brokers for its replication factor; the name is typed to create, the change log records it)",
                            short: policyOverride ? "override off" : "override policy", label: "Ctrl-O", destructive: true),
            ] : []) + [
                FlowBinding([.enter], .nextOrReview, "the next field; on the last one, the review"),
            ], readOnly: ctx.readOnly)
        case .review where busy == .validating:
            return FlowKeys([FlowBinding([.escape], .stopValidating, "stop validating (nothing is created)", short: "stop validating")],
                            readOnly: ctx.readOnly)
        case .review:
            return FlowKeys([FlowBinding([.enter], .validate, "ask the broker to validate it (validate-only: nothing is created)",
                                         short: "validate on the broker"), edit], readOnly: ctx.readOnly)
        case .confirm:
            let create = FlowBinding<Action>([.enter], .create, "create the topic (recorded in the audit log)", short: "create",
                                             label: needsTypedName(ctx) ? "type the name, Enter" : "Enter", destructive: true)
            return FlowKeys([create, edit], readOnly: ctx.readOnly)
        }
    }
}
