import Foundation
import KafkaOpsCore

/// One DLQ record as the browser keeps it: the record, its decoded error context and its error group,
/// computed once in the read job (never per frame).
public struct DLQEntry: Sendable {
    public var record: Record
    public var context: DLQContext
    /// "partition:offset", unique within the DLQ topic.
    public var id: String
    public var errorGroup: DLQErrorGroupKey
}

/// The error group a record falls in (the summary's "by error" rows).
public struct DLQErrorGroupKey: Hashable, Sendable {
    public var errorClass: String?
    public var pattern: String
}

/// A page of records read by a job of the DLQ browser.
public struct DLQPageRead: Sendable {
    var ticket: JobTicket
    var entries: [DLQEntry]
    var rows: [Row]
    /// The partitions read (known after the first page even when the snapshot did not have them).
    var partitions: [Int32]
    var full: Bool
    var append: Bool
}

/// The dead-letter-queue browser (`d` on a topic, `:dlq [TOPIC]`): a list of records with their error
/// context, a summary pane (Tab) grouping them by error and by original topic, a record view (Enter),
/// `/` search over keys, values and headers, marking (Space; all of a group from the summary) and a replay
/// of the marked records (`p`, previewed and confirmed in `DLQReplayPanel`).
public struct DLQPanel: FlowPanel {
    public enum Pane: Sendable, Hashable { case picker, records, summary }
    /// What the browser's read job sends back.
    public enum Event: Sendable {
        case read(DLQPageRead)
        case readFailed(JobTicket, String)
    }

    /// Records per page (one read job per page).
    public static let pageSize = 100
    /// Bytes per page, at most.
    public static let pageBytes = 16 << 20

    public var topic: String?
    public var pane: Pane
    public var picker: Table
    public var list: Table
    public var summaryTable: Table
    public private(set) var entries: [DLQEntry] = []
    private var rows: [Row] = []
    private var position: [String: Int] = [:]
    public private(set) var summary = DLQSummaryBuilder().summary
    /// Marked record ids ("partition:offset").
    public private(set) var marked: Set<String> = []
    /// Only the records of one summary group (Enter on a group row; Esc shows every record again).
    public private(set) var groupView: (ids: Set<String>, label: String)?
    /// The search being typed (nil when not editing).
    public var search: TextField?
    public private(set) var loading = false
    public private(set) var loadError: String?
    /// False once a page came back short: nothing more to load.
    public private(set) var more = false
    /// Newest records across partitions instead of the oldest.
    public private(set) var newest = false
    /// Records from this time on (ms since the epoch), in every partition (`t`).
    public private(set) var fromTime: Int64?
    /// The time being typed (nil when not editing).
    public var timeField: TextField?
    private var partitions: [Int32] = []
    /// The read asked for last: a page of an earlier read (another topic, newest/oldest, a time) is stale.
    private var reads = JobTickets()

    public var title: String {
        guard let topic else { return "DLQ: pick a topic" }
        return "DLQ " + Fmt.safe(topic)
    }

    static let listColumns = [Column("M", width: 1), Column("P:OFFSET", width: 8), Column("TIME (UTC)", width: 11),
                              Column("KEY", width: 8), Column("ORIGIN", width: 13), Column("ERROR", width: 13),
                              .flex("MESSAGE", min: 8)]
    static let summaryColumns = [Column("M", width: 1), .number("COUNT", 6), Column("ERROR / ORIGINAL TOPIC", width: 24),
                                 .flex("MESSAGE PATTERN / ORIGINAL OFFSETS", min: 10)]

    init(topic: String?, ctx: PanelContext) {
        self.topic = topic
        pane = topic == nil ? .picker : .records
        picker = Table(title: "Topics", columns: [.flex("TOPIC", min: 20), .number("PARTS", 5), Column("LOOKS LIKE", width: 12)],
                       rows: Self.pickerRows(ctx), emptyText: "no topics loaded yet")
        list = Table(title: "Records", columns: Self.listColumns, rows: [], emptyText: "no records")
        summaryTable = Table(title: "Summary", columns: Self.summaryColumns, rows: [], emptyText: "no records")
    }

    public static func open(topic: String?, _ ctx: PanelContext) -> (DLQPanel, PanelOutcome) {
        var p = DLQPanel(topic: topic, ctx: ctx)
        guard topic != nil else { return (p, .none) }
        let o = p.load(ctx, append: false)
        return (p, o)
    }

    // MARK: topic picker

    /// Whether a topic name looks like a dead-letter queue (listed first in the picker).
    public static func looksLikeDLQ(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["dlq", "dead-letter", "deadletter", "dead_letter", ".dlt", "-dlt", "_dlt", "error"].contains { n.contains($0) }
    }

