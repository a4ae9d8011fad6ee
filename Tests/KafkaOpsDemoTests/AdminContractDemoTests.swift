import Testing
import KafkaOpsCore
import KafkaOpsDemo
import TestSupport

/// The admin calls' contract (issue 25) on the demo cluster; kafkaopsTests/AdminContractTansuTests runs it on tansu.
@Suite struct AdminContractDemoTests {
    @Test func demoClusterHonoursTheAdminContract() async throws {
        let demo = DemoCluster(scenario: .empty(), clock: .manual())
        try await ClusterContract.runAdminChanges(demo, prefix: "demo", addsPartitions: true)
    }

    /// Kafka refuses to delete a group with members (NON_EMPTY_GROUP) and one that does not exist.
    @Test func aGroupWithMembersOrNoneAtAllIsNotDeleted() async throws {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        let d = Deadline.after(.seconds(10))
        await #expect { try await demo.deleteGroup("order-service", deadline: d) } throws: { ($0 as? ClusterError)?.kind == .groupNotEmpty }
        #expect(try await demo.listGroups(deadline: d).contains { $0.id == "order-service" })
        await #expect { try await demo.deleteGroup("no-such-group", deadline: d) } throws: { ($0 as? ClusterError)?.kind == .unknownGroup }
    }
}
