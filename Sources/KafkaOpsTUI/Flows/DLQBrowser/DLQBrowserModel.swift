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
    /// The key and value decoded with their schema (wire format only), in the read job; nil: shown as bytes.
    public var decodedKey: DecodedPayload? = nil
    public var decodedValue: DecodedPayload? = nil
}

/// The error group a record falls in (the summary's "by error" rows).
public struct DLQErrorGroupKey: Hashable, Sendable {
    public var errorClass: String?
    public var pattern: String
}

/// The dead-letter-queue browser (`d` on a topic, `:dlq [TOPIC]`): a list of records with their error
/// context, a summary pane (Tab) grouping them by error and by original topic, a record view (Enter),
/// `/` search over keys, values and headers, marking (Space; all of a group from the summary) and a replay
/// of the marked records (`p`, previewed and confirmed in `DLQReplayPanel`).
public struct DLQPanel: FlowPanel {
    public enum Pane: Sendable, Hashable { case picker, records, summary }

    /// Records per page (one read job per page).
    public static let pageSize = 100
    /// Bytes per page, at most.
    public static let pageBytes = 16 << 20

    public var topic: String?
    public var pane: Pane
    public var picker: Table
    public var list: Table
    public var summaryTable: Table
    public internal(set) var entries: [DLQEntry] = []
    var rows: [Row] = []
    var position: [String: Int] = [:]
    public internal(set) var summary = DLQSummaryBuilder().summary
    /// Marked record ids ("partition:offset").
    public internal(set) var marked: Set<String> = []
    /// Records replayed from this browser, by id: where each landed ("orders/3@1042"), from the replay's
    /// delivery reports, or from its check of the target (records an earlier run wrote, found there by their
    /// kafkaops.replay.source header). Kept across re-reads of the same DLQ.
    public internal(set) var replayed: [String: String] = [:]
    /// Only the records of one summary group (Enter on a group row; Esc shows every record again).
    public internal(set) var groupView: (ids: Set<String>, label: String)?
    /// The search being typed (nil when not editing).
    public var search: TextField?
    public internal(set) var loading = false
    public internal(set) var loadError: String?
    /// False once a page came back short: nothing more to load.
    public internal(set) var more = false
    /// Newest records across partitions instead of the oldest.
    public internal(set) var newest = false
    /// Records from this time on (ms since the epoch), in every partition (`t`).
    public internal(set) var fromTime: Int64?
    /// The time being typed (nil when not editing).
    public var timeField: TextField?
    var partitions: [Int32] = []
    /// The read asked for last: a page of an earlier read (another topic, newest/oldest, a time) is stale.
    var reads = JobTickets()
    /// Any topic's records (`:records TOPIC`): the list without the DLQ columns, the value (decoded when it
    /// carries a schema) instead.
    public internal(set) var plainRecords = false

    public var title: String {
        guard let topic else { return "DLQ: pick a topic" }
        return (plainRecords ? "Records " : "DLQ ") + Fmt.safe(topic)
    }

    init(topic: String?, ctx: PanelContext) {
        self.topic = topic
        pane = topic == nil ? .picker : .records
        picker = Table(title: "Topics", columns: [.flex("TOPIC", min: 20), .number("PARTS", 5), Column("LOOKS LIKE", width: 12)],
                       rows: Self.pickerRows(ctx), emptyText: "no topics loaded yet")
        list = Table(title: "Records", columns: Self.listColumns, rows: [], emptyText: "no records")
        summaryTable = Table(title: "Summary", columns: Self.summaryColumns, rows: [], emptyText: "no records")
    }

    /// `:records TOPIC`: the record browser for any topic (no group joined, nothing committed, as for a DLQ).
    public static func openRecords(topic: String, _ ctx: PanelContext) -> (DLQPanel, PanelOutcome) {
        var p = DLQPanel(topic: topic, ctx: ctx)
        p.plainRecords = true
        p.list = Table(title: "Records", columns: Self.recordColumns, rows: [], emptyText: "no records")
        let o = p.load(ctx, append: false)
        return (p, o)
    }

    public static func open(topic: String?, _ ctx: PanelContext) -> (DLQPanel, PanelOutcome) {
        var p = DLQPanel(topic: topic, ctx: ctx)
        guard topic != nil else { return (p, .none) }
        let o = p.load(ctx, append: false)
        return (p, o)
    }


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

    /// The summary pane's rows: error groups, then original topics (DLQSummaryBuilder does the grouping).
    mutating func rebuildSummary() {
        summary = DLQSummary.build(records: entries.map(\.record), contexts: entries.map(\.context))
        var out: [Row] = []
        let patterns = summary.displayPatterns
        for (i, g) in summary.byError.enumerated() {
            let ids = members(errorGroup: DLQErrorGroupKey(errorClass: g.errorClass, pattern: g.pattern))
            out.append(Row(id: "e\(i)", cells: [markMark(ids), String(g.count), Fmt.safe(g.errorClass.map(Self.shortClass) ?? "-"),
                                                 Fmt.safe(patterns[i])],
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

    /// The records a replay would take: the marked ones (in list order), else the selected one.
    public var replaySelection: [DLQEntry] {
        if !marked.isEmpty { return entries.filter { marked.contains($0.id) } }
        if let id = list.selectedRow?.id, let i = position[id] { return [entries[i]] }
        return []
    }
}

