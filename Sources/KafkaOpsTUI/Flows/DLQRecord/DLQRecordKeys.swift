import Foundation
import KafkaOpsCore

/// The record view: the key table (the footer, `?` help and `update` read it).
extension DLQRecordPanel {
    public enum Action: Sendable { case close, move(ListNavigation.Move), record(Int), cycleView, rawHex, skip }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([.note("↑↓/PgUp/PgDn", "scroll")] + ListNavigation.bindings { Action.move($0) } + [
            FlowBinding([.enter], .move(.lines(1)), "down a row"),
            FlowBinding([.char(" ")], .move(.pages(1)), "down a page"),
            .note("n/N", "next/prev"),
            FlowBinding([.char("n")], .record(1), "the next record of the list"),
            FlowBinding([.char("N")], .record(-1), "the previous record of the list"),
            FlowBinding([.char("v")], .cycleView, "payload view: pretty JSON / text / hex", short: "view: " + mode.label),
            FlowBinding([.char("x")], .rawHex, "raw hex / decoded (a record with a schema)", short: mode == .hex ? "decoded" : "hex"),
        ] + (origin == nil ? [] : [
            FlowBinding([.char("s")], .skip, "skip this record: the reset wizard, this partition, to the offset after it (previewed, confirmed)",
                        short: "skip", destructive: true),
        ]) + [
            FlowBinding([.escape, .backspace], .close, origin == nil ? "back to the list" : "back to the group", short: "back", label: "Esc"),
        ], readOnly: ctx.readOnly)
    }
}
