import Foundation
import Testing
@testable import KafkaOpsCore

/// orders has 3 partitions, payments 2 (payments-1 without a leader).
/// The group committed orders-0 at 100 and orders-1 at 50 (below its log start 60); orders-2 has no commit.
enum Fixture {
    static let topology = ResetTopology(partitions: ["orders": [0, 1, 2], "payments": [0, 1]],
                                        leaderless: [TopicPartition("payments", 1)])
    static let committed: [TopicPartition: Int64] = [TopicPartition("orders", 0): 100, TopicPartition("orders", 1): 50]
    static let logs: [TopicPartition: LogOffsets] = [
        TopicPartition("orders", 0): LogOffsets(start: 10, end: 200),
        TopicPartition("orders", 1): LogOffsets(start: 60, end: 80),
        TopicPartition("orders", 2): LogOffsets(start: 0, end: 30),
        TopicPartition("payments", 0): LogOffsets(start: 0, end: 10),
    ]
    static let orders = ResetScope.topics([TopicScope("orders")])
    static let now = Date(timeIntervalSince1970: 1_795_428_900)

    static func plan(_ target: ResetTarget, scope: ResetScope? = orders,
                     timeLookup: [TopicPartition: Int64?] = [:]) throws -> ResetPlan {
        try ResetPlanner.plan(group: "billing", scope: scope, target: target, committed: committed,
                              logOffsets: logs, timeLookup: timeLookup, topology: topology, now: now)
    }

    static func news(_ p: ResetPlan) -> [Int64] { p.rows.compactMap(\.new) }
}

@Suite struct ResetPlannerTests {
    /// New offsets for orders-0, orders-1, orders-2 per target.
    @Test(arguments: [
        (ResetTarget.toEarliest, [Int64(10), 60, 0]),
        (.toLatest, [200, 80, 30]),
        (.toCurrent, [100, 50, 30]),
        (.toOffset(70), [70, 70, 30]),
        (.toOffset(5), [10, 60, 5]),
    ] as [(ResetTarget, [Int64])])
    func targets(target: ResetTarget, expected: [Int64]) throws {
        let plan = try Fixture.plan(target)
        #expect(plan.rows.map(\.topicPartition) == [TopicPartition("orders", 0), TopicPartition("orders", 1), TopicPartition("orders", 2)])
        #expect(Fixture.news(plan) == expected)
        #expect(plan.rows[2].current == nil)
        #expect(plan.rows[2].notes.contains(.noCommittedOffset))
        #expect(plan.rows[2].delta == nil)
    }

    @Test func clampsToOffsetAboveLogEndWithKafkasWarning() throws {
        let plan = try Fixture.plan(.toOffset(500))
        #expect(Fixture.news(plan) == [200, 80, 30])
        #expect(plan.rows[0].notes == [.clampedToLogEnd(requested: 500, logEnd: 200)])
        #expect(plan.rows[0].messages == ["New offset (500) is higher than latest offset for topic partition orders-0. Value will be set to 200."])
    }

    @Test func clampsBelowLogStartWithKafkasWarning() throws {
        let plan = try Fixture.plan(.toOffset(5), scope: .topics([TopicScope("orders", partitions: [1])]))
        #expect(plan.rows.map(\.new) == [60])
        #expect(plan.rows[0].messages == ["New offset (5) is lower than earliest offset for topic partition orders-1. Value will be set to 60."])
    }

    @Test func shiftByMovesFromTheCommittedOffsetAndClamps() throws {
        let plan = try Fixture.plan(.shiftBy(-95), scope: .allTopics)
        // orders-0: 100-95 = 5 -> clamped to 10; orders-1: 50-95 -> clamped to 60.
        #expect(Fixture.news(plan) == [10, 60])
        #expect(plan.rows[0].notes == [.clampedToLogStart(requested: 5, logStart: 10)])
        let forward = try Fixture.plan(.shiftBy(20), scope: .allTopics)
        #expect(Fixture.news(forward) == [120, 70])
        #expect(forward.rows[0].delta == 20)
    }

