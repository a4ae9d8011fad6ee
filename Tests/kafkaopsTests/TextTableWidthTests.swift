import Testing
@testable import kafkaops
import KafkaOpsCore

/// CLI tables measure and cut cells in terminal columns, not characters (issue 14, point 6):
/// a CJK or emoji cell takes two columns per character and must not push the next column.
@Suite struct TextTableWidthTests {
    /// The terminal column where `needle` starts on `line`.
    func column(of needle: String, in line: String) -> Int? {
        guard let r = line.range(of: needle) else { return nil }
        return DisplayWidth.of(String(line[..<r.lowerBound]))
    }

    @Test func cjkAndEmojiCellsKeepTheNextColumnAligned() throws {
        var t = TextTable([("KEY", .left), ("N", .right), ("END", .left)])
        t.add(["plain", "1", "x"])
        t.add(["注文サービス", "22", "y"])          // 6 wide characters: 12 columns
        t.add(["🚀🚀 go", "333", "z"])              // 2 emoji (2 columns each), space, 2: 7 columns
        let lines = t.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let ends = zip(lines, ["END", "x", "y", "z"]).map { column(of: $1, in: $0) }
        #expect(Set(ends).count == 1, "\(lines)")
        // Right-aligned numbers end at the same column.
        let numberEnds = zip(lines.dropFirst(), ["1", "22", "333"]).map { l, n in column(of: " \(n) ", in: l).map { $0 + 1 + n.count } }
        #expect(Set(numberEnds).count == 1 && numberEnds.first! != nil, "\(lines)")
    }

    @Test func maxWidthCutsByColumnsWithAnEllipsis() throws {
        var t = TextTable([("MESSAGE", .left), ("END", .left)])
        t.maxWidth[0] = 10
        t.add([String(repeating: "失", count: 30), "a"])
        t.add([String(repeating: "😀", count: 30), "b"])
        t.add(["short", "c"])
        let lines = t.render().split(separator: "\n").map(String.init)
        let cells = lines.dropFirst().map { l in String(l.prefix { $0 != " " }) }
        #expect(cells[0] == String(repeating: "失", count: 4) + "…", "\(lines)")
        #expect(cells[1] == String(repeating: "😀", count: 4) + "…", "\(lines)")
        #expect(cells.allSatisfy { DisplayWidth.of($0) <= 10 })
        let ends = zip(lines, ["END", "a", "b", "c"]).map { column(of: $1, in: $0) }
        #expect(Set(ends).count == 1 && ends[0] == 11, "\(lines)")   // 9 columns ("失失失失…") and 2 spaces
    }

    /// The DLQ table's key cell (at most 24 columns) is cut by columns too.
    @Test func dlqKeyCellIsCutByColumns() {
        let key = cellText(Array(String(repeating: "鍵", count: 20).utf8), max: 24)
        #expect(DisplayWidth.of(key) <= 24 && key.hasSuffix("…"), "\(key)")
        #expect(cellText(Array("short".utf8), max: 24) == "short")
    }
}
