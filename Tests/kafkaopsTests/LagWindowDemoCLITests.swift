import Foundation
import Testing
import TestSupport

/// Issue 11 on the demo cluster: `group describe --window` samples, then reports the trend and the
/// new columns; an Empty group says where its offsets.retention.minutes comes from.
@Suite struct LagWindowDemoCLITests {
    @Test func groupDescribeOverAWindowReportsTheTrend() async throws {
        let r = try await CLI.run(["group", "describe", "billing-reconciler", "--demo", "--window", "2s", "--interval", "1s",
                                   "--output", "json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("sampled 3/3"), "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["trend"] as? String == "stopped", "no members, commits do not move, lag > 0")
        let parts = try #require(obj["partitions"] as? [[String: Any]])
        #expect(!parts.isEmpty && parts.allSatisfy { $0["trend"] as? String == "stopped" })
        #expect(parts.allSatisfy { $0["time_lag_ms"] is NSNull }, "its next records were deleted by retention: unknown")
        #expect(obj["offsets_retention_source"] as? String == "broker" || obj["offsets_retention_source"] as? String == "default")
    }

    @Test func theTableShowsTheNewColumns() async throws {
        let r = try await CLI.run(["group", "describe", "payment-processor", "--demo"])
        #expect(r.code == 0, "\(r.stderr)")
        for column in ["TIME-LAG", "TREND", "ETA", "DATA-LOSS", "LSO"] { #expect(r.stdout.contains(column), "\(column)") }
        #expect(r.stdout.contains("an open transaction holds back read_committed consumers"), "payments-0")
    }
}
