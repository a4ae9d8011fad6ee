import Foundation
import KafkaOpsCore

/// The change panel: the key table (the footer, `?` help and `update` read it).
extension ChangePanel {
    public enum Action: Sendable { case apply, cancel, close, move(ListNavigation.Move) }

    /// The topic name is being typed (a protected profile's confirmation).
    public func isTyping(_ ctx: PanelContext) -> Bool { confirmation != nil && phase == .preview }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        // The list keys scroll; j/k and g/G only when they are not being typed into the name field.
        let scrolling = ListNavigation.bindings(typing: isTyping(ctx)) { Action.move($0) }
        let cancel = FlowBinding<Action>([.escape], .cancel, "cancel: nothing is sent", short: blocked == nil ? "cancel" : "close")
        switch phase {
        case .reading:
            return FlowKeys([FlowBinding<Action>([.escape], .cancel, "cancel: nothing is sent", short: "cancel")], readOnly: ctx.readOnly)
        case .preview where blocked != nil:
            return FlowKeys([cancel] + scrolling, readOnly: ctx.readOnly)
        case .preview:
            let apply = confirmation == nil
                ? FlowBinding<Action>([.enter, .char("y")], .apply, "apply the change", short: "apply", destructive: true)
                : FlowBinding<Action>([.enter], .apply, "apply the change (after typing the \(nameKind))",
                                      short: "apply (after typing the name)", destructive: true)
            return FlowKeys([apply, cancel] + scrolling, readOnly: ctx.readOnly)
        case .running:
            return FlowKeys([.note("", "applying…", help: "the change is being applied: wait for the cluster's answer")],
                            readOnly: ctx.readOnly)
        case .done:
            return FlowKeys([FlowBinding([.enter, .escape], .close, "close (the cluster view reloads)",
                                         short: "close", label: "Enter/Esc")] + scrolling, readOnly: ctx.readOnly)
        }
    }
}
