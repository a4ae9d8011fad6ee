import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard: the key table (the footer, `?` help and `update` read it).
extension ResetWizardPanel {
    public enum Action: Sendable, Hashable {
        case close, back, proceed
        case move(ListNavigation.Move), choose(Int)
        case switchList, focusTopics, focusPartitions, pick, pickAll
        case acceptSkips, reset, waitForResult, undo, scrollCommand(Int)
    }

    /// A target's field, or the group name on a protected profile's confirmation, has the keys.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        (step == .target && targetKind.hasField) || (step == .confirm && !needsSkipAcceptance && ctx.operations.protected)
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        let close = FlowBinding<Action>([.escape], .close, "close (nothing was changed)", short: "close")
        let back = FlowBinding<Action>([.escape], .back, "back one step (nothing is sent)", short: "back")
        let moves = ListNavigation.bindings { Action.move($0) }
        let spacePages = [FlowBinding<Action>([.char(" ")], .move(.pages(1)), "down a page")]
        let all: [FlowBinding<Action>]
        switch step {
        case .loading, .loadFailed, .refused:
            all = [close]
        case .scope:
            all = [FlowBinding([.char(" ")], .pick, "pick or unpick the topic (all its partitions) or the partition", short: "pick"),
                   FlowBinding([.char("a")], .pickAll, "pick or unpick everything in the list", short: "all"),
                   FlowBinding([.tab, .backTab], .switchList, "switch between the topics and their partitions",
                               short: "topics/partitions", label: "Tab"),
                   FlowBinding([.enter], .proceed, "choose the target (nothing picked: every partition the group committed)",
                               short: "target"),
                   close,
                   FlowBinding([.left, .char("h")], .focusTopics, "the topics list"),
                   FlowBinding([.right, .char("l")], .focusPartitions, "the partitions list")]
                + moves
        case .target:
            // j/k choose too while the chosen target has no field to type into (to-earliest, to-latest, to-current).
            let letters = isTyping(ctx) ? [] : [(Key.char("k"), Key.char("j"))]
            all = [.note(isTyping(ctx) ? "↑↓" : "↑↓/jk", "choose"),
                   FlowBinding([.up, .backTab] + letters.map(\.0), .choose(-1), "the previous target"),
                   FlowBinding([.down, .tab] + letters.map(\.1), .choose(1), "the next target"),
                   FlowBinding([.enter], .proceed, "plan the reset (nothing is changed before the confirmation)", short: "plan"),
                   back]
        case .planning:
            all = [back]
        case .plan:
            all = [.note("↑↓", "scroll"),
                   FlowBinding([.enter], .proceed, "go to the confirmation", short: "confirm"), back] + moves + spacePages
        case .confirm where needsSkipAcceptance:
            all = [FlowBinding([.char("y"), .char("Y")], .acceptSkips, "accept that the reset skips records", short: "accept skipping",
                               label: "y"),
                   back, FlowBinding([.enter], .proceed, "(after y) reset the offsets now")]
        case .confirm:
            all = [FlowBinding([.enter], .reset, ctx.operations.protected ? "reset the offsets now (after typing the group name)"
                                                                            : "reset the offsets now",
                               short: "reset now", destructive: true),
                   back]
        case .executing:
            all = [.note("", "resetting…", help: "the offsets are being reset: the result follows"),
                   FlowBinding([.escape], .waitForResult, "(the reset is running; its result follows)")]
        case .result:
            all = [.note("↑↓", "scroll"),
                   FlowBinding([.char("u")], .undo, "undo this reset: plan going back to the offsets before it", short: "undo this reset",
                               destructive: true),
                   FlowBinding([.escape, .enter], .close, "close", short: "close", label: "Esc")]
                // The undo command stays one line (copyable): ←/→ scroll it when it is wider than the panel.
                + (DisplayWidth.of(undoCommand ?? "") > ctx.size.width - 2 ? [.note("←/→", "scroll command")] : [])
                + [FlowBinding([.right, .char("l")], .scrollCommand(8), "scroll the undo command right"),
                   FlowBinding([.left, .char("h")], .scrollCommand(-8), "scroll the undo command left")]
                + moves + spacePages
        }
        return FlowKeys(all, readOnly: ctx.readOnly)
    }
}
