import Foundation
import KafkaOpsCore

/// A read-only page of text with scrolling (the reassignment plan).
public struct TextPanel: FlowPanel {
    public enum Action: Sendable { case close, move(ListNavigation.Move) }

    public var title: String
    public var lines: [(text: String, role: Role)]
    public var nav = ListNavigation()

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([.note("↑↓", "scroll")] + ListNavigation.bindings { Action.move($0) } + [
            FlowBinding([.char(" ")], .move(.pages(1)), "down a page"),
            FlowBinding([.escape, .enter], .close, "close", short: "close", label: "Esc"),
        ], readOnly: ctx.readOnly)
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.close): return .closed
        case .action(.move(let m)): nav.scroll(m, count: wrapped(ctx.content).count, page: ctx.content.height)
        default: break
        }
        return .none
    }

    func wrapped(_ area: PanelArea) -> [(text: String, role: Role)] {
        WrappedText.lines(lines.map { (Fmt.safe($0.text), $0.role) }, width: area.width - 2)
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let wrapped = wrapped(area)
        let start = min(nav.position, max(0, wrapped.count - area.height))
        for (i, l) in wrapped.dropFirst(start).prefix(area.height).enumerated() {
            g.put(l.text, x: 1, y: area.y + i, maxWidth: area.width - 2, role: l.role)
        }
    }
}
