import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard: the key table (the footer, `?` help and `update` read it).
extension ResetWizardPanel {
    public enum Action: Sendable, Hashable {
        case close, back, proceed
        case move(ListNavigation.Move), choose(Int)
        case switchList, focusTopics, focusPartitions, pick, pickAll
        /// The target list: type into the chosen target's field (Enter, Tab), back to the list (Esc, Tab).
        case enterField, leaveField
        case acceptSkips, reset, waitForResult, undo, scrollCommand(Int)
        /// The undo command (it names the undo file) onto the terminal's clipboard (OSC 52).
        case copyUndo
    }

    /// A target's field once entered (Enter or Tab on it), or the group name on a protected profile's
    /// confirmation, has the keys. On the target list itself every key is a key, never text.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        (step == .target && editingField) || (step == .confirm && !needsSkipAcceptance && ctx.operations.protected)
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
        case .target where editingField:
            // In the field: text goes into it; Enter plans, Esc or Tab go back to the list (the text stays).
            all = [FlowBinding([.enter], .proceed, "plan the reset (nothing is changed before the confirmation)", short: "plan"),
                   FlowBinding([.escape, .tab, .backTab], .leaveField, "back to the target list (the text stays)",
                               short: "list", label: "Esc/Tab"),
                   .note("", "typing into " + targetKind.label, help: "the keys are text until Esc or Tab"),
                   FlowBinding([.up], .choose(-1), "leave the field: the previous target"),
                   FlowBinding([.down], .choose(1), "leave the field: the next target")]
        case .target:
            // The list: j/k move like the arrows, whatever the target; a field takes text only once entered.
            let choose: [FlowBinding<Action>] = [.note("↑↓/jk", "choose"),
                                                 FlowBinding([.up, .char("k")], .choose(-1), "the previous target"),
                                                 FlowBinding([.down, .char("j")], .choose(1), "the next target")]
            if targetKind.hasField {
                all = choose + [FlowBinding([.enter, .tab], .enterField, "type into the " + targetKind.label + " field",
                                            short: "type " + targetKind.label, label: "Enter/Tab"),
                                back]
            } else {
                all = choose + [FlowBinding([.enter], .proceed, "plan the reset (nothing is changed before the confirmation)",
                                            short: "plan"),
                                back]
            }
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
                               destructive: true)]
                + (undoCommand == nil ? [] : [FlowBinding<Action>([.char("c")], .copyUndo,
                                                                  "copy the undo command (with the undo file) to the clipboard (OSC 52)",
                                                                  short: "copy undo")])
                + [
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
