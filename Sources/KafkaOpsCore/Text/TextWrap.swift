/// The one text wrapper: lines of at most `width` terminal columns (`DisplayWidth`), for the console's
/// panels and help and the CLI's long messages. Give it text already sanitised.
public enum TextWrap {
    /// At spaces where possible; a word longer than the width is cut. An empty text is one empty line.
    public static func words(_ text: String, width: Int) -> [String] {
        let width = max(4, width)
        guard DisplayWidth.of(text) > width else { return [text] }
        var lines: [String] = []
        var line = "", lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let ww = DisplayWidth.of(word)
            if lineWidth > 0 && lineWidth + 1 + ww > width {
                lines.append(line); line = ""; lineWidth = 0
            }
            if ww > width {
                // A word longer than the line: cut it into pieces of the width.
                if lineWidth > 0 { lines.append(line); line = ""; lineWidth = 0 }
                for ch in word {
                    let cw = DisplayWidth.of(ch)
                    if lineWidth + cw > width { lines.append(line); line = ""; lineWidth = 0 }
                    line.append(ch); lineWidth += cw
                }
                continue
            }
            if lineWidth > 0 { line += " "; lineWidth += 1 }
            line += word; lineWidth += ww
        }
        lines.append(line)
        return lines
    }

    /// Cut anywhere (paths, command lines and payload lines that must be copied whole). Empty text: no lines.
    public static func characters(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], cur = "", w = 0
        for ch in text {
            let cw = DisplayWidth.of(ch)
            if w + cw > width && !cur.isEmpty { lines.append(cur); cur = ""; w = 0 }
            cur.append(ch); w += cw
        }
        if !cur.isEmpty { lines.append(cur) }
        return lines
    }
}
