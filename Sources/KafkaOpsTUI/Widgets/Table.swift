import Foundation
import KafkaOpsCore

/// A table column: a fixed width, or the flexible one (width 0) that takes the remaining space.
/// A column that `fits` its content widens up to `maxWidth` to show its longest cell (the health
/// cell, a rule): such columns get their width before the flexible one (names), which is cut in
/// the middle when `cut` is `.middle`. When the table is too narrow, columns go lowest `priority`
/// first (the rightmost of equal priority first).
public struct Column: Sendable, Hashable {
    public enum Cut: Sendable, Hashable { case end, middle }
    public var title: String
    public var width: Int
    public var minWidth: Int
    public var align: Alignment
    public var priority: Int
    public var fits: Bool
    public var maxWidth: Int
    public var cut: Cut

    public init(_ title: String, width: Int, minWidth: Int = 8, align: Alignment = .left, priority: Int = 0,
                fits: Bool = false, maxWidth: Int = 60, cut: Cut = .end) {
        self.title = title; self.width = width; self.minWidth = minWidth; self.align = align
        self.priority = priority; self.fits = fits; self.maxWidth = maxWidth; self.cut = cut
    }

    /// Priorities: columns an operator needs to judge a row (health, rule, state) outlive names,
    /// which outlive counts and details.
    public static let vital = 2, name = 1, detail = 0

    public static func flex(_ title: String, min: Int = 12) -> Column { Column(title, width: 0, minWidth: min) }
    /// The flexible column holding a name: cut in the middle (both ends stay), kept before details.
    public static func name(_ title: String, min: Int = 12) -> Column {
        Column(title, width: 0, minWidth: min, priority: name, cut: .middle)
    }
    public static func number(_ title: String, _ width: Int) -> Column { Column(title, width: width, align: .right) }
    /// A column that matters (health, rule, now): as wide as its longest cell, up to `max`, and kept.
    public static func vital(_ title: String, width: Int, max: Int = 60, align: Alignment = .left) -> Column {
        Column(title, width: width, align: align, priority: vital, fits: true, maxWidth: max)
    }
}

/// What a column sorts by.
public enum SortKey: Sendable, Hashable, Comparable {
    case number(Int64)
    case text(String)
    /// Unknown values (lag `-`): after every known value, whatever the direction.
    case missing

    public static func < (a: SortKey, b: SortKey) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.text(let x), .text(let y)): return x < y
        case (.number, .text): return true
        case (.text, .number): return false
        case (.missing, _), (_, .missing): return false
        }
    }
}

/// One table row, computed when the snapshot arrives (never per frame): sanitised cell texts,
/// their roles, sort keys and the text the filter matches.
public struct Row: Sendable, Hashable {
    public var id: String
    public var cells: [String]
    public var roles: [Role]
    public var sortKeys: [SortKey]
    /// Lowercased text the `/` filter matches.
    public var search: String
    public var unhealthy: Bool
    public var isInternal: Bool
    /// The screen Enter opens.
    public var target: Screen?
    /// The finding in full, on rows of a findings table (shown under the table for the selected row).
    public var finding: FindingText?
    /// Rows sort within their section; sections stay in order (the overview's brokers, then its "worst now").
    public var section: Int
    /// A row drawn as one text across the table instead of cells (a heading, a "worst now" line).
    public var span: String?

    public init(id: String, cells: [String], roles: [Role]? = nil, sortKeys: [SortKey], search: String? = nil,
                unhealthy: Bool = false, isInternal: Bool = false, target: Screen? = nil, finding: FindingText? = nil,
                section: Int = 0, span: String? = nil) {
        self.id = id; self.cells = cells
        self.roles = roles ?? Array(repeating: .body, count: cells.count)
        self.sortKeys = sortKeys
        self.search = (search ?? id).lowercased()
        self.unhealthy = unhealthy; self.isInternal = isInternal; self.target = target
        self.finding = finding
        self.section = section; self.span = span
    }
}

/// The whole text of a durability finding: the table's cells cut it at the column widths.
public struct FindingText: Sendable, Hashable {
    public var now: String
    public var expected: String
    public var fix: String
    public var why: String

    public init(now: String, expected: String, fix: String, why: String) {
        self.now = now; self.expected = expected; self.fix = fix; self.why = why
    }
}

/// What a table lists, where the screens draw something around it.
public enum TableKind: Sendable, Hashable {
    case plain
    /// Durability findings: the selected one is explained under the table.
    case findings
}

