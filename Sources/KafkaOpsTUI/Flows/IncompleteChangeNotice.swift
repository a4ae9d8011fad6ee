import Foundation
import KafkaOpsCore

/// The status line's word when a change flow opens on a target whose earlier change has a started record and
/// no outcome in the audit log (killed, or still running elsewhere): the operator sees it before planning
/// anything. The audit log is a local file (`OperationSettings.readChangeHistory`), read when the flow opens.
enum IncompleteChangeNotice {
    /// The change a panel is about to make: its action and target (nil: the panel changes nothing by itself).
    static func change(of panel: any Panel) -> (ChangeAction, String)? {
        if let p = panel as? DLQReplayPanel { return (.replayDLQ, p.dlq) }
        if let p = panel as? ResetWizardPanel, !p.group.isEmpty { return (.resetOffsets, p.group) }
        return nil
    }

    static func status(for panel: any Panel, _ ctx: PanelContext) -> StatusMessage? {
        guard let (action, target) = change(of: panel), let read = ctx.operations.readChangeHistory,
              let history = try? read() else { return nil }
        let open = history.unresolvedIncomplete(action: action.rawValue, target: target, profile: ctx.operations.profileName)
        guard let first = open.last else { return nil }
        let more = open.count > 1 ? " (and \(open.count - 1) more; kafkaops changes --incomplete lists them)" : ""
        return StatusMessage(text: Fmt.safe(first.incompleteDescription) + more, isError: true)
    }
}