    static func pickerRows(_ ctx: PanelContext) -> [Row] {
        let topics = (ctx.snapshot?.metadata.topics ?? []).filter { !$0.isInternal }
        let sorted = topics.sorted { a, b in
            let da = looksLikeDLQ(a.name), db = looksLikeDLQ(b.name)
            if da != db { return da }
            return a.name < b.name
        }
        return sorted.map { t in
            let dlq = looksLikeDLQ(t.name)
            return Row(id: t.name, cells: [Fmt.safe(t.name), String(t.partitions.count), dlq ? "dead letters" : ""],
                       roles: [.body, .body, dlq ? .highlight : .muted], sortKeys: [], search: t.name)
        }
    }

    // MARK: reading

    /// Starts the read job: the first page (from the start, or the newest records), or the next page.
    mutating func load(_ ctx: PanelContext, append: Bool) -> PanelOutcome {
        guard let topic else { return .none }
        let ticket = reads.next()
        loading = true
        loadError = nil
        if partitions.isEmpty, let t = ctx.snapshot?.topic(topic) { partitions = t.partitions.map(\.id).sorted() }
        let starts: [(partition: Int32, start: ReadStart)]
        if append {
            var last: [Int32: Int64] = [:]
            for e in entries { last[e.record.partition] = max(last[e.record.partition] ?? -1, e.record.offset) }
            starts = partitions.map { p in (p, last[p].map { .offset($0 + 1) } ?? .earliest) }
        } else {
            starts = partitions.map { ($0, Self.firstStart(newest: newest, fromTime: fromTime)) }
        }
        let job = Self.readJob(topic: topic, knownPartitions: partitions, starts: starts, newest: newest, fromTime: fromTime,
                               append: append, ticket: ticket, mapping: ctx.operations.dlqHeaders)
        return PanelOutcome(jobs: [job])
    }

    /// Where the first page starts in each partition: at `fromTime`, the newest page, or the log start.
    static func firstStart(newest: Bool, fromTime: Int64?) -> ReadStart {
        if let fromTime { return .timestamp(fromTime) }
        return newest ? .lastN(Int64(pageSize)) : .earliest
    }

    static func readJob(topic: String, knownPartitions: [Int32], starts: [(partition: Int32, start: ReadStart)], newest: Bool,
                        fromTime: Int64? = nil, append: Bool, ticket: JobTicket, mapping: DLQHeaderMapping) -> Job {
        let given = starts.map { DLQStart(partition: $0.partition, start: $0.start) }
        return Job("read", sending: Event.self) { ctx in
            do {
                var partitions = knownPartitions
                var starts = given.map { (partition: $0.partition, start: $0.start) }
                if partitions.isEmpty {
                    let md = try await ctx.client.metadata(deadline: ctx.deadline)
                    guard let t = md.topics.first(where: { $0.name == topic }) else {
                        throw ClusterError(.unknownTopic, "topic '\(topic)' does not exist")
                    }
                    partitions = t.partitions.map(\.id).sorted()
                    starts = partitions.map { ($0, firstStart(newest: newest, fromTime: fromTime)) }
                }
                let records = try await DLQReader.read(client: ctx.client, topic: topic, starts: starts, limit: pageSize,
                                                       maxBytes: pageBytes, deadline: ctx.deadline)
                if Task.isCancelled { return }
                let entries = records.map { entry($0, mapping: mapping) }
                let rows = entries.map { row($0, marked: false) }
                await ctx.send(.read(DLQPageRead(ticket: ticket, entries: entries, rows: rows, partitions: partitions,
                                                 full: records.count >= pageSize, append: append)))
            } catch {
                if Task.isCancelled { return }
                let text = String(describing: error)
                await ctx.send(.readFailed(ticket, text))
            }
        }
    }

    /// A start time as the reset wizard takes it: Kafka's date-time (UTC unless a zone is given) or an
    /// ISO-8601 duration back from now (PT1H).
    static func parseTime(_ text: String, now: Date) throws(OffsetTimeError) -> Int64 {
        if text.uppercased().hasPrefix("P") {
            return OffsetTime.milliseconds(now) - (try OffsetTime.parseDuration(text))
        }
        return try OffsetTime.parseDateTime(text)
    }

    static func entry(_ r: Record, mapping: DLQHeaderMapping) -> DLQEntry {
        let c = DLQContext.decode(record: r, mapping: mapping)
        let g = DLQSummary.errorGroupKey(c)
        return DLQEntry(record: r, context: c, id: "\(r.partition):\(r.offset)",
                        errorGroup: DLQErrorGroupKey(errorClass: g.errorClass, pattern: g.pattern))
    }

