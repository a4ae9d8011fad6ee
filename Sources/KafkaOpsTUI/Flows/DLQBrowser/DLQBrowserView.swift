import Foundation
import KafkaOpsCore

/// The DLQ browser: drawing (a pure function of the model).
extension DLQPanel {
    /// The list's mark for a record replayed from here (column R).
    static let replayMark = "R"
    static let listColumns = [Column("M", width: 1), Column("R", width: 1), Column("P:OFFSET", width: 8), Column("TIME (UTC)", width: 11),
                              Column("KEY", width: 8), Column("ORIGIN", width: 13), Column("ERROR", width: 13),
                              .flex("MESSAGE", min: 8)]
    static let recordColumns = [Column("M", width: 1), Column("R", width: 1), Column("P:OFFSET", width: 8), Column("TIME (UTC)", width: 11),
                                Column("KEY", width: 12), .flex("VALUE", min: 10)]
    static let summaryColumns = [Column("M", width: 1), .number("COUNT", 6), Column("ERROR / ORIGINAL TOPIC", width: 24),
                                 .flex("MESSAGE PATTERN / ORIGINAL OFFSETS", min: 10)]


    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let y = area.y
        let tableHeight = max(2, area.height - 2)
        switch pane {
        case .picker:
            g.put("Pick the topic to browse as a dead-letter queue (likely ones first)", x: 1, y: y, role: .muted)
            drawTable(picker, y: y + 1, height: tableHeight, &g, empty: "no topics loaded yet")
        case .records, .summary:
            infoLine(&g, y: y)
            if pane == .records {
                drawTable(list, y: y + 1, height: tableHeight, &g,
                          empty: loading ? "reading…" : (loadError.map { "cannot read: " + Fmt.safe($0) } ?? "no records in this topic"))
            } else {
                drawTable(summaryTable, y: y + 1, height: tableHeight, &g, empty: loading ? "reading…" : "no records")
            }
        }
        let last = area.y + area.height - 1
        if let field = timeField {
            let lx = g.put("from (2026-11-24T10:00:00.000, or PT1H back): ", x: 0, y: last, maxWidth: area.width / 2 + 8, role: .prompt)
            field.draw(&g, x: lx, y: last, width: max(10, area.width - lx - 1), focused: true)
        } else if let field = search {
            g.put("/", x: 0, y: last, role: .prompt)
            field.draw(&g, x: 1, y: last, width: area.width - 2, focused: true)
        } else if pane == .summary {
            // The selected group in full (the table cuts long classes and patterns).
            let (ids, _) = selectedGroupMembers
            if let row = summaryTable.selectedRow, !ids.isEmpty, let n = Int(row.id.dropFirst()) {
                let text = row.id.hasPrefix("e") && n < summary.byError.count
                    ? (summary.byError[n].errorClass ?? "-") + ": " + summary.byError[n].pattern
                    : "\(ids.count) record(s) from " + (row.id.hasPrefix("t") && n < summary.byTopic.count ? summary.byTopic[n].originalTopic ?? "(unknown)" : "")
                g.put(Fmt.safe(text), x: 1, y: last, maxWidth: area.width - 2, role: .muted)
            } else {
                g.put("Space marks every record of the selected group", x: 1, y: last, role: .muted)
            }
        }
    }

    func infoLine(_ g: inout Grid, y: Int) {
        var x = 1
        let count = entries.count
        x += g.put(pane == .records ? "[Records]" : " Records ", x: x, y: y, role: pane == .records ? .selected : .muted)
        x += 1
        x += g.put(pane == .summary ? "[Summary]" : " Summary ", x: x, y: y, role: pane == .summary ? .selected : .muted)
        x += 2
        var info = "\(count) record(s)" + (newest ? " (newest)" : "")
            + (fromTime.map { " from " + ISO8601.string(milliseconds: $0) } ?? "") + (more ? "+ read (End/m: more)" : " read")
        if loading { info = count == 0 ? "reading…" : info + " reading…" }
        x += g.put(info, x: x, y: y, role: .body)
        if !marked.isEmpty { x += g.put("  \(marked.count) marked", x: x, y: y, role: .highlight) }
        let replayedShown = entries.filter { replayed[$0.id] != nil }.count
        if replayedShown > 0 { x += g.put("  \(replayedShown) replayed (R)", x: x, y: y, role: .healthy) }
        if let gv = groupView {
            x += g.put("  group: " + Fmt.safe(gv.label) + " (\(list.count))", x: x, y: y, maxWidth: max(0, g.width - x - 1), role: .muted)
        }
        if !list.filter.isEmpty {
            x += g.put("  filter: " + Fmt.safe(list.filter) + " (\(list.count))", x: x, y: y, maxWidth: max(0, g.width - x - 1), role: .muted)
        }
    }

    func drawTable(_ t: Table, y: Int, height: Int, _ g: inout Grid, empty: String) {
        Views.table(t, x: 0, y: y, width: g.width, height: height, noRows: empty,
                    noMatch: "no record matches '\(Fmt.safe(t.filter))' (Esc clears the search)", &g)
    }
}
