import Foundation
import KafkaOpsCore

/// The demo cluster's ACLs: a few services with the usual producer and consumer grants, a prefixed grant,
/// a wildcard read and a DENY, so every column and filter of `kafkaops --demo acls` has something to show.
/// Filters follow the broker's rule (`AclFilter.matches`).
extension DemoCluster {
    public func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] {
        try await enter("describeAcls", deadline: deadline)
        return DemoAcls.standard.filter(filter.matches).sorted(by: AclBinding.listed)
    }
}

enum DemoAcls {
    static func allow(_ type: AclResourceType, _ name: String, pattern: AclPatternType = .literal, _ principal: String,
                      _ op: AclOperation, host: String = "*") -> AclBinding {
        AclBinding(resourceType: type, resourceName: name, patternType: pattern, principal: principal, host: host,
                   operation: op, permission: .allow)
    }

    static let standard: [AclBinding] = [
        allow(.topic, "orders", "User:order-service", .write),
        allow(.topic, "orders", "User:order-service", .describe),
        allow(.topic, "orders", "User:order-processor", .read),
        allow(.group, "order-service", "User:order-processor", .read),
        allow(.topic, "payments", "User:payment-processor", .read),
        allow(.topic, "refunds", "User:payment-processor", .read),
        allow(.group, "payment-processor", "User:payment-processor", .read),
        allow(.topic, "payments", pattern: .prefixed, "User:connect", .all),
        allow(.group, "connect-", pattern: .prefixed, "User:connect", .read),
        allow(.topic, "*", "User:analytics", .describe),
        allow(.topic, "clickstream", "User:analytics", .read),
        allow(.group, "analytics-etl", "User:analytics", .read),
        AclBinding(resourceType: .topic, resourceName: "payments", patternType: .literal, principal: "User:analytics",
                   host: "*", operation: .read, permission: .deny),
        allow(.cluster, "kafka-cluster", "User:admin", .all, host: "10.0.0.5"),
        allow(.transactionalID, "ledger-", pattern: .prefixed, "User:ledger-writer", .write),
    ]
}
