import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// What keeps frames cheap with 10,000 partitions, checked without timing anything (the speed
/// itself is measured by scripts/bench.sh): rows are built once per snapshot, a frame draws only
/// the visible rows, a selection move rewrites only the rows it touched, and memory does not grow.
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

    @Test func noMemoryGrowthOver1000Frames() async throws {
        let snap = try await fakeSnapshot(FakeCluster(topicCount: 500, partitionsPerExtraTopic: 20))
        var s = loadedState(snap, size: Size(width: 200, height: 60))
        s.press(.char("2"))
        _ = run(&s, frames: 100)  // warm up
        let before = try residentBytes()
        _ = run(&s, frames: 1000)
        let after = try residentBytes()
        let growth = after > before ? after - before : 0
        #expect(growth < 2 << 20, "resident memory grew by \(growth) bytes over 1000 frames")
    }

    /// Resident set size from /proc/self/statm.
    func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let pages = try #require(Int(statm.split(separator: " ")[1]))
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
}
