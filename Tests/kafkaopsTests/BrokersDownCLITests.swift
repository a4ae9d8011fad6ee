import Foundation
import Testing
import TestSupport

/// Issue 13, point 1: a broker that left the cluster is a row of `kafkaops brokers`, never a missing
/// line. The demo is started 35 s into its timeline (KAFKAOPS_DEMO_AHEAD): broker 3 stopped at 30 s.
@Suite struct BrokersDownCLITests {
    @Test func aBrokerThatIsDownIsARow() async throws {
        let r = try await CLI.run(["brokers", "--demo"], environment: ["KAFKAOPS_DEMO_AHEAD": "35"])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("2 live broker(s), 1 DOWN") == true, "\(r.stdout)")
        let row = try #require(lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("3 ") }, "\(r.stdout)")
        #expect(row.contains("DOWN (replica of "), "\(row)")
        #expect(lines.filter { $0.contains(" live") && !$0.contains("broker(s)") }.count == 2, "\(r.stdout)")

        let json = try await CLI.run(["brokers", "--demo", "--output", "json"], environment: ["KAFKAOPS_DEMO_AHEAD": "35"])
        #expect(json.code == 0, "\(json.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let down = try #require(obj["down_brokers"] as? [[String: Any]])
        #expect(down.map { $0["id"] as? Int } == [3])
        #expect((down.first?["replica_of_partitions"] as? Int ?? 0) > 0)
    }

    @Test func withEveryBrokerLiveNoneIsDown() async throws {
        let r = try await CLI.run(["brokers", "--demo"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 live broker(s)") && !r.stdout.contains("DOWN"), "\(r.stdout)")
    }

    @Test func aBadDemoClockIsAUsageError() async throws {
        let r = try await CLI.run(["brokers", "--demo"], environment: ["KAFKAOPS_DEMO_AHEAD": "soon"])
        #expect(r.code != 0)
        #expect(r.stderr.contains("KAFKAOPS_DEMO_AHEAD=soon"), "\(r.stderr)")
    }
}
