import Foundation
import Testing
@testable import KafkaOpsCore

private func md(_ brokers: [(Int32, String?)], _ topics: [String: [[Int32]]]) -> ClusterMetadata {
    ClusterMetadata(clusterID: nil, controllerID: 1, brokers: brokers.map { Broker(id: $0.0, host: "h", port: 9092, rack: $0.1) },
                    topics: topics.sorted { $0.key < $1.key }.map { name, parts in
                        TopicInfo(name: name, partitions: parts.enumerated().map {
                            PartitionInfo(id: Int32($0.offset), leader: $0.element.first, replicas: $0.element, isr: $0.element)
                        })
                    })
}

@Suite("Reassignment plan for raising the replication factor")
struct ReassignmentTests {
    @Test func keepsReplicasAndSpreadsByRackThenLoad() throws {
        let m = md([(1, "a"), (2, "a"), (3, "b"), (4, "c")], ["orders": [[1], [2], [3]], "other": [[4, 3]]])
        let plan = try ReassignmentPlan.raiseReplicationFactor(topic: "orders", to: 3, metadata: m).get()
        for (e, original) in zip(plan.partitions, [[Int32(1)], [2], [3]]) {
            #expect(Array(e.replicas.prefix(1)) == original)        // existing replica kept, first (preferred leader)
            #expect(Set(e.replicas).count == 3)                      // no duplicate broker
            let racks = Set(e.replicas.map { id in m.brokers.first { $0.id == id }?.rack })
            #expect(racks.count == 3)                                // three racks
        }
        #expect(plan.partitions.map(\.partition) == [0, 1, 2])
    }

    @Test func lowestLoadThenLowestIDWithoutRacks() throws {
        // Loads before: 1:1, 2:3, 3:0, 4:0.
        let m = md([(1, nil), (2, nil), (3, nil), (4, nil)], ["t": [[1]], "busy": [[2], [2], [2]]])
        let plan = try ReassignmentPlan.raiseReplicationFactor(topic: "t", to: 3, metadata: m).get()
        #expect(plan.partitions.map(\.replicas) == [[1, 3, 4]])
    }

    @Test func jsonIsWhatKafkaReassignPartitionsReads() throws {
        let m = md([(1, nil), (2, nil), (3, nil)], ["orders": [[1, 2], [2, 3], [3, 1, 2]]])
        let plan = try ReassignmentPlan.raiseReplicationFactor(topic: "orders", to: 3, metadata: m).get()
        let json = plan.json()
        #expect(json == #"{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2,3]},{"topic":"orders","partition":1,"replicas":[2,3,1]}]}"#)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(obj["version"] as? Int == 1)
        #expect((obj["partitions"] as? [[String: Any]])?.count == 2)
        #expect(try JSONDecoder().decode(ReassignmentPlan.self, from: Data(json.utf8)) == plan)
    }

    @Test(arguments: [
        ("orders", 4, ReassignmentError.notEnoughBrokers(target: 4, live: 3)),
        ("nope", 3, .unknownTopic("nope")),
        ("orders", 1, .lowerThanCurrent(target: 1, current: 2)),
        ("orders", 0, .invalidTarget(0)),
    ])
    func errors(_ topic: String, _ rf: Int, _ expected: ReassignmentError) {
        let m = md([(1, nil), (2, nil), (3, nil)], ["orders": [[1, 2]]])
        #expect(ReassignmentPlan.raiseReplicationFactor(topic: topic, to: rf, metadata: m) == .failure(expected))
    }

    @Test func deadReplicaIsKeptAndOnlyLiveBrokersAreAdded() throws {
        // Broker 9 is down but still holds a replica: the plan keeps it and adds live brokers only.
        let m = md([(1, nil), (2, nil), (3, nil)], ["t": [[9, 1]]])
        let plan = try ReassignmentPlan.raiseReplicationFactor(topic: "t", to: 3, metadata: m).get()
        #expect(plan.partitions.map(\.replicas) == [[9, 1, 2]])
    }
}
