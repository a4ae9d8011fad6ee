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
