import Foundation

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

/// Display width of graphemes, as terminals (wcwidth) count it.
public enum DisplayWidth {
    /// 0 for nothing visible, 2 for East Asian wide/fullwidth and emoji presentation, else 1.
    public static func of(_ c: Character) -> Int {
        // Fast path: ASCII.
        if let a = c.asciiValue { return a >= 0x20 && a < 0x7f ? 1 : 0 }
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if isWide(first) { return 2 }
        // An emoji written with VS16 (U+FE0F) is shown wide by modern terminals.
        if first.properties.isEmoji, scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: return 1
        }
    }

    public static func of(_ s: String) -> Int {
        var w = 0
        for c in s { w += of(c) }
        return w
    }

    static func isWide(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x1100 { return false }
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD,
             0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797,
             0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B,
             0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
             0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
             0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440, 0x1F442...0x1F4FC,
             0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A, 0x1F595...0x1F596, 0x1F5A4,
             0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7,
             0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0,
             0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
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
