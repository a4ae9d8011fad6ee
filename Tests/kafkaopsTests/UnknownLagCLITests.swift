import Foundation
import Testing
import TestSupport

/// Issue 23 point 7 and issue 27 point 9 from the command line: a lag that cannot be known is null with its
/// reason, never 0, and the run exits 1 (as an incomplete audit does).
struct UnknownLagCLITests {
    static func groups(_ stdout: String) throws -> [[String: Any]] {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(obj["groups"] as? [[String: Any]])
    }

    /// The demo's legacy-migrator committed past its partition's log end.
    @Test func aCommitPastTheLogEndIsNullWithItsReasonAndExits1() async throws {
        for command in ["lag", "groups"] {
            let r = try await CLI.run([command, "--demo", "-o", "json"])
            #expect(r.code == 1, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("lag unknown for group legacy-migrator"), "\(r.stderr)")
            let g = try #require(try Self.groups(r.stdout).first { $0["group"] as? String == "legacy-migrator" })
            #expect(g["total_lag"] is NSNull, "\(command): \(g["total_lag"] ?? "missing")")
            #expect((g["lag_unknown_reason"] as? String)?.contains("is past the log end") == true)
            #expect(g["partitions_with_unknown_lag"] as? Int == 1)
        }
    }

    /// The log end offsets cannot be read: every group's lag and records lost are null, none is 0.
    @Test func unreadableLogEndsAreNullNeverZeroAndExit1() async throws {
        let r = try await CLI.run(["lag", "--demo", "-o", "json"], environment: ["KAFKAOPS_DEMO_FAIL": "listOffsets"])
        #expect(r.code == 1, "\(r.stderr)")
        let groups = try Self.groups(r.stdout)
        #expect(!groups.isEmpty)
        for g in groups where g["type"] as? String == "classic" {
            #expect(g["total_lag"] is NSNull && g["records_lost"] is NSNull, "\(g["group"] ?? "?"): \(g)")
            #expect((g["lag_unknown_reason"] as? String)?.contains("log end offset unreadable") == true)
        }
        #expect(r.stderr.contains("cannot be known: exit 1"), "\(r.stderr)")
    }
}