    @Test func shiftByWithoutCommittedOffsetIsKafkasError() {
        #expect(throws: ResetError.noCommittedOffsetToShift(TopicPartition("orders", 2))) { try Fixture.plan(.shiftBy(1)) }
        #expect(ResetError.noCommittedOffsetToShift(TopicPartition("orders", 2)).description
                == "Cannot shift offset for partition orders-2 since there is no current committed offset")
    }

    @Test func toCurrentKeepsAnOffsetBelowLogStartButSaysSo() throws {
        let plan = try Fixture.plan(.toCurrent)
        #expect(plan.rows[1].new == 50)
        #expect(plan.rows[1].notes == [.belowLogStart(offset: 50, logStart: 60)])
        #expect(plan.partitionsChanged == 1) // only orders-2, which had no commit
    }

    @Test func timeTargetsUseLookupAndFallBackToLogEnd() throws {
        let lookup: [TopicPartition: Int64?] = [TopicPartition("orders", 0): 150, TopicPartition("orders", 1): nil,
                                                TopicPartition("orders", 2): 3]
        let plan = try Fixture.plan(.toDatetime(1_795_428_900_000), timeLookup: lookup)
        #expect(Fixture.news(plan) == [150, 80, 3])
        #expect(plan.rows[1].notes == [.fellBackToLogEnd])
        #expect(plan.rows[1].messages == ["Partition 1 from topic orders is empty. Falling back to latest known offset."])
        #expect(plan.rows[2].notes == [.noCommittedOffset])
        let byDuration = try Fixture.plan(.byDuration(1_800_000), timeLookup: lookup)
        #expect(Fixture.news(byDuration) == [150, 80, 3])
    }

    @Test func timeQueryAsksOnlyForScopedPartitionsAtTheRightTime() throws {
        let tps = try ResetPlanner.partitions(scope: .topics([TopicScope("orders", partitions: [0, 2])]), target: .byDuration(1_800_000),
                                              committed: Fixture.committed, topology: Fixture.topology)
        let q = ResetPlanner.timeQuery(target: .byDuration(1_800_000), partitions: tps, now: Fixture.now)
        #expect(q == [TopicPartition("orders", 0): 1_795_427_100_000, TopicPartition("orders", 2): 1_795_427_100_000])
        #expect(ResetPlanner.timeQuery(target: .toLatest, partitions: tps, now: Fixture.now).isEmpty)
    }

    @Test func missingTimeLookupIsAnError() {
        #expect(throws: ResetError.missingTimeLookup([TopicPartition("orders", 0), TopicPartition("orders", 1), TopicPartition("orders", 2)])) {
            try Fixture.plan(.toDatetime(0))
        }
    }

    @Test func allTopicsMeansCommittedPartitions() throws {
        let plan = try Fixture.plan(.toLatest, scope: .allTopics)
        #expect(plan.rows.map(\.topicPartition) == [TopicPartition("orders", 0), TopicPartition("orders", 1)])
    }

    @Test func scopeIsRequiredExceptFromFile() throws {
        #expect(throws: ResetError.scopeRequired) { try Fixture.plan(.toLatest, scope: nil) }
        let plan = try Fixture.plan(.fromFile([ResetFileEntry(topic: "payments", partition: 0, offset: 99)]), scope: nil)
        #expect(plan.rows.map(\.new) == [10])
        #expect(plan.rows[0].notes == [.noCommittedOffset, .clampedToLogEnd(requested: 99, logEnd: 10)])
    }

    @Test func unknownAndLeaderlessPartitionsAreNamed() {
        #expect(throws: ResetError.unknownPartitions([TopicPartition("orders", 7)])) {
            try Fixture.plan(.toLatest, scope: .topics([TopicScope("orders", partitions: [0, 7])]))
        }
        #expect(ResetError.unknownPartitions([TopicPartition("orders", 7)]).description == "The partitions \"orders-7\" do not exist")
        #expect(throws: ResetError.partitionsWithoutLeader([TopicPartition("payments", 1)])) {
            try Fixture.plan(.toLatest, scope: .topics([TopicScope("payments")]))
        }
        #expect(ResetError.partitionsWithoutLeader([TopicPartition("payments", 1)]).description == "The partitions \"payments-1\" have no leader")
        #expect(throws: ResetError.unknownTopics(["nope"])) { try Fixture.plan(.toLatest, scope: .topics([TopicScope("nope")])) }
    }

    @Test func totalsCountOnlyRecordsThatExist() throws {
        // to latest: orders-0 skips 100..<200 = 100; orders-1 was at 50 (start 60): skips 60..<80 = 20; orders-2 has no commit.
        let latest = try Fixture.plan(.toLatest)
        #expect(latest.recordsSkipped == 120)
        #expect(latest.recordsReread == 0)
        #expect(latest.partitionsChanged == 3)
        #expect(latest.partitionsWithoutCommit == 1)
        #expect(latest.skipsMoreThan(100))
        #expect(!latest.skipsMoreThan(120))
        // orders-1's records 50..<60 were deleted by retention: neither skipped nor re-read, and said so.
        #expect(latest.recordsGone == 10)
        #expect(latest.summaryLine == "3 of 3 partitions change: 120 records skipped, 0 re-read; 1 partition has no committed offset; "
                + "10 records below the log start already deleted (neither skipped nor re-read)")
        let earliest = try Fixture.plan(.toEarliest)
        // orders-0: 10..<100 = 90 re-read; orders-1 moves 50 -> 60: forward by 10 but those records are gone.
        #expect(earliest.recordsReread == 90)
        #expect(earliest.recordsSkipped == 0)
        #expect(earliest.rows[0].delta == -90)
    }

    @Test func rowsAreSortedByTopicThenPartition() throws {
        let plan = try Fixture.plan(.toEarliest, scope: .topics([TopicScope("payments", partitions: [0]), TopicScope("orders", partitions: [2, 0])]))
        #expect(plan.rows.map(\.topicPartition.description) == ["orders-0", "orders-2", "payments-0"])
    }

    @Test func topologyFromMetadataMarksPartitionsWithoutLeader() {
        let md = ClusterMetadata(clusterID: nil, controllerID: 1, brokers: [Broker(id: 1, host: "b", port: 9092)], topics: [
            TopicInfo(name: "t", partitions: [PartitionInfo(id: 0, leader: 1, replicas: [1], isr: [1]),
                                              PartitionInfo(id: 1, leader: nil, replicas: [1], isr: [])]),
        ])
        let topo = ResetTopology(metadata: md)
        #expect(topo.partitions["t"] == [0, 1])
        #expect(topo.leaderless == [TopicPartition("t", 1)])
    }

    @Test func plansTwoThousandPartitionsQuickly() throws {
        var committed: [TopicPartition: Int64] = [:]
        var logs: [TopicPartition: LogOffsets] = [:]
        var parts: [String: [Int32]] = [:]
        for t in 0..<20 {
            parts["topic-\(t)"] = (0..<100).map { Int32($0) }
            for p in 0..<100 {
                let tp = TopicPartition("topic-\(t)", Int32(p))
                committed[tp] = Int64(p * 10)
                logs[tp] = LogOffsets(start: 0, end: 5_000)
            }
        }
        let topo = ResetTopology(partitions: parts)
        var plan: ResetPlan?
        do { // speed: scripts/bench.sh measures it, tests do not time it
            plan = try ResetPlanner.plan(group: "g", scope: .allTopics, target: .shiftBy(-100), committed: committed,
                                         logOffsets: logs, topology: topo, now: Fixture.now)
        }
        #expect(plan?.rows.count == 2_000)
    }
}

