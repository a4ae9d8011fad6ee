import Foundation

// ACLs as Kafka names them (kafka-acls.sh, the Admin API's AclBinding): a principal (`User:alice`) on a
// host is allowed or denied an operation on a resource pattern (a resource type, a name, and whether the
// name is LITERAL or PREFIXED). The words and spellings are Kafka's: TOPIC, GROUP, READ, ALLOW, ...

/// The kind of resource an ACL is on (Kafka's ResourceType).
public enum AclResourceType: String, Hashable, Sendable, Codable, CaseIterable {
    case topic = "TOPIC"
    case group = "GROUP"
    case cluster = "CLUSTER"
    case transactionalID = "TRANSACTIONAL_ID"
    /// A filter value only: every type.
    case any = "ANY"
    case unknown = "UNKNOWN"
}

/// How an ACL's resource name matches (Kafka's PatternType).
public enum AclPatternType: String, Hashable, Sendable, Codable, CaseIterable {
    case literal = "LITERAL"
    case prefixed = "PREFIXED"
    /// Filter values only: ANY (any pattern type, the name exactly), MATCH (every ACL that applies to the name:
    /// the literal name, the wildcard `*` and the prefixes of the name).
    case any = "ANY"
    case match = "MATCH"
    case unknown = "UNKNOWN"
}

/// What an ACL allows or denies (Kafka's AclOperation).
public enum AclOperation: String, Hashable, Sendable, Codable, CaseIterable {
    case all = "ALL"
    case read = "READ"
    case write = "WRITE"
    case create = "CREATE"
    case delete = "DELETE"
    case alter = "ALTER"
    case describe = "DESCRIBE"
    case clusterAction = "CLUSTER_ACTION"
    case describeConfigs = "DESCRIBE_CONFIGS"
    case alterConfigs = "ALTER_CONFIGS"
    case idempotentWrite = "IDEMPOTENT_WRITE"
    case any = "ANY"
    case unknown = "UNKNOWN"
}

/// ALLOW or DENY (Kafka's AclPermissionType).
public enum AclPermissionType: String, Hashable, Sendable, Codable, CaseIterable {
    case allow = "ALLOW"
    case deny = "DENY"
    case any = "ANY"
    case unknown = "UNKNOWN"
}

/// One ACL (Kafka's AclBinding: a resource pattern and an access control entry).
public struct AclBinding: Hashable, Sendable, Codable {
    public var resourceType: AclResourceType
    public var resourceName: String
    public var patternType: AclPatternType
    /// `User:alice`, `User:*`, `Group:ops` (the principal type, a colon, the name).
    public var principal: String
    /// The client host the entry applies to; `*` for every host.
    public var host: String
    public var operation: AclOperation
    public var permission: AclPermissionType

    public init(resourceType: AclResourceType, resourceName: String, patternType: AclPatternType, principal: String,
                host: String = "*", operation: AclOperation, permission: AclPermissionType) {
        self.resourceType = resourceType; self.resourceName = resourceName; self.patternType = patternType
        self.principal = principal; self.host = host; self.operation = operation; self.permission = permission
    }

    /// The order kafka-acls.sh groups them in: by resource, then principal, operation and permission.
    public static func listed(_ a: AclBinding, before b: AclBinding) -> Bool {
        func key(_ x: AclBinding) -> [String] {
            [x.resourceType.rawValue, x.resourceName, x.patternType.rawValue, x.principal, x.host, x.operation.rawValue, x.permission.rawValue]
        }
        return key(a).lexicographicallyPrecedes(key(b))
    }
}

/// Which ACLs to describe (Kafka's AclBindingFilter): nil fields match everything.
public struct AclFilter: Hashable, Sendable, Codable {
    public var resourceType: AclResourceType
    /// nil: every name.
    public var resourceName: String?
    public var patternType: AclPatternType
    /// nil: every principal.
    public var principal: String?

    public init(resourceType: AclResourceType = .any, resourceName: String? = nil, patternType: AclPatternType = .any,
                principal: String? = nil) {
        self.resourceType = resourceType; self.resourceName = resourceName; self.patternType = patternType
        self.principal = principal
    }

    /// Every ACL (of `principal`, when given).
    public static func all(principal: String? = nil) -> AclFilter { AclFilter(principal: principal) }

    /// Every ACL that applies to topic `name` (MATCH: the literal name, `*`, the prefixes that match it).
    public static func topic(_ name: String, principal: String? = nil) -> AclFilter {
        AclFilter(resourceType: .topic, resourceName: name, patternType: .match, principal: principal)
    }

    /// Every ACL that applies to consumer group `name` (MATCH, as for a topic).
    public static func group(_ name: String, principal: String? = nil) -> AclFilter {
        AclFilter(resourceType: .group, resourceName: name, patternType: .match, principal: principal)
    }

    /// Kafka's matching rule for a filter, as the broker applies it (the demo cluster uses it).
    public func matches(_ acl: AclBinding) -> Bool {
        if let p = principal, p != acl.principal { return false }
        if resourceType != .any && resourceType != acl.resourceType { return false }
        guard let name = resourceName else {
            return patternType == .any || patternType == .match || patternType == acl.patternType
        }
        switch patternType {
        case .any: return acl.resourceName == name
        case .match:
            switch acl.patternType {
            case .literal: return acl.resourceName == name || acl.resourceName == AclFilter.wildcard
            case .prefixed: return name.hasPrefix(acl.resourceName)
            default: return false
            }
        default: return acl.patternType == patternType && acl.resourceName == name
        }
    }

    /// The resource name that means every resource of the type (a LITERAL `*`).
    public static let wildcard = "*"

    /// A principal as Kafka writes it: a type, a colon, a name (`User:alice`); nil when it is one, else why not.
    public static func principalProblem(_ p: String) -> String? {
        guard let colon = p.firstIndex(of: ":"), colon != p.startIndex, p.index(after: colon) != p.endIndex else {
            return "principal '\(p)' is not TYPE:NAME (Kafka writes principals as User:alice)"
        }
        return nil
    }
}

/// What an empty DescribeAcls answer can mean. librdkafka (checked up to 2.14.2) reads the response's
/// top-level error code and drops it, so a cluster without an authorizer (SECURITY_DISABLED) and a principal
/// that may not describe ACLs (CLUSTER_AUTHORIZATION_FAILED) both answer as zero ACLs: never "no ACLs" as a fact.
public enum AclEmptyAnswer {
    /// The possible reasons, in the order an operator checks them.
    public static let reasons = [
        "no ACL matches the filter",
        "the cluster has no authorizer configured",
        "this principal may not describe ACLs",
    ]

    /// The one line shown for an empty answer (CLI and console).
    public static let line = "no ACLs returned: either none match, or the cluster has no authorizer, or this principal may not describe ACLs"
}
