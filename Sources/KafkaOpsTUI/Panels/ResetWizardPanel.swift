import Foundation
import KafkaOpsCore

/// The reset wizard (`R` on a group, `:reset GROUP`). Placeholder until the form is built.
public struct ResetWizardPanel: Panel {
    public var title: String { "Reset offsets › " + Fmt.safe(group) }

    public var group: String

    public static func open(group: String, _ ctx: PanelContext) -> (ResetWizardPanel, PanelOutcome) { (ResetWizardPanel(group: group), .none) }

    public func footer(_ ctx: PanelContext) -> [(key: String, help: String)] { [("Esc", "close")] }

    public mutating func handle(_ key: Key, _ ctx: PanelContext) -> PanelOutcome { key == .escape ? .closed : .none }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        g.put("not built yet", x: 1, y: area.y, role: .muted)
    }
}
