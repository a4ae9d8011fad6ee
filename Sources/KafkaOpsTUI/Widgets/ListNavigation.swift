/// List navigation, the same in every flow: the keys (↑↓ and j/k a row, PgUp/PgDn and Ctrl-B/Ctrl-F a
/// page, Home/End and g/G the ends), the moves they make, and a position in a list: a cursor (a list
/// with a selected row) or a scroll offset (a page of text), clamped to the list.
public struct ListNavigation: Sendable, Hashable {
    public enum Move: Sendable, Hashable {
        case lines(Int), pages(Int), top, bottom
    }

    /// The selected row (cursor lists) or the first row shown (scrolled text).
    public private(set) var position = 0

    public init() {}

    /// The navigation keys as bindings of a flow's table (`action` wraps a move in the flow's action).
    /// With `typing` (a text field has the keys), only the keys that type nothing: arrows and pages.
    public static func bindings<Action>(typing: Bool = false, _ action: (Move) -> Action) -> [FlowBinding<Action>] {
        func keys(_ special: [Key], _ letters: [Key]) -> [Key] { typing ? special : special + letters }
        return [
            FlowBinding(keys([.up], [.char("k")]), action(.lines(-1)), "up a row"),
            FlowBinding(keys([.down], [.char("j")]), action(.lines(1)), "down a row"),
            FlowBinding([.pageUp, .ctrl("b")], action(.pages(-1)), "up a page"),
            FlowBinding([.pageDown, .ctrl("f")], action(.pages(1)), "down a page"),
            FlowBinding(keys([.home], [.char("g")]), action(.top), "the first row"),
            FlowBinding(keys([.end], [.char("G")]), action(.bottom), "the last row"),
        ]
    }

    /// The rows a move goes by in a list showing `page` rows.
    public static func delta(_ move: Move, page: Int) -> Int {
        switch move {
        case .lines(let n): return n
        case .pages(let n): return n * max(1, page)
        case .top: return -Int.max / 2
        case .bottom: return Int.max / 2
        }
    }

    /// Moves a cursor over `count` rows (a list with a selected row).
    public mutating func moveCursor(_ move: Move, count: Int, page: Int) {
        position = max(0, min(count - 1, position.addingReportingOverflow(Self.delta(move, page: page)).partialValue))
    }

    /// Scrolls a page of `page` rows over `count` rows (a page of text: the last page ends at the last row).
    public mutating func scroll(_ move: Move, count: Int, page: Int) {
        position = max(0, min(max(0, count - page), position.addingReportingOverflow(Self.delta(move, page: page)).partialValue))
    }

    /// Back to the first row.
    public mutating func reset() { position = 0 }

    /// The first row shown of `count` rows in `height` rows, keeping the cursor near the middle.
    public func window(count: Int, height: Int) -> Int {
        max(0, min(position - height / 2, count - height))
    }
}
