import Foundation
import KafkaOpsCore

/// The console's screens.
public enum Screen: Hashable, Sendable {
    case overview, brokers, topics, groups
    case topicDetail(String)
    case groupDetail(String)
    /// The durability audit of every topic against the policy.
    case audit
    /// What happens to every partition if broker N goes down.
    case whatIf(Int32)
    case help

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .brokers: return "Brokers"
        case .topics: return "Topics"
        case .groups: return "Groups"
        case .topicDetail(let t): return "Topic " + Fmt.safe(t)
        case .groupDetail(let g): return "Group " + Fmt.safe(g)
        case .audit: return "Audit"
        case .whatIf(let id): return "What if broker \(id) goes down"
        case .help: return "Help"
        }
    }

    var isRoot: Bool {
        switch self {
        case .overview, .brokers, .topics, .groups, .audit: return true
        default: return false
        }
    }
}

/// One screen on the navigation stack: its tables (panes) and which one has the focus.
public struct ScreenState: Sendable {
    public var screen: Screen
    public var panes: [Table]
    public var pane: Int = 0

    public var table: Table? { panes.indices.contains(pane) ? panes[pane] : nil }
}

/// Messages: everything that happened (keys, timers, backend results), in the past tense.
public enum Msg: Sendable {
    case started
    case keyPressed(Key)
    case resized(Size)
    case ticked(Date)
    case refreshDue(Int)
    /// The metadata alone (first paint), for load `id`.
    case metadataLoaded(Int, Result<ClusterSnapshot, ClusterError>)
    /// The whole snapshot, for load `id`.
    case snapshotLoaded(Int, Result<ClusterSnapshot, ClusterError>)
    /// Load `id` did not answer within the timeout (the backend may hang).
    case loadTimedOut(Int)
    /// A job of panel `panelID` sent a value (progress or its result).
    case panelReceived(panelID: Int, value: any Sendable)
    /// SIGHUP or SIGTERM: finish the change in flight (its outcome recorded), then exit.
    case stopSignalReceived(Int32)
    /// The bounded wait for the changes in flight after a stop signal is over.
    case exitWaitEnded
}

/// Effects: what update asks the program to do, in the imperative.
public enum Effect: Sendable, Hashable {
    /// Load a snapshot; with `metadataFirst`, send `metadataLoaded` as soon as the metadata is in.
    case loadSnapshot(id: Int, metadataFirst: Bool)
    case scheduleTick(after: Duration)
    case scheduleRefresh(id: Int, after: Duration)
    /// Run a panel's cluster work off the main actor.
    case job(Job)
    /// Cancel one job of a panel.
    case cancelJob(panelID: Int, name: String)
    /// Cancel every job of a closed panel.
    case cancelJobs(panelID: Int)
    /// Tell running changes to stop at their next step (a replay between batches) and end the wait for them
    /// after `waitAtMost` (SIGHUP, SIGTERM).
    case stopChanges(waitAtMost: Duration)
    case quit
}

/// The `/` filter and the `:` command line share one prompt.
public struct Prompt: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case filter, command }
    public var kind: Kind
    public var text: String = ""
    /// The filter before the prompt opened (Esc restores it).
    public var savedFilter: String = ""
    /// Completion candidates of the last Tab.
    public var candidates: [String] = []
}

public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var isError: Bool
}

/// The whole state of the console. Changed only by `update`.
public struct ConsoleState: Sendable {
    public var profileName: String
    public var isDemo: Bool
    public var readOnly: Bool
    public var refreshInterval: Duration
    public var timeout: Duration
    public var policy: TopicPolicy = .default
    public var operations = OperationSettings()

    public var size: Size
    public var now: Date
    public var snapshot: ClusterSnapshot?
    /// False while only the metadata is in.
    public var snapshotComplete = false
    public var derived: Derived?
    public var stack: [ScreenState]
    /// Root screens left with their view state (sort, filter, selection), for coming back.
    public var saved: [Screen: ScreenState] = [:]
    public var prompt: Prompt?
    public var status: StatusMessage?
    public var lastError: ClusterError?
    public var loading = false
    public var loadStartedAt: Date?
    public var loadID = 0
    public var refreshID = 0
    public var spinner = 0
    public var quitting = false
    /// Open panels (forms, wizards, the DLQ browser), topmost last; they sit over `stack`.
    public var panels: [PanelEntry] = []
    /// Ctrl-C was pressed once while a change was in flight.
    var quitArmed = false
    /// SIGHUP or SIGTERM arrived: the console exits once no change is in flight (or the wait is over).
    public private(set) var exitSignal: Int32?
    var nextPanelID = 1

