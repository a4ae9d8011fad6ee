import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// The admin calls' contract (issue 25) on librdkafka and tansu, which refuses CreatePartitions
/// (docs/TEST-ENVIRONMENT.md): that refusal must change nothing and be a refusal, not an unknown outcome.
@Suite struct AdminContractTansuTests {
    @Test func librdkafkaClientHonoursTheAdminContract() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        try await ClusterContract.runAdminChanges(client, prefix: "tansu", addsPartitions: false)
    }
}
