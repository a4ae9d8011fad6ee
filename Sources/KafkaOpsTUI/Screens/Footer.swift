import Foundation
import KafkaOpsCore

extension Views {
    /// The key footer of a screen: its key table's footer bindings with their short labels, as many as fit.
    static func footer(_ state: ConsoleState, _ g: inout Grid) {
        let bindings = KeyTables.bindings(for: state.current.screen, readOnly: state.readOnly).filter(\.footer)
        keyHints(bindings.map { ($0.keys[0].label, $0.shortLabel) }, y: Layout.footerRow(state.size), &g)
    }

    /// Key and label pairs on row `y`, left to right, as many as fit whole (screens and panels).
    static func keyHints(_ hints: [(String, String)], y: Int, _ g: inout Grid) {
        var x = 0
        for (key, label) in hints {
            let need = DisplayWidth.of(key) + 1 + DisplayWidth.of(label) + 2
            if x + need > g.width { break }
            x += g.put(key, x: x, y: y, role: .keyLabel)
            x += g.put(" " + label + "  ", x: x, y: y, role: .keyHint)
        }
    }
}
