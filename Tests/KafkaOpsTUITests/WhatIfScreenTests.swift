import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// Issue 13, point 7: the what-if screen answers per topic first, hides internal and under-replicated-only rows
/// behind `i`, refuses an unknown broker, and adds a second failure on top of a broker that is already down.
@Suite struct WhatIfScreenTests {
    /// The fake cluster with broker 3 gone from the metadata (down now).
    func brokerThreeDown(_ w: Int, _ h: Int) async throws -> ConsoleState {
        var snap = try await fakeSnapshot()
        snap.metadata.brokers.removeAll { $0.id == 3 }
        return loadedState(snap, size: Size(width: w, height: h))
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func aSecondFailureOnTopOfABrokerAlreadyDown(_ w: Int, _ h: Int) async throws {
        var s = try await brokerThreeDown(w, h)
        s.press(.char(":")); s.type("whatif 3"); s.press(.enter)
        #expect(s.current.screen == .whatIf([3]))
        var lines = s.screenLines()
        #expect(lines[2].hasPrefix(" with broker 3 down (now): offline "))
        // "+" asks which broker also goes, with the ones shown filled in.
        s.press(.char("+"))
        #expect(s.prompt?.text == "whatif 3,")
        s.type("2"); s.press(.enter)
        #expect(s.current.screen == .whatIf([3, 2]))
        lines = s.screenLines()
        #expect(lines.contains { $0.contains("What if brokers 3,2 go down") })
        #expect(lines[2].hasPrefix(" with broker 3 down (now), if 2 also goes: offline "))
        // Per topic, worst first, every column whole: the counts and the worst state are never cut.
        let header = try #require(lines.first { $0.contains("TOPIC") })
        for col in ["OFFLINE", "<MIN ISR", "URP", "OF", "WORST AFTER"] { #expect(header.contains(col)) }
        let t = try #require(s.current.table)
        let rows = visibleRows(t)
        #expect(rows.first?.cells[5] == "OFFLINE")
        let first = try #require(lines.first { $0.contains(rows[0].cells[0].prefix(6)) && $0.contains("OFFLINE") })
        #expect(first.hasSuffix("OFFLINE") || first.contains("OFFLINE "))
        // Internal topics and under-replicated-only topics wait behind `i`, and the screen says how many.
        #expect(!rows.contains { $0.cells[0] == "__consumer_offsets" })
        let hidden = t.rows.filter(\.isInternal).count
        #expect(hidden > 0)
        #expect(lines[3].contains("\(hidden) row\(hidden == 1 ? "" : "s") hidden: i shows internal topics and under-replicated-only rows"))
        s.press(.char("i"))
        #expect(visibleRows(try #require(s.current.table)).contains { $0.cells[0] == "__consumer_offsets" })
        #expect(s.status?.text == "showing internal topics and under-replicated-only rows")
        // Tab: the same toggle holds for the partitions.
        s.press(.tab)
        #expect(s.current.table?.title == "Partitions")
        #expect(s.current.table?.showInternal == true)
    }

    @Test func anUnknownBrokerIDIsAnErrorAndNothingOpens() async throws {
        var s = try await brokerThreeDown(80, 24)
        s.press(.char(":")); s.type("whatif 7"); s.press(.enter)
        #expect(s.current.screen == .overview)
        #expect(s.status == StatusMessage(text: "broker 7 is not in the cluster (brokers: 1, 2, 3, 4)", isError: true))
        s.press(.char(":")); s.type("whatif two"); s.press(.enter)
        #expect(s.status?.text == "'two' is not a broker id: expected a number, or several (3,2)")
        #expect(s.screenLines().contains { $0.contains("'two' is not a broker id") })
    }
}
