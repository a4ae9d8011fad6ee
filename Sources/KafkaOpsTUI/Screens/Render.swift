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
    case .whatIf(let id): Views.whatIfSummary(id, state, &grid); Views.currentTable(state, &grid)
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
        var x = g.put(crumbs, x: 0, y: 1, maxWidth: g.width / 2, role: .title)
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
        if let c = t.sortColumn, c < t.columns.count, c != 0 || t.descending {
            info.append("sort: \(t.columns[c].title)\(t.descending ? "↓" : "↑")")
        }
        info.append(t.count == 0 ? "0/0" : "\(t.selected + 1)/\(t.count)")
        let text = info.joined(separator: "  ")
        let w = DisplayWidth.of(text)
        if g.width - w - 1 > x + 1 { g.put(text, x: g.width - w - 1, y: 1, role: .muted) }
    }

    // MARK: tables

    static func currentTable(_ state: ConsoleState, _ g: inout Grid) {
        guard let t = state.current.table else { return }
        let area = state.tableArea
        table(t, x: 0, y: area.y, width: g.width, height: area.height, state: state, &g)
        if state.explainLines > 0, let row = t.selectedRow, row.cells.count >= 7 {
            // The selected finding in full: the table cuts these at 80 columns.
            var y = area.y + area.height
            let (now, expected, fix, why) = t.title == "Audit" ? (3, 5, 4, 6) : (2, 3, 4, 6)
            for (label, text) in [("now", row.cells[now]), ("expected", row.cells[expected]), ("fix", row.cells[fix]),
                                  ("why", row.cells[why])] {
                let lx = g.put(label.padding(toLength: 9, withPad: " ", startingAt: 0), x: 1, y: y, role: .title)
                g.put(text, x: 1 + lx, y: y, maxWidth: g.width - 2 - lx, role: .body)
                y += 1
            }
        }
    }

    /// Draws a table of a screen: what an empty table says depends on the console's state.
    static func table(_ t: Table, x: Int, y: Int, width: Int, height: Int, state: ConsoleState, _ g: inout Grid) {
        let noRows = state.lastError != nil && state.snapshot == nil ? "no data: the cluster did not answer" : t.emptyText
        table(t, x: x, y: y, width: width, height: height, noRows: noRows, &g)
    }

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
            cx = x + 1
            for (c, col) in t.columns.enumerated() where widths[c] > 0 {
                let text = c < row.cells.count ? row.cells[c] : ""
                let role: Role = selected ? .selected : (c < row.roles.count ? row.roles[c] : .body)
                g.put(text, x: cx, y: ry, maxWidth: widths[c], role: role, align: col.align)
                cx += widths[c] + 1
            }
        }
        // Scroll marks when rows are hidden above or below.
        if offset > 0 { g.put("▲", x: x + width - 1, y: y + 1, role: .muted) }
        if end < t.count { g.put("▼", x: x + width - 1, y: y + rowsHeight, role: .muted) }
    }

    // MARK: overview

    static func overview(_ state: ConsoleState, _ g: inout Grid) {
        let top = 2
        guard let snap = state.snapshot, let d = state.derived else {
            let text = state.lastError.map { "cannot load the cluster: \(Fmt.safe($0.description))" }
                ?? "loading cluster metadata from \(Fmt.safe(state.profileName))…"
            // Wrapped, not cut: the reason (a TLS certificate problem, say) is the whole point of the line.
            for (i, line) in TextWrap.words(text, width: g.width - 2).prefix(max(1, g.height - top - 3)).enumerated() {
                g.put(line, x: 1, y: top + i, role: state.lastError == nil ? .muted : .critical)
            }
            return
        }
        let md = snap.metadata
        // Line 1: cluster and brokers.
        var x = 1
        x += g.put("Cluster ", x: x, y: top, role: .title)
        x += g.put(Fmt.safe(md.clusterID ?? "(unknown id)"), x: x, y: top, maxWidth: 40, role: .body)
        x += g.put("   controller ", x: x, y: top, role: .muted)
        x += g.put(md.controllerID.map(String.init) ?? "none", x: x, y: top, role: md.controllerID == nil ? .critical : .body)
        x += g.put("   brokers ", x: x, y: top, role: .muted)
        x += g.put(String(md.brokers.count), x: x, y: top, role: .body)
        let maxRF = d.summaries.map(\.replicationFactor).max() ?? 0
        if md.brokers.count < maxRF {
            g.put("   fewer live brokers than the largest RF (\(maxRF))", x: x, y: top, role: .critical)
        }
        // Line 2: partition health.
        let h = d.clusterHealth
        x = 1
        x += g.put("Partitions ", x: x, y: top + 1, role: .title)
        x += g.put(String(h.partitions), x: x, y: top + 1, role: .body)
        for (label, n, bad) in [("offline", h.offline, Role.critical), ("under min ISR", h.underMinISR, .critical),
                                ("under-replicated", h.underReplicated, .warning), ("at min ISR", h.atMinISR, .warning)] {
            x += g.put("  \(label) ", x: x, y: top + 1, role: .muted)
            x += g.put(String(n), x: x, y: top + 1, role: n > 0 ? bad : .healthy)
        }
        // Line 3: topics and groups.
        x = 1
        let internalCount = d.summaries.filter(\.isInternal).count
        x += g.put("Topics ", x: x, y: top + 2, role: .title)
        x += g.put("\(d.summaries.count - internalCount)", x: x, y: top + 2, role: .body)
        if internalCount > 0 { x += g.put(" (+\(internalCount) internal)", x: x, y: top + 2, role: .muted) }
        x += g.put("   Groups ", x: x, y: top + 2, role: .title)
        if state.snapshotComplete {
            x += g.put(String(d.groupLags.count), x: x, y: top + 2, role: .body)
            x += g.put("   lagging ", x: x, y: top + 2, role: .muted)
            x += g.put(String(d.groupsLagging), x: x, y: top + 2, role: d.groupsLagging > 0 ? .warning : .healthy)
            if d.groupsLosingData > 0 {
                x += g.put("   DATA LOST in \(d.groupsLosingData) group(s)", x: x, y: top + 2, role: .critical)
            }
        } else {
            x += g.put("loading…", x: x, y: top + 2, role: .muted)
        }
        g.put("Brokers", x: 1, y: top + 3, role: .title)
        if let audit = d.audit {
            x = 20
            x += g.put("Durability ", x: x, y: top + 3, role: .title)
            if audit.errorCount == 0 && audit.warningCount == 0 {
                g.put("every topic meets the policy", x: x, y: top + 3, role: .healthy)
            } else {
                x += g.put("\(audit.errorCount) error(s)", x: x, y: top + 3, role: audit.errorCount > 0 ? .critical : .healthy)
                x += g.put(", ", x: x, y: top + 3, role: .muted)
                g.put("\(audit.warningCount) warning(s)", x: x, y: top + 3, role: audit.warningCount > 0 ? .warning : .healthy)
            }
        }
        currentTable(state, &g)
        // Problems from the snapshot.
        if !snap.problems.isEmpty {
            let area = Layout.tableArea(.overview, size: state.size, problems: snap.problems.count)
            var y = area.y + area.height
            g.put("Problems (\(snap.problems.count))", x: 1, y: y, role: .critical)
            for p in snap.problems.prefix(4) {
                y += 1
                g.put("• " + Fmt.safe(p), x: 2, y: y, maxWidth: g.width - 3, role: .warning)
            }
        }
    }

    // MARK: detail summaries

    static func detailSummary(topic name: String, _ state: ConsoleState, _ g: inout Grid) {
        let y = 2
        guard let s = state.derived?.summaries.first(where: { $0.name == name }) else { return }
        var x = 1
        let (mark, role) = Fmt.healthMark(s)
        let minISR = s.minISR.map { "\($0) (\(s.minISRSource?.summary ?? "default"))" } ?? "unknown (configs not read)"
        x += g.put("\(s.partitions) partitions  RF \(s.replicationFactor)  min ISR \(minISR)  ISR ",
                   x: x, y: y, role: .body)
        x += g.put(mark, x: x, y: y, maxWidth: 24, role: role)
        x += g.put("  lag \(Fmt.lag(s.totalLag))", x: x, y: y, role: (s.totalLag ?? 0) > 0 ? .warning : .body)
        if s.health.leaderNotPreferred > 0 {
            g.put("  leader not preferred: \(s.health.leaderNotPreferred)", x: x, y: y, role: .warning)
        }
    }

    static func detailSummary(group id: String, _ state: ConsoleState, _ g: inout Grid) {
        let y = 2
        guard let lag = state.derived?.lagByGroup[id] else { return }
        let desc = state.snapshot?.groups.first { $0.id == id }
        var x = 1
        x += g.put("state ", x: x, y: y, role: .muted)
        x += g.put(desc?.state.rawValue ?? "Unknown", x: x, y: y, role: Tables.stateRole(desc?.state))
        if lag.partitionsWithDataLoss > 0 {
            x += g.put("  DATA LOST: \(lag.recordsLost) records on \(lag.partitionsWithDataLoss) partition(s)", x: x, y: y, role: .critical)
        }
        x += g.put("  members \(desc?.members.count ?? 0)", x: x, y: y, role: .body)
        let known = lag.partitions.contains { $0.lag != nil }
        x += g.put("  lag \(known ? String(lag.totalLag) : "-")", x: x, y: y, role: lag.totalLag > 0 ? .warning : .body)
        if let w = lag.worst, let l = w.lag, l > 0 {
            g.put("  worst \(Fmt.safe(w.partition.description)) (\(l))", x: x, y: y, maxWidth: max(0, g.width - x), role: .body)
        }
    }

    static func whatIfSummary(_ id: Int32, _ state: ConsoleState, _ g: inout Grid) {
        let y = 2
        guard let snap = state.snapshot, case .success(let r) = WhatIf.brokerDown(id, snapshot: snap) else { return }
        var x = 1
        if !r.brokerWasLive { x += g.put("broker \(id) is already down; ", x: x, y: y, role: .warning) }
        x += g.put("offline ", x: x, y: y, role: .muted)
        x += g.put(String(r.offline), x: x, y: y, role: r.offline > 0 ? .critical : .healthy)
        x += g.put("  under min ISR (acks=all fails) ", x: x, y: y, role: .muted)
        x += g.put(String(r.underMinISR), x: x, y: y, role: r.underMinISR > 0 ? .critical : .healthy)
        x += g.put("  URP ", x: x, y: y, role: .muted)
        x += g.put(String(r.underReplicated), x: x, y: y, role: r.underReplicated > 0 ? .warning : .healthy)
        if r.dataLossPossible > 0 {
            g.put("  unclean: \(r.dataLossPossible)", x: x, y: y, role: .critical)
        }
    }

    // MARK: status line and footer

    static func statusLine(_ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.statusRow(state.size)
        if let p = state.prompt {
            let lead = p.kind == .filter ? "/" : ":"
            var x = g.put(lead, x: 0, y: y, role: .prompt)
            x += g.put(Fmt.safe(p.text), x: x, y: y, maxWidth: g.width - 2, role: .body)
            g.put("█", x: x, y: y, role: .prompt)
            if !p.candidates.isEmpty {
                let c = "  " + Fmt.safe(p.candidates.joined(separator: " "))
                g.put(c, x: x + 1, y: y, role: .muted)
            }
            return
        }
        if let s = state.status {
            g.put(s.text, x: 0, y: y, role: s.isError ? .statusError : .statusInfo)
            return
        }
        if let e = state.lastError {
            var text = Fmt.safe(e.description)
            if let snap = state.snapshot {
                text = "refresh failed, showing data from \(Fmt.age(Int(state.now.timeIntervalSince(snap.fetchedAt)))) ago: \(text)"
            }
            g.put(text, x: 0, y: y, role: .statusError)
            return
        }
        if state.loading, let started = state.loadStartedAt {
            let secs = Int(state.now.timeIntervalSince(started))
            let what = state.snapshot == nil ? "loading cluster data" : (state.snapshotComplete ? "refreshing" : "loading offsets and groups")
            g.put("\(what)…" + (secs >= 2 ? " \(secs)s" : ""), x: 0, y: y, role: .statusInfo)
            return
        }
        if let problems = state.snapshot?.problems, !problems.isEmpty {
            g.put("\(problems.count) part(s) could not be loaded: \(Fmt.safe(problems[0]))", x: 0, y: y, role: .warning)
        }
    }

    /// An open panel: its title, its content, its own footer.
    static func panel(_ p: any Panel, _ state: ConsoleState, _ g: inout Grid) {
        let ctx = state.panelContext
        let crumbs = (state.stack.map(\.screen.title) + state.panels.map(\.panel.title)).joined(separator: " › ")
        g.put(crumbs, x: 0, y: 1, maxWidth: g.width, role: .title)
        p.render(&g, area: Layout.content(state.size), ctx)
        var x = 0
        let y = Layout.footerRow(state.size)
        for (key, help) in p.footer(ctx) {
            let need = DisplayWidth.of(key) + 1 + DisplayWidth.of(help) + 2
            if x + need > g.width { break }
            x += g.put(key, x: x, y: y, role: .keyLabel)
            x += g.put(" " + help + "  ", x: x, y: y, role: .keyHint)
        }
    }

    static func footer(_ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.footerRow(state.size)
        var x = 0
        for b in KeyTables.bindings(for: state.current.screen, readOnly: state.readOnly) where b.footer {
            let key = b.keys[0].label
            let label = shortHelp(b)
            let need = DisplayWidth.of(key) + 1 + DisplayWidth.of(label) + 2
            if x + need > g.width { break }
            x += g.put(key, x: x, y: y, role: .keyLabel)
            x += g.put(" " + label + "  ", x: x, y: y, role: .keyHint)
        }
    }

    /// The footer's short word for an action.
    static func shortHelp(_ b: KeyBinding) -> String {
        switch b.action {
        case .quit: return "quit"
        case .help: return "help"
        case .filter: return "filter"
        case .command: return "cmd"
        case .refresh: return "refresh"
        case .open: return "open"
        case .sortNext: return "sort"
        case .toggleUnhealthy: return "unhealthy"
        case .nextPane: return "pane"
        case .back: return "back"
        case .openPanel(.createTopic): return "create"
        case .openPanel(.dlq): return "dlq"
        case .openPanel(.resetOffsets): return "reset"
        case .whatIf: return "what if down"
        case .fix(.selectedFinding): return "fix"
        default: return b.help
        }
    }
}
