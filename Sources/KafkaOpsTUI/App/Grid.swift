import Foundation
import KafkaOpsCore

/// A terminal size in cells.
public struct Size: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }

    /// The smallest terminal the console draws its screens in.
    public static let minimum = Size(width: 80, height: 24)
}

/// One screen cell: a grapheme, its display width and the theme role it is drawn in.
/// A wide grapheme (CJK, most emoji) occupies two cells: the first has width 2, the second is a
/// continuation cell (width 0) that the renderer never writes itself.
public struct Cell: Hashable, Sendable {
    public var char: Character
    /// 1 or 2 for a grapheme, 0 for the continuation of a wide one.
    public var width: UInt8
    public var role: Role

    public init(_ char: Character, width: UInt8 = 1, role: Role = .body) {
        self.char = char; self.width = width; self.role = role
    }

    public static let blank = Cell(" ")
    static func continuation(_ role: Role) -> Cell { Cell(" ", width: 0, role: role) }
}


/// Horizontal alignment of text in a field.
public enum Alignment: Sendable, Hashable { case left, right }

/// An in-memory screen: views draw into it, the renderer diffs it against the previous frame.
public struct Grid: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var size: Size { Size(width: width, height: height) }

    /// Resizes (clearing) only when the size changed; keeps the storage otherwise.
    public mutating func reset(to size: Size, role: Role = .body) {
        if size.width != width || size.height != height {
            width = max(0, size.width); height = max(0, size.height)
            cells = Array(repeating: Cell(" ", role: role), count: width * height)
        } else {
            clear(role: role)
        }
    }

    public mutating func clear(role: Role = .body) {
        let c = Cell(" ", role: role)
        cells.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = c }
        }
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Fills part of a row with blanks in a role.
    public mutating func fill(y: Int, x: Int = 0, width w: Int? = nil, role: Role) {
        guard y >= 0, y < height else { return }
        let start = max(0, x), end = min(width, x + (w ?? width))
        guard start < end else { return }
        let c = Cell(" ", role: role)
        for i in start..<end { cells[y * width + i] = c }
    }

    /// Writes text at (x, y) into at most `maxWidth` columns (default: to the right edge), cutting it
    /// with `…` when it does not fit. With `pad`, the rest of the field is filled with blanks; `align`
    /// right-aligns text that fits. Returns the columns used.
    @discardableResult
    public mutating func put(_ s: String, x: Int, y: Int, maxWidth: Int? = nil, role: Role,
                             align: Alignment = .left, pad: Bool = false) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - max(0, x))
        guard limit > 0 else { return 0 }
        let textWidth = DisplayWidth.of(s)
        var col = x
        let end = x + limit
        if textWidth <= limit {
            if align == .right {
                let lead = limit - textWidth
                if pad || lead > 0 { fill(y: y, x: col, width: lead, role: role) }
                col += lead
            }
            for ch in s {
                let w = DisplayWidth.of(ch)
                if w == 0 { continue }
                set(ch, width: w, x: col, y: y, role: role)
                col += w
            }
        } else {
            // Leave one column for the ellipsis.
            let room = limit - 1
            for ch in s {
                let w = DisplayWidth.of(ch)
                if w == 0 { continue }
                if col - x + w > room { break }
                set(ch, width: w, x: col, y: y, role: role)
                col += w
            }
            // A wide grapheme that did not fit leaves a gap: pad it.
            while col - x < room { set(" ", width: 1, x: col, y: y, role: role); col += 1 }
            set("…", width: 1, x: col, y: y, role: role)
            col += 1
        }
        if pad && col < end { fill(y: y, x: col, width: end - col, role: role); col = end }
        return col - x
    }

    @inline(__always)
    private mutating func set(_ ch: Character, width w: Int, x: Int, y: Int, role: Role) {
        guard x >= 0, x < width else { return }
        let row = y * width
        // Overwriting half of a wide grapheme orphans the other half: blank it.
        if cells[row + x].width == 0, x > 0 { cells[row + x - 1] = Cell(" ", role: cells[row + x - 1].role) }
        let span = (w == 2 && x + 1 < width) ? 2 : 1
        if cells[row + x + span - 1].width == 2, x + span < width {
            cells[row + x + span] = Cell(" ", role: cells[row + x + span].role)
        }
        if w == 2 {
            guard x + 1 < width else { cells[row + x] = Cell(" ", role: role); return }
            cells[row + x] = Cell(ch, width: 2, role: role)
            cells[row + x + 1] = .continuation(role)
        } else {
            cells[row + x] = Cell(ch, width: 1, role: role)
        }
    }

    /// Sets the role of a run of cells without changing their text.
    public mutating func paint(y: Int, x: Int, width w: Int, role: Role) {
        guard y >= 0, y < height else { return }
        let start = max(0, x), end = min(width, x + w)
        guard start < end else { return }
        for i in start..<end { cells[y * width + i].role = role }
    }

    // MARK: reading back (tests, tmux-free checks)

    /// The text of one row, trailing blanks removed.
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width {
            let c = cells[y * width + x]
            if c.width == 0 { continue }
            s.append(c.char)
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    public var lines: [String] { (0..<height).map(line) }

    /// The role of the cell at a position.
    public func role(x: Int, y: Int) -> Role { cells[y * width + x].role }

    /// The position of the first occurrence of `text` on screen (column in cells), or nil.
    public func find(_ text: String) -> (x: Int, y: Int)? {
        for y in 0..<height {
            let l = line(y)
            guard let r = l.range(of: text) else { continue }
            let prefix = String(l[l.startIndex..<r.lowerBound])
            return (DisplayWidth.of(prefix), y)
        }
        return nil
    }

    // MARK: diff (double buffering as ratatui does it)

    /// A changed cell.
    public struct Change: Hashable, Sendable {
        public var x: Int
        public var y: Int
        public var cell: Cell
    }

    /// Calls `body` for every cell that differs from `previous` (every cell when the sizes differ or
    /// there is no previous frame). Continuation cells are not reported: writing a wide grapheme
    /// covers them. Allocates nothing.
    public func forEachChange(from previous: Grid?, _ body: (Int, Int, Cell) -> Void) {
        let full = previous.map { $0.width != width || $0.height != height } ?? true
        cells.withUnsafeBufferPointer { cur in
            if full {
                for i in 0..<cur.count where cur[i].width != 0 { body(i % width, i / width, cur[i]) }
                return
            }
            guard let previous else { return }
            previous.cells.withUnsafeBufferPointer { old in
                var i = 0
                let n = cur.count
                while i < n {
                    if cur[i] != old[i] {
                        // A changed continuation cell is redrawn through its wide grapheme.
                        if cur[i].width == 0 {
                            if i > 0, cur[i - 1] == old[i - 1] { body((i - 1) % width, (i - 1) / width, cur[i - 1]) }
                        } else {
                            body(i % width, i / width, cur[i])
                        }
                    }
                    i += 1
                }
            }
        }
    }

    /// The changed cells, for tests and benchmarks.
    public func diff(_ previous: Grid?) -> [Change] {
        var out: [Change] = []
        forEachChange(from: previous) { x, y, c in out.append(Change(x: x, y: y, cell: c)) }
        return out
    }
}
