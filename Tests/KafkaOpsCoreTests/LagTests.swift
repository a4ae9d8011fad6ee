import Testing
@testable import KafkaOpsCore

@Suite struct LagTests {
    let tp = TopicPartition("orders", 0)

    @Test func lagIsLogEndMinusCommitted() {
        let l = PartitionLag.compute(tp, committed: 40, offsets: LogOffsets(start: 10, end: 100))
        #expect(l.lag == 60)
        #expect(l.status == .ok)
        #expect(l.recordsLost == nil)
    }

    @Test func noCommitIsUnknownNotZeroAndNotTheWholeLog() {
        let l = PartitionLag.compute(tp, committed: nil, offsets: LogOffsets(start: 0, end: 100))
        #expect(l.lag == nil)
        #expect(l.status == .noCommit)
        // -1 is librdkafka's "no offset": the same thing.
        #expect(PartitionLag.compute(tp, committed: -1, offsets: LogOffsets(start: 0, end: 100)).status == .noCommit)
    }

    @Test func committedBelowLogStartIsDataLost() {
        let l = PartitionLag.compute(tp, committed: 5, offsets: LogOffsets(start: 50, end: 80))
        #expect(l.status == .dataLost)
        #expect(l.recordsLost == 45)
        #expect(l.lag == 75)
    }

    @Test func committedAtLogStartIsNotDataLost() {
        #expect(PartitionLag.compute(tp, committed: 50, offsets: LogOffsets(start: 50, end: 80)).status == .ok)
    }

    /// Issue 23, point 7: a commit past the log end is an unknown lag with its reason, never 0.
    @Test func committedAboveLogEndIsUnknownWithItsReason() {
        let l = PartitionLag.compute(tp, committed: 120, offsets: LogOffsets(start: 0, end: 100))
        #expect(l.lag == nil)
        #expect(l.status == .aheadOfLogEnd && l.status.lagUnknown)
        #expect(l.lagUnknownReason == "committed 120 is past the log end 100")
        #expect(PartitionLag.compute(tp, committed: 3, offsets: nil).lagUnknownReason == "log end offset unreadable")
        #expect(PartitionLag.compute(tp, committed: nil, offsets: nil).lagUnknownReason == nil, "no commit: `-`, not unknown")
    }

    /// Issue 23 point 7, issue 27 point 9: one partition whose lag cannot be known makes the group's total
    /// and records lost unknown (nil), never the sum of the others.
    @Test func aGroupWithAnUnknownPartitionHasNoTotal() {
        let offsets: [TopicPartition: LogOffsets] = [TopicPartition("a", 0): LogOffsets(start: 0, end: 10),
                                                     TopicPartition("a", 1): LogOffsets(start: 0, end: 50)]
        let ahead = GroupLag.compute(group: "g", description: nil, committed: [TopicPartition("a", 0): 4, TopicPartition("a", 1): 80],
                                     offsets: offsets)
        #expect(ahead.totalLag == nil)
        #expect(ahead.partitionsWithUnknownLag == 1)
        #expect(ahead.recordsLost == 0, "log offsets known: nothing lost")
        #expect(ahead.lagUnknownReason == "a-1: committed 80 is past the log end 50")
        // Log end offsets unreadable (none read at all): lag and records lost unknown.
        let unread = GroupLag.compute(group: "g", description: nil, committed: [TopicPartition("a", 0): 4, TopicPartition("a", 1): 8],
                                      offsets: [:])
        #expect(unread.totalLag == nil && unread.recordsLost == nil)
        #expect(unread.lagUnknownReason == "a-0: log end offset unreadable (+1 more)")
        // The topic's lag over its groups is unknown too.
        var snap = ClusterSnapshot(metadata: ClusterMetadata(clusterID: nil, controllerID: nil, brokers: [], topics: [
            TopicInfo(name: "a", partitions: [PartitionInfo(id: 0, leader: 1, replicas: [1], isr: [1]),
                                                  PartitionInfo(id: 1, leader: 1, replicas: [1], isr: [1])])]))
        snap.logOffsets = offsets
        snap.committed = ["g": [TopicPartition("a", 0): 4, TopicPartition("a", 1): 80], "h": [TopicPartition("a", 0): 6]]
        #expect(snap.topicSummaries().first?.totalLag == nil)
        snap.committed["g"] = [TopicPartition("a", 0): 4]
        #expect(snap.topicSummaries().first?.totalLag == 10)
    }

    @Test func caughtUpIsZero() {
        #expect(PartitionLag.compute(tp, committed: 100, offsets: LogOffsets(start: 0, end: 100)).lag == 0)
    }

    @Test func unknownLogOffsetsLeaveLagUnknown() {
        let l = PartitionLag.compute(tp, committed: 3, offsets: nil)
        #expect(l.lag == nil)
        #expect(l.status == .unknownOffsets)
    }

    @Test func groupLagSumsKnownLagsAndNamesTheWorstPartition() {
        let offsets: [TopicPartition: LogOffsets] = [
            TopicPartition("a", 0): LogOffsets(start: 0, end: 10),
            TopicPartition("a", 1): LogOffsets(start: 0, end: 50),
            TopicPartition("b", 0): LogOffsets(start: 30, end: 40),
            TopicPartition("b", 1): LogOffsets(start: 0, end: 7),
        ]
        let committed: [TopicPartition: Int64] = [TopicPartition("a", 0): 10, TopicPartition("a", 1): 20, TopicPartition("b", 0): 5]
        // b-1 is assigned to a member but has no commit.
        let desc = GroupDescription(id: "g", state: .stable, members: [
            GroupMember(memberID: "m1", clientID: "c1", host: "/10.0.0.1", assignment: [TopicPartition("b", 1)])])
        let g = GroupLag.compute(group: "g", description: desc, committed: committed, offsets: offsets)
        #expect(g.partitions.count == 4)
        #expect(g.totalLag == Int64(0 + 30 + 35))
        #expect(g.worst?.partition == TopicPartition("b", 0))
        #expect(g.partitionsWithoutCommit == 1)
        #expect(g.partitionsWithDataLoss == 1)
        #expect(g.recordsLost == 25)
        #expect(g.topics == ["a", "b"])
    }

    @Test func emptyGroupHasNoWorstPartition() {
        let g = GroupLag(group: "g", partitions: [])
        #expect(g.totalLag == 0 && g.recordsLost == 0)
        #expect(g.worst == nil)
    }
}

@Suite struct GroupStateTests {
    let tp = TopicPartition("t", 0)

    @Test func describesUnknownFallsBackToTheListing() {
        #expect(GroupState.unknown.orListed(.empty) == .empty)
        #expect(GroupState.unknown.orListed(nil) == .unknown)
        #expect(GroupState.stable.orListed(.empty) == .stable)
    }

    @Test func aGroupWithNothingToShowDoesNotExist() {
        let dead = GroupDescription(id: "g", state: .dead)
        #expect(GroupState.of("g", description: dead, listing: [], committed: [:]) == nil)
        #expect(GroupState.of("g", description: dead, listing: [], committed: [tp: 3]) == .dead)
        let tansu = GroupDescription(id: "g", state: .unknown)
        #expect(GroupState.of("g", description: tansu, listing: [GroupListing(id: "g", state: .empty)], committed: [:]) == .empty)
        let active = GroupDescription(id: "g", state: .stable,
                                      members: [GroupMember(memberID: "m", clientID: "c", host: "h", assignment: [tp])])
        #expect(GroupState.of("g", description: active, listing: [], committed: [:]) == .stable)
    }
}
