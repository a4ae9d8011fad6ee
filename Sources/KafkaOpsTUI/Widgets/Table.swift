import Foundation

/// A table column: a fixed width, or the flexible one (width 0) that takes the remaining space.
public struct Column: Sendable, Hashable {
    public var title: String
    public var width: Int
    public var minWidth: Int
    public var align: Alignment

    public init(_ title: String, width: Int, minWidth: Int = 8, align: Alignment = .left) {
        self.title = title; self.width = width; self.minWidth = minWidth; self.align = align
    }

    public static func flex(_ title: String, min: Int = 12) -> Column { Column(title, width: 0, minWidth: min) }
    public static func number(_ title: String, _ width: Int) -> Column { Column(title, width: width, align: .right) }
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

    public init(id: String, cells: [String], roles: [Role]? = nil, sortKeys: [SortKey], search: String? = nil,
                unhealthy: Bool = false, isInternal: Bool = false, target: Screen? = nil, finding: FindingText? = nil) {
        self.id = id; self.cells = cells
        self.roles = roles ?? Array(repeating: .body, count: cells.count)
        self.sortKeys = sortKeys
        self.search = (search ?? id).lowercased()
        self.unhealthy = unhealthy; self.isInternal = isInternal; self.target = target
        self.finding = finding
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

    public init(title: String, kind: TableKind = .plain, columns: [Column], rows: [Row], emptyText: String,
                sortColumn: Int? = nil) {
        self.title = title; self.kind = kind; self.columns = columns; self.rows = rows; self.emptyText = emptyText
        self.sortColumn = sortColumn
        reorder(keeping: nil)
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
        if let c = sortColumn, c >= 0, c < columns.count {
            let desc = descending
            let rows = self.rows
            idx.sort { a, b in
                let ka = c < rows[a].sortKeys.count ? rows[a].sortKeys[c] : .missing
                let kb = c < rows[b].sortKeys.count ? rows[b].sortKeys[c] : .missing
                if ka == kb { return a < b }
                if ka == .missing { return false }
                if kb == .missing { return true }
                return desc ? kb < ka : ka < kb
            }
        }
        order = idx
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

    /// Column widths for a total width: fixed columns as given, the flexible one takes the rest.
    /// Columns that do not fit are dropped from the right (width 0).
    public func layout(width total: Int) -> [Int] {
        var widths = columns.map { $0.width }
        let fixed = columns.reduce(0) { $0 + $1.width } + max(0, columns.count - 1)
        if let flex = columns.firstIndex(where: { $0.width == 0 }) {
            widths[flex] = max(columns[flex].minWidth, total - fixed)
        }
        // Drop columns from the right until the rest fits.
        var used = 0
        for i in widths.indices {
            let need = widths[i] + (i > 0 ? 1 : 0)
            if used + need > total {
                let room = total - used - (i > 0 ? 1 : 0)
                widths[i] = room >= 3 ? room : 0
                for j in (i + 1)..<widths.count { widths[j] = 0 }
                break
            }
            used += need
        }
        return widths
    }
}
