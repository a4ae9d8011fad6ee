import Foundation
import Testing
@testable import KafkaOpsCore

@Suite struct ReplayPlannerTests {
    static let now = Date(timeIntervalSince1970: 1_795_430_000.25)

    static func sample() -> [Record] {
        [DLQFixtures.connectRecord(offset: 7),
         DLQFixtures.springRecord(),
         Record(topic: "dlq-orders-sink", partition: 0, offset: 8, timestamp: 42, key: nil, value: Array("bare".utf8),
                headers: [RecordHeader("trace-id", string: "t")])]
    }

    static func plan(_ records: [Record], target: ReplayTarget, options: ReplayOptions = ReplayOptions()) -> ReplayPlan {
        ReplayPlanner.plan(records: records, contexts: records.map { DLQContext.decode(record: $0) }, target: target,
                           options: options, now: now)
    }

    @Test func replaysToTheOriginalTopicDroppingErrorHeadersAddingReplayHeaders() throws {
        let plan = Self.plan(Self.sample(), target: .original)
        #expect(plan.items.count == 2)
        let connect = try #require(plan.items.first)
        #expect(connect.source == TopicPartitionOffset(topic: "dlq-orders-sink", partition: 0, offset: 7))
        #expect(connect.record.topic == "orders")
        #expect(connect.record.partition == 3)
        #expect(connect.record.key == Array("k1".utf8))
        #expect(connect.record.value == Array("{\"id\":1}".utf8))
        #expect(connect.record.timestamp == 1_795_428_900_000)
        #expect(connect.record.headers == [
            RecordHeader("trace-id", string: "abc"),
            RecordHeader("kafkaops.replay.source", string: "dlq-orders-sink/0/7"),
            RecordHeader("kafkaops.replay.time", string: "2026-11-23T10:33:20.250Z"),
        ])
        let spring = plan.items[1]
        #expect(spring.record.topic == "payments" && spring.record.partition == 2)
        #expect(spring.record.timestamp == 1_795_428_900_123) // Spring's original timestamp, not the DLT's
        #expect(!spring.record.headers.contains { $0.key.hasPrefix("kafka_dlt-") })
    }

    @Test func recordsWithoutOriginTopicAreNotReplayableToOriginal() {
        let plan = Self.plan(Self.sample(), target: .original)
        #expect(plan.notReplayable == [ReplaySkip(source: TopicPartitionOffset(topic: "dlq-orders-sink", partition: 0, offset: 8),
                                                  reason: "no error context says which topic it came from; choose a target topic")])
        #expect(plan.preview.notReplayable == 1)
    }

    @Test func chosenTopicTakesEverythingPartitionedByKey() {
        let plan = Self.plan(Self.sample(), target: .topic("orders-retry"), options: ReplayOptions(timestamp: .producerTime))
        #expect(plan.items.count == 3)
        #expect(plan.notReplayable.isEmpty)
        #expect(plan.items.allSatisfy { $0.record.topic == "orders-retry" && $0.record.partition == nil && $0.record.timestamp == nil })
        #expect(plan.preview.destinations == [ReplayPreview.Destination(topic: "orders-retry", partition: nil, count: 3)])
        #expect(plan.preview.keysSample == ["k1", "null", "null"])
    }

    @Test func replayingIntoTheDLQItselfIsRefused() {
        let plan = Self.plan([DLQFixtures.connectRecord()], target: .topic("dlq-orders-sink"))
        #expect(plan.items.isEmpty)
        #expect(plan.notReplayable.first?.reason == "the target is the dead-letter topic itself")
    }

    @Test func previewCountsPerDestination() {
        let records = (0..<4).map { DLQFixtures.connectRecord(offset: Int64($0)) } + [DLQFixtures.springRecord()]
        let plan = Self.plan(records, target: .original)
        #expect(plan.preview.destinations == [
            ReplayPreview.Destination(topic: "orders", partition: 3, count: 4),
            ReplayPreview.Destination(topic: "payments", partition: 2, count: 1),
        ])
        #expect(plan.preview.total == 5)
    }

    @Test func binaryKeysAreShownAsHex() {
        #expect(ReplayPlanner.keyText([0x00, 0xFF]) == "0x00ff")
        #expect(ReplayPlanner.keyText(Array("a\u{1B}b".utf8)) == "a^[b")
        #expect(ReplayPlanner.keyText([]) == "empty")
    }
}

@Suite struct ReplayProgressTests {
    static func plan(count: Int) -> ReplayPlan {
        let records = (0..<count).map { DLQFixtures.connectRecord(offset: Int64(100 + $0)) }
        return ReplayPlanner.plan(records: records, contexts: records.map { DLQContext.decode(record: $0) }, target: .original)
    }

    static func ok(_ i: Int, _ offset: Int64) -> DeliveryReport {
        DeliveryReport(index: i, result: .success(TopicPartitionOffset(topic: "orders", partition: 3, offset: offset)))
    }

