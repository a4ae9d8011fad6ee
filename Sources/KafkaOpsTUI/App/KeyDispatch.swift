import Foundation
import KafkaOpsCore

/// Update for a key: the key tables pick the action, `perform` carries it out.
extension ConsoleState {
    mutating func handle(_ key: Key) -> [Effect] {
        let armedBefore = quitArmed
        let effects = dispatch(key)
        // Any key but a second quit disarms the "quit again" of a change in flight.
        if quitArmed == armedBefore { quitArmed = false }
        return effects
    }

    private mutating func dispatch(_ key: Key) -> [Effect] {
        // Ctrl-Z suspends (the terminal is raw, so it arrives as a key) wherever the console is, even while typing.
        if key == .ctrl("z") { return [.suspend] }
        // "Terminal too small" hides every screen and panel: a key pressed there must not act on what the
        // operator cannot see (a `y` at a hidden confirmation). Only quit (q, like Ctrl-C) gets through.
        if isTooSmall && key != .ctrl("c") && key != .char("q") { return [] }
        if key == .ctrl("c") || isTooSmall { return requestQuit() }
        if prompt != nil { return handlePrompt(key) }
        status = nil
        if let top = panels.last {
            let ctx = panelContext
            // The one rule of "global key or panel key": KeyTables.everywhere wins unless a field is typed in.
            if let global = KeyTables.everywhereBinding(for: key, typing: top.panel.isTyping(ctx)) {
                return performOverPanels(global.action)
            }
            let outcome = panels[panels.count - 1].panel.update(key, ctx)
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

    /// Quit (q, Ctrl-C, `:q`): in the middle of a change, the first press says so and the second quits.
    mutating func requestQuit() -> [Effect] {
        if !quitArmed, let change = panels.lazy.compactMap({ $0.panel.changeInFlight }).first {
            quitArmed = true
            status = StatusMessage(text: "\(change): Ctrl-C again quits anyway (or q), leaving it unfinished", isError: true)
            return []
        }
        quitting = true
        return [.quit]
    }

    /// A global key pressed while a panel is open: `?`/F1 show the panel's keys (and close that help
    /// again), `:` opens the command line, `1`-`5` leave the panels for a screen, q quits.
    mutating func performOverPanels(_ action: Action) -> [Effect] {
        guard let top = panels.last else { return perform(action) }
        switch action {
        case .help:
            if top.panel is KeyHelpPanel { return apply(.closed, from: top.id) }
            let ctx = panelContext
            return push(KeyHelpPanel(of: top.panel.title, top.panel.keyHelp(ctx) + KeyTables.everywhereHelp))
        case .show:
            guard let effects = leavePanels() else { return [] }
            return effects + perform(action)
        default:
            return perform(action)
        }
    }

    /// Closes every panel to go to a screen or run a `:` command; nil (and a status line saying why)
    /// while a panel is sending a change, which must not be cut off by a screen switch.
    mutating func leavePanels() -> [Effect]? {
        if let change = panels.lazy.compactMap({ $0.panel.changeInFlight }).first {
            status = StatusMessage(text: "\(change): wait for its result before leaving it", isError: true)
            return nil
        }
        let effects = panels.map { Effect.cancelJobs(panelID: $0.id) }
        panels.removeAll()
        return effects
    }

    public mutating func perform(_ action: Action) -> [Effect] {
        let rows = viewportRows
        switch action {
        case .quit:
            return requestQuit()
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
            let on = !(current.table?.showInternal ?? false)
            if case .whatIf = current.screen {
                // Both panes: the summary by topic and the partitions.
                let i = stack.count - 1
                for p in stack[i].panes.indices { stack[i].panes[p].setShowInternal(on) }
                status = StatusMessage(text: on ? "showing internal topics and under-replicated-only rows"
                                                : "hiding internal topics and under-replicated-only rows", isError: false)
            } else {
                modifyTable { t in t.setShowInternal(on) }
                status = StatusMessage(text: on ? "showing internal topics" : "hiding internal topics", isError: false)
            }
        case .nextPane, .previousPane:
            let n = current.panes.count
            guard n > 1 else { return [] }
            let i = stack.count - 1
            stack[i].pane = (stack[i].pane + (action == .nextPane ? 1 : n - 1)) % n
        case .show(let screen):
            show(screen)
            if current.screen.loadsOwnData { return loadScreenData() }
        case .openPanel(let kind):
            return openPanel(resolve(kind))
        case .whatIf:
            guard let row = current.table?.selectedRow, let id = Int32(row.id) else {
                status = StatusMessage(text: "select a broker first", isError: true); return []
            }
            open(.whatIf([id]))
        case .whatIfAlso:
            guard case .whatIf(let ids) = current.screen else { return [] }
            prompt = Prompt(kind: .command, text: "whatif \(Fmt.ids(ids)),")
        case .fix(let kind):
            return openFix(kind)
        case .showConfigs:
            switch current.screen {
            case .topicDetail(let t): open(.topicConfigs(t))
            case .brokers:
                guard let id = current.table?.selectedRow.flatMap({ Int32($0.id) }) else { return [] }
                open(.brokerConfigs(id))
            default:
                status = StatusMessage(text: "configs: open a topic, or select a broker on the brokers screen", isError: true)
                return []
            }
            return loadScreenData()
        case .editConfig:
            return openConfigEdit()
        }
        if current.screen != .help { modifyTable { $0.scrollIntoView(rows) } }
        return []
    }
}
