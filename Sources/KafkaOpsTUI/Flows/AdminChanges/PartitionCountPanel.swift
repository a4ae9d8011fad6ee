import Foundation
import KafkaOpsCore

/// The first step of adding partitions to a topic: the new count typed, checked as the CLI checks it
/// (`AddPartitions.plan`: more than now, not an internal topic); Enter opens the change panel's preview
/// (the keyed-records warning, the typed name on a protected profile) in its place.
public struct PartitionCountPanel: FlowPanel {
    public enum Action: Sendable { case next, cancel }

    public let topic: String
    public let current: Int
    public var field = TextField("", maxLength: 6)

    public init(topic: String, current: Int) { self.topic = topic; self.current = current }

    public var title: String { "Add partitions › \(Fmt.safe(topic))" }
    public func isTyping(_ ctx: PanelContext) -> Bool { true }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([FlowBinding([.enter], .next, "preview the change (nothing is sent yet)", short: "preview"),
                  FlowBinding([.escape], .cancel, "cancel: nothing is sent", short: "cancel")], readOnly: ctx.readOnly)
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.cancel): return PanelOutcome(close: true, status: StatusMessage(text: "cancelled: nothing was changed", isError: false))
        case .action(.next): return next(ctx)
        case .readOnly(let b): return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound:
            if case .char(let c) = key, !c.isNumber { return .error("the partition count is a number") }
            _ = field.edit(key)
            return .none
        }
    }

    mutating func next(_ ctx: PanelContext) -> PanelOutcome {
        guard let n = Int32(field.text), n > 0 else { return .error("type the new partition count (more than \(current))") }
        guard let snap = ctx.snapshot else { return .error("no cluster data yet") }
        switch AddPartitions.plan(snap.metadata, topic: topic, partitions: n) {
        case .failure(let r): return .error(r.description)
        case .success(let change):
            let lines: [(text: String, role: Role)] = [
                ("Topic \(topic): \(change.current) → \(change.wanted) partitions (kafka-topics.sh --alter --partitions \(change.wanted))", .title),
                ("", .body),
                ("Warning: " + AddPartitions.keyedRecordsWarning + ".", .warning),
                ("Kafka cannot remove partitions again.", .muted)]
            let confirm = ctx.operations.protected ? topic : nil
            let panel = ChangePanel(title: "Add partitions", preview: lines, blocked: nil, confirmName: confirm,
                                    job: ChangePanel.addPartitionsJob(change, confirmation: confirm))
            return PanelOutcome(close: true, push: panel)
        }
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let lines = WrappedText.lines([
            ("Add partitions to topic \(Fmt.safe(topic)): it has \(current) now; Kafka can only add partitions.", .title),
            ("", .body),
            ("Records with a key go to another partition from then on: the preview says more.", .muted),
        ], width: area.width - 2)
        for (i, l) in lines.prefix(max(0, area.height - 2)).enumerated() {
            g.put(l.text, x: 1, y: area.y + i, maxWidth: area.width - 2, role: l.role)
        }
        let y = area.y + min(lines.count + 1, max(0, area.height - 1))
        let lx = g.put("New partition count: ", x: 1, y: y, maxWidth: area.width / 2, role: .title)
        field.draw(&g, x: 1 + lx, y: y, width: 8, focused: true)
    }
}
