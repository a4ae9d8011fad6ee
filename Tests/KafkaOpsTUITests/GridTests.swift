import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

@Suite struct GridTests {
    @Test func writesTextAndReadsItBack() {
        var g = Grid(width: 10, height: 2)
        g.put("hello", x: 1, y: 0, role: .title)
        #expect(g.line(0) == " hello")
        #expect(g.role(x: 1, y: 0) == .title)
        #expect(g.role(x: 0, y: 0) == .body)
    }

    @Test func truncatesLongTextWithAnEllipsis() {
        var g = Grid(width: 20, height: 1)
        let used = g.put("a.very.long.topic.name", x: 0, y: 0, maxWidth: 8, role: .body)
        #expect(used == 8)
        #expect(g.line(0) == "a.very.…")
    }

    @Test func wideCharactersTakeTwoCells() {
        var g = Grid(width: 12, height: 1)
        let used = g.put("注文🚀x", x: 0, y: 0, role: .body)
        #expect(used == 7)
        #expect(g[0, 0].width == 2)
        #expect(g[1, 0].width == 0)
        #expect(g[4, 0].char == "🚀")
        #expect(g[6, 0].char == "x")
        #expect(DisplayWidth.of("注文イベント") == 12)
    }

    @Test func aWideCharacterThatDoesNotFitBeforeTheEllipsisLeavesABlank() {
        var g = Grid(width: 10, height: 1)
        g.put("ab注文イベント", x: 0, y: 0, maxWidth: 6, role: .body)
        // "ab注" is 4 columns; "文" would end at column 6, which the ellipsis needs.
        #expect(g.line(0) == "ab注 …")
        #expect(DisplayWidth.of(g.line(0)) == 6)
    }

    @Test func rightAlignmentPadsOnTheLeft() {
        var g = Grid(width: 8, height: 1)
        g.put("42", x: 0, y: 0, maxWidth: 6, role: .body, align: .right)
        #expect(g.line(0) == "    42")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var g = Grid(width: 6, height: 1)
        g.put("注", x: 0, y: 0, role: .body)
        g.put("x", x: 1, y: 0, role: .body)
        #expect(g[0, 0].char == " ")
        #expect(g.line(0) == " x")
    }

    @Test func diffReportsOnlyChangedCells() {
        var a = Grid(width: 20, height: 3)
        a.put("topic-a   100", x: 0, y: 1, role: .body)
        var b = a
        b.put("200", x: 10, y: 1, role: .body)
        let changes = b.diff(a)
        #expect(changes.map(\.x) == [10])
        #expect(changes.first?.cell.char == "2")
        // A role change alone is a change too.
        var c = b
        c.paint(y: 1, x: 0, width: 3, role: .selected)
        #expect(c.diff(b).count == 3)
        // No previous frame (or a resize): everything is written.
        #expect(a.diff(nil).count == 60)
        #expect(b.diff(Grid(width: 10, height: 3)).count == 60)
    }

    @Test func diffRedrawsAWideCharacterWhoseContinuationChanged() {
        var a = Grid(width: 6, height: 1)
        a.put("ab", x: 0, y: 0, role: .body)
        var b = a
        b.put("注", x: 0, y: 0, role: .body)
        let changes = b.diff(a)
        #expect(changes.count == 1)
        #expect(changes.first?.cell.char == "注")
    }
}
