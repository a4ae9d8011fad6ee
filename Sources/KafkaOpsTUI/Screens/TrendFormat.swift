import Foundation
import KafkaOpsCore

/// How the console shows lag over time (`LagTrends`, Core): the trend's colour and cells.
extension Fmt {
    /// The colour of a trend (issue 11, point 8): graded by what it means, not by the size of the lag.
    public static func role(_ trend: LagTrend, atRisk: Bool) -> Role {
        if atRisk { return .critical }
        switch trend {
        case .stopped, .stalled: return .critical
        case .fallingBehind, .rewound: return .warning
        case .unknown, .keepingUp: return .body
        case .catchingUp, .caughtUp: return .healthy
        }
    }

    /// The TREND cell: `!` before it when at risk of data loss (readable without colour), the word,
    /// and a sparkline of lag over the window.
    public static func trendCell(_ trend: LagTrend, atRisk: Bool, series: [Int64?], sparkline: Int = 8) -> String {
        let spark = series.count >= 2 ? " " + LagSparkline.render(series, width: sparkline) : ""
        return (atRisk ? "!" : "") + trend.word + spark
    }

    /// A duration in milliseconds for a cell (compact, as `age`): `-` unknown, `0s`, `now` when already past.
    public static func millis(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        if ms < 0 { return "now" }
        if ms > 0 && ms < 1000 { return "<1s" }
        let s = Int(clamping: ms / 1000)
        return s >= 2 * 86_400 ? "\(s / 86_400)d\(s % 86_400 / 3600)h" : age(s)
    }

    /// The ETA / DATA-LOSS-IN cell: at risk first and loud, else the ETA to catch up, else when
    /// retention may delete unread records ("from": segment rolling can make it later).
    public static func etaOrLoss(atRisk: Bool, dataLossInMs: Int64?, eta: TimeInterval?) -> String {
        if atRisk, let ms = dataLossInMs { return "LOSS from " + millis(ms) }
        if let eta { return "eta " + millis(Int64((eta * 1000).rounded(.up))) }
        if let ms = dataLossInMs { return "loss from " + millis(ms) }
        return "-"
    }
}