    public init(options: ConsoleOptions, size: Size = Size(width: 80, height: 24), now: Date = Date()) {
        self.init(profileName: options.profileName, isDemo: options.isDemo, readOnly: options.readOnly,
                  refreshInterval: options.refreshInterval, timeout: options.timeout, size: size, now: now)
        policy = options.policy
        operations = options.operations
    }

    public init(profileName: String, isDemo: Bool = false, readOnly: Bool = false, refreshInterval: Duration = .seconds(10),
                timeout: Duration = .seconds(10), size: Size = Size(width: 80, height: 24), now: Date = Date()) {
        self.profileName = profileName; self.isDemo = isDemo; self.readOnly = readOnly
        self.refreshInterval = refreshInterval; self.timeout = timeout; self.size = size; self.now = now
        stack = []
        stack = [makeScreen(.overview)]
    }

    public var current: ScreenState { stack[stack.count - 1] }

    public var isTooSmall: Bool { size.width < Size.minimum.width || size.height < Size.minimum.height }

    /// Data rows that fit in the current table.
    public var viewportRows: Int {
        max(1, tableArea.height - 1)
    }

    /// Lines under the table that explain the selected row (the durability finding's fix and reason).
    var explainLines: Int {
        guard let t = current.table, t.title == "Durability" || t.title == "Audit", !t.rows.isEmpty else { return 0 }
        return 4
    }

    /// Where the current table goes.
    public var tableArea: (y: Int, height: Int) {
        let a = Layout.tableArea(current.screen, size: size, problems: snapshot?.problems.count ?? 0)
        return (a.y, max(2, a.height - explainLines))
    }

    // MARK: update

    public mutating func update(_ msg: Msg) -> [Effect] {
        switch msg {
        case .started:
            return startLoad(metadataFirst: true) + [.scheduleTick(after: .milliseconds(250))]
        case .keyPressed(let key):
            // Exiting on a stop signal: nothing new starts while the change in flight finishes.
            guard exitSignal == nil else { return [] }
            return handle(key)
        case .resized(let s):
            size = s
            modifyTable { [rows = viewportRows] t in t.scrollIntoView(rows) }
            return []
        case .ticked(let date):
            now = date
            spinner &+= 1
            return [.scheduleTick(after: loading ? .milliseconds(150) : .seconds(1))]
        case .refreshDue(let id):
            guard id == refreshID, !loading else { return [] }
            return startLoad(metadataFirst: false)
        case .metadataLoaded(let id, let result):
            guard id == loadID, loading else { return [] }
            if case .success(let snap) = result, !snapshotComplete {
                apply(snap, complete: false)
            }
            return []
        case .snapshotLoaded(let id, let result):
            guard id == loadID, loading else { return [] }
            loading = false
            loadStartedAt = nil
            switch result {
            case .success(let snap):
                lastError = nil
                apply(snap, complete: true)
            case .failure(let e):
                lastError = e
            }
            return armRefresh()
        case .panelReceived(let id, let value):
            guard let i = panels.firstIndex(where: { $0.id == id }) else { return [] }
            let ctx = panelContext
            let outcome = panels[i].panel.receive(value, ctx)
            let effects = apply(outcome, from: id)
            if exitSignal != nil && changeInFlight == nil { quitting = true; return [.quit] }
            return effects
        case .stopSignalReceived(let sig):
            guard exitSignal == nil else { return [] }
            exitSignal = sig
            guard let change = changeInFlight else { quitting = true; return [.quit] }
            // A change cut between its request and its outcome record is the worst end: let it finish.
            status = StatusMessage(text: "\(sig == SIGHUP ? "SIGHUP" : "SIGTERM"): \(change); recording its outcome, then exiting", isError: true)
            return [.stopChanges(waitAtMost: timeout + .seconds(5))]
        case .exitWaitEnded:
            quitting = true
            return [.quit]
        case .loadTimedOut(let id):
            guard id == loadID, loading else { return [] }
            loading = false
            loadStartedAt = nil
            loadID += 1  // a late answer is ignored
            lastError = ClusterError.timeout("the cluster")
            return armRefresh()
        }
    }

    /// The change an open panel is sending to the cluster now, if any.
    var changeInFlight: String? { panels.lazy.compactMap { $0.panel.changeInFlight }.first }