    @Test func interruptedRunListsWrittenOffsetsAndRetryDoesNotResend() {
        var progress = ReplayProgress(plan: Self.plan(count: 5))
        let batch = progress.nextBatch(limit: 3)
        #expect(batch.map(\.source.offset) == [100, 101, 102])
        // Interrupted: reports for two of the three arrived.
        progress.apply(reports: [Self.ok(0, 9000), Self.ok(2, 9001)], for: batch)
        let report = progress.report
        #expect(report.written.map(\.source.offset) == [100, 102])
        #expect(report.written.map(\.destination.offset) == [9000, 9001])
        #expect(report.pending.map(\.offset) == [101, 103, 104])
        #expect(report.writtenRanges == ["dlq-orders-sink/0: 100, 102"])
        #expect(!report.isComplete)
        #expect(report.summary == "written 2, failed 0, not sent 3")
        // The retry hands out only what was not written.
        let retry = progress.nextBatch()
        #expect(retry.map(\.source.offset) == [101, 103, 104])
        // A duplicate report for an already written record changes nothing.
        progress.apply(reports: [DeliveryReport(index: 0, result: .failure(ClusterError(.timeout, "late")))], for: batch)
        #expect(progress.state(of: batch[0].source) == .written(TopicPartitionOffset(topic: "orders", partition: 3, offset: 9000)))
    }

    @Test func failuresAreRecordedAndRetried() {
        var progress = ReplayProgress(plan: Self.plan(count: 3))
        let batch = progress.nextBatch()
        progress.apply(reports: [Self.ok(0, 1),
                                 DeliveryReport(index: 1, result: .failure(ClusterError(.broker, "Broker: Not enough in-sync replicas", code: "NOT_ENOUGH_REPLICAS"))),
                                 Self.ok(2, 2)], for: batch)
        #expect(progress.report.failed == [ReplaySkip(source: batch[1].source, reason: "Broker: Not enough in-sync replicas [NOT_ENOUGH_REPLICAS]")])
        #expect(progress.nextBatch(includeFailed: false).isEmpty)
        let retry = progress.nextBatch()
        #expect(retry.map(\.source) == [batch[1].source])
        progress.apply(reports: [Self.ok(0, 3)], for: retry)
        #expect(progress.isComplete)
        #expect(progress.report.isComplete)
        #expect(progress.report.writtenRanges == ["dlq-orders-sink/0: 100-102"])
    }

    @Test func wholeBatchFailureKeepsWrittenOnesWritten() {
        var progress = ReplayProgress(plan: Self.plan(count: 2))
        let batch = progress.nextBatch()
        progress.apply(reports: [Self.ok(0, 1)], for: batch)
        progress.fail(batch: batch, error: ClusterError(.unreachable, "no broker reachable"))
        #expect(progress.report.written.count == 1)
        #expect(progress.report.failed.map(\.reason) == ["no broker reachable"])
    }
}

@Suite struct ReplayOffsetRangeTests {
    @Test func parsesRanges() throws {
        #expect(try ReplayOffsetRange.parse("0:100-200") == [ReplayOffsetRange(partition: 0, first: 100, last: 200)])
        #expect(try ReplayOffsetRange.parse("0:100-200, 1:5-9,2:42,3:7-") == [
            ReplayOffsetRange(partition: 0, first: 100, last: 200), ReplayOffsetRange(partition: 1, first: 5, last: 9),
            ReplayOffsetRange(partition: 2, first: 42, last: 42), ReplayOffsetRange(partition: 3, first: 7, last: nil),
        ])
        let r = ReplayOffsetRange(partition: 1, first: 5, last: 9)
        #expect(r.contains(9) && !r.contains(10))
        #expect(r.readRequest(topic: "dlq").endOffset == 10)
    }

    @Test(arguments: ["", "0", "a:1-2", "0:2-1", "0:-5", "0:1-2-3", "-1:1-2", "0:1-2,"])
    func rejectsMalformedRanges(text: String) {
        #expect(throws: ReplayOffsetError.self) { try ReplayOffsetRange.parse(text) }
    }
}

/// Issue 10 point 7: a record whose delivery outcome is unknown is never sent again before the target is
/// checked, and the check skips every record already there (by its kafkaops.replay.source header).
@Suite struct ReplayDedupeTests {
    /// A replayed record as the target holds it: at `offset` of orders/3, from DLQ offset `source`.
    static func landed(_ offset: Int64, source: String?, topic: String = "orders") -> Record {
        var headers = [RecordHeader("trace-id", string: "t")]
        if let source { headers.append(RecordHeader(ReplayPlanner.sourceHeader, string: source)) }
        return Record(topic: topic, partition: 3, offset: offset, timestamp: 0, key: nil, value: nil, headers: headers)
    }

