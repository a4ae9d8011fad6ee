import Foundation
import KafkaOpsCore

extension Tables {
    /// Every key of a screen from its key table, then the `:` commands.
    static func help(for screen: Screen, readOnly: Bool) -> Table {
        let columns = [Column("KEYS", width: 22), .flex("ACTION", min: 20), Column("SCOPE", width: 8)]
        let own = KeyTables.bindings(for: screen, readOnly: readOnly)
        var rows: [Row] = []
        for (i, b) in own.enumerated() {
            let isGlobal = KeyTables.global.contains { $0.action == b.action && $0.keys == b.keys }
            rows.append(Row(id: "\(i)", cells: [b.keyLabel, b.help, isGlobal ? "all" : "screen"],
                            roles: [.keyLabel, .body, .muted],
                            sortKeys: [.number(Int64(i)), .text(b.help), .text(isGlobal ? "b" : "a")],
                            search: "\(b.keyLabel) \(b.help)"))
        }
        // The `:` commands, from the table the command line parses and completes from: the bare forms, then
        // the forms with an argument.
        let commands = ConsoleCommands.all.compactMap { c in
            c.help.map { (c.name, c.aliases.isEmpty ? $0 : $0 + " (also " + c.aliases.map { ":" + $0 }.joined(separator: " ") + ")") }
        }
            + ConsoleCommands.all.compactMap { c in c.argument.map { ($0.usage, $0.help) } }
        for (name, help) in commands {
            let i = rows.count
            rows.append(Row(id: "\(i)", cells: [":" + name, help, "command"], roles: [.keyLabel, .body, .muted],
                            sortKeys: [.number(Int64(i)), .text(help), .text("c")], search: ":\(name) \(help)"))
        }
        return Table(title: "Help: \(screen.title)", columns: columns, rows: rows, emptyText: "no keys", sortColumn: nil)
    }
}