    mutating func startLoad(metadataFirst: Bool) -> [Effect] {
        loadID += 1
        loading = true
        loadStartedAt = now
        return [.loadSnapshot(id: loadID, metadataFirst: metadataFirst)]
    }

    mutating func armRefresh() -> [Effect] {
        refreshID += 1
        return [.scheduleRefresh(id: refreshID, after: refreshInterval)]
    }

    /// Takes a new snapshot: derived data and every table are rebuilt once, here.
    mutating func apply(_ snap: ClusterSnapshot, complete: Bool) {
        snapshot = snap
        snapshotComplete = complete
        derived = Derived(snap, complete: complete, policy: policy)
        for i in stack.indices { refreshTables(&stack[i]) }
        for k in Array(saved.keys) {
            if var s = saved[k] { refreshTables(&s); saved[k] = s }
        }
        let rows = viewportRows
        modifyTable { t in t.scrollIntoView(rows) }
        if !panels.isEmpty {
            let ctx = panelContext
            for i in panels.indices { panels[i].panel.snapshotChanged(ctx) }
        }
    }

    func buildPanes(_ screen: Screen) -> [Table] {
        switch screen {
        case .overview, .brokers: return [Tables.brokers(snapshot)]
        case .topics: return [Tables.topics(derived, complete: snapshotComplete)]
        case .groups: return [Tables.groups(snapshot, derived, complete: snapshotComplete)]
        case .topicDetail(let t): return Tables.topicDetail(t, snapshot, derived, complete: snapshotComplete)
        case .groupDetail(let g): return Tables.groupDetail(g, snapshot, derived, complete: snapshotComplete)
        case .audit: return [Tables.audit(derived, complete: snapshotComplete)]
        case .whatIf(let id): return [Tables.whatIf(id, snapshot, complete: snapshotComplete)]
        case .help:
            let under = stack.count >= 1 ? stack[stack.count - 1].screen : .overview
            return [Tables.help(for: under == .help ? .overview : under, readOnly: readOnly)]
        }
    }

    func makeScreen(_ screen: Screen) -> ScreenState {
        ScreenState(screen: screen, panes: buildPanes(screen))
    }

    func refreshTables(_ s: inout ScreenState) {
        if s.screen == .help { return }
        let fresh = buildPanes(s.screen)
        for i in fresh.indices where i < s.panes.count {
            s.panes[i].setRows(fresh[i].rows)
            s.panes[i].emptyText = fresh[i].emptyText
        }
    }

    mutating func modifyTable(_ body: (inout Table) -> Void) {
        let i = stack.count - 1
        let p = stack[i].pane
        guard stack[i].panes.indices.contains(p) else { return }
        body(&stack[i].panes[p])
    }

    // MARK: keys

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
            if current.screen == .overview { return perform(.show(.brokers)) }
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

    mutating func show(_ screen: Screen) {
        guard screen.isRoot else { open(screen); return }
        let root = stack[0]
        if root.screen == screen && stack.count == 1 { return }
        saved[root.screen] = root
        if var s = saved[screen] {
            refreshTables(&s)
            stack = [s]
        } else {
            stack = [makeScreen(screen)]
        }
    }

    /// A `:` jump: the root screen, then its detail, whatever was open before.
    mutating func jump(to root: Screen, then detail: Screen) {
        show(root)
        stack = [stack[0], makeScreen(detail)]
        let rows = viewportRows
        modifyTable { $0.scrollIntoView(rows) }
    }

    mutating func open(_ screen: Screen) {
        if let i = stack.firstIndex(where: { $0.screen == screen }) {
            stack.removeSubrange((i + 1)...)
            refreshTables(&stack[i])
            return
        }
        stack.append(makeScreen(screen))
    }

    // MARK: prompt (`/` and `:`)

    mutating func handlePrompt(_ key: Key) -> [Effect] {
        guard var p = prompt else { return [] }
        switch key {
        case .escape:
            if p.kind == .filter { modifyTable { $0.setFilter(p.savedFilter) } }
            prompt = nil
            return []
        case .enter:
            prompt = nil
            if p.kind == .command { return run(command: p.text) }
            return []
        case .backspace, .ctrl("h"):
            if p.text.isEmpty { prompt = nil; return [] }
            p.text.removeLast()
        case .ctrl("u"):
            p.text = ""
        case .tab:
            if p.kind == .command { complete(&p) }
        case .char(let c):
            p.text.append(c)
        default:
            return []
        }
        if p.kind == .filter {
            let text = p.text
            let rows = viewportRows
            modifyTable { $0.setFilter(text); $0.scrollIntoView(rows) }
        } else if key != .tab {
            p.candidates = []
        }
        prompt = p
        return []
    }

