import Foundation
import KafkaOpsCore

/// Editing one config: drawing (a pure function of the model).
extension ConfigEditPanel {
    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        var y = area.y
        let w = area.width - 2
        g.put("Topic \(Fmt.safe(topic))", x: 1, y: y, maxWidth: w, role: .title); y += 2
        g.put(DisplayWidth.middleCut(Fmt.safe(entry.name), width: w), x: 1, y: y, maxWidth: w, role: .highlight); y += 1
        g.put("now: " + DisplayWidth.middleCut(ConfigRows.shownValue(entry), width: max(10, w - 5)), x: 1, y: y, maxWidth: w, role: .body); y += 1
        g.put("source: " + ConfigRows.sourceDetail(entry.source), x: 1, y: y, maxWidth: w, role: .muted); y += 2
        let label = g.put("new value: ", x: 1, y: y, role: .title)
        field.draw(&g, x: 1 + label, y: y, width: max(10, min(60, w - label)), focused: true); y += 2
        let help = "Enter previews the change (before → after, the policy's verdict); nothing is sent until it is confirmed there."
            + (entry.source == .topic ? " Ctrl-D previews deleting the topic's override instead." : "")
        for line in TextWrap.words(help, width: w) {
            g.put(line, x: 1, y: y, maxWidth: w, role: .muted); y += 1
        }
    }
}
