import Foundation
import Testing
import TestSupport

/// Issue 13, point 5, on the demo with the CLI: `--to-datetime` and `--by-duration` take the same forms (one
/// parser, a relative time meaning now minus the duration), and the dry run's SKIPPED/RE-READ column adds up to
/// the total while an old offset below the log start says why the delta is larger.
@Suite struct ResetTimeFormsDemoCLITests {
    @Test(arguments: [
        ["--to-datetime", "-1h"], ["--to-datetime", "PT1H"], ["--by-duration", "1h"], ["--by-duration", "-PT1H"],
    ])
    func relativeFormsMeanNowMinusTheDuration(option: [String]) async throws {
        let r = try await CLI.run(["reset-offsets", "--demo", "--group", "legacy-migrator", "--all-topics", "--dry-run"] + option)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("back 1h from now (dry run)"), "\(r.stdout)")
    }

    @Test func dateTimesWithoutSecondsAreAccepted() async throws {
        for value in ["2026-11-30T19:32", "2026-11-30T19:32:00", "2026-11-30T20:32+01:00", "2026-11-30T19:32:00.000Z"] {
            let r = try await CLI.run(["reset-offsets", "--demo", "--group", "legacy-migrator", "--all-topics", "--dry-run",
                                       "--to-datetime", value])
            #expect(r.code == 0, "\(value): \(r.stderr)")
            #expect(r.stdout.contains("to 2026-11-30T19:32:00.000Z (dry run)"), "\(value): \(r.stdout)")
        }
        let bad = try await CLI.run(["reset-offsets", "--demo", "--group", "legacy-migrator", "--all-topics", "--dry-run",
                                     "--to-datetime", "+1h"])
        #expect(bad.code == 2 && bad.stderr.contains("future"), "\(bad.stderr)")
    }

    @Test func skippedAndReReadAddUpToTheTotalAndGoneRecordsAreNamed() async throws {
        let r = try await CLI.run(["reset-offsets", "--demo", "--group", "billing-reconciler", "--all-topics", "--to-latest", "--dry-run"])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("DELTA") && $0.contains("SKIPPED/RE-READ") })
        var sum: Int64 = 0
        for line in lines {
            let words = line.split(separator: " ")
            if let i = words.firstIndex(of: "skipped"), i > 0, let n = Int64(words[i - 1]), !line.contains("records skipped") { sum += n }
        }
        let summary = try #require(lines.first { $0.contains("records skipped") })
        let total = try #require(summary.split(separator: ":").last?.split(separator: " ").first.flatMap { Int64($0) })
        #expect(sum == total && total > 0, "\(r.stdout)")
        #expect(lines.contains { $0.contains("old offset below log start:") && $0.contains("gone") })
        #expect(summary.contains("below the log start already deleted (neither skipped nor re-read)"))
    }
}
