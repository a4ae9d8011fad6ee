import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 10, points 6, 12 and 13: plan files with CRLF, duplicates and "no commit"; an undo command that
/// runs as printed; a reset whose answer is lost is "unknown", read back, never "failed".
@Suite struct ResetPlanFileTests {
    @Test func aCRLFFileIsReadLineByLine() throws {
        // "\r\n" is one Character in Swift: a file written on Windows (or by Excel) has no "\n" Character at all.
        let rows = try ResetCSV.entries("orders,0,100\r\norders,1,60\r\norders,2,7\r\n", group: "g")
        #expect(rows.map(\.partition) == [0, 1, 2])
        #expect(rows.map(\.offset) == [100, 60, 7])
        #expect(try ResetCSV.parse("group,topic,partition,offset\r\ng,orders,0,1\r\ng,orders,1,2").count == 2)
    }

    @Test func aPartitionGivenTwiceIsAnErrorNamingBothLines() {
        #expect {
            _ = try ResetCSV.parse("orders,0,100\norders,1,60\n\norders,0,5\n")
        } throws: { error in
            (error as? ResetError)?.description == "line 4: orders-0 is already on line 1; give each partition once"
        }
        // Per group in a multi-group file: the same partition for two groups is fine, twice for one is not.
        #expect((try? ResetCSV.parse("a,orders,0,1\nb,orders,0,2\n"))?.count == 2)
        #expect {
            _ = try ResetCSV.parse("a,orders,0,1\r\nb,orders,0,2\r\na,orders,0,3\r\n")
        } throws: { error in
            (error as? ResetError)?.description == "line 3: orders-0 of group a is already on line 1; give each partition once"
        }
    }

    @Test func anEmptyOffsetMeansNoCommitAndRoundTrips() throws {
        let rows = try ResetCSV.entries("orders,0,100\norders,2,\n", group: "g")
        #expect(rows == [ResetFileEntry(topic: "orders", partition: 0, offset: 100), ResetFileEntry(topic: "orders", partition: 2, offset: nil)])
        #expect(ResetCSV.export(rows) == "orders,0,100\norders,2,\n")
        let plan = try Fixture.plan(.fromFile(rows), scope: nil)
        #expect(plan.offsets == [TopicPartition("orders", 0): 100])
        #expect(plan.deletions == [TopicPartition("orders", 2)])
        #expect(plan.rows[1].new == nil)
        #expect(plan.rows[1].notes.contains(.deletesCommit))
        #expect(plan.rows[1].recordsSkipped == 0 && plan.rows[1].recordsReread == 0)
    }

    @Test func theUndoFileNamesEveryPartitionAndRestoresNoCommit() throws {
        // orders-2 had no commit: its line has no offset, so that the undo deletes the commit the reset makes.
        let plan = try Fixture.plan(.toEarliest)
        #expect(ResetUndo.contents(plan) == "orders,0,100\norders,1,50\norders,2,\n")
        let undo = try Fixture.plan(.fromFile(ResetCSV.entries(ResetUndo.contents(plan), group: "billing")), scope: nil)
        #expect(undo.deletions == [TopicPartition("orders", 2)])
        #expect(undo.offsets[TopicPartition("orders", 0)] == 100)
    }

    @Test func theUndoCommandCarriesWhatItNeedsToRunAsPrinted() throws {
        // Moving back: the undo moves forward again, over records the skip check counts.
        let back = try Fixture.plan(.toEarliest)
        #expect(back.movesBack)
        #expect(ResetOperation.undoCommand(back, undoPath: "/u/b.csv", connection: ["--bootstrap", "k1:9092"])
                == "kafkaops reset-offsets --group billing --from-file /u/b.csv --execute --allow-skip --bootstrap k1:9092")
        // Moving forward: the undo moves back, nothing is skipped; a protected profile needs the name.
        let forward = try Fixture.plan(.toLatest)
        #expect(!forward.movesBack)
        #expect(ResetOperation.undoCommand(forward, undoPath: "/u/my file.csv", connection: ["--profile", "prod"], protected: true)
                == "kafkaops reset-offsets --group billing --from-file '/u/my file.csv' --execute --confirm billing --profile prod")
    }
}

/// A cluster whose commit is made but whose answer is lost (the broker froze after the request was sent),
/// and whose read-back fails `readBackFailures` times before it answers.
final class LostAnswerCluster: ClusterClient, @unchecked Sendable {
    private let lock = NSLock()
    private var committed: [TopicPartition: Int64]
    private var readBackFailures: Int
    let applies: Bool
    private(set) var readBackCalls = 0

