import Foundation
import KafkaOpsCore

/// The replay: the key table (the footer, `?` help and `update` read it).
extension DLQReplayPanel {
    public enum Action: Sendable { case proceed, back, replay, stop, retry, close }

    /// The target topic field has the keys in the preview; the DLQ name field in a protected confirmation.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        stage == .preview || (stage == .confirm && ctx.operations.protected)
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        let back = FlowBinding<Action>([.escape], .back, "back (nothing is sent)", short: "back")
        switch stage {
        case .preview:
            return FlowKeys([.note("type", "target topic", help: "type the target topic (empty: each record's original topic)"),
                             FlowBinding([.enter], .proceed, "continue to the confirmation (nothing is sent yet)", short: "continue"),
                             back], readOnly: ctx.readOnly)
        case .confirm:
            let replay = ctx.operations.protected
                ? FlowBinding<Action>([.enter], .replay, "replay the records (after typing the DLQ topic name)", short: "replay",
                                      destructive: true)
                : FlowBinding<Action>([.char("y"), .enter], .replay, "replay the records", short: "replay", destructive: true)
            return FlowKeys((ctx.operations.protected ? [.note("type", "DLQ name", help: "type the DLQ topic's name to confirm")] : [])
                            + [replay, back], readOnly: ctx.readOnly)
        case .running:
            return FlowKeys([FlowBinding([.char("s"), .escape], .stop, "stop after this batch (what was written stays written)",
                                         short: "stop after this batch")], readOnly: ctx.readOnly)
        case .done:
            let rest = progress?.report.remaining.count ?? 0
            let retry = rest > 0 ? [FlowBinding<Action>([.char("r")], .retry, "retry the \(rest) record(s) not written", short: "retry \(rest)",
                                                        destructive: true)] : []
            return FlowKeys(retry + [FlowBinding([.escape, .enter], .close, "close", short: "close", label: "Esc")],
                            readOnly: ctx.readOnly)
        }
    }
}