@Suite struct ResetScopeTests {
    @Test(arguments: [
        ("orders", TopicScope("orders")),
        ("orders:0,2", TopicScope("orders", partitions: [0, 2])),
        ("orders:5", TopicScope("orders", partitions: [5])),
    ] as [(String, TopicScope)])
    func parsesTopicArguments(arg: String, expected: TopicScope) throws {
        #expect(try ResetScope.parseTopicArgument(arg) == expected)
    }

    @Test(arguments: ["orders:", ":1", "", "orders:1:2"])
    func rejectsMalformedTopicArguments(arg: String) {
        #expect(throws: ResetError.invalidTopicArgument(arg)) { try ResetScope.parseTopicArgument(arg) }
        #expect(ResetError.invalidTopicArgument(arg).description == "Invalid topic arg '\(arg)', expected topic name and partitions")
    }

    @Test(arguments: [("orders:a", "a"), ("orders:1,,2", ""), ("orders:-1", "-1")] as [(String, String)])
    func rejectsBadPartitionNumbersInKafkasWords(arg: String, partition: String) {
        let e = ResetError.invalidPartitionInTopicArgument(partition: partition, argument: arg)
        #expect(throws: e) { try ResetScope.parseTopicArgument(arg) }
        #expect(e.description == "Invalid partition '\(partition)' specified in topic arg '\(arg)'")
    }