/// Rows plus the view state of a table: filter, sort, selection and scroll.
public struct Table: Sendable {
    public var title: String
    public var kind: TableKind
    public var columns: [Column]
    public private(set) var rows: [Row]
    /// Indices into `rows` after filtering and sorting.
    public private(set) var order: [Int] = []
    /// Index into `order`.
    public var selected = 0
    /// First visible index into `order`.
    public var offset = 0
    public var sortColumn: Int?
    public var descending = false
    public private(set) var filter = ""
    public var onlyUnhealthy = false
    public var showInternal = false
    /// Shown when there are no rows at all.
    public var emptyText: String
    /// The sort the table opens with (the one an operator wants first) and its name in the header.
    public let defaultSort: (column: Int?, descending: Bool)
    public let defaultSortName: String?
    /// Per column, the widest cell (display width) of a column that fits its content and of the flexible one; 0 for the others.
    public private(set) var contentWidths: [Int] = []

    public init(title: String, kind: TableKind = .plain, columns: [Column], rows: [Row], emptyText: String,
                sortColumn: Int? = nil, descending: Bool = false, sortName: String? = nil) {
        self.title = title; self.kind = kind; self.columns = columns; self.rows = rows; self.emptyText = emptyText
        self.sortColumn = sortColumn; self.descending = descending
        defaultSort = (sortColumn, descending); defaultSortName = sortName
        reorder(keeping: nil)
    }

    /// What the header says of the sort: the default's name, else the column and its direction.
    public var sortDescription: String? {
        if sortColumn == defaultSort.column && descending == defaultSort.descending {
            if let defaultSortName { return defaultSortName }
            if sortColumn == 0 && !descending { return nil }
        }
        guard let c = sortColumn, c < columns.count else { return nil }
        return "\(columns[c].title)\(descending ? "↓" : "↑")"
    }

    /// The widest shown cell of each column that fits its content and of the flexible one (when the
    /// rows, filter or toggles change, never per frame).
    mutating func measure() {
        contentWidths = columns.indices.map { c in
            guard columns[c].fits || columns[c].width == 0 else { return 0 }
            var w = 0
            for i in order where rows[i].span == nil && c < rows[i].cells.count { w = max(w, DisplayWidth.of(rows[i].cells[c])) }
            return w
        }
    }

    public var selectedRow: Row? {
        guard selected >= 0, selected < order.count else { return nil }
        return rows[order[selected]]
    }

    public var count: Int { order.count }

    /// Replaces the rows (new snapshot), keeping filter, sort and the selected row when it still exists.
    public mutating func setRows(_ new: [Row], columns: [Column]? = nil) {
        keepingSelection { t in
            if let columns { t.columns = columns }
            t.rows = new
        }
    }

    /// A filter that hides the selected row selects the first match (not whatever row now sits at its
    /// index: rows added by a refresh meanwhile would make that a different finding or topic).
    public mutating func setFilter(_ text: String) {
        let keep = selectedRow?.id
        keepingSelection { $0.filter = text }
        if keep != nil, selectedRow?.id != keep { selected = 0 }
    }

    public mutating func setSort(column: Int?, descending: Bool) {
        keepingSelection { $0.sortColumn = column; $0.descending = descending }
    }

    public mutating func setOnlyUnhealthy(_ on: Bool) { keepingSelection { $0.onlyUnhealthy = on } }

    public mutating func setShowInternal(_ on: Bool) { keepingSelection { $0.showInternal = on } }

    /// Applies a change to what is shown or how, then re-filters and re-sorts, keeping the selected row.
    private mutating func keepingSelection(_ change: (inout Table) -> Void) {
        let keep = selectedRow?.id
        change(&self)
        reorder(keeping: keep)
    }

    mutating func reorder(keeping id: String?) {
        let needle = filter.lowercased()
        var idx: [Int] = []
        idx.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() {
            if r.isInternal && !showInternal { continue }
            if onlyUnhealthy && !r.unhealthy { continue }
            if !needle.isEmpty && !r.search.contains(needle) { continue }
            idx.append(i)
        }
        let rows = self.rows
        if let c = sortColumn, c >= 0, c < columns.count {
            let desc = descending
            idx.sort { a, b in
                if rows[a].section != rows[b].section { return rows[a].section < rows[b].section }
                let ka = c < rows[a].sortKeys.count ? rows[a].sortKeys[c] : .missing
                let kb = c < rows[b].sortKeys.count ? rows[b].sortKeys[c] : .missing
                if ka == kb { return a < b }
                if ka == .missing { return false }
                if kb == .missing { return true }
                return desc ? kb < ka : ka < kb
            }
        } else if rows.contains(where: { $0.section != 0 }) {
            idx.sort { a, b in rows[a].section != rows[b].section ? rows[a].section < rows[b].section : a < b }
        }
        order = idx
        measure()
        if let id, let pos = order.firstIndex(where: { rows[$0].id == id }) {
            selected = pos
        } else {
            selected = min(selected, max(0, order.count - 1))
        }
    }

