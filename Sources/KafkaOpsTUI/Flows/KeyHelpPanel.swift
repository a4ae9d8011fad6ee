import KafkaOpsCore

/// The `?` (or F1) overlay of a panel: every binding of the panel as it is now, with its help label,
/// from the panel's key table. Esc (or Enter, ?, F1) closes it and the panel is back as it was.
public struct KeyHelpPanel: FlowPanel {
    public enum Action: Sendable { case close, move(ListNavigation.Move) }

    public let of: String
    public let entries: [(keys: String, help: String)]
    public var nav = ListNavigation()

    public var title: String { "Keys" }

    public init(of panelTitle: String, _ entries: [(keys: String, help: String)]) {
        of = panelTitle; self.entries = entries
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([
            // `?` and F1 close it too (ConsoleState.performOverPanels: the global help key toggles).
            FlowBinding([.escape, .enter], .close, "close this help", short: "close", label: "Esc"),
        ] + ListNavigation.bindings { Action.move($0) }, readOnly: ctx.readOnly)
    }

    /// Rows of entries shown (below the title and a blank line).
    static func rows(_ ctx: PanelContext) -> Int { max(1, ctx.content.height - 2) }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.close): return .closed
        case .action(.move(let m)): nav.scroll(m, count: entries.count, page: Self.rows(ctx))
        default: break
        }
        return .none
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        g.put("Keys of " + Fmt.safe(of) + " (Esc closes):", x: 1, y: area.y, maxWidth: area.width - 2, role: .title)
        let keyWidth = min(24, (entries.map { DisplayWidth.of($0.keys) }.max() ?? 0) + 2)
        let rows = max(0, area.height - 2)
        let start = min(nav.position, max(0, entries.count - rows))
        if start + rows < entries.count {
            g.put("▼ \(entries.count - start - rows) more (j, End)", x: max(1, area.width - 22), y: area.y, maxWidth: 21, role: .muted)
        }
        for (i, e) in entries.dropFirst(start).prefix(rows).enumerated() {
            let y = area.y + 2 + i
            g.put(e.keys.isEmpty ? "·" : e.keys, x: 2, y: y, maxWidth: keyWidth - 1, role: .keyLabel)
            g.put(e.help, x: 2 + keyWidth, y: y, maxWidth: max(0, area.width - keyWidth - 3), role: .body)
        }
    }
}
