import Foundation
import KafkaOpsCore
import CRdKafka

/// DescribeAcls. librdkafka (checked in 2.14.2's rdkafka_admin.c, `rd_kafka_DescribeAclsResponse_parse`)
/// reads the response's top-level error code and message and then drops them: the result carries no
/// error, so "no authorizer" (SECURITY_DISABLED) and "not authorised" (CLUSTER_AUTHORIZATION_FAILED) both
/// come back as zero ACLs. Callers say so (`AclEmptyAnswer`), never "no ACLs".
extension KafkaClusterClient {
    public func describeAcls(_ filter: AclFilter, deadline: Deadline) async throws -> [AclBinding] {
        let what = "describe ACLs"
        return try await runtime.admin(what, op: RD_KAFKA_ADMIN_OP_DESCRIBEACLS, deadline: deadline, start: { rk, opts, q in
            var errstr = [CChar](repeating: 0, count: 512)
            guard let f = rd_kafka_AclBindingFilter_new(Self.rdResourceType(filter.resourceType), filter.resourceName,
                                                        Self.rdPatternType(filter.patternType), filter.principal, nil,
                                                        RD_KAFKA_ACL_OPERATION_ANY, RD_KAFKA_ACL_PERMISSION_TYPE_ANY,
                                                        &errstr, errstr.count) else {
                let why = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw ClusterError(.invalidRequest, "\(what): librdkafka refused the filter: \(why)")
            }
            defer { rd_kafka_AclBinding_destroy(f) }
            rd_kafka_DescribeAcls(rk, f, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_DescribeAcls_result(ev) else { return [] }
            var cnt = 0
            guard let acls = rd_kafka_DescribeAcls_result_acls(r, &cnt) else { return [] }
            var out: [AclBinding] = []
            out.reserveCapacity(cnt)
            for i in 0..<cnt {
                guard let a = acls[i] else { continue }
                out.append(AclBinding(
                    resourceType: Self.resourceType(rd_kafka_AclBinding_restype(a)),
                    resourceName: rd_kafka_AclBinding_name(a).string ?? "",
                    patternType: Self.patternType(rd_kafka_AclBinding_resource_pattern_type(a)),
                    principal: rd_kafka_AclBinding_principal(a).string ?? "",
                    host: rd_kafka_AclBinding_host(a).string ?? "",
                    operation: Self.operation(rd_kafka_AclBinding_operation(a)),
                    permission: Self.permission(rd_kafka_AclBinding_permission_type(a))))
            }
            return out.sorted(by: AclBinding.listed)
        })
    }

    // librdkafka's ResourceType 4 is called BROKER; in an ACL it is Kafka's CLUSTER (the same wire value).
    static func rdResourceType(_ t: AclResourceType) -> rd_kafka_ResourceType_t {
        switch t {
        case .topic: return RD_KAFKA_RESOURCE_TOPIC
        case .group: return RD_KAFKA_RESOURCE_GROUP
        case .cluster: return RD_KAFKA_RESOURCE_BROKER
        case .transactionalID: return RD_KAFKA_RESOURCE_TRANSACTIONAL_ID
        case .any, .unknown: return RD_KAFKA_RESOURCE_ANY
        }
    }

    static func resourceType(_ t: rd_kafka_ResourceType_t) -> AclResourceType {
        switch t {
        case RD_KAFKA_RESOURCE_TOPIC: return .topic
        case RD_KAFKA_RESOURCE_GROUP: return .group
        case RD_KAFKA_RESOURCE_BROKER: return .cluster
        case RD_KAFKA_RESOURCE_TRANSACTIONAL_ID: return .transactionalID
        default: return .unknown
        }
    }

    static func rdPatternType(_ p: AclPatternType) -> rd_kafka_ResourcePatternType_t {
        switch p {
        case .literal: return RD_KAFKA_RESOURCE_PATTERN_LITERAL
        case .prefixed: return RD_KAFKA_RESOURCE_PATTERN_PREFIXED
        case .match: return RD_KAFKA_RESOURCE_PATTERN_MATCH
        case .any, .unknown: return RD_KAFKA_RESOURCE_PATTERN_ANY
        }
    }

    static func patternType(_ p: rd_kafka_ResourcePatternType_t) -> AclPatternType {
        switch p {
        case RD_KAFKA_RESOURCE_PATTERN_LITERAL: return .literal
        case RD_KAFKA_RESOURCE_PATTERN_PREFIXED: return .prefixed
        default: return .unknown
        }
    }

    static func operation(_ o: rd_kafka_AclOperation_t) -> AclOperation {
        switch o {
        case RD_KAFKA_ACL_OPERATION_ALL: return .all
        case RD_KAFKA_ACL_OPERATION_READ: return .read
        case RD_KAFKA_ACL_OPERATION_WRITE: return .write
        case RD_KAFKA_ACL_OPERATION_CREATE: return .create
        case RD_KAFKA_ACL_OPERATION_DELETE: return .delete
        case RD_KAFKA_ACL_OPERATION_ALTER: return .alter
        case RD_KAFKA_ACL_OPERATION_DESCRIBE: return .describe
        case RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION: return .clusterAction
        case RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS: return .describeConfigs
        case RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS: return .alterConfigs
        case RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE: return .idempotentWrite
        default: return .unknown
        }
    }

    static func permission(_ p: rd_kafka_AclPermissionType_t) -> AclPermissionType {
        switch p {
        case RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW: return .allow
        case RD_KAFKA_ACL_PERMISSION_TYPE_DENY: return .deny
        default: return .unknown
        }
    }
}