    /// "11-24 09:15" (UTC) from ms since the epoch.
    static func shortTime(_ ms: Int64) -> String {
        let iso = ISO8601.string(milliseconds: ms)  // 2026-11-24T09:15:02.000Z
        let chars = Array(iso)
        guard chars.count >= 16 else { return iso }
        return String(chars[5..<10]) + " " + String(chars[11..<16])
    }

    /// A key or header value for one line: sanitised text, "null", or hex when it is not text.
    public static func oneLine(_ b: [UInt8]?) -> String { ReplayPlanner.keyText(b) }

    /// The text `/` searches: key, value and headers (names and values), as raw text.
    static func searchText(_ r: Record) -> String {
        var s = "\(r.partition):\(r.offset) "
        if let k = r.key { s += String(decoding: k, as: UTF8.self) + " " }
        if let v = r.value { s += String(decoding: v, as: UTF8.self) + " " }
        for h in r.headers {
            s += h.key + "=" + (h.value.map { String(decoding: $0, as: UTF8.self) } ?? "") + " "
        }
        return s
    }

    static func row(_ e: DLQEntry, marked: Bool) -> Row {
        let r = e.record, c = e.context
        let message = (c.message ?? "").split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).first.map(String.init)
            ?? (c.family == .none ? "(no error context)" : "")
        return Row(id: e.id,
                   cells: [marked ? "*" : " ", e.id, shortTime(r.timestamp), oneLine(r.key), Fmt.safe(c.originDescription ?? "-"),
                           Fmt.safe(c.shortErrorClass ?? "-"), Fmt.safe(message)],
                   roles: [.highlight, .body, .muted, .body, .body, c.errorClass == nil ? .muted : .warning, .body],
                   sortKeys: [], search: searchText(r))
    }

    // MARK: results

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .dlqBrowser(let event) = event else { return .none }
        switch event {
        case .read(let page):
            guard reads.isCurrent(page.ticket) else { return .none }
            loading = false
            partitions = page.partitions
            more = page.full && !newest
            if !page.append { entries = []; rows = []; position = [:]; marked = [] }
            var seen = Set(position.keys)
            for (e, r) in zip(page.entries, page.rows) where seen.insert(e.id).inserted {
                position[e.id] = entries.count
                entries.append(e)
                rows.append(r)
            }
            if !page.append { groupView = nil }
            refreshList()
            rebuildSummary()
            return .none
        case .readFailed(let ticket, let error):
            guard reads.isCurrent(ticket) else { return .none }
            loading = false
            loadError = error
            return .error("reading \(Fmt.safe(topic ?? "")) failed: \(Fmt.safe(error))")
        }
    }

    /// The summary pane's rows: error groups, then original topics (DLQSummaryBuilder does the grouping).
    mutating func rebuildSummary() {
        summary = DLQSummary.build(records: entries.map(\.record), contexts: entries.map(\.context))
        var out: [Row] = []
        for (i, g) in summary.byError.enumerated() {
            let ids = members(errorGroup: DLQErrorGroupKey(errorClass: g.errorClass, pattern: g.pattern))
            out.append(Row(id: "e\(i)", cells: [markMark(ids), String(g.count), Fmt.safe(g.errorClass.map(Self.shortClass) ?? "-"),
                                                 Fmt.safe(g.pattern)],
                           roles: [.highlight, .body, .warning, .body], sortKeys: []))
        }
        out.append(Row(id: "sep", cells: ["", "", "── by original topic ──", ""], roles: [.muted, .muted, .title, .muted], sortKeys: []))
        for (i, g) in summary.byTopic.enumerated() {
            let ids = members(originalTopic: g.originalTopic)
            let range = g.minOriginalOffset.map { "offsets \($0)-\(g.maxOriginalOffset ?? $0)" } ?? "-"
            out.append(Row(id: "t\(i)", cells: [markMark(ids), String(g.count), Fmt.safe(g.originalTopic ?? "(unknown)"), range],
                           roles: [.highlight, .body, .body, .muted], sortKeys: []))
        }
        summaryTable.setRows(out)
    }

    static func shortClass(_ c: String) -> String { c.split(separator: ".").last.map(String.init) ?? c }

    func markMark(_ ids: [String]) -> String {
        if ids.isEmpty { return " " }
        let n = ids.filter { marked.contains($0) }.count
        return n == ids.count ? "*" : (n > 0 ? "+" : " ")
    }

    func members(errorGroup key: DLQErrorGroupKey) -> [String] { entries.filter { $0.errorGroup == key }.map(\.id) }

    func members(originalTopic t: String?) -> [String] { entries.filter { $0.context.originalTopic == t }.map(\.id) }

    /// The record ids of the selected summary row (empty on the separator).
    var selectedGroupMembers: (ids: [String], label: String) {
        guard let id = summaryTable.selectedRow?.id, let n = Int(id.dropFirst()) else { return ([], "") }
        if id.hasPrefix("e"), n < summary.byError.count {
            let g = summary.byError[n]
            return (members(errorGroup: DLQErrorGroupKey(errorClass: g.errorClass, pattern: g.pattern)),
                    g.errorClass.map(Self.shortClass) ?? g.pattern)
        }
        if id.hasPrefix("t"), n < summary.byTopic.count {
            let g = summary.byTopic[n]
            return (members(originalTopic: g.originalTopic), "from " + (g.originalTopic ?? "an unknown topic"))
        }
        return ([], "")
    }

    // MARK: marking

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

    /// The records a replay would take: the marked ones (in list order), else the selected one.
    public var replaySelection: [DLQEntry] {
        if !marked.isEmpty { return entries.filter { marked.contains($0.id) } }
        if let id = list.selectedRow?.id, let i = position[id] { return [entries[i]] }
        return []
    }

    // MARK: keys

    public enum Action: Sendable, Hashable {
        case keep, clear, move(ListNavigation.Move), escape, search
        case browse, view, mark, markAll, clearMarks, switchPane, toggleNewest, fromTime, more, reload, replay
        case markGroup, showGroup
    }

    /// The search or the start time is being typed.
    public func isTyping(_ ctx: PanelContext) -> Bool { search != nil || timeField != nil }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        if search != nil {
            return FlowKeys([FlowBinding([.enter], .keep, "keep the filter", short: "keep filter"),
                             FlowBinding([.escape], .clear, "clear the filter", short: "clear")], readOnly: ctx.readOnly)
        }
        if timeField != nil {
            return FlowKeys([FlowBinding([.enter], .keep, "read from this time (empty: from the start)",
                                         short: "read from this time (empty: from the start)"),
                             FlowBinding([.escape], .clear, "cancel", short: "cancel")], readOnly: ctx.readOnly)
        }
        let moves = ListNavigation.bindings { Action.move($0) }
        let search = FlowBinding<Action>([.char("/")], .search, "search keys, values and headers", short: "search")
        let close = FlowBinding<Action>([.escape], .escape, "clear the search, leave the group shown, or close", short: "close")
        let replay = FlowBinding<Action>([.char("p"), .char("x")], .replay, "replay the marked records (else the selected one)",
                                         short: "replay", label: "p", destructive: true)
        switch pane {
        case .picker:
            return FlowKeys([FlowBinding([.enter], .browse, "browse the topic as a dead-letter queue", short: "browse"), search, close]
                            + moves, readOnly: ctx.readOnly)
        case .records:
            return FlowKeys([
                FlowBinding([.enter], .view, "view the record in full", short: "view"),
                FlowBinding([.char(" ")], .mark, "mark or unmark the record", short: "mark"),
                FlowBinding([.tab, .backTab], .switchPane, "the summary by error and by original topic", short: "summary", label: "Tab"),
                search, replay, close,
                FlowBinding([.char("n")], .toggleNewest, newest ? "the oldest records" : "the newest records",
                            short: newest ? "oldest" : "newest"),
                FlowBinding([.char("t")], .fromTime, "read from a time (or PT1H back)", short: "from time"),
                FlowBinding([.char("a")], .markAll, "mark every record shown", short: "mark all"),
                FlowBinding([.char("c")], .clearMarks, "unmark every record", short: "clear"),
                FlowBinding([.char("m")], .more, "read the next page"),
                FlowBinding([.char("r"), .ctrl("r")], .reload, "read again from the start"),
            ] + moves, readOnly: ctx.readOnly)
        case .summary:
            return FlowKeys([
                FlowBinding([.char(" "), .char("a")], .markGroup, "mark or unmark every record of the group", short: "mark group",
                            label: "Space"),
                FlowBinding([.enter], .showGroup, "show only the group's records", short: "show group"),
                FlowBinding([.tab, .backTab], .switchPane, "the records", short: "records", label: "Tab"),
                replay,
                FlowBinding([.char("c")], .clearMarks, "unmark every record", short: "clear marks"),
                close, search,
            ] + moves, readOnly: ctx.readOnly)
        }
    }

    /// Rows of the current table that fit (the panel area minus the info line, the table header and the
    /// search line).
    static func rowsVisible(_ ctx: PanelContext) -> Int { max(1, ctx.content.height - 3) }

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
            return PanelOutcome(push: DLQRecordPanel(records: shown, index: list.selected, dlqTopic: topic, width: ctx.size.width))
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

    public mutating func snapshotChanged(_ ctx: PanelContext) {
        if pane == .picker { picker.setRows(Self.pickerRows(ctx)) }
    }

    // MARK: drawing

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

/// A (partition, start) pair that can cross into a job.
struct DLQStart: Sendable {
    var partition: Int32
    var start: ReadStart
}
