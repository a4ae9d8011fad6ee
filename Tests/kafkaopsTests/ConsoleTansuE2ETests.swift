import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// The console end to end against a real broker (tansu): the librdkafka path behind the screens.
@Suite(.serialized) struct ConsoleTansuE2ETests {
    @Test func screensShowWhatTheBrokerHolds() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        var d: Deadline { .after(.seconds(20)) }  // a fresh budget per call
        try await client.createTopic(NewTopic(name: "invoices-eu", partitions: 4, replicationFactor: 1,
                                              configs: ["min.insync.replicas": "1"]), validateOnly: false, deadline: d)
        for i in 0..<5 {
            try await client.produceAll([OutgoingRecord(topic: "invoices-eu", partition: 0, key: nil, value: Array("r\(i)".utf8))], deadline: d)
        }
        _ = try await client.alterGroupOffsets(group: "invoice-mailer", offsets: [TopicPartition("invoices-eu", 0): 2], deadline: d)

        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try ConsoleE2ETests.binary()) --bootstrap \(broker.bootstrap)", width: 120, height: 40)
        try await tmux.expect("Overview")
        try await tmux.expect("Topics 1")                 // the overview's counts come from the broker
        #expect(!tmux.screen().joined().contains("DEMO"))
        tmux.keys("2")
        try await tmux.expect("invoices-eu")
        let row = try #require(tmux.screen().first { $0.contains("invoices-eu") })
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == "4")   // partitions
        tmux.keys("Enter")
        try await tmux.expect("[Partitions]")
        try await tmux.expect("LEADER")
        tmux.keys("3")
        try await tmux.expect("invoice-mailer")
        let group = try #require(tmux.screen().first { $0.contains("invoice-mailer") })
        let cols = group.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // GROUP, TREND (unknown or a word once two refreshes are in), TIME-LAG, LAG 5 - 2, then state and members.
        // (the trend's sparkline and the ETA/DATA-LOSS cell vary in words: the lag is looked for, not counted)
        #expect(cols.first == "invoice-mailer" && cols.contains("Empty") && cols.contains("3"), "\(cols)")
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
