import Foundation
import KafkaOpsCore

/// The DLQ browser: what each key does at each step.
extension DLQPanel {
    mutating func setMarked(_ ids: [String], _ on: Bool) {
        for id in ids {
            if on { marked.insert(id) } else { marked.remove(id) }
            if let i = position[id] { rows[i].cells[0] = on ? "*" : " " }
        }
        refreshList()
        rebuildSummary()
    }

    /// The list's rows: every record read, or those of the group shown.
    mutating func refreshList() {
        if let g = groupView { list.setRows(rows.filter { g.ids.contains($0.id) }) } else { list.setRows(rows) }
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        let rows = Self.rowsVisible(ctx)
        let action: Action?
        switch keys(ctx).lookup(key) {
        case .action(let a): action = a
        case .readOnly: return .error("read-only connection: records cannot be replayed")
        case .unbound: action = nil
        }
        if var field = timeField {
            switch action {
            case .clear?:
                timeField = nil
            case .keep?:
                let text = field.text.trimmingCharacters(in: .whitespaces)
                if text.isEmpty {
                    timeField = nil
                    fromTime = nil
                    return load(ctx, append: false)
                }
                do {
                    fromTime = try Self.parseTime(text, now: ctx.now)
                } catch {
                    return .error(error.message)
                }
                timeField = nil
                newest = false
                return load(ctx, append: false)
            default:
                _ = field.edit(key)
                timeField = field
            }
            return .none
        }
        if var field = search {
            switch action {
            case .clear?:
                search = nil
                setFilter("", rows)
            case .keep?:
                search = nil
            default:
                _ = field.edit(key)
                search = field
                setFilter(field.text, rows)
            }
            return .none
        }
        guard let action else { return .none }
        switch action {
        case .move(let m): return move(ListNavigation.delta(m, page: rows), rows, ctx)
        case .escape:
            if currentFilter != "" { setFilter("", rows); return .none }
            if groupView != nil, pane == .records {
                groupView = nil
                refreshList()
                list.scrollIntoView(rows)
                return .info("showing every record read")
            }
            return .closed
        case .search:
            if pane == .summary { pane = .records }
            search = TextField(currentFilter, maxLength: 200)
            return .none
        default:
            break
        }
        switch pane {
        case .picker:
            guard action == .browse, let name = picker.selectedRow?.id else { return .none }
            topic = name
            pane = .records
            partitions = []
            return load(ctx, append: false)
        case .records:
            return handleRecords(action, ctx, rows)
        case .summary:
            return handleSummary(action, ctx)
        }
    }

    var currentFilter: String {
        switch pane {
        case .picker: return picker.filter
        case .records: return list.filter
        case .summary: return ""
        }
    }

    mutating func setFilter(_ text: String, _ rows: Int) {
        switch pane {
        case .picker: picker.setFilter(text); picker.scrollIntoView(rows)
        case .records: list.setFilter(text); list.scrollIntoView(rows)
        case .summary: break
        }
    }

    mutating func move(_ delta: Int, _ rows: Int, _ ctx: PanelContext) -> PanelOutcome {
        switch pane {
        case .picker: picker.move(by: delta, viewport: rows)
        case .summary: summaryTable.move(by: delta, viewport: rows)
        case .records:
            list.move(by: delta, viewport: rows)
            // Scrolling to the end loads the next page.
            if delta > 0, more, !loading, list.filter.isEmpty, list.selected >= list.count - 1 { return load(ctx, append: true) }
        }
        return .none
    }

    mutating func handleRecords(_ action: Action, _ ctx: PanelContext, _ rows: Int) -> PanelOutcome {
        switch action {
        case .view:
            guard let topic, list.selectedRow != nil else { return .none }
            let shown = list.order.compactMap { position[list.rows[$0].id].map { entries[$0] } }
            return PanelOutcome(push: DLQRecordPanel(records: shown, index: list.selected, dlqTopic: topic, width: ctx.size.width,
                                                     replayed: replayed))
        case .switchPane:
            pane = .summary
        case .mark:
            guard let id = list.selectedRow?.id else { return .none }
            setMarked([id], !marked.contains(id))
            list.move(by: 1, viewport: rows)
        case .markAll:
            let shown = list.order.map { list.rows[$0].id }
            setMarked(shown, true)
            return .info("marked \(shown.count) record(s) shown")
        case .clearMarks:
            setMarked(Array(marked), false)
            return .info("no record marked")
        case .toggleNewest:
            newest.toggle()
            fromTime = nil
            return load(ctx, append: false)
        case .fromTime:
            timeField = TextField(fromTime.map { ISO8601.string(milliseconds: $0) } ?? "", maxLength: 40)
            return .none
        case .more:
            guard more, !loading else { return .info(loading ? "already reading" : "no more records") }
            return load(ctx, append: true)
        case .reload:
            return load(ctx, append: false)
        case .replay:
            return replay(ctx)
        default:
            break
        }
        return .none
    }

    mutating func handleSummary(_ action: Action, _ ctx: PanelContext) -> PanelOutcome {
        switch action {
        case .switchPane:
            pane = .records
        case .markGroup:
            let (ids, label) = selectedGroupMembers
            guard !ids.isEmpty else { return .none }
            let all = ids.allSatisfy { marked.contains($0) }
            setMarked(ids, !all)
            return .info("\(all ? "unmarked" : "marked") \(ids.count) record(s): \(Fmt.safe(label)) · \(marked.count) marked")
        case .showGroup:
            let (ids, label) = selectedGroupMembers
            guard !ids.isEmpty else { return .none }
            groupView = (Set(ids), label)
            pane = .records
            refreshList()
            list.moveTo(0, viewport: Self.rowsVisible(ctx))
            return .info("\(ids.count) record(s): \(Fmt.safe(label)) (Esc shows every record)")
        case .clearMarks:
            setMarked(Array(marked), false)
        case .replay:
            return replay(ctx)
        default:
            break
        }
        return .none
    }

    func replay(_ ctx: PanelContext) -> PanelOutcome {
        if ctx.readOnly { return .error("read-only connection: records cannot be replayed") }
        guard let topic else { return .none }
        let chosen = replaySelection
        guard !chosen.isEmpty else { return .error("nothing to replay: mark records with Space") }
        return PanelOutcome(push: DLQReplayPanel(dlq: topic, entries: chosen, fromMarks: !marked.isEmpty, ctx))
    }

    /// A replay opened from here closed: the records it wrote (and those its check found written before) get
    /// the R mark, and the marks of those records are cleared (the rest stay marked, e.g. for a retry).
    public mutating func childClosed(_ child: any Panel, _ ctx: PanelContext) {
        guard let replay = child as? DLQReplayPanel, replay.dlq == topic, let report = replay.progress?.report else { return }
        var done: [String] = []
        for w in report.written + report.alreadyWritten where w.source.topic == topic {
            let id = "\(w.source.partition):\(w.source.offset)"
            replayed[id] = "\(w.destination.topic)/\(w.destination.partition)@\(w.destination.offset)"
            if let i = position[id] { rows[i].cells[1] = Self.replayMark }
            done.append(id)
        }
        setMarked(done.filter { marked.contains($0) }, false)
    }

    public mutating func snapshotChanged(_ ctx: PanelContext) {
        if pane == .picker { picker.setRows(Self.pickerRows(ctx)) }
    }
}
