import Foundation
import KafkaOpsCore

/// `kafkaops acls`: the table and the json/yaml document (Kafka's words for every field).
struct AclsJSON: Encodable {
    struct Acl: Encodable {
        let principal: String
        let host: String
        let operation: String
        let permission_type: String
        let resource_type: String
        let resource_name: String
        let pattern_type: String
    }
    struct Filter: Encodable {
        @NullEncoded var principal: String?
        @NullEncoded var topic: String?
        @NullEncoded var group: String?
    }
    let filter: Filter
    let acls: [Acl]
    /// Set only when `acls` is empty: what an empty answer can mean (librdkafka drops the reason), null otherwise.
    @NullEncoded var empty_could_mean: [String]?

    init(_ acls: [AclBinding], principal: String?, topic: String?, group: String?) {
        filter = Filter(principal: principal, topic: topic, group: group)
        self.acls = acls.map {
            Acl(principal: $0.principal, host: $0.host, operation: $0.operation.rawValue, permission_type: $0.permission.rawValue,
                resource_type: $0.resourceType.rawValue, resource_name: $0.resourceName, pattern_type: $0.patternType.rawValue)
        }
        empty_could_mean = acls.isEmpty ? AclEmptyAnswer.reasons : nil
    }
}

enum AclsTable {
    /// kafka-acls.sh's fields as columns; an empty answer is the hedged line, never "no ACLs".
    static func render(_ acls: [AclBinding]) -> String {
        if acls.isEmpty { return AclEmptyAnswer.line + "\n" }
        var t = TextTable([("PRINCIPAL", .left), ("HOST", .left), ("OPERATION", .left), ("PERMISSION", .left),
                           ("RESOURCE-TYPE", .left), ("RESOURCE-NAME", .left), ("PATTERN", .left)])
        for a in acls {
            t.add([a.principal, a.host, a.operation.rawValue, a.permission.rawValue, a.resourceType.rawValue, a.resourceName,
                   a.patternType.rawValue])
        }
        return t.render()
    }
}
