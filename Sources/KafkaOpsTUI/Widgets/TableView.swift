import Foundation
import KafkaOpsCore

extension Views {
    /// Draws a table: a header row, then only the visible rows (panels call this directly). `noRows`
    /// is shown when the table has no rows at all; `noMatch`, when the filter hides them all.
    static func table(_ t: Table, x: Int, y: Int, width: Int, height: Int, noRows: String, noMatch: String? = nil,
                      _ g: inout Grid) {
        guard height > 0 else { return }
        let widths = t.layout(width: width - 1)
        // Header.
        var cx = x + 1
        for (i, c) in t.columns.enumerated() where widths[i] > 0 {
            var title = c.title
            if t.sortColumn == i && (i != 0 || t.descending) { title += t.descending ? "↓" : "↑" }
            g.put(title, x: cx, y: y, maxWidth: widths[i], role: .tableHeader, align: c.align)
            cx += widths[i] + 1
        }
        let rowsHeight = height - 1
        guard rowsHeight > 0 else { return }
        if t.count == 0 {
            let text: String
            if t.rows.isEmpty {
                text = noRows
            } else if !t.filter.isEmpty {
                text = noMatch ?? "no rows match the filter '\(Fmt.safe(t.filter))' (Esc clears it)"
            } else if t.onlyUnhealthy {
                text = "all topics are healthy (u shows every topic)"
            } else {
                text = t.emptyText
            }
            g.put(text, x: x + 2, y: y + 1, maxWidth: width - 2, role: .muted)
            return
        }
        // Clamp defensively: the view never trusts the offset blindly.
        let offset = max(0, min(t.offset, max(0, t.count - rowsHeight)))
        let end = min(t.count, offset + rowsHeight)
        for i in offset..<end {
            let row = t.rows[t.order[i]]
            let ry = y + 1 + i - offset
            let selected = i == t.selected
            if selected { g.fill(y: ry, x: x, width: width, role: .selected) }
            if let span = row.span {
                g.put(span, x: x + 1, y: ry, maxWidth: width - 2, role: selected ? .selected : (row.roles.first ?? .body))
                continue
            }
            cx = x + 1
            for (c, col) in t.columns.enumerated() where widths[c] > 0 {
                var text = c < row.cells.count ? row.cells[c] : ""
                if col.cut == .middle { text = DisplayWidth.middleCut(text, width: widths[c]) }
                let role: Role = selected ? .selected : (c < row.roles.count ? row.roles[c] : .body)
                g.put(text, x: cx, y: ry, maxWidth: widths[c], role: role, align: col.align)
                cx += widths[c] + 1
            }
        }
        // Scroll marks when rows are hidden above or below.
        if offset > 0 { g.put("▲", x: x + width - 1, y: y + 1, role: .muted) }
        if end < t.count { g.put("▼", x: x + width - 1, y: y + rowsHeight, role: .muted) }
    }
}
