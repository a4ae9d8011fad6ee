import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// What keeps frames cheap with 10,000 partitions, checked without timing anything (the speed
/// itself is measured by scripts/bench.sh): rows are built once per snapshot, a frame draws only
/// the visible rows, and a selection move rewrites only the rows it touched. (Memory over 1,000 frames
/// is measured by `kafkaops-bench tui-frames`: this process's resident size also counts every other test.)
extension TimingSensitive {
@Suite struct PerformanceTests {
    /// One frame after a key: the screen rows whose cells changed and how many cells changed.
    struct Frame { var rows: Set<Int>; var cells: Int }

    /// Presses `key`, renders, and diffs the frame against the one before.
    func frame(_ state: inout ConsoleState, _ key: Key) -> Frame {
        var before = Grid(width: state.size.width, height: state.size.height)
        render(state, into: &before)
        _ = state.update(.keyPressed(key))
        var after = Grid(width: state.size.width, height: state.size.height)
        render(state, into: &after)
        var f = Frame(rows: [], cells: 0)
        after.forEachChange(from: before) { _, y, _ in f.rows.insert(y); f.cells += 1 }
        return f
    }

    /// The screen row of the selected table row.
    func selectedY(_ s: ConsoleState) -> Int {
        let t = s.current.table!
        return s.tableArea.y + 1 + t.selected - t.offset
    }

    @Test func aSelectionMoveRewritesOnlyTheRowsItTouched() async throws {
        let snap = try await fakeSnapshot(FakeCluster(topicCount: 500, partitionsPerExtraTopic: 20))
        var s = loadedState(snap, size: Size(width: 200, height: 60))
        s.press(.char("2"))
        #expect(s.current.table?.count == 507)
        // A frame with nothing new writes nothing.
        var a = s.grid(), b = s.grid()
        var unchanged = 0
        a.forEachChange(from: b) { _, _, _ in unchanged += 1 }
        #expect(unchanged == 0)
        swap(&a, &b)
        // Within the viewport, a move rewrites the row left, the row reached and the position counter
        // ("26/507" at the end of line 1): at most two rows of 200 cells plus the counter's 7.
        let bound = 2 * s.size.width + DisplayWidth.of("507/507")
        for i in 0..<200 {
            let from = selectedY(s)
            let f = frame(&s, i % 50 < 25 ? .down : .up)
            let to = selectedY(s)
            #expect(f.rows.isSubset(of: [1, from, to]), "frame \(i): rows \(f.rows.sorted()), moved \(from)→\(to)")
            #expect(f.cells > 0 && f.cells <= bound, "frame \(i): \(f.cells) cells")
        }
        // A page down scrolls: only the table's rows and the counter change, never the header, status or footer.
        let area = s.tableArea
        let page = frame(&s, .pageDown)
        #expect(page.rows.isSubset(of: Set([1]).union(area.y..<(area.y + area.height))), "\(page.rows.sorted())")
        #expect(page.rows.count > 2)
    }

    @Test func aTopicWith10kPartitionsIsDrawnFromItsVisibleRows() async throws {
        let snap = try await fakeSnapshot(FakeCluster(topicCount: 1, partitionsPerExtraTopic: 10_000))
        var s = loadedState(snap, size: Size(width: 200, height: 60))
        s.press(.char(":"))
        s.type("topic gen-00000")
        s.press(.enter)
        #expect(s.current.table?.count == 10_000)
        s.press(.char("G"))
        let lines = s.screenLines()
        #expect(lines[1].hasSuffix("10000/10000"))
        #expect(lines[57].hasPrefix("  9999 "))
        #expect(lines[4].hasPrefix("  \(10_000 - s.viewportRows) "))
    }
}
}
