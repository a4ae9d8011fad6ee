import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// Findings tables (the audit screen, a topic's Durability pane) are typed: the table knows its kind and each
/// row carries its finding in full; no cell past the columns is read by position.
@Suite struct FindingsTableTests {
    @Test func findingRowsHaveOnlyTheirColumnsAndTheirTextInFull() async throws {
        var s = loadedState(try await fakeSnapshot(), size: Size(width: 160, height: 50))
        s.press(.char("5"))
        let audit = try #require(s.current.table)
        #expect(audit.kind == .findings)
        #expect(!audit.rows.isEmpty)
        for row in audit.rows {
            #expect(row.cells.count == audit.columns.count, "\(row.cells)")
            #expect(row.finding != nil, "\(row.id)")
        }
        // The selected finding's reason is drawn under the table from its typed text.
        let selected = try #require(audit.selectedRow?.finding)
        let lines = s.screenLines()
        #expect(lines.contains { $0.hasPrefix(" why      " + selected.why.prefix(40)) }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(" expected " + selected.expected.prefix(20)) })

        // A topic's Durability pane: the same, from the same type.
        s.press(.char(":")); s.type("topic legacy"); s.press(.enter)
        while s.current.table?.title != "Durability" { s.press(.tab) }
        let durability = try #require(s.current.table)
        #expect(durability.kind == .findings)
        #expect(!durability.rows.isEmpty)
        for row in durability.rows { #expect(row.cells.count == durability.columns.count) }
        let finding = try #require(durability.selectedRow?.finding)
        #expect(s.screenLines().contains { $0.hasPrefix(" fix      " + finding.fix.prefix(40)) })
        // Other tables explain nothing, whatever their title.
        s.press(.tab)
        #expect(s.current.table?.kind == .plain)
        #expect(s.explainLines == 0)
    }
}
