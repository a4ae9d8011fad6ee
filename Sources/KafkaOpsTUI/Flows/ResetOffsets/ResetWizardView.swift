import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard: drawing (a pure function of the model).
extension ResetWizardPanel {
    /// The plan's columns for a width: the numbers and SKIPPED/RE-READ are never cut, TOPIC gets an eighth
    /// of the width (10 to 30 columns) and NOTE the rest (at 80 columns its full text is the selected row's
    /// line below the table).
    static func planColumns(width: Int) -> [Column] {
        [Column("TOPIC", width: max(10, min(30, width / 8)), minWidth: 10), Column.number("PART", 4), Column.number("CURRENT", 10),
         Column.number("NEW", 10), Column.number("DELTA", 9), Column.number("SKIPPED/RE-READ", 15), Column.flex("NOTE", min: 4)]
    }

    /// The plan's table rows: built once when the plan arrives. SKIPPED/RE-READ adds up to the totals; where
    /// it differs from the delta the note says why (the old offset was below the log start).
    static func planRows(_ plan: ResetPlan) -> [Row] {
        plan.rows.map { r in
            var deltaText = "-", deltaRole = Role.muted
            if let d = r.delta { deltaText = d > 0 ? "+\(d)" : String(d); deltaRole = .body }
            let countText = r.skippedOrRereadText
            let countRole: Role = r.recordsSkipped > 0 ? .critical : (r.recordsReread > 0 ? .warning : .muted)
            // A commit below the log start: retention already deleted records this group never read.
            let gone = r.recordsGone
            let notes = r.noteTexts
            let note = notes.joined(separator: "; ")
            let noteRole: Role = gone > 0 || r.notes.contains { if case .belowLogStart = $0 { return true }; return false } ? .critical
                : (notes.isEmpty ? .body : .warning)
            return Row(id: r.topicPartition.description,
                       cells: [Fmt.safe(r.topic), String(r.partition), r.current.map(String.init) ?? "-", r.new.map(String.init) ?? "none",
                               deltaText, countText, note],
                       roles: [.body, .body, r.current == nil ? .muted : (gone > 0 ? .critical : .body), .body, deltaRole, countRole, noteRole],
                       sortKeys: [], search: "")
        }
    }

    /// Rows below the step line (the panel's content area less its first row).
    static func contentHeight(_ ctx: PanelContext) -> Int { ctx.content.height - 1 }
    /// The plan table's height (header included): the rest holds the title, the selected row's
    /// note, the totals (two lines), the skip line and the hint.
    static func planTableHeight(_ content: Int) -> Int { max(2, content - 6) }
    /// The result table's height: the rest holds the outcome line, the undo file and command, the audit log.
    static func resultTableHeight(_ content: Int) -> Int { max(2, content - 8) }

    static func resultRows(_ e: ResetExecution) -> [Row] {
        e.rows.map { r in
            let role: Role
            switch r.status {
            case .inPlace, .applied: role = .healthy
            case .unknown: role = .warning
            default: role = .critical
            }
            return Row(id: r.partition.description,
                       cells: [Fmt.safe(r.partition.topic), String(r.partition.partition), r.expected.map(String.init) ?? "none", r.text],
                       roles: [.body, .body, .body, role], sortKeys: [], search: "")
        }
    }

    static let resultColumns = [Column("TOPIC", width: 24, minWidth: 10), Column.number("PART", 4), Column.number("NEW", 11),
                                Column("RESULT", width: 0, minWidth: 10)]


