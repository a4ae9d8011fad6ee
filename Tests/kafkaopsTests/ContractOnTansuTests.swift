import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// The same contract the demo cluster passes (KafkaOpsDemoTests/SharedContractTests), on librdkafka and tansu.
@Suite struct ContractOnTansuTests {
    @Test func librdkafkaClientHonoursTheClusterClientContract() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        try await ClusterContract.run(client, prefix: "tansu")
    }
}
