import Foundation
import KafkaOpsCore

/// The change panel: what each key does at each step.
extension ChangePanel {
    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        if phase == .running { return .info("applying… wait for the cluster's answer") }
        switch keys(ctx).lookup(key) {
        case .action(.move(let m)):
            let (lines, room) = layout(ctx.content)
            nav.scroll(m, count: lines.count, page: room)
        case .action(.close):
            return PanelOutcome(close: true, reload: true)
        case .action(.cancel):
            return PanelOutcome(close: true, status: StatusMessage(text: "cancelled: nothing was changed", isError: false))
        case .action(.apply):
            if let why = confirmation?.refusalIfWrong { return .error(why) }
            return start()
        case .readOnly(let b):
            return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound:
            guard phase == .preview else { return .none }
            if let blocked { return .error(blocked) }
            confirmation?.edit(key)
        }
        return .none
    }

    mutating func start() -> PanelOutcome {
        guard phase == .preview, blocked == nil, let job else { return .none }
        phase = .running
        return PanelOutcome(jobs: [job])
    }
}
