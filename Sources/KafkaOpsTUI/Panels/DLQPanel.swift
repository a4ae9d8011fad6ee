import Foundation
import KafkaOpsCore

/// The dead-letter-queue browser (`d` on a topic, `:dlq [TOPIC]`). Placeholder until the form is built.
public struct DLQPanel: Panel {
    public var title: String { "DLQ " + Fmt.safe(topic ?? "") }

    public var topic: String?

    public static func open(topic: String?, _ ctx: PanelContext) -> (DLQPanel, PanelOutcome) { (DLQPanel(topic: topic), .none) }

    public func footer(_ ctx: PanelContext) -> [(key: String, help: String)] { [("Esc", "close")] }

    public mutating func handle(_ key: Key, _ ctx: PanelContext) -> PanelOutcome { key == .escape ? .closed : .none }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        g.put("not built yet", x: 1, y: area.y, role: .muted)
    }
}