    init(committed: [TopicPartition: Int64], applies: Bool = true, readBackFailures: Int = 0) {
        self.committed = committed; self.applies = applies; self.readBackFailures = readBackFailures
    }

    var displayName: String { "lost-answer" }
    func metadata(deadline: Deadline) async throws -> ClusterMetadata { ClusterMetadata(clusterID: nil, controllerID: nil, brokers: [], topics: []) }
    func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] { [:] }
    func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] { [] }
    func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] { [] }
    func listGroups(deadline: Deadline) async throws -> [GroupListing] { [] }
    func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] { [] }
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try lock.withLock {
            readBackCalls += 1
            if readBackFailures > 0 {
                readBackFailures -= 1
                throw ClusterError(.timeout, "list the offsets of group \(group): no answer within the timeout")
            }
            return committed
        }
    }
    func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] { [:] }
    func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] { [:] }
    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] { [] }
    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {}
    func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {}
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        if applies { lock.withLock { committed.merge(offsets) { $1 } } }
        throw ClusterError(.timeout, "alter the offsets of group \(group): no answer within the timeout")
    }
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        if applies { lock.withLock { for tp in partitions { committed[tp] = nil } } }
        throw ClusterError(.timeout, "delete the offsets of group \(group): no answer within the timeout")
    }
    func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] { [] }
    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { [] }
}

@Suite struct ResetLostAnswerTests {

    @Test func aCommitWhoseAnswerIsLostIsUnknownThenReadBackAsApplied() async throws {
        let plan = try Fixture.plan(.toEarliest)
        // The broker is still frozen for the first two read-backs, then answers. (A generous budget: the
        // read-back ends as soon as it gets an answer, and a loaded machine can delay the back-off's sleeps.)
        let cluster = LostAnswerCluster(committed: Fixture.committed, readBackFailures: 2)
        let x = try await ResetOffsetsChange(plan: plan, undoPath: "/u.csv", skipThreshold: 0).execute(client: cluster, timeout: .seconds(120))
        let e = x.outcome
        #expect(cluster.readBackCalls == 3)
        #expect(e.rows.map(\.status) == [.applied, .applied, .applied])
        #expect(e.rows.map(\.text) == ["applied (read back)", "applied (read back)", "applied (read back)"])
        #expect(e.allInPlace)
        #expect(!e.succeeded)  // exit 1: the answer was lost, the operator must know
        let line = try #require(e.lostAnswerLine)
        #expect(line.hasPrefix("the outcome of the reset was unknown: no answer to the request"))
        #expect(line.hasSuffix("read back: 3 applied, 0 not applied, 0 unknown"))
        #expect(x.result.hasPrefix("unknown: "), "recorded as unknown, never as failed")
    }

    @Test func aLostCommitThatDidNotHappenIsNotApplied() async throws {
        let plan = try Fixture.plan(.toEarliest)
        let e = try await ResetOffsetsChange(plan: plan, undoPath: "/u.csv", skipThreshold: 0)
            .execute(client: LostAnswerCluster(committed: Fixture.committed, applies: false), timeout: .seconds(120)).outcome
        #expect(e.rows.map(\.status) == [.notApplied(actual: 100), .notApplied(actual: 50), .notApplied(actual: nil)])
        #expect(e.rows[2].text == "not applied: found no committed offset")
        #expect(e.lostAnswerLine?.hasSuffix("0 applied, 3 not applied, 0 unknown") == true)
    }

    @Test func withoutAReadBackWithinTheBudgetEveryPartitionIsUnknown() async throws {
        let plan = try Fixture.plan(.toEarliest)
        let x = try await ResetOffsetsChange(plan: plan, undoPath: "/u.csv", skipThreshold: 0)
            .execute(client: LostAnswerCluster(committed: Fixture.committed, readBackFailures: .max), timeout: .milliseconds(700))
        let e = x.outcome
        #expect(e.rows.allSatisfy { if case .unknown = $0.status { return true }; return false })
        #expect(e.rows[0].text.hasPrefix("unknown: no answer to the request and no read-back"))
        #expect(!e.allInPlace)
        #expect(x.result.hasSuffix("0 applied, 0 not applied, 3 unknown"))
    }
}
