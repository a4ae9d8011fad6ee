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
    /// Moves the selection down and up `frames` times, rendering and diffing each frame; returns the
    /// number of changed cells per frame.
    func run(_ state: inout ConsoleState, frames: Int) -> [Int] {
        var a = Grid(width: state.size.width, height: state.size.height)
        var b = a
        var perFrame: [Int] = []
        perFrame.reserveCapacity(frames)
        for i in 0..<frames {
            _ = state.update(.keyPressed(i % 50 < 25 ? .down : .up))
            render(state, into: &a)
            var changed = 0
            a.forEachChange(from: b) { _, _, _ in changed += 1 }
            perFrame.append(changed)
            swap(&a, &b)
        }
        return perFrame
    }

    @Test func aSelectionMoveRewritesOnlyTheRowsItTouched() async throws {
        let snap = try await fakeSnapshot(FakeCluster(topicCount: 500, partitionsPerExtraTopic: 20))
        var s = loadedState(snap, size: Size(width: 200, height: 60))
        s.press(.char("2"))
        #expect(s.current.table?.count == 507)
        let changes = run(&s, frames: 200).dropFirst()
        // Two rows of 200 cells plus the position counter; a scroll step redraws the visible rows.
        let small = changes.filter { $0 <= 2 * 200 + 10 }.count
        #expect(small > changes.count * 8 / 10, "changed cells per frame: \(Array(changes.prefix(30)))")
        #expect(changes.allSatisfy { $0 <= 200 * 60 })
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
