import Foundation
import KafkaOpsCore


/// A plain text table for terminals and runbooks. Every cell is sanitised: nothing from the
/// cluster can move the cursor or change colours. Widths are terminal columns (`DisplayWidth`), not
/// characters: CJK and emoji cells keep the columns aligned, and a column's `maxWidth` cuts by columns.
struct TextTable {
    enum Align { case left, right }
    var headers: [String]
    var align: [Align]
    /// At most this many terminal columns per cell (nil: no limit); longer cells end in `…`.
    var maxWidth: [Int?]
    var rows: [[String]] = []

    init(_ columns: [(String, Align)]) {
        headers = columns.map(\.0)
        align = columns.map(\.1)
        maxWidth = columns.map { _ in nil }
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells.enumerated().map { i, c in
            let clean = Sanitizer.terminal(c)
            guard i < maxWidth.count, let m = maxWidth[i] else { return clean }
            return DisplayWidth.endCut(clean, width: m)
        })
    }

    func render() -> String {
        var widths = headers.map(displayWidth)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(c)) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, c) in cells.enumerated() where i < widths.count {
                let pad = String(repeating: " ", count: widths[i] - displayWidth(c))
                let last = i == cells.count - 1
                s += align[i] == .right ? pad + c : (last ? c : c + pad)
                if !last { s += "  " }
            }
            return s
        }
        var out = line(headers) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}

/// Terminal columns a string takes: the console's rule (wcwidth), so tables and screens agree.
func displayWidth(_ s: String) -> Int { DisplayWidth.of(s) }

func fmt(_ v: Int64?) -> String { v.map(String.init) ?? "-" }
func fmt(_ v: Int32?) -> String { v.map(String.init) ?? "-" }
func list(_ v: [Int32]) -> String { v.map(String.init).joined(separator: ",") }

/// Prints to stdout.
func emit(_ s: String) {
    writeStdout(Data(s.utf8))
}

/// Every write to stdout: output that is flowing is not a hang (`Watchdog.writingOutput`).
func writeStdout(_ data: Data) {
    Watchdog.writingOutput { FileHandle.standardOutput.write(data) }
}

/// Prints one line to stderr.
func warn(_ s: String) {
    let lines = s.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitizer.terminal(String($0)) }
    FileHandle.standardError.write(Data(("kafkaops: " + lines.joined(separator: "\n") + "\n").utf8))
}

func emitJSON<T: Encodable>(_ value: T) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Bidi controls and other invisible characters from the cluster are escaped, as the README promises.
    var data = Sanitizer.jsonEscapingDangerous(try enc.encode(value))
    data.append(0x0A)
    writeStdout(data)
}
