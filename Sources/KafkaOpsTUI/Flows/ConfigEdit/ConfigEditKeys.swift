import Foundation
import KafkaOpsCore

/// Editing one config: the key table (the footer, `?` help and `update` read it) and what each key does.
extension ConfigEditPanel {
    public enum Action: Sendable { case preview, deleteOverride, cancel }

    /// The value field always has the keys.
    public func isTyping(_ ctx: PanelContext) -> Bool { true }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([
            FlowBinding([.enter], .preview, "preview the change (nothing is sent yet)", short: "preview", destructive: true),
        ] + (entry.source == .topic ? [
            FlowBinding([.ctrl("d")], .deleteOverride, "delete the topic's override (back to the broker's value or Kafka's default; previewed)",
                        short: "delete override", label: "Ctrl-D", destructive: true),
        ] : []) + [
            FlowBinding([.escape], .cancel, "cancel: nothing is sent", short: "cancel"),
        ], readOnly: ctx.readOnly)
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.cancel):
            return PanelOutcome(close: true, status: StatusMessage(text: "cancelled: nothing was changed", isError: false))
        case .action(.preview):
            return preview(ctx, set: [entry.name: typed], delete: [])
        case .action(.deleteOverride):
            return preview(ctx, set: [:], delete: [entry.name])
        case .readOnly(let b):
            return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound:
            _ = field.edit(key)
            return .none
        }
    }

    /// The change panel for the typed value (or the override's deletion), in place of this one.
    func preview(_ ctx: PanelContext, set: [String: String], delete: [String]) -> PanelOutcome {
        guard var snap = ctx.snapshot else { return .error("no cluster data yet") }
        if delete.isEmpty && entry.source == .topic && !entry.isSensitive && entry.value == typed {
            return .info("\(Fmt.safe(entry.name)) is already \(Fmt.safe(typed)) on this topic: nothing to change")
        }
        snap.topicConfigs[topic] = configs
        let preview = ConfigChangePreview.compute(snap, topic: topic, set: set, delete: delete, policy: ctx.policy)
        let title = delete.isEmpty ? "Set \(entry.name)" : "Delete the override of \(entry.name)"
        return PanelOutcome(close: true, push: ChangePanel.configChange(preview, title: title, operations: ctx.operations))
    }
}
