import Foundation

/// A `--to-datetime` or `--by-duration` value that could not be parsed.
public struct OffsetTimeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var input: String
    /// One line saying what is wrong and what is expected.
    public var message: String

    public init(input: String, message: String) { self.input = input; self.message = message }
    public var description: String { message }
}

/// Date-time and duration parsing as `kafka-consumer-groups.sh --reset-offsets` does it.
public enum OffsetTime {
    public static let dateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS"

    /// Parses a date-time into milliseconds since the epoch.
    ///
    /// Format: Kafka's `yyyy-MM-dd'T'HH:mm:ss.SSS`, where the seconds and the milliseconds may be left
    /// out (`2026-11-30T19:32`, `2026-11-30T19:32:00`: zero), optionally followed by a zone: `Z`, `+hh`,
    /// `+hhmm` or `+hh:mm` (or `-`). **Without a zone the time is UTC**: Apache Kafka's `Utils.getDateTime`
    /// appends a `Z` when the time part has no zone, whatever older Kafka docs say about local time. The
    /// zone is a fixed offset, so daylight-saving rules never apply: `01:30:00.000+01:00` and
    /// `01:30:00.000+02:00` are one hour apart whatever the date.
    ///
    /// The `T` is required and milliseconds, when given, are three digits. Unlike Java's lenient
    /// `SimpleDateFormat`, out-of-range fields (month 13, 25:00, Feb 30) are rejected rather than rolled over.
    public static func parseDateTime(_ input: String) throws(OffsetTimeError) -> Int64 {
        let s = input.trimmingCharacters(in: .whitespaces)
        let b = Array(s.utf8)
        func fail(_ why: String) -> OffsetTimeError {
            OffsetTimeError(input: input, message:
                "invalid date-time '\(Sanitizer.terminal(input))': \(why); expected \(dateTimeFormat) (seconds and milliseconds may be left out) with an optional zone Z, +hh, +hhmm or +hh:mm (UTC when no zone), e.g. 2026-11-23T10:15 or 2026-11-23T10:15:00.000+01:00")
        }
        guard b.contains(UInt8(ascii: "T")) else {
            throw fail("it does not contain a 'T' according to ISO8601 format")
        }
        // yyyy-MM-ddTHH:mm = 16 bytes at least.
        guard b.count >= 16 else { throw fail("too short") }
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= b.count else { return nil }
            var v = 0
            for i in from..<(from + n) {
                let c = b[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        func sep(_ i: Int, _ ch: Character) -> Bool { i < b.count && b[i] == ch.asciiValue }
        guard let year = digits(0, 4), sep(4, "-"), let month = digits(5, 2), sep(7, "-"), let day = digits(8, 2)
        else { throw fail("the date must be yyyy-MM-dd") }
        guard sep(10, "T") else { throw fail("expected 'T' after the date") }
        guard let hour = digits(11, 2), sep(13, ":"), let minute = digits(14, 2)
        else { throw fail("the time must be HH:mm, HH:mm:ss or HH:mm:ss.SSS") }
        var i = 16
        var second = 0, millis = 0
        if sep(i, ":") {
            guard let s2 = digits(17, 2) else { throw fail("the seconds (:ss) must be two digits") }
            second = s2
            i = 19
            if sep(i, ".") {
                guard let ms = digits(20, 3) else { throw fail("the milliseconds (.SSS) must be exactly three digits") }
                millis = ms
                i = 23
            }
        }
        guard (1...12).contains(month) else { throw fail("month \(month) is out of range") }
        guard day >= 1, day <= daysInMonth(year: year, month: month) else { throw fail("day \(day) does not exist in \(year)-\(ISO8601.pad2(month))") }
        guard hour < 24 else { throw fail("hour \(hour) is out of range") }
        guard minute < 60 else { throw fail("minute \(minute) is out of range") }
        guard second < 60 else { throw fail("second \(second) is out of range") }

        // Zone.
        var offsetSeconds = 0
        let rest = Array(b[i...])
        if rest.isEmpty || rest == [UInt8(ascii: "Z")] || rest == [UInt8(ascii: "z")] {
            offsetSeconds = 0
        } else {
            let sign: Int
            switch rest[0] {
            case UInt8(ascii: "+"): sign = 1
            case UInt8(ascii: "-"): sign = -1
            default:
                if rest[0] >= 0x30 && rest[0] <= 0x39 {
                    throw fail(i == 23 ? "the milliseconds must be exactly three digits" : "unexpected digits after the time")
                }
                throw fail("unrecognised zone '\(Sanitizer.terminal(String(decoding: rest, as: UTF8.self)))'")
            }
            let z = Array(rest[1...])
            func zd(_ i: Int) -> Int? {
                guard z[i] >= 0x30, z[i] <= 0x39, z[i + 1] >= 0x30, z[i + 1] <= 0x39 else { return nil }
                return Int(z[i] - 0x30) * 10 + Int(z[i + 1] - 0x30)
            }
            var hh: Int?, mm: Int? = 0
            switch z.count {
            case 2: hh = zd(0)
            case 4: hh = zd(0); mm = zd(2)
            case 5 where z[2] == UInt8(ascii: ":"): hh = zd(0); mm = zd(3)
            default: hh = nil
            }
            guard let hh, let mm else {
                throw fail("unrecognised zone '\(Sanitizer.terminal(String(decoding: rest, as: UTF8.self)))'")
            }
            guard hh <= 18, mm < 60, hh * 60 + mm <= 18 * 60 else { throw fail("zone offset out of range (at most ±18:00)") }
            offsetSeconds = sign * (hh * 3600 + mm * 60)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return secs * 1000 + Int64(millis)
    }

    /// A time the operator typed: a date-time, or a duration back from now.
    public enum TimePoint: Sendable, Hashable {
        /// Milliseconds since the epoch.
        case at(Int64)
        /// Now minus this many milliseconds.
        case ago(Int64)

        public func milliseconds(now: Date) -> Int64 {
            switch self {
            case .at(let ms): return ms
            case .ago(let ms): return OffsetTime.milliseconds(now) - ms
            }
        }
    }

    /// The one parser of a time typed by the operator: `--to-datetime`, `--by-duration` and the reset
    /// wizard's fields. A date-time (`parseDateTime`: `2026-11-30T19:32`, `2026-11-30T19:32:00+01:00`,
    /// `2026-11-30T19:32:00.000Z`), or a relative form meaning **now minus the duration**: `-1h`, `1h`,
    /// `-30m`, `-90s`, `-2d`, `-500ms`, or ISO-8601 `PT1H`, `-PT1H`, `P1DT2H` (the sign only says "back").
    public static func parseTimePoint(_ input: String) throws(OffsetTimeError) -> TimePoint {
        let s = input.trimmingCharacters(in: .whitespaces)
        let back = s.hasPrefix("-") ? String(s.dropFirst()) : s
        let lower = back.lowercased()
        let short = lower.range(of: "^[0-9]+(ms|s|m|h|d)$", options: .regularExpression) != nil
        if lower.hasPrefix("p") || short {
            func fail(_ why: String) -> OffsetTimeError {
                OffsetTimeError(input: input, message:
                    "invalid time '\(Sanitizer.terminal(input))': \(why); a relative time is now minus a duration: -1h, -30m, -2d, PT1H or P1DT2H")
            }
            if short {
                // `parseShortDuration` refuses zero; "-0m" is "now".
                if lower.range(of: "^0+(ms|s|m|h|d)$", options: .regularExpression) != nil { return .ago(0) }
                do { return .ago(try parseShortDuration(back)) } catch { throw fail("the duration is too large") }
            }
            do { return .ago(try parseDuration(back)) } catch {
                // parseDuration's reason, between "'INPUT': " and "; expected".
                let m = error.message
                let why = m.range(of: "': ").flatMap { a in m.range(of: "; expected").map { String(m[a.upperBound..<$0.lowerBound]) } }
                throw fail(why ?? "not an ISO-8601 duration")
            }
        }
        if s.hasPrefix("+") {
            throw OffsetTimeError(input: input, message:
                "invalid time '\(Sanitizer.terminal(input))': a time in the future would move the group to the log end; use -1h for an hour ago")
        }
        do { return .at(try parseDateTime(s)) } catch {
            throw OffsetTimeError(input: input, message: error.message + "; or a relative time, now minus a duration: -1h, 30m, PT1H")
        }
    }

    /// Parses a `--by-duration` value (Java's `Duration.parse`: `PnDTnHnMnS`, e.g. `PT30M`, `P1D`,
    /// `P1DT2H30M`, `PT0.5S`) into milliseconds. Letters may be lower case, as in Java.
    ///
    /// Java allows signs; a duration that comes out negative would point into the future (Kafka would then
    /// quietly reset every partition to the log end), so it is refused here. A zero duration means "now".
    public static func parseDuration(_ input: String) throws(OffsetTimeError) -> Int64 {
        let s = input.trimmingCharacters(in: .whitespaces).uppercased()
        func fail(_ why: String) -> OffsetTimeError {
            OffsetTimeError(input: input, message:
                "invalid duration '\(Sanitizer.terminal(input))': \(why); expected an ISO-8601 duration PnDTnHnMnS, e.g. PT30M, P1D, P1DT2H30M, PT0.5S")
        }
        var chars = Array(s.utf8)
        var negateAll = false
        if let f = chars.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negateAll = f == UInt8(ascii: "-"); chars.removeFirst()
        }
        guard chars.first == UInt8(ascii: "P") else { throw fail("it must start with P") }
        chars.removeFirst()
        guard !chars.isEmpty else { throw fail("no amount after P") }
        var inTime = false
        var seenUnits = Set<UInt8>()
        var lastOrder = -1
        var totalNanos: Int64 = 0
        var i = 0
        var any = false
        while i < chars.count {
            if chars[i] == UInt8(ascii: "T") {
                guard !inTime else { throw fail("'T' appears twice") }
                inTime = true; i += 1
                guard i < chars.count else { throw fail("no amount after T") }
                continue
            }
            var neg = false
            if chars[i] == UInt8(ascii: "-") || chars[i] == UInt8(ascii: "+") { neg = chars[i] == UInt8(ascii: "-"); i += 1 }
            var intDigits: [UInt8] = []
            while i < chars.count, chars[i] >= 0x30, chars[i] <= 0x39 { intDigits.append(chars[i]); i += 1 }
            var fracDigits: [UInt8] = []
            var hasFraction = false
            if i < chars.count, chars[i] == UInt8(ascii: ".") || chars[i] == UInt8(ascii: ",") {
                hasFraction = true; i += 1
                while i < chars.count, chars[i] >= 0x30, chars[i] <= 0x39 { fracDigits.append(chars[i]); i += 1 }
                guard fracDigits.count <= 9 else { throw fail("at most nine fraction digits") }
            }
            guard !intDigits.isEmpty else { throw fail("expected a number") }
            guard i < chars.count else { throw fail("number without a unit (D, H, M or S)") }
            let unit = chars[i]; i += 1
            let order: Int
            let unitNanos: Int64
            switch (inTime, unit) {
            case (false, UInt8(ascii: "D")): order = 0; unitNanos = 86_400_000_000_000
            case (true, UInt8(ascii: "H")): order = 1; unitNanos = 3_600_000_000_000
            case (true, UInt8(ascii: "M")): order = 2; unitNanos = 60_000_000_000
            case (true, UInt8(ascii: "S")): order = 3; unitNanos = 1_000_000_000
            case (false, _):
                throw fail("only days (D) may come before T; hours, minutes and seconds go after it (e.g. PT30M)")
            default:
                throw fail("unknown unit '\(Character(Unicode.Scalar(unit)))'")
            }
            guard !seenUnits.contains(unit), order > lastOrder else { throw fail("units must appear once, in the order D, H, M, S") }
            if hasFraction && unit != UInt8(ascii: "S") { throw fail("only seconds may have a fraction") }
            seenUnits.insert(unit); lastOrder = order
            guard intDigits.count <= 18, let whole = Int64(String(decoding: intDigits, as: UTF8.self)) else {
                throw fail("the duration is too large")
            }
            let (wholeNanos, o1) = whole.multipliedReportingOverflow(by: unitNanos)
            var partNanos = wholeNanos
            if hasFraction, !fracDigits.isEmpty {
                let padded = fracDigits + Array(repeating: UInt8(ascii: "0"), count: 9 - fracDigits.count)
                partNanos += Int64(String(decoding: padded, as: UTF8.self)) ?? 0
            }
            let (sum, o2) = totalNanos.addingReportingOverflow(neg ? -partNanos : partNanos)
            guard !o1, !o2 else { throw fail("the duration is too large") }
            totalNanos = sum
            any = true
        }
        guard any else { throw fail("no amount") }
        if negateAll { totalNanos = -totalNanos }
        guard totalNanos >= 0 else { throw fail("a negative duration would point into the future") }
        return totalNanos / 1_000_000
    }

    /// Parses a duration given on the command line (`--window`, `--interval`): `500ms`, `30s`, `5m`,
    /// `1h`, `1d`, or ISO-8601 (`PT30S`, as `parseDuration`). Zero and negative durations are refused.
    public static func parseShortDuration(_ input: String) throws(OffsetTimeError) -> Int64 {
        let s = input.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        var ms: Int64?
        if s.hasPrefix("p") || s.hasPrefix("-p") || s.hasPrefix("+p") {
            ms = try parseDuration(input)
        } else if let (suffix, factor) = units.first(where: { s.hasSuffix($0.0) && Int64(s.dropLast($0.0.count)) != nil }),
                  let n = Int64(s.dropLast(suffix.count)) {
            let (v, o) = n.multipliedReportingOverflow(by: factor)
            ms = o ? nil : v
        }
        guard let ms, ms > 0 else {
            throw OffsetTimeError(input: input, message:
                "invalid duration '\(Sanitizer.terminal(input))': expected a positive number with ms, s, m, h or d (30s, 5m, 1h) or an ISO-8601 duration (PT30S)")
        }
        return ms
    }

    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// A duration in milliseconds as `1d 2h 30m`, `45s`, `500ms` for previews.
    public static func describe(milliseconds ms: Int64) -> String {
        if ms < 1000 { return "\(ms)ms" }
        var rest = ms / 1000
        var parts: [String] = []
        let d = rest / 86_400; rest %= 86_400
        let h = rest / 3600; rest %= 3600
        let m = rest / 60; let s = rest % 60
        if d > 0 { parts.append("\(d)d") }
        if h > 0 { parts.append("\(h)h") }
        if m > 0 { parts.append("\(m)m") }
        if s > 0 { parts.append("\(s)s") }
        return parts.joined(separator: " ")
    }

    // MARK: calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

}