    /// Moves the selection by `delta` rows and scrolls so that it stays in a viewport of `height` rows.
    public mutating func move(by delta: Int, viewport height: Int) {
        guard !order.isEmpty else { selected = 0; offset = 0; return }
        selected = max(0, min(order.count - 1, selected + delta))
        scrollIntoView(height)
    }

    public mutating func moveTo(_ index: Int, viewport height: Int) {
        guard !order.isEmpty else { selected = 0; offset = 0; return }
        selected = max(0, min(order.count - 1, index))
        scrollIntoView(height)
    }

    public mutating func scrollIntoView(_ height: Int) {
        let h = max(1, height)
        if selected < offset { offset = selected }
        if selected >= offset + h { offset = selected - h + 1 }
        offset = max(0, min(offset, max(0, order.count - h)))
    }

    /// Column widths for a total width (0: the column is not shown). Columns that fit their content
    /// take it (up to their maximum); the flexible one takes the rest. When that leaves the flexible
    /// one (a name) short, columns of lower priority give way: first fitted ones shrink to their base
    /// width, so the name is shown whole where it can be; then, while the name is under its minimum,
    /// they go (lowest priority, rightmost first). After that fitted columns fall back to their base
    /// width, and what still does not fit is dropped from the right.
    public func layout(width total: Int) -> [Int] {
        let n = columns.count
        var widths = columns.map { $0.width }
        for i in 0..<n where columns[i].fits {
            let natural = max(DisplayWidth.of(columns[i].title), i < contentWidths.count ? contentWidths[i] : 0)
            widths[i] = max(columns[i].width, min(columns[i].maxWidth, natural))
        }
        var shown = Array(repeating: true, count: n)
        let flex = columns.firstIndex(where: { $0.width == 0 })
        func room() -> Int {
            var u = 0, k = 0
            for i in 0..<n where shown[i] && i != flex { u += widths[i]; k += 1 }
            return total - u - max(0, (flex == nil ? k : k + 1) - 1)
        }
        let keepAbove = flex.map { columns[$0].priority } ?? Int.max
        let minimum = flex.map { columns[$0].minWidth } ?? 0
        let natural = flex.map { max(columns[$0].minWidth, $0 < contentWidths.count ? contentWidths[$0] : 0) } ?? 0
        // Lower-priority columns that fit their content shrink towards their base width, lowest priority and rightmost first.
        let yielding = (0..<n).filter { $0 != flex && columns[$0].priority < keepAbove }
            .sorted { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) }
        for v in yielding where room() < natural && columns[v].fits {
            widths[v] = max(columns[v].width, widths[v] - (natural - room()))
        }
        // Columns shown in full elsewhere (priority below 0: the audit's FIX) go before the name is cut;
        // the others go while the flexible column is under its minimum.
        for v in yielding where room() < natural && columns[v].priority < 0 { shown[v] = false }
        for v in yielding where room() < minimum { shown[v] = false }
        // Still short: the fitted columns give back what the flexible one needs, down to their base width.
        for v in (0..<n).filter({ $0 != flex && columns[$0].fits }).sorted(by: { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) })
        where room() < minimum {
            widths[v] = max(columns[v].width, widths[v] - (minimum - room()))
        }
        if let flex { widths[flex] = max(minimum, room()) }
        for i in 0..<n where !shown[i] { widths[i] = 0 }
        // Whatever still does not fit goes from the right.
        var used = 0, first = true
        for i in 0..<n where widths[i] > 0 {
            let sep = first ? 0 : 1
            if used + sep + widths[i] > total {
                let left = total - used - sep
                widths[i] = left >= 3 ? left : 0
                for j in (i + 1)..<n { widths[j] = 0 }
                break
            }
            used += sep + widths[i]
            first = false
        }
        return widths
    }
}
