import Testing
import KafkaOpsCore
import KafkaOpsDemo
import TestSupport

/// The same contract the librdkafka client passes against tansu (kafkaopsTests/ContractOnTansuTests).
@Suite struct SharedContractOnDemoTests {
    @Test func demoClusterHonoursTheClusterClientContract() async throws {
        let demo = DemoCluster(scenario: .empty(), clock: .manual())
        try await ClusterContract.run(demo, prefix: "demo")
    }
}

/// Group types and states on the demo's standard cluster (issue 21): KIP-848 `consumer` groups beside
/// classic ones, one reconciling while it consumes and one stopped (Empty).
@Suite struct DemoGroupTypeContractTests {
    static var d: Deadline { .seconds(30) }

    @Test func everyGroupHasATypeAndTheFilterKeepsOnlyThatType() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let all = try await demo.listGroups(deadline: Self.d)
        #expect(all.allSatisfy { $0.type == .classic || $0.type == .consumer })
        let consumer = try await demo.listGroups(types: [.consumer], deadline: Self.d)
        #expect(consumer.map(\.id).sorted() == ["geo-backfill", "geo-enricher"])
        #expect(Dictionary(uniqueKeysWithValues: consumer.map { ($0.id, $0.state) }) == ["geo-enricher": .reconciling, "geo-backfill": .empty])
        let classic = try await demo.listGroups(types: [.classic], deadline: Self.d)
        #expect(classic.count + consumer.count == all.count)
        #expect(classic.contains { $0.id == "order-service" })
    }

    @Test func aConsumerGroupReconcilingHasMembersAssignmentsAndTargets() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let geo = try #require(try await demo.describeGroups(["geo-enricher"], deadline: Self.d).first)
        #expect(geo.type == .consumer)
        #expect(geo.state == .reconciling)
        #expect(geo.groupEpoch != nil)
        #expect(geo.members.count == 3)
        #expect(geo.members.allSatisfy { $0.targetAssignment != nil && !$0.clientID.isEmpty && !$0.host.isEmpty })
        // One partition on its way from the first member to the last: revoked by the one, not yet owned by the other.
        #expect(geo.members.filter(\.isReconciling).count == 2)
        #expect(Set(geo.members.flatMap { $0.targetAssignment ?? [] }) == Set(geo.members.flatMap(\.assignment)))
        // It consumes: its committed offsets move.
        let clock = DemoClock.manual()
        let moving = DemoCluster(scenario: .standard, clock: clock)
        let before = try await moving.committedOffsets(group: "geo-enricher", deadline: Self.d)
        clock.advance(by: 30)
        let after = try await moving.committedOffsets(group: "geo-enricher", deadline: Self.d)
        #expect(after.contains { tp, o in o > (before[tp] ?? 0) })
    }

    @Test func aResetIsRefusedOnTheConsumerGroupWhileItConsumesAndAllowedOnTheStoppedOne() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let live = try await ResetInputs.load(group: "geo-enricher", client: demo, deadline: Self.d)
        #expect(live.reconciled?.type == .consumer)
        #expect(throws: ResetError.groupNotInactive(group: "geo-enricher", state: .reconciling, members: live.members)) {
            try live.checkInactive()
        }
        let stopped = try await ResetInputs.load(group: "geo-backfill", client: demo, deadline: Self.d)
        #expect(stopped.reconciled?.type == .consumer && stopped.state == .empty)
        try stopped.checkInactive()
    }
}
