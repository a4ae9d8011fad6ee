import Foundation
import Testing
@testable import KafkaOpsCore

@Suite struct OffsetTimeTests {
    // 2026-11-23T10:15:00.000Z
    static let base: Int64 = 1_795_428_900_000

    @Test(arguments: [
        ("2026-11-23T10:15:00.000", base),
        ("2026-11-23T10:15:00.000Z", base),
        ("2026-11-23T12:15:00.000+02", base),
        ("2026-11-23T15:45:00.000+0530", base),
        ("2026-11-23T03:15:00.000-07:00", base),
        ("2026-11-23T10:15:00.123", base + 123),
        ("1970-01-01T00:00:00.000", 0),
        ("2024-02-29T00:00:00.000Z", 1_709_164_800_000),
        // Seconds and milliseconds may be left out (issue 13), with or without a zone.
        ("2026-11-23T10:15", base),
        ("2026-11-23T10:15:00", base),
        ("2026-11-23T10:15:07", base + 7000),
        ("2026-11-23T11:15+01:00", base),
        ("2026-11-23T10:15Z", base),
        ("2026-11-23T11:15:00+01:00", base),
        ("2026-11-23T10:15:00Z", base),
    ] as [(String, Int64)])
    func parsesKafkaDateTimes(input: String, expected: Int64) throws {
        #expect(try OffsetTime.parseDateTime(input) == expected)
    }

    @Test func noZoneMeansUTCNotLocalTime() throws {
        #expect(try OffsetTime.parseDateTime("2026-11-23T10:15:00.000") == OffsetTime.parseDateTime("2026-11-23T10:15:00.000Z"))
    }

    /// The zone is a fixed offset: across the EU spring-forward night (2026-03-29) +01:00 and +02:00 are an hour apart.
    @Test func fixedOffsetsAcrossDaylightSavingDiffer() throws {
        let cet = try OffsetTime.parseDateTime("2026-03-29T01:30:00.000+01:00")
        let cest = try OffsetTime.parseDateTime("2026-03-29T01:30:00.000+02:00")
        #expect(cet - cest == 3_600_000)
        #expect(ISO8601.string(milliseconds: cet) == "2026-03-29T00:30:00.000Z")
        #expect(ISO8601.string(milliseconds: cest) == "2026-03-28T23:30:00.000Z")
    }

    @Test(arguments: [
        ("2026-11-23 10:15:00.000", "does not contain a 'T'"),
        ("2026-11-23T10:15:0", "seconds"),
        ("2026-11-23T10:1", "too short"),
        ("2026-11-23T10:15:60", "second 60"),
        ("2026-11-23T10:15+25:00", "zone offset out of range"),
        ("2026-11-23T10:15:00.5", "expected yyyy-MM-dd'T'HH:mm:ss.SSS"),
        ("2026-13-01T00:00:00.000", "month 13"),
        ("2026-02-30T00:00:00.000", "day 30"),
        ("2026-11-23T24:00:00.000", "hour 24"),
        ("2026-11-23T10:15:00.000+2", "unrecognised zone"),
        ("2026-11-23T10:15:00.000CET", "unrecognised zone"),
        ("2026-11-23T10:15:00.0000", "three digits"),
        ("yesterdayT", "too short"),
    ] as [(String, String)])
    func rejectsInvalidDateTimesNamingTheFormat(input: String, fragment: String) {
        #expect {
            _ = try OffsetTime.parseDateTime(input)
        } throws: { error in
            guard let e = error as? OffsetTimeError else { return false }
            return e.message.contains(fragment) && e.message.contains("yyyy-MM-dd'T'HH:mm:ss.SSS")
        }
    }

    @Test(arguments: [
        ("PT30M", Int64(30 * 60_000)),
        ("P1D", 86_400_000),
        ("P1DT2H30M", 86_400_000 + 2 * 3_600_000 + 30 * 60_000),
        ("PT0.5S", 500),
        ("pt1h", 3_600_000),
        ("PT1M-30S", 30_000),
        ("PT0S", 0),
        ("PT1.0015S", 1001),
    ] as [(String, Int64)])
    func parsesJavaDurations(input: String, expected: Int64) throws {
        #expect(try OffsetTime.parseDuration(input) == expected)
    }

    @Test(arguments: ["30m", "P", "PT", "P1H", "PT1D", "PT1.5M", "P1DT", "PT30M10H", "-PT5M", "PT-5M", "", "P1W"])
    func rejectsInvalidDurations(input: String) {
        #expect {
            _ = try OffsetTime.parseDuration(input)
        } throws: { error in
            (error as? OffsetTimeError)?.message.contains("PnDTnHnMnS") == true
        }
    }

    @Test func formatsISO8601InUTC() {
        #expect(ISO8601.string(milliseconds: Self.base + 7) == "2026-11-23T10:15:00.007Z")
        #expect(ISO8601.string(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601.string(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    // The one parser of `--to-datetime`, `--by-duration` and the wizard's fields: a relative form is now minus
    // the duration.
    @Test(arguments: [
        ("-1h", OffsetTime.TimePoint.ago(3_600_000)),
        ("1h", .ago(3_600_000)),
        ("-30m", .ago(1_800_000)),
        ("-2d", .ago(172_800_000)),
        ("-500ms", .ago(500)),
        ("PT1H", .ago(3_600_000)),
        ("-PT1H", .ago(3_600_000)),
        ("pt30m", .ago(1_800_000)),
        ("P1DT2H", .ago(93_600_000)),
        ("-0m", .ago(0)),
        ("2026-11-23T10:15", .at(base)),
        ("2026-11-23T10:15:00.000", .at(base)),
        (" 2026-11-23T11:15:00+01:00 ", .at(base)),
    ] as [(String, OffsetTime.TimePoint)])
    func parsesTimePoints(input: String, expected: OffsetTime.TimePoint) throws {
        #expect(try OffsetTime.parseTimePoint(input) == expected)
    }

    @Test func aRelativeTimeIsNowMinusTheDuration() throws {
        let now = Date(timeIntervalSince1970: Double(Self.base) / 1000)
        #expect(try OffsetTime.parseTimePoint("-1h").milliseconds(now: now) == Self.base - 3_600_000)
        #expect(try OffsetTime.parseTimePoint("PT1H").milliseconds(now: now) == Self.base - 3_600_000)
        #expect(try OffsetTime.parseTimePoint("2026-11-23T10:15").milliseconds(now: now) == Self.base)
    }

    @Test(arguments: [
        ("+1h", "future"),
        ("-1x", "expected yyyy-MM-dd'T'HH:mm:ss.SSS"),
        ("PT1X", "unknown unit"),
        ("-P", "no amount after P"),
        ("yesterday", "does not contain a 'T'"),
        ("", "does not contain a 'T'"),
        ("2026-11-23T10:15:00.5", "three digits"),
    ] as [(String, String)])
    func rejectsBadTimesInOneLine(input: String, fragment: String) {
        #expect {
            _ = try OffsetTime.parseTimePoint(input)
        } throws: { error in
            guard let e = error as? OffsetTimeError else { return false }
            return e.message.contains(fragment) && !e.message.contains("\n")
        }
    }
}
