import Foundation
import KafkaOpsCore

/// The DLQ browser: the key table (the footer, `?` help and `update` read it).
extension DLQPanel {
    public enum Action: Sendable, Hashable {
        case keep, clear, move(ListNavigation.Move), escape, search
        case browse, view, mark, markAll, clearMarks, switchPane, toggleNewest, fromTime, more, reload, replay
        case markGroup, showGroup
    }

    /// The search or the start time is being typed.
    public func isTyping(_ ctx: PanelContext) -> Bool { search != nil || timeField != nil }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        if search != nil {
            return FlowKeys([FlowBinding([.enter], .keep, "keep the filter", short: "keep filter"),
                             FlowBinding([.escape], .clear, "clear the filter", short: "clear")], readOnly: ctx.readOnly)
        }
        if timeField != nil {
            return FlowKeys([FlowBinding([.enter], .keep, "read from this time (empty: from the start)",
                                         short: "read from this time (empty: from the start)"),
                             FlowBinding([.escape], .clear, "cancel", short: "cancel")], readOnly: ctx.readOnly)
        }
        let moves = ListNavigation.bindings { Action.move($0) }
        let search = FlowBinding<Action>([.char("/")], .search, "search keys, values and headers", short: "search")
        let close = FlowBinding<Action>([.escape], .escape, "clear the search, leave the group shown, or close", short: "close")
        let replay = FlowBinding<Action>([.char("p"), .char("x")], .replay, "replay the marked records (else the selected one)",
                                         short: "replay", label: "p", destructive: true)
        switch pane {
        case .picker:
            return FlowKeys([FlowBinding([.enter], .browse, "browse the topic as a dead-letter queue", short: "browse"), search, close]
                            + moves, readOnly: ctx.readOnly)
        case .records:
            return FlowKeys([
                FlowBinding([.enter], .view, "view the record in full", short: "view"),
                FlowBinding([.char(" ")], .mark, "mark or unmark the record", short: "mark"),
                FlowBinding([.tab, .backTab], .switchPane, "the summary by error and by original topic", short: "summary", label: "Tab"),
                search, replay, close,
                FlowBinding([.char("n")], .toggleNewest, newest ? "the oldest records" : "the newest records",
                            short: newest ? "oldest" : "newest"),
                FlowBinding([.char("t")], .fromTime, "read from a time (or PT1H back)", short: "from time"),
                FlowBinding([.char("a")], .markAll, "mark every record shown", short: "mark all"),
                FlowBinding([.char("c")], .clearMarks, "unmark every record", short: "clear"),
                FlowBinding([.char("m")], .more, "read the next page"),
                FlowBinding([.char("r"), .ctrl("r")], .reload, "read again from the start"),
            ] + moves, readOnly: ctx.readOnly)
        case .summary:
            return FlowKeys([
                FlowBinding([.char(" "), .char("a")], .markGroup, "mark or unmark every record of the group", short: "mark group",
                            label: "Space"),
                FlowBinding([.enter], .showGroup, "show only the group's records", short: "show group"),
                FlowBinding([.tab, .backTab], .switchPane, "the records", short: "records", label: "Tab"),
                replay,
                FlowBinding([.char("c")], .clearMarks, "unmark every record", short: "clear marks"),
                close, search,
            ] + moves, readOnly: ctx.readOnly)
        }
    }

    /// Rows of the current table that fit (the panel area minus the info line, the table header and the
    /// search line).
    static func rowsVisible(_ ctx: PanelContext) -> Int { max(1, ctx.content.height - 3) }
}
