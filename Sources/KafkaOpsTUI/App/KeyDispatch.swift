import Foundation
import KafkaOpsCore

/// Update for a key: the key tables pick the action, `perform` carries it out.
extension ConsoleState {
    mutating func handle(_ key: Key) -> [Effect] {
        // "Terminal too small" hides every screen and panel: a key pressed there must not act on what the
        // operator cannot see (a `y` at a hidden confirmation). Only quit (q, like Ctrl-C) gets through.
        if isTooSmall && key != .ctrl("c") && key != .char("q") { return [] }
        if key == .ctrl("c") || isTooSmall {
            // Quitting in the middle of a change leaves it half done: the first Ctrl-C says so.
            if !quitArmed, let change = panels.lazy.compactMap({ $0.panel.changeInFlight }).first {
                quitArmed = true
                status = StatusMessage(text: "\(change): Ctrl-C again quits anyway, leaving it unfinished", isError: true)
                return []
            }
            quitting = true
            return [.quit]
        }
        quitArmed = false
        if prompt != nil { return handlePrompt(key) }
        status = nil
        if let top = panels.last {
            let ctx = panelContext
            let outcome = panels[panels.count - 1].panel.handle(key, ctx)
            return apply(outcome, from: top.id)
        }
        guard let binding = KeyTables.binding(for: key, on: current.screen, readOnly: readOnly) else {
            if !isTooSmall { status = StatusMessage(text: "\(Fmt.safe(key.label)): no such key here (? shows the keys)", isError: false) }
            return []
        }
        if let reason = binding.disabledReason?(self) {
            status = StatusMessage(text: "\(binding.help): \(reason)", isError: false)
            return []
        }
        return perform(binding.action)
    }

    public mutating func perform(_ action: Action) -> [Effect] {
        let rows = viewportRows
        switch action {
        case .quit:
            quitting = true
            return [.quit]
        case .help:
            if current.screen == .help { return perform(.back) }
            stack.append(makeScreen(.help))
        case .refresh:
            return startLoad(metadataFirst: false)
        case .moveUp: modifyTable { $0.move(by: -1, viewport: rows) }
        case .moveDown: modifyTable { $0.move(by: 1, viewport: rows) }
        case .pageUp: modifyTable { $0.move(by: -rows, viewport: rows) }
        case .pageDown: modifyTable { $0.move(by: rows, viewport: rows) }
        case .top: modifyTable { $0.moveTo(0, viewport: rows) }
        case .bottom: modifyTable { $0.moveTo(Int.max / 2, viewport: rows) }
        case .open:
            // A "worst now" row opens its topic or group; a broker row, the brokers list.
            if current.screen == .overview && current.table?.selectedRow?.target == nil { return perform(.show(.brokers)) }
            guard let target = current.table?.selectedRow?.target else { return [] }
            open(target)
        case .back:
            if let t = current.table, !t.filter.isEmpty {
                modifyTable { $0.setFilter("") }
            } else if stack.count > 1 {
                stack.removeLast()
                refreshTables(&stack[stack.count - 1])
                modifyTable { $0.scrollIntoView(rows) }
            } else {
                status = StatusMessage(text: "press q to quit", isError: false)
            }
        case .filter:
            prompt = Prompt(kind: .filter, text: current.table?.filter ?? "", savedFilter: current.table?.filter ?? "")
        case .command:
            prompt = Prompt(kind: .command)
        case .sortNext:
            modifyTable { t in
                let next = ((t.sortColumn ?? -1) + 1) % max(1, t.columns.count)
                t.setSort(column: next, descending: false)
            }
            if let t = current.table, let c = t.sortColumn {
                status = StatusMessage(text: "sorted by \(t.columns[c].title)", isError: false)
            }
        case .sortReverse:
            modifyTable { t in t.setSort(column: t.sortColumn ?? 0, descending: !t.descending) }
        case .toggleUnhealthy:
            modifyTable { t in t.setOnlyUnhealthy(!t.onlyUnhealthy) }
            let on = current.table?.onlyUnhealthy ?? false
            status = StatusMessage(text: on ? "showing only unhealthy topics" : "showing all topics", isError: false)
        case .toggleInternal:
            modifyTable { t in t.setShowInternal(!t.showInternal) }
            let on = current.table?.showInternal ?? false
            status = StatusMessage(text: on ? "showing internal topics" : "hiding internal topics", isError: false)
        case .nextPane, .previousPane:
            let n = current.panes.count
            guard n > 1 else { return [] }
            let i = stack.count - 1
            stack[i].pane = (stack[i].pane + (action == .nextPane ? 1 : n - 1)) % n
        case .show(let screen):
            show(screen)
        case .openPanel(let kind):
            return openPanel(resolve(kind))
        case .whatIf:
            guard let row = current.table?.selectedRow, let id = Int32(row.id) else {
                status = StatusMessage(text: "select a broker first", isError: true); return []
            }
            open(.whatIf(id))
        case .fix(let kind):
            return openFix(kind)
        }
        if current.screen != .help { modifyTable { $0.scrollIntoView(rows) } }
        return []
    }
}
