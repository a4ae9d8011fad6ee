import Foundation
import KafkaOpsCore
import KafkaOpsFiles
import Testing

/// Issue 23 point 8: the brokers a run saw live are kept for the next one, in a file that is never followed
/// through a link and never read half-written.
@Suite struct BrokerMemoryFileTests {
    static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("broker-memory-\(UUID().uuidString)").path
    }

    @Test func theBrokersSeenLiveAreRecalledByTheNextRunAndOthersStay() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        BrokerMemoryFile(directory: dir).remember(cluster: "prod/1", live: [Broker(id: 1, host: "k1", port: 9092),
                                                                           Broker(id: 3, host: "k3", port: 9094, rack: "az3")], at: t)
        // A later run sees broker 1 only: broker 3 stays as last seen.
        BrokerMemoryFile(directory: dir).remember(cluster: "prod/1", live: [Broker(id: 1, host: "k1-new", port: 9092)],
                                                  at: t.addingTimeInterval(600))
        let recalled = BrokerMemoryFile(directory: dir).recall(cluster: "prod/1")
        #expect(recalled.map(\.broker.id) == [1, 3])
        #expect(recalled.first { $0.broker.id == 1 }?.broker.host == "k1-new")
        let three = try #require(recalled.first { $0.broker.id == 3 })
        #expect(three.broker.host == "k3" && three.broker.rack == "az3" && three.lastSeenLive == t)
        #expect(BrokerMemoryFile(directory: dir).recall(cluster: "another").isEmpty)
        // The roster shows broker 3 down with its host, down since before this run.
        var roster = BrokerRoster()
        roster.recall(recalled)
        let md = ClusterMetadata(clusterID: "prod/1", controllerID: 1, brokers: [Broker(id: 1, host: "k1-new", port: 9092)], topics: [])
        roster.observe(md, at: t.addingTimeInterval(700))
        let down = roster.down(md)
        #expect(down.map(\.id) == [3])
        #expect(down.first?.lastSeen?.host == "k3" && down.first?.since == nil && down.first?.lastSeenLiveBefore == t)
    }

    @Test func aLinkAtThePathIsReplacedNotFollowed() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let memory = BrokerMemoryFile(directory: dir)
        memory.remember(cluster: "c", live: [Broker(id: 1, host: "k1", port: 9092)], at: Date())
        let path = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first.map { dir + "/" + $0 })
        let victim = dir + "/victim"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        #expect(memory.recall(cluster: "c").isEmpty, "a link is not read through")
        memory.remember(cluster: "c", live: [Broker(id: 2, host: "k2", port: 9092)], at: Date())
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me")
        #expect(memory.recall(cluster: "c").map(\.broker.id) == [2])
    }
}