    func completions(_ prefix: String) -> [String] {
        let words = prefix.split(separator: " ", omittingEmptySubsequences: false)
        let head = words.first.map(String.init)?.lowercased() ?? ""
        if words.count <= 1 {
            return KeyTables.commands.map(\.name).filter { $0.hasPrefix(head) && $0 != "q" }
        }
        // `:topic NAME` / `:group NAME` complete the name.
        let arg = words.dropFirst().joined(separator: " ")
        let names: [String]
        switch head {
        case "topic": names = snapshot?.metadata.topics.map(\.name).sorted() ?? []
        case "group", "reset": names = derived?.groupLags.map(\.group) ?? []
        case "dlq": names = snapshot?.metadata.topics.map(\.name).sorted() ?? []
        default: names = []
        }
        return names.filter { $0.hasPrefix(arg) }.map { "\(head) \($0)" }
    }

    mutating func complete(_ p: inout Prompt) {
        let c = completions(p.text)
        guard !c.isEmpty else {
            p.candidates = []
            status = StatusMessage(text: "no completion for '\(Fmt.safe(p.text))'", isError: false)
            return
        }
        if c.count == 1 {
            p.text = c[0]
            p.candidates = []
            return
        }
        var common = c[0]
        for s in c.dropFirst() { common = String(common.commonPrefix(with: s)) }
        if common.count > p.text.count { p.text = common }
        p.candidates = c
    }

    mutating func run(command raw: String) -> [Effect] {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let head = parts.first?.lowercased() else { return [] }
        let arg = parts.count > 1 ? parts[1] : nil
        if let arg, head == "topic" || head == "t" {
            guard snapshot?.topic(arg) != nil else {
                status = StatusMessage(text: "no topic named '\(Fmt.safe(arg))'", isError: true); return []
            }
            jump(to: .topics, then: .topicDetail(arg))
            return []
        }
        if head == "create" || head == "new" { return openPanel(.createTopic) }
        if head == "dlq" {
            if let arg, snapshot?.topic(arg) == nil {
                status = StatusMessage(text: "no topic named '\(Fmt.safe(arg))'", isError: true); return []
            }
            return openPanel(.dlq(topic: arg))
        }
        if let arg, head == "reset" {
            guard derived?.lagByGroup[arg] != nil || snapshot?.groups.contains(where: { $0.id == arg }) == true else {
                status = StatusMessage(text: "no group named '\(Fmt.safe(arg))'", isError: true); return []
            }
            return openPanel(.resetOffsets(group: arg))
        }
        if head == "reset" { return openPanel(resolve(.resetOffsets(group: ""))) }
        if head == "whatif" || head == "what-if" {
            guard let arg, let id = Int32(arg) else {
                if case .brokers = current.screen { return perform(.whatIf) }
                status = StatusMessage(text: "usage: :whatif BROKER-ID", isError: true); return []
            }
            open(.whatIf(id))
            return []
        }
        if let arg, head == "group" {
            guard derived?.lagByGroup[arg] != nil || snapshot?.groups.contains(where: { $0.id == arg }) == true else {
                status = StatusMessage(text: "no group named '\(Fmt.safe(arg))'", isError: true); return []
            }
            jump(to: .groups, then: .groupDetail(arg))
            return []
        }
        let aliases: [String: Action] = [
            "q": .quit, "quit": .quit, "q!": .quit, "exit": .quit,
            "topics": .show(.topics), "topic": .show(.topics), "t": .show(.topics),
            "groups": .show(.groups), "group": .show(.groups), "consumers": .show(.groups),
            "brokers": .show(.brokers), "broker": .show(.brokers), "b": .show(.brokers),
            "overview": .show(.overview), "o": .show(.overview), "cluster": .show(.overview),
            "audit": .show(.audit), "findings": .show(.audit),
            "help": .help, "?": .help,
        ]
        if let a = aliases[head] { return perform(a) }
        let matches = KeyTables.commands.map(\.name).filter { $0.hasPrefix(head) }
        if matches.count == 1, let a = aliases[matches[0]] { return perform(a) }
        status = StatusMessage(text: "unknown command ':\(Fmt.safe(text))' (try :topics :groups :brokers :overview :q)",
                               isError: true)
        return []
    }
}
