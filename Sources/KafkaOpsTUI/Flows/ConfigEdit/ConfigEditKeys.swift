import Foundation
import KafkaOpsCore

/// Editing one config: the key table (the footer, `?` help and `update` read it) and what each key does.
extension ConfigEditPanel {
    public enum Action: Sendable { case preview, cancel }

    /// The value field always has the keys.
    public func isTyping(_ ctx: PanelContext) -> Bool { true }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([
            FlowBinding([.enter], .preview, "preview the change (nothing is sent yet)", short: "preview", destructive: true),
            FlowBinding([.escape], .cancel, "cancel: nothing is sent", short: "cancel"),
        ], readOnly: ctx.readOnly)
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.cancel):
            return PanelOutcome(close: true, status: StatusMessage(text: "cancelled: nothing was changed", isError: false))
        case .action(.preview):
            return preview(ctx)
        case .readOnly(let b):
            return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound:
            _ = field.edit(key)
            return .none
        }
    }

    /// The change panel for the typed value, in place of this one.
    func preview(_ ctx: PanelContext) -> PanelOutcome {
        guard var snap = ctx.snapshot else { return .error("no cluster data yet") }
        if entry.source == .topic && !entry.isSensitive && entry.value == typed {
            return .info("\(Fmt.safe(entry.name)) is already \(Fmt.safe(typed)) on this topic: nothing to change")
        }
        snap.topicConfigs[topic] = configs
        let preview = ConfigChangePreview.compute(snap, topic: topic, set: [entry.name: typed], policy: ctx.policy)
        let change = ChangePanel.configChange(preview, title: "Set \(entry.name)", operations: ctx.operations)
        return PanelOutcome(close: true, push: change)
    }
}
