import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// A share group in the listing (KIP-932; librdkafka has no share-group admin API): shown with its type,
/// its lag unknown, never as a consumer group with lag 0.
@Suite struct ShareGroupConsoleTests {
    @Test func aShareGroupIsShownWithItsTypeAndItsLagUnknown() async throws {
        var snap = try await fakeSnapshot()
        let share = GroupReconciliation.reconcile("queue-workers", listed: GroupListing(id: "queue-workers", state: .stable, type: .share),
                                                  description: GroupDescription(id: "queue-workers", state: .dead, type: .classic))
        snap.groups.append(share)
        snap.committed["queue-workers"] = [TopicPartition("orders", 0): 100]
        var s = loadedState(snap, size: Size(width: 200, height: 50))
        s.press(.char("3"))
        let lines = s.screenLines()
        let row = try #require(lines.first { $0.hasPrefix(" queue-workers ") })
        #expect(row.contains(" share "))
        #expect(row.contains(" Stable "))
        let header = lines[2]
        let lagEnd = try #require(header.range(of: " LAG ")).upperBound.utf16Offset(in: header)
        let lagCell = String(row.prefix(lagEnd).suffix(10)).trimmingCharacters(in: .whitespaces)
        #expect(lagCell == "?", "lag cell: '\(lagCell)'")  // unknown, never 0 nor "no commit"
        #expect(share.note?.contains("no share-group admin API") == true)
    }
}