    @Test func targetsFromOptionValues() throws {
        #expect(try ResetTarget.datetime("2026-11-23T10:15:00.000") == .toDatetime(1_795_428_900_000))
        #expect(try ResetTarget.duration("PT30M") == .byDuration(1_800_000))
        // One parser for both options (issue 13): short and relative forms, and a relative --to-datetime.
        #expect(try ResetTarget.duration("30m") == .byDuration(1_800_000))
        #expect(try ResetTarget.datetime("-1h") == .byDuration(3_600_000))
        #expect(try ResetTarget.datetime("2026-11-23T10:15") == .toDatetime(1_795_428_900_000))
        #expect(throws: ResetError.self) { try ResetTarget.duration("+1h") }
        #expect(throws: ResetError.self) { try ResetTarget.datetime("yesterday") }
        #expect(ResetTarget.byDuration(1_800_000).summary == "back 30m from now")
        #expect(ResetTarget.toDatetime(1_795_428_900_000).summary == "to 2026-11-23T10:15:00.000Z")
    }

    @Test func repeatedTopicsMerge() throws {
        let s = try ResetScope.parseTopicArguments(["a:0", "b", "a:1,0", "b:3"])
        #expect(s == .topics([TopicScope("a", partitions: [0, 1]), TopicScope("b")]))
    }

    @Test func dryRunWithExecuteIsAUsageError() throws {
        #expect(try ResetMode.from(dryRun: false, execute: false) == .dryRun)
        #expect(try ResetMode.from(dryRun: true, execute: false) == .dryRun)
        #expect(try ResetMode.from(dryRun: false, execute: true) == .execute)
        #expect(throws: ResetError.dryRunWithExecute) { try ResetMode.from(dryRun: true, execute: true) }
    }

    @Test func exactlyOneTarget() throws {
        #expect(try ResetTarget.exactlyOne([nil, .toLatest, nil]) == .toLatest)
        #expect(throws: ResetError.noTarget) { try ResetTarget.exactlyOne([nil, nil]) }
        #expect(throws: ResetError.severalTargets(["--to-earliest", "--shift-by"])) {
            try ResetTarget.exactlyOne([.toEarliest, .shiftBy(1)])
        }
    }
}

@Suite struct ResetCSVTests {
    @Test func parsesThreeColumnsIgnoringBlankLinesAndCRLF() throws {
        let rows = try ResetCSV.entries("orders,0,100\r\n\n  orders,2,7\n", group: "any")
        #expect(rows == [ResetFileEntry(topic: "orders", partition: 0, offset: 100), ResetFileEntry(topic: "orders", partition: 2, offset: 7)])
    }

    @Test func selectsTheGroupsRowsOfAMultiGroupFile() throws {
        let text = "billing,orders,0,100\nshipping,orders,0,5\nbilling,orders,1,60\n"
        #expect(try ResetCSV.entries(text, group: "billing").map(\.offset) == [100, 60])
        #expect(try ResetCSV.groups(text) == ["billing", "shipping"])
        #expect(throws: ResetError.noPlanForGroup("audit")) { try ResetCSV.entries(text, group: "audit") }
        #expect(ResetError.noPlanForGroup("audit").description == "No reset plan for group audit found.")
    }

