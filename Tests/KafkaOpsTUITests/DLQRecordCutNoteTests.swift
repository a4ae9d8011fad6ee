import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// The record view's note under a cut payload counts the lines it really shows.
@Suite struct DLQRecordCutNoteTests {
    func lines(value: [UInt8]) -> [String] {
        let r = Record(topic: "orders-dlt", partition: 0, offset: 7, timestamp: 0, key: Array("k".utf8), value: value)
        let panel = DLQRecordPanel(records: [DLQPanel.entry(r, mapping: .none)], index: 0, dlqTopic: "orders-dlt", width: 120)
        return panel.lines.map(\.text)
    }

    @Test func aValueCutOnlyForAVeryLongLineSaysHowManyLinesItShows() {
        // 235 lines, one of them 40 KB long: every line is drawn, the long one cut with "more bytes".
        var text = (1...234).map { "line \($0)" }.joined(separator: "\n")
        text += "\n" + String(repeating: "x", count: 40_000)
        let shown = lines(value: Array(text.utf8))
        #expect(shown.contains { $0.contains("more bytes") })
        #expect(shown.contains { $0.contains("all 235 lines shown") }, "\(shown.suffix(3))")
        #expect(!shown.contains { $0.contains("2000 lines shown") })
    }

    @Test func aValueWithMoreLinesThanDrawnSaysWhereItIsCut() {
        let text = (1...2_500).map { "line \($0)" }.joined(separator: "\n")
        let shown = lines(value: Array(text.utf8))
        #expect(shown.contains { $0.contains("cut here (2000 lines shown); the rest is not drawn") })
    }
}
