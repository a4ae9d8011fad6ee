import Foundation
import Testing
import KafkaOpsCore
import CRdKafka
@testable import KafkaOpsKafka

/// DescribeAcls' enums in Kafka's words, both ways. librdkafka names ResourceType 4 BROKER; in an ACL
/// it is Kafka's CLUSTER (the same wire value), and a filter for CLUSTER must send 4.
struct AclMappingTests {
    @Test(arguments: [AclResourceType.topic, .group, .cluster, .transactionalID])
    func resourceTypesRoundTrip(_ t: AclResourceType) {
        #expect(KafkaClusterClient.resourceType(KafkaClusterClient.rdResourceType(t)) == t)
    }

    @Test func librdkafkasBrokerTypeIsKafkasCluster() {
        #expect(KafkaClusterClient.resourceType(RD_KAFKA_RESOURCE_BROKER) == .cluster)
        #expect(KafkaClusterClient.rdResourceType(.cluster) == RD_KAFKA_RESOURCE_BROKER)
        #expect(KafkaClusterClient.rdResourceType(.any) == RD_KAFKA_RESOURCE_ANY)
        #expect(KafkaClusterClient.resourceType(RD_KAFKA_RESOURCE_UNKNOWN) == .unknown)
    }

    @Test func patternsOperationsAndPermissionsReadAsKafkaNamesThem() {
        #expect(KafkaClusterClient.rdPatternType(.match) == RD_KAFKA_RESOURCE_PATTERN_MATCH)
        #expect(KafkaClusterClient.patternType(RD_KAFKA_RESOURCE_PATTERN_PREFIXED) == .prefixed)
        #expect(KafkaClusterClient.patternType(RD_KAFKA_RESOURCE_PATTERN_LITERAL) == .literal)
        // Our spelling is librdkafka's own name for each operation and permission.
        for (rd, op) in [(RD_KAFKA_ACL_OPERATION_READ, AclOperation.read), (RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE, .idempotentWrite),
                         (RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS, .describeConfigs), (RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION, .clusterAction)] {
            #expect(KafkaClusterClient.operation(rd) == op)
            #expect(String(cString: rd_kafka_AclOperation_name(rd)) == op.rawValue)
        }
        for (rd, p) in [(RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW, AclPermissionType.allow), (RD_KAFKA_ACL_PERMISSION_TYPE_DENY, .deny)] {
            #expect(KafkaClusterClient.permission(rd) == p)
            #expect(String(cString: rd_kafka_AclPermissionType_name(rd)) == p.rawValue)
        }
    }
}
