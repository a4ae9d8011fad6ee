import Foundation
import Testing
import KafkaOpsCore
import CRdKafka
@testable import KafkaOpsKafka

/// librdkafka's group listing and description (ConsumerGroupDescribe for KIP-848 `consumer` groups,
/// DescribeGroups for classic ones) mapped to the model, from the values read out of its result
/// objects. tansu has no ConsumerGroupDescribe (API 68/69), so this is as far as a test here reaches
/// that path: the C values librdkafka 2.14.2 gives, through the same functions the client calls.
@Suite struct GroupDescriptionMappingTests {
    static let ctx = ErrorContext(operation: "describe consumer groups", bootstrap: "broker-1:9092", secrets: [])
    static func tps(_ t: String, _ ps: [Int32]) -> [TopicPartition] { ps.map { TopicPartition(t, $0) } }

    @Test func theListingCarriesLibrdkafkasTypeAndStateNames() {
        // The names librdkafka's own name functions give for its codes.
        let consumer = rd_kafka_consumer_group_type_name(RD_KAFKA_CONSUMER_GROUP_TYPE_CONSUMER).string
        let classic = rd_kafka_consumer_group_type_name(RD_KAFKA_CONSUMER_GROUP_TYPE_CLASSIC).string
        let unknown = rd_kafka_consumer_group_type_name(RD_KAFKA_CONSUMER_GROUP_TYPE_UNKNOWN).string
        let stable = rd_kafka_consumer_group_state_name(RD_KAFKA_CONSUMER_GROUP_STATE_STABLE).string
        #expect(KafkaClusterClient.groupListing(id: "g", stateName: stable, typeName: consumer, isSimple: false)
            == GroupListing(id: "g", state: .stable, type: .consumer))
        #expect(KafkaClusterClient.groupListing(id: "g", stateName: stable, typeName: classic, isSimple: true).type == .classic)
        #expect(KafkaClusterClient.groupListing(id: "g", stateName: stable, typeName: unknown, isSimple: false).type == .unknown)
        // A state librdkafka cannot name reads Unknown, never Dead.
        #expect(KafkaClusterClient.groupListing(id: "g", stateName: "Unknown", typeName: consumer, isSimple: false).state == .unknown)
    }

    @Test func theTypeFilterAsksOnlyForTypesLibrdkafkaHasCodesFor() {
        #expect(KafkaClusterClient.groupTypeCode(.consumer) == RD_KAFKA_CONSUMER_GROUP_TYPE_CONSUMER)
        #expect(KafkaClusterClient.groupTypeCode(.classic) == RD_KAFKA_CONSUMER_GROUP_TYPE_CLASSIC)
        #expect(KafkaClusterClient.groupTypeCode(.share) == nil)
        #expect(KafkaClusterClient.groupTypeCode(.streams) == nil)
        #expect(KafkaClusterClient.groupTypeCode(.unknown) == nil)
    }

    @Test func aConsumerGroupsMembersKeepClientHostAssignmentAndTarget() {
        let facts = KafkaClusterClient.DescriptionFacts(
            groupID: "geo", stateName: "Stable", typeName: rd_kafka_consumer_group_type_name(RD_KAFKA_CONSUMER_GROUP_TYPE_CONSUMER).string,
            isSimple: false, assignor: "uniform", coordinator: 2,
            members: [
                .init(memberID: "m-2", clientID: "geo-app", host: "/10.0.0.2", groupInstanceID: nil,
                      assignment: Self.tps("geo", [3, 1]), targetAssignment: Self.tps("geo", [1])),
                .init(memberID: "m-1", clientID: "geo-app", host: "/10.0.0.1", groupInstanceID: "geo-1",
                      assignment: Self.tps("geo", [0]), targetAssignment: Self.tps("geo", [3, 0])),
            ])
        let d = KafkaClusterClient.groupDescription(facts, Self.ctx)
        #expect(d.type == .consumer)
        #expect(d.state == .stable)
        #expect(d.assignor == "uniform" && d.coordinator == 2)
        #expect(d.members.map(\.clientID) == ["geo-app", "geo-app"])
        #expect(d.members.map(\.host) == ["/10.0.0.2", "/10.0.0.1"])
        #expect(d.members[0].assignment == Self.tps("geo", [1, 3]))
        #expect(d.members[0].targetAssignment == Self.tps("geo", [1]))
        #expect(d.members[1].targetAssignment == Self.tps("geo", [0, 3]))
        #expect(d.members[1].groupInstanceID == "geo-1")
        #expect(d.members.allSatisfy { $0.isReconciling })
        // librdkafka 2.14.2 does not expose the group epoch.
        #expect(d.groupEpoch == nil)
    }

    @Test func aClassicGroupHasNoTargetAssignment() {
        let facts = KafkaClusterClient.DescriptionFacts(
            groupID: "billing", stateName: "Stable", typeName: "Classic", isSimple: false, assignor: "range", coordinator: 1,
            members: [.init(memberID: "m", clientID: "b", host: "/h", groupInstanceID: nil,
                            assignment: Self.tps("orders", [0]), targetAssignment: [])])
        let d = KafkaClusterClient.groupDescription(facts, Self.ctx)
        #expect(d.type == .classic)
        #expect(d.members.first?.targetAssignment == nil)
        #expect(d.members.first?.isReconciling == false)
    }

    @Test func kip848StatesLibrdkafkaCannotNameReadUnknownAndTheListingDecides() throws {
        // librdkafka 2.14.2's state enum has no Assigning/Reconciling: rd_kafka_consumer_group_state_code
        // gives UNKNOWN for them.
        let code = rd_kafka_consumer_group_state_code("Reconciling")
        #expect(code == RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN)
        let facts = KafkaClusterClient.DescriptionFacts(
            groupID: "geo", stateName: rd_kafka_consumer_group_state_name(code).string, typeName: "Consumer",
            isSimple: false, assignor: "uniform", coordinator: 1, members: [])
        let d = KafkaClusterClient.groupDescription(facts, Self.ctx)
        #expect(d.state == .unknown)
        let shown = try #require(GroupReconciliation.reconcile("geo", listing: [GroupListing(id: "geo", state: .stable, type: .consumer)],
                                                               description: d, committed: [:]))
        #expect(shown.state == .stable && shown.isActive)
    }

    @Test func aGroupTheCoordinatorDoesNotKnowIsDeadAndOtherErrorsAreUnknownWithTheReason() {
        var facts = KafkaClusterClient.DescriptionFacts(groupID: "gone", typeName: "Unknown", isSimple: false, members: [])
        facts.errorCode = RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND
        #expect(KafkaClusterClient.groupDescription(facts, Self.ctx).state == .dead)
        facts.errorCode = RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE
        facts.errorText = "coordinator not available"
        let d = KafkaClusterClient.groupDescription(facts, Self.ctx)
        #expect(d.state == .unknown)
        #expect(d.error != nil)
        #expect(d.type == .unknown)
    }
}
