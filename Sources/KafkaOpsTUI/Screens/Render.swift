import Foundation
import KafkaOpsCore

/// Draws the state into a grid: a pure function of the state. Cells carry roles; the theme turns
/// roles into colours in the terminal layer, so the grid is the same whatever the theme.
public func render(_ state: ConsoleState, theme: Theme = .builtIn, into grid: inout Grid) {
    grid.reset(to: state.size)
    if state.isTooSmall {
        Views.tooSmall(state, &grid)
        return
    }
    Views.header(state, &grid)
    if let top = state.topPanel {
        Views.panel(top, state, &grid)
        Views.statusLine(state, &grid)
        return
    }
    Views.titleLine(state, &grid)
    switch state.current.screen {
    case .overview: Views.overview(state, &grid)
    case .topicDetail(let t): Views.detailSummary(topic: t, state, &grid); Views.currentTable(state, &grid)
    case .groupDetail(let g): Views.detailSummary(group: g, state, &grid); Views.currentTable(state, &grid)
    case .whatIf(let ids): Views.whatIfSummary(ids, state, &grid); Views.currentTable(state, &grid)
    case .acls: Views.aclSummary(state, &grid); Views.currentTable(state, &grid)
    case .topicConfigs, .brokerConfigs: Views.configSummary(state.current.screen, state, &grid); Views.currentTable(state, &grid)
    default: Views.currentTable(state, &grid)
    }
    Views.statusLine(state, &grid)
    Views.footer(state, &grid)
}

enum Views {
    static let spinnerFrames: [Character] = ["|", "/", "-", "\\"]

    static func tooSmall(_ state: ConsoleState, _ g: inout Grid) {
        let msg = "terminal too small (need \(Size.minimum.width)x\(Size.minimum.height), have \(state.size.width)x\(state.size.height))"
        let y = max(0, state.size.height / 2 - 1)
        let w = DisplayWidth.of(msg)
        g.put(msg, x: max(0, (state.size.width - w) / 2), y: y, role: .warning)
        let hint = "enlarge the window, or press q to quit"
        g.put(hint, x: max(0, (state.size.width - hint.count) / 2), y: y + 1, role: .muted)
        // The answer to a key pressed here (quitting in the middle of a change asks first).
        if let s = state.status, s.isError {
            for (i, l) in TextWrap.words(s.text, width: state.size.width).enumerated() {
                g.put(l, x: 0, y: y + 2 + i, maxWidth: state.size.width, role: .statusError)
            }
        }
    }

    // MARK: header

    static func header(_ state: ConsoleState, _ g: inout Grid) {
        g.fill(y: 0, role: .header)
        var x = g.put(" kafkaops ", x: 0, y: 0, role: .header)
        x += g.put("│ " + Fmt.safe(state.profileName) + " ", x: x, y: 0, maxWidth: 24, role: .header)
        if let id = state.snapshot?.metadata.clusterID {
            x += g.put("│ cluster " + Fmt.safe(id) + " ", x: x, y: 0, maxWidth: max(20, g.width / 3), role: .header)
        }
        if state.isDemo { x += 1; x += g.put(" DEMO ", x: x, y: 0, role: .badge) }
        if state.readOnly { x += 1; x += g.put(" READ-ONLY ", x: x, y: 0, role: .badge) }
        // Right side: spinner and the age of the data.
        var right = ""
        if let snap = state.snapshot {
            let age = Int(state.now.timeIntervalSince(snap.fetchedAt).rounded(.down))
            right = "updated \(Fmt.age(age)) ago"
        } else if state.lastError != nil {
            right = "no data"
        } else {
            right = "connecting"
        }
        if state.loading { right = "\(spinnerFrames[state.spinner % spinnerFrames.count]) " + right }
        right += " "
        let w = DisplayWidth.of(right)
        // Data kept after a failed refresh is marked as stale.
        let stale = state.snapshot != nil && state.lastError != nil
        if g.width - w > x + 1 { g.put(right, x: g.width - w, y: 0, role: stale ? .badge : .header) }
    }

    static func titleLine(_ state: ConsoleState, _ g: inout Grid) {
        var crumbs = state.stack.map(\.screen.title).joined(separator: " › ")
        let cur = state.current
        if cur.panes.count > 1 { crumbs += " " }
        var x = g.put(breadcrumb(crumbs, width: g.width / 2), x: 0, y: 1, role: .title)
        if cur.panes.count > 1 {
            for (i, p) in cur.panes.enumerated() {
                x += 1
                x += g.put(i == cur.pane ? "[\(p.title)]" : " \(p.title) ", x: x, y: 1, role: i == cur.pane ? .selected : .muted)
            }
        }
        guard let t = cur.table, cur.screen != .help else { return }
        var info: [String] = []
        if t.onlyUnhealthy { info.append("unhealthy only") }
        if t.showInternal { info.append("+internal") }
        if !t.filter.isEmpty { info.append("filter: " + Fmt.safe(t.filter)) }
        if let sort = t.sortDescription { info.append("sort: " + sort) }
        // The counter keeps its width as the selection moves, so the text before it never shifts.
        let counter = t.count == 0 ? "0/0" : "\(t.selected + 1)/\(t.count)"
        info.append(String(repeating: " ", count: max(0, 2 * String(t.count).count + 1 - counter.count)) + counter)
        let text = info.joined(separator: "  ")
        let w = DisplayWidth.of(text)
        if g.width - w - 1 > x + 1 { g.put(text, x: g.width - w - 1, y: 1, role: .muted) }
    }

    /// The breadcrumb (`Groups › Group payments-worker › Reset offsets › payments-worker`) cut in the
    /// middle when it does not fit: where it started and where it is now both stay in view.
    static func breadcrumb(_ crumbs: String, width: Int) -> String {
        DisplayWidth.middleCut(crumbs, width: width)
    }

    // MARK: the current screen's table

    static func currentTable(_ state: ConsoleState, _ g: inout Grid) {
        guard let t = state.current.table else { return }
        let area = state.tableArea
        table(t, x: 0, y: area.y, width: g.width, height: area.height, state: state, &g)
        if state.explainLines > 0 {
            // The selected finding in full, wrapped: the table cuts these at 80 columns.
            var y = area.y + area.height
            for (label, text) in state.explainText {
                g.put(label, x: 1, y: y, role: .title)
                g.put(text, x: 10, y: y, maxWidth: g.width - 11, role: .body)
                y += 1
            }
        }
    }

    /// Draws a table of a screen: what an empty table says depends on the console's state.
    static func table(_ t: Table, x: Int, y: Int, width: Int, height: Int, state: ConsoleState, _ g: inout Grid) {
        let noRows = state.lastError != nil && state.snapshot == nil ? "no data: the cluster did not answer" : t.emptyText
        table(t, x: x, y: y, width: width, height: height, noRows: noRows, &g)
    }


    /// An open panel: its title, its content, its own footer.
    static func panel(_ p: any Panel, _ state: ConsoleState, _ g: inout Grid) {
        let ctx = state.panelContext
        let crumbs = (state.stack.map(\.screen.title) + state.panels.map(\.panel.title)).joined(separator: " › ")
        g.put(breadcrumb(crumbs, width: g.width), x: 0, y: 1, role: .title)
        p.render(&g, area: Layout.content(state.size), ctx)
        keyHints(p.footer(ctx), y: Layout.footerRow(state.size), &g)
    }
}

/// Builds the tables of each screen from a snapshot (once per snapshot, not per frame); one file per screen.
enum Tables {}
