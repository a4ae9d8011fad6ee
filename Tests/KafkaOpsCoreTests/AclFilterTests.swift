import Foundation
import Testing
@testable import KafkaOpsCore

/// Kafka's rule for which ACLs a filter returns (the demo cluster applies it, as a broker does).
struct AclFilterTests {
    static func acl(_ type: AclResourceType, _ name: String, _ pattern: AclPatternType, _ principal: String = "User:a") -> AclBinding {
        AclBinding(resourceType: type, resourceName: name, patternType: pattern, principal: principal, operation: .read, permission: .allow)
    }

    @Test(arguments: [
        // MATCH for topic orders: the literal name, the wildcard, and prefixes of the name.
        (acl(.topic, "orders", .literal), true),
        (acl(.topic, "*", .literal), true),
        (acl(.topic, "ord", .prefixed), true),
        (acl(.topic, "orders-dlt", .prefixed), false),
        (acl(.topic, "orders-dlt", .literal), false),
        (acl(.group, "orders", .literal), false),
        (acl(.topic, "orders", .literal, "User:b"), false),
    ])
    func topicMatchFilter(_ a: AclBinding, _ matches: Bool) {
        #expect(AclFilter.topic("orders", principal: "User:a").matches(a) == matches)
    }

    @Test func everyAclAndAPrincipalAlone() {
        #expect(AclFilter.all().matches(Self.acl(.cluster, "kafka-cluster", .literal)))
        #expect(AclFilter.all(principal: "User:b").matches(Self.acl(.group, "g", .prefixed, "User:b")))
        #expect(!AclFilter.all(principal: "User:b").matches(Self.acl(.group, "g", .prefixed)))
    }

    @Test(arguments: ["alice", ":alice", "User:", ""])
    func aPrincipalIsTypeColonName(_ p: String) {
        #expect(AclFilter.principalProblem(p) != nil)
        #expect(AclFilter.principalProblem("User:alice") == nil)
    }
}
