import Foundation

/// A lag series as a sparkline (`▁▂▄▆█`), for the console's TREND column (issue 11, point 8).
public enum LagSparkline {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values of `series` scaled from 0 to the largest; an unknown value is a space.
    /// All zero: the lowest bar (caught up is flat, not empty).
    public static func render(_ series: [Int64?], width: Int) -> String {
        guard width > 0 else { return "" }
        let shown = series.suffix(width)
        let top = shown.compactMap { $0 }.max() ?? 0
        return String(shown.map { v -> Character in
            guard let v else { return " " }
            guard top > 0 else { return bars[0] }
            let i = Int((Double(max(0, v)) / Double(top) * Double(bars.count - 1)).rounded())
            return bars[min(bars.count - 1, max(0, i))]
        })
    }
}
