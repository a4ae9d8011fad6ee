import KafkaOpsCore

/// A single-line text field with a cursor (forms and the wizard's date-time field).
public struct TextField: Sendable, Hashable {
    public var text: String
    public var cursor: Int
    public var maxLength: Int

    public init(_ text: String = "", maxLength: Int = 300) {
        self.text = text; self.cursor = text.count; self.maxLength = maxLength
    }

    /// Applies an editing key; false when the key is not an editing key.
    public mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            guard text.count < maxLength, !c.isNewline else { return true }
            let i = text.index(text.startIndex, offsetBy: cursor)
            text.insert(c, at: i)
            cursor += 1
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return true }
            let i = text.index(text.startIndex, offsetBy: cursor - 1)
            text.remove(at: i)
            cursor -= 1
        case .delete:
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"): text = ""; cursor = 0
        case .ctrl("w"):
            let head = String(text.prefix(cursor)), tail = String(text.dropFirst(cursor))
            var h = head
            while h.last == " " { h.removeLast() }
            while let l = h.last, l != " " { _ = l; h.removeLast() }
            text = h + tail
            cursor = h.count
        default: return false
        }
        return true
    }

    /// Draws the field at (x, y) within `width` cells; the cursor cell is highlighted when focused.
    public func draw(_ g: inout Grid, x: Int, y: Int, width: Int, focused: Bool, role: Role = .body) {
        guard width > 1 else { return }
        let shown = Fmt.safe(text)
        // Keep the cursor visible: scroll the text left when it is longer than the field.
        let chars = Array(shown)
        let cur = min(cursor, chars.count)
        let start = max(0, cur - (width - 1))
        let visible = String(chars[start..<min(chars.count, start + width - 1)])
        g.fill(y: y, x: x, width: width, role: focused ? .selected : .muted)
        g.put(visible, x: x, y: y, maxWidth: width, role: focused ? .selected : role)
        if focused {
            let cx = x + DisplayWidth.of(String(chars[start..<cur]))
            if cx < x + width {
                let under = cur < chars.count ? String(chars[cur]) : " "
                g.put(under, x: cx, y: y, role: .prompt)
            }
        }
    }
}