    func listHeight(_ ctx: PanelContext) -> Int { max(1, Self.contentHeight(ctx) - 4) }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        drawSteps(&g, area: area)
        let a = PanelArea(y: area.y + 1, height: area.height - 1, width: area.width)
        switch step {
        case .loading:
            g.put("Reading group \(Fmt.safe(group)): state, members, committed offsets, partitions…", x: 1, y: a.y, maxWidth: a.width - 2, role: .muted)
        case .loadFailed:
            WrappedText.draw(&g, problem, x: 1, y: a.y, width: a.width - 2, maxLines: a.height, role: .critical)
        case .refused:
            drawRefusal(&g, a)
        case .scope: drawScope(&g, a)
        case .target, .planning: drawTarget(&g, a)
        case .plan: drawPlan(&g, a)
        case .confirm: drawConfirm(&g, a, ctx)
        case .executing:
            g.put("Resetting: opening the audit log, writing the undo file, committing \(plan?.rows.count ?? 0) offsets…",
                  x: 1, y: a.y + 1, maxWidth: a.width - 2, role: .warning)
        case .result: drawResult(&g, a)
        }
    }

    func drawSteps(_ g: inout Grid, area: PanelArea) {
        let names: [(String, [Step])] = [("Scope", [.scope]), ("Target", [.target, .planning]), ("Plan", [.plan]),
                                         ("Confirm", [.confirm, .executing]), ("Result", [.result])]
        var x = 1
        for (i, (name, steps)) in names.enumerated() {
            if i > 0 { x += g.put(" › ", x: x, y: area.y, role: .muted) }
            x += g.put(name, x: x, y: area.y, role: steps.contains(step) ? .selected : .muted)
        }
        if step != .loading && step != .loadFailed && step != .refused {
            let s = "scope: " + (picked.isEmpty ? "all committed (\(inputs?.committed.count ?? 0))" : "\(pickedCount) picked")
            let w = DisplayWidth.of(s)
            if area.width - w - 1 > x + 2 { g.put(s, x: area.width - w - 1, y: area.y, role: .muted) }
        }
    }

    func drawRefusal(_ g: inout Grid, _ a: PanelArea) {
        var y = a.y
        g.put("Cannot reset the offsets of \(Fmt.safe(group)): nothing was changed.", x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 2
        guard let first = problem.first else { return }
        y += WrappedText.draw(&g, [first], x: 1, y: y, width: a.width - 2, maxLines: 4, role: .critical)
        let rest = Array(problem.dropFirst())
        let room = a.y + a.height - y - 1
        guard !rest.isEmpty, room > 0 else { return }
        let shown = rest.count > room ? Array(rest.prefix(room - 1)) + ["  … and \(rest.count - room + 1) more member(s)"] : rest
        for line in shown {
            g.put(line, x: 1, y: y, maxWidth: a.width - 2, role: line.hasPrefix("  ") ? .body : .warning)
            y += 1
        }
    }

    func drawScope(_ g: inout Grid, _ a: PanelArea) {
        var y = a.y
        if picked.isEmpty {
            g.put("Nothing picked: every partition the group committed (\(inputs?.committed.count ?? 0)). Space picks instead.",
                  x: 1, y: y, maxWidth: a.width - 2, role: .body)
        } else {
            g.put("Picked: \(scopeSummary).", x: 1, y: y, maxWidth: a.width - 2, role: .highlight)
        }
        y += 2
        let leftW = min(44, a.width / 2 + 4), rightX = leftW + 2, rightW = a.width - rightX - 1
        // Rows between the column titles and the hint line at the bottom.
        let height = a.y + a.height - (y + 1) - 1
        g.put("TOPIC", x: 1, y: y, role: .tableHeader)
        g.put("PICKED/PARTS", x: leftW - 13, y: y, maxWidth: 13, role: .tableHeader, align: .right)
        let cur = currentTopic
        g.put("PARTITIONS OF " + Fmt.safe(cur?.name ?? ""), x: rightX, y: y, maxWidth: rightW, role: .tableHeader)
        y += 1
        guard height > 0 else { return }
        if topics.isEmpty {
            g.put("no topics in the cluster", x: 2, y: y, role: .muted)
            return
        }
        // Topics.
        let tOff = topicList.window(count: topics.count, height: height)
        for (row, i) in (tOff..<min(topics.count, tOff + height)).enumerated() {
            let t = topics[i]
            let n = picked[t.name]?.count ?? 0
            let mark = n == 0 ? "[ ]" : (n == t.partitions.count ? "[x]" : "[-]")
            let focused = i == topicList.position
            let role: Role = focused ? (partitionsFocused ? .highlight : .selected) : (t.committed > 0 ? .body : .muted)
            if focused { g.fill(y: y + row, x: 0, width: leftW, role: role) }
            g.put(mark + " " + Fmt.safe(t.name), x: 1, y: y + row, maxWidth: leftW - 15, role: role)
            let counts = "\(n)/\(t.partitions.count)" + (t.committed > 0 ? " c" : "  ")
            g.put(counts, x: leftW - 13, y: y + row, maxWidth: 13, role: role, align: .right)
        }
        if tOff > 0 { g.put("▲", x: leftW, y: y, role: .muted) }
        if tOff + height < topics.count { g.put("▼", x: leftW, y: y + height - 1, role: .muted) }
        // Partitions of the topic under the cursor.
        guard let t = cur, rightW > 8 else { return }
        let have = picked[t.name] ?? []
        let pOff = partitionList.window(count: t.partitions.count, height: height)
        for (row, i) in (pOff..<min(t.partitions.count, pOff + height)).enumerated() {
            let p = t.partitions[i]
            let committed = inputs?.committed[TopicPartition(t.name, p)]
            let focused = partitionsFocused && i == partitionList.position
            let role: Role = focused ? .selected : (committed == nil ? .muted : .body)
            if focused { g.fill(y: y + row, x: rightX, width: rightW, role: role) }
            let text = (have.contains(p) ? "[x] " : "[ ] ") + String(p).padding(toLength: 5, withPad: " ", startingAt: 0)
                + (committed.map { "committed \($0)" } ?? "no commit")
            g.put(text, x: rightX, y: y + row, maxWidth: rightW, role: role)
        }
        if pOff + height < t.partitions.count { g.put("▼", x: a.width - 1, y: y + height - 1, role: .muted) }
        g.put("c: the group committed on it", x: 1, y: a.y + a.height - 1, maxWidth: leftW, role: .muted)
    }

    func drawTarget(_ g: inout Grid, _ a: PanelArea) {
        var y = a.y
        g.put("Where to move the group (Kafka's scenarios):", x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        let fieldX = 16, fieldW = 26
        for kind in TargetKind.allCases {
            let on = kind == targetKind
            g.put(on ? ">" : " ", x: 1, y: y, role: on ? .selected : .body)
            g.put(kind.label, x: 3, y: y, maxWidth: 12, role: on ? .selected : .body)
            if kind.hasField, let f = fields[kind] {
                f.draw(&g, x: fieldX, y: y, width: fieldW, focused: on && step == .target && editingField)
                var side = kind.hint, role = Role.muted
                if on, case .failure(let e) = target(kind), !(f.text.isEmpty) { side = "✗ " + e.message; role = .critical }
                g.put(side, x: fieldX + fieldW + 2, y: y, maxWidth: a.width - fieldX - fieldW - 3, role: role)
            } else {
                g.put(kind.hint, x: fieldX, y: y, maxWidth: a.width - fieldX - 1, role: .muted)
            }
            y += 1
        }
        y += 1
        if step == .planning {
            g.put("Planning: reading the log offsets of the partitions in scope…", x: 1, y: y, maxWidth: a.width - 2, role: .warning)
            return
        }
        let bottom = a.y + a.height
        // What Enter does here: the list never takes text; a field does once entered.
        let enter = !targetKind.hasField ? "Enter shows the plan; nothing is changed before you confirm it."
            : editingField ? "Typing into \(targetKind.label): Enter shows the plan, Esc or Tab go back to the list."
            : "Enter or Tab types into \(targetKind.label); j/k move on."
        guard targetKind.isTime, let p = preview else {
            g.put(enter, x: 1, y: y, maxWidth: a.width - 2, role: .muted)
            return
        }
        if !editingField {
            g.put(enter, x: 1, y: y, maxWidth: a.width - 2, role: .muted)
            y += 1
        }
        if let e = p.error {
            WrappedText.draw(&g, [e], x: 1, y: y, width: a.width - 2, maxLines: bottom - y, role: .critical)
            return
        }
        if p.pending {
            g.put("Resolving \(Fmt.safe(fields[targetKind]?.text ?? ""))…", x: 1, y: y, maxWidth: a.width - 2, role: .muted)
            return
        }
        g.put("Resolved: " + p.summary, x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        let colW = (a.width - 2) / 2
        let rows = max(0, bottom - y)
        let capacity = rows * 2
        let shown = p.lines.count > capacity ? capacity - 1 : p.lines.count
        for i in 0..<shown {
            let (text, role) = p.lines[i]
            g.put(text, x: 1 + (i / rows) * colW, y: y + i % rows, maxWidth: colW - 1, role: role)
        }
        if shown < p.lines.count {
            g.put("+\(p.lines.count - shown) more: Enter", x: 1 + colW, y: y + rows - 1, maxWidth: colW - 1, role: .muted)
        }
    }

    func drawPlan(_ g: inout Grid, _ a: PanelArea) {
        guard let plan, let t = planTable else { return }
        var y = a.y
        g.put("Group \(Fmt.safe(group)), \(plan.target.summary): \(plan.rows.count) partition\(plan.rows.count == 1 ? "" : "s")",
              x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        let height = Self.planTableHeight(a.height)
        var sized = t
        sized.columns = Self.planColumns(width: a.width)
        Self.drawTable(sized, &g, y: y, width: a.width, height: height)
        y += height
        if let i = t.order.indices.contains(t.selected) ? t.order[t.selected] : nil, plan.rows.indices.contains(i) {
            let r = plan.rows[i]
            var lines = r.messages
            if r.recordsGone > 0, let c = r.current {
                lines.insert("\(r.recordsGone) records deleted by retention, not skipped: old offset \(c) < log start \(r.logStart).", at: 0)
            }
            if !lines.isEmpty { g.put(Fmt.safe(lines.joined(separator: " ")), x: 1, y: y, maxWidth: a.width - 2, role: .muted) }
        }
        y += 1
        // How long an Empty group's offsets were watched for an assign() committer (as the CLI's preview says).
        let watched = inputs?.watched.map { " Watched \($0.components.seconds) s: no commit seen." } ?? ""
        WrappedText.draw(&g, [Fmt.safe(plan.summaryLine) + watched], x: 1, y: y, width: a.width - 2, maxLines: 2, role: .body)
        y += 2
        if plan.recordsSkipped > 0 {
            g.put("SKIPS \(plan.recordsSkipped) records: the group will never process them.", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
        } else if plan.recordsReread > 0 {
            g.put("\(plan.recordsReread) records will be read again.", x: 1, y: y, maxWidth: a.width - 2, role: .warning)
        } else {
            g.put("No record is skipped or read again.", x: 1, y: y, maxWidth: a.width - 2, role: .healthy)
        }
        y += 1
        g.put("Nothing has been changed yet. Enter: confirm, Esc: change the target.", x: 1, y: y, maxWidth: a.width - 2, role: .muted)
    }

    /// Draws a pre-built table (rows built once per plan) with the console's table view.
    static func drawTable(_ t: Table, _ g: inout Grid, y: Int, width: Int, height: Int) {
        Views.table(t, x: 0, y: y, width: width, height: height, noRows: t.emptyText, &g)
    }

    func drawConfirm(_ g: inout Grid, _ a: PanelArea, _ ctx: PanelContext) {
        guard let plan else { return }
        var y = a.y
        g.put("Reset group \(Fmt.safe(group)) \(plan.target.summary)?", x: 1, y: y, maxWidth: a.width - 2, role: .title)
        y += 1
        y += WrappedText.draw(&g, [Fmt.safe(plan.summaryLine)], x: 1, y: y, width: a.width - 2, maxLines: 2, role: .body) + 1
        if plan.recordsSkipped > 0 {
            let loud = plan.skipsMoreThan(ctx.operations.resetSkipThreshold)
            let role: Role = loud ? .critical : .warning
            g.fill(y: y, x: 1, width: a.width - 2, role: role)
            g.put(" THIS RESET SKIPS \(plan.recordsSkipped) RECORDS: the group will never process them.", x: 1, y: y, maxWidth: a.width - 2, role: role)
            y += 1
            if loud {
                g.fill(y: y, x: 1, width: a.width - 2, role: role)
                g.put(" That is MORE than the profile's reset_skip_threshold (\(ctx.operations.resetSkipThreshold)).",
                      x: 1, y: y, maxWidth: a.width - 2, role: role)
                y += 1
            }
            if skipAccepted {
                g.put("✓ skipping \(plan.recordsSkipped) records accepted", x: 1, y: y, maxWidth: a.width - 2, role: .warning)
            } else {
                g.put("Press y to accept skipping them, or Esc to go back.", x: 1, y: y, maxWidth: a.width - 2, role: .title)
            }
            y += 2
        }
        if !needsSkipAcceptance {
            if ctx.operations.protected {
                let label = "Protected profile: type the group name to confirm: "
                let lx = g.put(label, x: 1, y: y, maxWidth: a.width - 12, role: .title)
                confirmation.draw(&g, x: 1 + lx, y: y, width: max(10, a.width - lx - 3))
                y += 1
                g.put("then Enter to reset the offsets now.", x: 1, y: y, maxWidth: a.width - 2, role: .muted)
            } else {
                g.put("Press Enter to reset the offsets now.", x: 1, y: y, maxWidth: a.width - 2, role: .title)
            }
            y += 2
        }
        y = max(y, a.y + a.height - 3)
        WrappedText.draw(&g, ["Before anything is sent, the audit log is opened and the committed offsets are written to an undo file."],
                  x: 1, y: y, width: a.width - 2, maxLines: 2, role: .muted)
    }

    func drawResult(_ g: inout Grid, _ a: PanelArea) {
        guard let outcome else { return }
        var y = a.y
        let w = a.width - 2
        // The undo file on one line, scrolled with the command by ←/→ (`c` copies the command, which names it).
        let pathLine = undoPathOf(outcome).map { Self.undoWindow(Fmt.safe($0), width: w, scroll: undoScroll).0 }
        // Below the table: the undo file's title and path, "Undo with:" and the command (one line), the audit log.
        let below = 5
        let undo: String?, audit: String?
        switch outcome {
        case .refused(let why):
            g.put("Refused: nothing was sent to the cluster.", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
            WrappedText.draw(&g, [why], x: 1, y: y + 2, width: a.width - 2, maxLines: a.height - 2, role: .critical)
            return
        case .failed(let why, let u, let au):
            g.put("The reset failed:", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
            y += 1
            y += WrappedText.draw(&g, [why], x: 1, y: y, width: a.width - 2, maxLines: 4, role: .critical)
            undo = u; audit = au
        case .done(let e, let au, _):
            let n = e.rows.count
            if let lost = e.lostAnswerLine {
                y += WrappedText.draw(&g, ["Outcome UNKNOWN at first: " + Fmt.safe(lost) + " (see RESULT)."], x: 1, y: y,
                               width: a.width - 2, maxLines: 3, role: e.allInPlace ? .warning : .critical) - 1
            } else if e.allInPlace {
                g.put("Done: \(n) of \(n) partition\(n == 1 ? "" : "s") in place.", x: 1, y: y, maxWidth: a.width - 2, role: .healthy)
            } else {
                g.put("\(e.failedCount) of \(n) partitions NOT in place (see RESULT).", x: 1, y: y, maxWidth: a.width - 2, role: .critical)
            }
            y += 1
            undo = e.undoPath; audit = au
            if let t = resultTable {
                let height = max(2, min(Self.resultTableHeight(a.height), a.y + a.height - y - below))
                Self.drawTable(t, &g, y: y, width: a.width, height: height)
                y += height
            }
        }
        guard undo != nil else { return }
        g.put("Undo file (the offsets before; none: the commit is deleted):", x: 1, y: y, maxWidth: w, role: .title)
        y += 1
        if let pathLine { g.put(pathLine, x: 1, y: y, maxWidth: w, role: .body); y += 1 }
        let command = Fmt.safe(undoCommand ?? "")
        let (shown, from) = Self.undoWindow(command, width: w, scroll: undoScroll)
        let total = DisplayWidth.of(command)
        g.put(total > w ? "Undo with (one line, ←/→ scroll: columns \(from + 1)-\(min(total, from + w)) of \(total); c copies):"
                        : "Undo with (c copies):",
              x: 1, y: y, maxWidth: w, role: .title)
        y += 1
        g.put(shown, x: 1, y: y, maxWidth: w, role: .body)
        y += 1
        if let audit, y < a.y + a.height {
            g.put("Recorded in the audit log " + Fmt.safe(audit), x: 1, y: y, maxWidth: w, role: .muted)
        }
    }

    /// The part of the undo command shown in `width` columns from column `scroll` (clamped so the end is
    /// reached but never passed), and the first column shown. The command stays one line, so selecting it
    /// in the terminal copies a runnable command.
    static func undoWindow(_ command: String, width: Int, scroll: Int) -> (String, Int) {
        let chars = Array(command)
        let from = max(0, min(scroll, chars.count - max(1, width)))
        return (String(chars[from..<min(chars.count, from + max(1, width))]), from)
    }
}
