import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// Issue 13, point 5's time forms in the DLQ browser's `t` field too: one parser
/// (`OffsetTime.parseTimePoint`) for the wizard, `--to-datetime`, `--by-duration` and the browser.
@Suite struct DLQTimeFormsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: ["2026-11-30T19:32", "2026-11-30T19:32:00", "2026-11-30T19:32:00.000", "2026-11-30T19:32:00Z"])
    func aDateTimeWithoutSecondsOrMillisecondsIsAccepted(_ text: String) throws {
        #expect(try DLQPanel.parseTime(text, now: Self.now) == (try OffsetTime.parseDateTime("2026-11-30T19:32:00.000")))
    }

    @Test(arguments: ["-1h", "1h", "PT1H", "-PT1H", "60m"])
    func aRelativeTimeIsNowMinusTheDuration(_ text: String) throws {
        #expect(try DLQPanel.parseTime(text, now: Self.now) == OffsetTime.milliseconds(Self.now) - 3_600_000)
    }
}
