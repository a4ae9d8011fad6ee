import Foundation
import KafkaOpsCore

/// Guided topic creation (`c` on the topics screen, `:create`). Placeholder until the form is built.
public struct CreateTopicPanel: Panel {
    public var title: String { "Create topic" }

    public static func open(_ ctx: PanelContext) -> (CreateTopicPanel, PanelOutcome) { (CreateTopicPanel(), .none) }

    public func footer(_ ctx: PanelContext) -> [(key: String, help: String)] { [("Esc", "close")] }

    public mutating func handle(_ key: Key, _ ctx: PanelContext) -> PanelOutcome { key == .escape ? .closed : .none }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        g.put("not built yet", x: 1, y: area.y, role: .muted)
    }
}
