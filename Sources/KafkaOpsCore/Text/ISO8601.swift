import Foundation

/// The one way kafkaops writes a point in time: `2026-11-23T10:15:00.123Z` (UTC, always three
/// fraction digits), in the change log, JSON output, undo-file names and on screen; and reads it back.
public enum ISO8601 {
    /// `2026-11-23T10:15:00.000Z` for milliseconds since the epoch.
    public static func string(milliseconds ms: Int64) -> String {
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - secs * 1000)
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let sod = Int(secs - days * 86_400)
        let (y, m, d) = OffsetTime.civilFromDays(Int(days))
        let year = String(y)
        let paddedYear = String(repeating: "0", count: max(0, 4 - year.count)) + year
        return "\(paddedYear)-\(pad2(m))-\(pad2(d))T\(pad2(sod / 3600)):\(pad2(sod / 60 % 60)):\(pad2(sod % 60)).\(pad3(millis))Z"
    }

    public static func string(_ date: Date) -> String {
        string(milliseconds: OffsetTime.milliseconds(date))
    }

    /// Reads what `string` writes, and Kafka's `--to-datetime` forms (zone Z, +hh, +hhmm, +hh:mm; UTC without).
    public static func date(_ s: String) -> Date? {
        guard let ms = try? OffsetTime.parseDateTime(s) else { return nil }
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func pad3(_ v: Int) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
}