    @Test(arguments: [
        ("orders,0,1\norders,1,2\norders,x,3\n", "line 3: partition 'x' is not a number"),
        ("orders,0,abc", "line 1: offset 'abc' is not a number"),
        ("orders,0", "line 1: expected topic,partition,offset or group,topic,partition,offset, got 2 fields"),
        ("\n\norders,0,1\ng,orders,1,2", "line 4: expected 3 fields like the lines before (topic,partition,offset), got 4"),
        (",0,1", "line 1: the topic is empty"),
        ("orders,-1,1", "line 1: partition -1 is negative"),
        ("orders,0,-5", "line 1: offset -5 is negative"),
    ] as [(String, String)])
    func errorsNameTheLine(text: String, message: String) {
        #expect {
            _ = try ResetCSV.parse(text)
        } throws: { error in
            (error as? ResetError)?.description == message
        }
    }

    @Test func exportParsePlanRoundTripGivesTheSamePlan() throws {
        let lookup: [TopicPartition: Int64?] = [TopicPartition("orders", 0): 150, TopicPartition("orders", 1): nil,
                                                TopicPartition("orders", 2): 3]
        let original = try Fixture.plan(.toDatetime(0), timeLookup: lookup)
        let csv = original.csv()
        #expect(csv == "orders,0,150\norders,1,80\norders,2,3\n")
        let replanned = try Fixture.plan(.fromFile(ResetCSV.entries(csv, group: "billing")), scope: nil)
        #expect(replanned.offsets == original.offsets)
        #expect(replanned.rows.map(\.current) == original.rows.map(\.current))
    }

    @Test func multiGroupExport() throws {
        let a = try Fixture.plan(.toEarliest, scope: .topics([TopicScope("orders", partitions: [0])]))
        var b = a; b.group = "other"
        let text = ResetCSV.export(plans: [a, b])
        #expect(text == "billing,orders,0,10\nother,orders,0,10\n")
        #expect(try ResetCSV.entries(text, group: "other") == [ResetFileEntry(topic: "orders", partition: 0, offset: 10)])
    }

    @Test func headerLineIsSkipped() throws {
        #expect(try ResetCSV.parse("topic,partition,offset\nt,0,1").count == 1)
    }
}

@Suite struct ResetPreflightTests {
    static let members = [
        GroupMember(memberID: "c-1-abc", clientID: "billing-worker", host: "/10.0.0.7", assignment: []),
        GroupMember(memberID: "c-2-def", clientID: "billing-worker", host: "/10.0.0.8", assignment: []),
    ]

    @Test(arguments: [GroupState.empty, .dead])
    func inactiveGroupsMayBeReset(state: GroupState) throws {
        try ResetPreflight.check(groupState: state, members: [], groupID: "billing")
    }

    @Test func aGroupThatDoesNotExistMayBeReset() throws {
        try ResetPreflight.check(groupState: nil, members: [], groupID: "new-group")
    }

    @Test(arguments: [GroupState.stable, .preparingRebalance, .completingRebalance, .assigning, .reconciling, .unknown])
    func activeGroupsAreRefusedInKafkasWords(state: GroupState) {
        #expect(throws: ResetError.groupNotInactive(group: "billing", state: state, members: Self.members)) {
            try ResetPreflight.check(groupState: state, members: Self.members, groupID: "billing")
        }
    }

    @Test func refusalTextIsKafkasSentenceThenTheMembers() {
        let e = ResetError.groupNotInactive(group: "billing", state: .stable, members: Self.members)
        #expect(e.description == "Assignments can only be reset if the group 'billing' is inactive, but the current state is Stable.")
        #expect(ResetPreflight.refusalText(e) == [
            "Assignments can only be reset if the group 'billing' is inactive, but the current state is Stable.",
            "Members still in the group (stop them first):",
            "  billing-worker on /10.0.0.7 (c-1-abc)",
            "  billing-worker on /10.0.0.8 (c-2-def)",
        ])
    }
}

@Suite struct ResetVerificationTests {
    @Test func reportsInPlaceMismatchAndFailure() throws {
        let plan = try Fixture.plan(.toLatest)
        let rows = ResetVerification.verify(
            plan: plan,
            results: [PartitionResult(TopicPartition("orders", 2), error: ClusterError(.broker, "coordinator moved", code: "NOT_COORDINATOR"))],
            readBack: [TopicPartition("orders", 0): 200, TopicPartition("orders", 1): 79])
        #expect(rows.map(\.status) == [.inPlace, .mismatch(expected: 80, actual: 79), .failed("coordinator moved [NOT_COORDINATOR]")])
        #expect(rows[1].text == "mismatch: expected 80, found 79")
        #expect(!ResetVerification.allInPlace(rows))
    }
}
