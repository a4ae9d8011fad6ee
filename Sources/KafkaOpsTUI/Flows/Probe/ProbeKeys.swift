import Foundation
import KafkaOpsCore

/// The probe: the key table (the footer, `?` help and `update` read it).
extension ProbePanel {
    public enum Action: Sendable { case create, run, restart, close }

    /// The topic name field has the keys while a protected profile's creation is asked.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        if case .missing(_, _, nil) = stage { return ctx.operations.protected }
        return stage == .confirming
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        let close = FlowBinding<Action>([.escape, .char("q")], .close, "close (the probe stops)", short: "close", label: "Esc")
        switch stage {
        case .missing(_, _, nil):
            let create = ctx.operations.protected
                ? FlowBinding<Action>([.enter], .create, "create the probe topic (after typing its name)", short: "create", destructive: true)
                : FlowBinding<Action>([.char("c"), .enter], .create, "create the probe topic (checked and audited, as topic create)",
                                      short: "create", destructive: true)
            return FlowKeys((ctx.operations.protected ? [.note("type", "topic name", help: "type the topic name to confirm")] : [])
                            + [create, close], readOnly: ctx.readOnly)
        case .confirming:
            return FlowKeys([.note("type", "topic name", help: "type the topic name to confirm"),
                             FlowBinding<Action>([.enter], .run, "write probe records to the topic (after typing its name)",
                                                 short: "probe", destructive: true), close], readOnly: ctx.readOnly)
        case .stopped:
            return FlowKeys([FlowBinding([.char("r")], .restart, "start the probe again", short: "retry"), close], readOnly: ctx.readOnly)
        default:
            return FlowKeys([close], readOnly: ctx.readOnly)
        }
    }
}
