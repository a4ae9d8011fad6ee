import KafkaOpsCore

/// Text wrapped into the width it is drawn in (Core's `TextWrap`): at spaces for sentences, anywhere
/// for paths, command lines and payloads that must be copied whole. Give it sanitised text.
public enum WrappedText {
    public enum Mode: Sendable { case words, characters }

    /// The lines of `text` at most `width` columns wide; an empty text is one empty line (a blank line
    /// of a payload or a message stays a line).
    public static func lines(_ text: String, width: Int, _ mode: Mode = .words) -> [String] {
        switch mode {
        case .words: return TextWrap.words(text, width: width)
        case .characters:
            let lines = TextWrap.characters(text, width: width)
            return lines.isEmpty ? [""] : lines
        }
    }

    /// Every (text, role) wrapped, each line keeping its text's role.
    public static func lines(_ texts: [(text: String, role: Role)], width: Int, _ mode: Mode = .words) -> [(text: String, role: Role)] {
        texts.flatMap { t in lines(t.text, width: width, mode).map { (text: $0, role: t.role) } }
    }

    /// Draws `texts` wrapped into `width` columns from row `y`, at most `maxLines` rows; returns the rows used.
    @discardableResult
    public static func draw(_ g: inout Grid, _ texts: [String], x: Int, y: Int, width: Int, maxLines: Int, role: Role,
                            _ mode: Mode = .words) -> Int {
        let shown = texts.flatMap { lines($0, width: width, mode) }.prefix(max(0, maxLines))
        for (i, l) in shown.enumerated() { g.put(l, x: x, y: y + i, maxWidth: width, role: role) }
        return shown.count
    }
}
