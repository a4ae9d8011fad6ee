import Foundation
import KafkaOpsCore

/// The change panel: drawing (a pure function of the model).
extension ChangePanel {
    /// The name field's rows at the bottom (a protected profile's preview).
    var fieldRows: Int { confirmation != nil && phase == .preview && blocked == nil ? 2 : 0 }

    /// The lines to show, wrapped to `area`, and the rows they scroll in (the same for keys and drawing).
    func layout(_ area: PanelArea) -> (lines: [(text: String, role: Role)], room: Int) {
        var lines = preview
        switch phase {
        case .reading:
            lines.append(("Reading the cluster… (nothing is sent before you confirm)", .muted))
        case .preview:
            lines.append(("", .body))
            if let blocked {
                lines.append(("Refused: " + blocked, .critical))
                lines.append(("Nothing was sent. Esc closes.", .muted))
            } else if confirmation != nil {
                lines.append(("This profile is protected: type the \(nameKind) and press Enter to apply (Esc cancels).", .warning))
            } else {
                lines.append(("Press Enter or y to apply, Esc to cancel. Nothing has been sent yet.", .warning))
            }
        case .running:
            lines.append(("", .body))
            lines.append(("Applying… (the audit log is written before the request)", .muted))
        case .done(let r):
            lines.append(("", .body))
            for (i, l) in r.lines.enumerated() { lines.append((l, i == 0 ? (r.ok ? .healthy : .critical) : .body)) }
            lines.append(("Enter or Esc closes (the cluster view reloads).", .muted))
        }
        return (WrappedText.lines(lines.map { (Fmt.safe($0.text), $0.role) }, width: area.width - 2), max(1, area.height - fieldRows))
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let (lines, room) = layout(area)
        let start = min(nav.position, max(0, lines.count - room))
        for (i, l) in lines.dropFirst(start).prefix(room).enumerated() {
            g.put(l.text, x: 1, y: area.y + i, maxWidth: area.width - 2, role: l.role)
        }
        if fieldRows > 0, let confirmation {
            let y = area.y + area.height - 2
            let lx = g.put("Type \(Fmt.safe(confirmation.name)): ", x: 1, y: y, maxWidth: area.width / 2, role: .title)
            confirmation.draw(&g, x: 1 + lx, y: y, width: max(10, min(60, area.width - lx - 3)))
        }
    }
}