    @Test func unknownOutcomesAreNotFailuresAndAreNotSentUnchecked() {
        var progress = ReplayProgress(plan: ReplayProgressTests.plan(count: 4))
        let batch = progress.nextBatch()
        let timeout = ClusterError(.timeout, "no delivery report before the deadline; the record may or may not have been written")
        progress.apply(reports: [ReplayProgressTests.ok(0, 9000),
                                 DeliveryReport(index: 1, result: .failure(timeout), outcomeUnknown: true),
                                 DeliveryReport(index: 2, result: .failure(timeout), outcomeUnknown: true),
                                 DeliveryReport(index: 3, result: .failure(ClusterError(.timeout, "not sent before the deadline")))],
                       for: batch)
        let rep = progress.report
        #expect(rep.unknown.map(\.source.offset) == [101, 102])
        #expect(rep.failed.map(\.source.offset) == [103])
        #expect(rep.summary == "written 1, unknown (will be checked before any resend) 2, failed 1, not sent 0")
        #expect(rep.remainingOffsetItems == ["0:101-103"])
        // Not even a retry hands them out before the target was checked.
        #expect(progress.nextBatch(includeFailed: true).map(\.source.offset) == [103])
    }

    @Test func theCheckSkipsWhatTheTargetHoldsAndReleasesTheRest() {
        var progress = ReplayProgress(plan: ReplayProgressTests.plan(count: 5))
        let batch = progress.nextBatch()
        let timeout = ClusterError(.timeout, "no delivery report")
        progress.apply(reports: [ReplayProgressTests.ok(0, 50)] + (1..<5).map {
            DeliveryReport(index: $0, result: .failure(timeout), outcomeUnknown: true)
        }, for: batch)
        // What the target holds since the checkpoint: 101 and 103 landed (101 twice: a duplicate from before),
        // plus records that are not this replay's.
        let target = [Self.landed(50, source: "dlq-orders-sink/0/100"),
                      Self.landed(51, source: "dlq-orders-sink/0/101"),
                      Self.landed(52, source: nil),
                      Self.landed(53, source: "other-dlq/0/102"),
                      Self.landed(54, source: "dlq-orders-sink/0/103"),
                      Self.landed(55, source: "dlq-orders-sink/0/101"),
                      Self.landed(56, source: "garbage"),
                      Self.landed(57, source: "dlq-orders-sink/x/104")]
        let skipped = progress.checkedTarget(target)
        #expect(skipped.map(\.offset) == [101, 103])
        let rep = progress.report
        #expect(rep.written.map(\.source.offset) == [100])                 // stays written
        #expect(rep.alreadyWritten.map(\.source.offset) == [101, 103])
        #expect(rep.alreadyWritten.map(\.destination.offset) == [51, 54])   // where it was found first
        #expect(rep.unknown.isEmpty)
        #expect(rep.pending.map(\.offset) == [102, 104])
        #expect(rep.summary == "written 1, skipped as already written 2, failed 0, not sent 2")
        #expect(progress.nextBatch(includeFailed: false).map(\.source.offset) == [102, 104])
        // Found records are done: the run is complete once the rest is written.
        progress.apply(reports: [ReplayProgressTests.ok(0, 60), ReplayProgressTests.ok(1, 61)], for: progress.nextBatch())
        #expect(progress.isComplete)
    }

    @Test func anUncheckedPartitionLeavesItsUnknownRecordsUnknown() {
        var progress = ReplayProgress(plan: ReplayProgressTests.plan(count: 2))
        let batch = progress.nextBatch()
        progress.apply(reports: (0..<2).map { DeliveryReport(index: $0, result: .failure(ClusterError(.timeout, "t")), outcomeUnknown: true) },
                       for: batch)
        progress.checkedTarget([], checked: [batch[0].source])
        #expect(progress.report.pending == [batch[0].source])
        #expect(progress.report.unknown.map(\.source) == [batch[1].source])
    }

    @Test func sourceHeaderParsing() {
        #expect(ReplayPlanner.source(of: Self.landed(1, source: "orders-dlt/2/42")) == TopicPartitionOffset(topic: "orders-dlt", partition: 2, offset: 42))
        for bad in ["orders-dlt/2", "orders-dlt/-1/4", "/1/2", "a/b/c/d", "t/1/x", ""] {
            #expect(ReplayPlanner.source(of: Self.landed(1, source: bad)) == nil, "\(bad)")
        }
        #expect(ReplayPlanner.source(of: Self.landed(1, source: nil)) == nil)
    }

    @Test func checkpointArgumentRoundTrips() throws {
        let c = ReplayCheckpoint([TopicPartition("orders", 1): 7, TopicPartition("orders", 0): 120, TopicPartition("a.b_c-d", 3): 0])
        #expect(c.argument == "a.b_c-d/3=0,orders/0=120,orders/1=7")
        #expect(try ReplayCheckpoint.parse(c.argument) == c)
        for bad in ["", "orders=1", "orders/0", "orders/0=-1", "/0=1", "orders/x=1", "orders/0=1,orders/0=2", "orders/0=1,"] {
            #expect(throws: ReplayCheckpointError.self, "\(bad)") { try ReplayCheckpoint.parse(bad) }
        }
    }
}
