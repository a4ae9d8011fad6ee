import Foundation
import KafkaOpsCore
import CRdKafka

/// What a failed call was doing, so that an error can say it in an operator's words.
struct ErrorContext: Sendable {
    /// "describe consumer groups", "create topic orders", ...
    var operation: String
    /// The bootstrap list, named in connection errors.
    var bootstrap: String
    /// Secret values to scrub from librdkafka's text.
    var secrets: [String]
    /// The SASL mechanism in use, so an authentication failure names the profile keys to check.
    var saslMechanism: ConnectionSettings.SASLMechanism? = nil

    /// The one secret filter (Core's `Secrets.scrub`), for errors and log lines alike.
    func scrub(_ text: String) -> String { Secrets.scrub(text, values: secrets) }
}

/// The one place that maps librdkafka and Kafka error codes to `ClusterError`.
enum RdErrorMap {
    static func map(_ code: rd_kafka_resp_err_t, _ detail: String?, _ ctx: ErrorContext, subject: String? = nil) -> ClusterError {
        let name = String(cString: rd_kafka_err2name(code))
        let raw = detail.map { ctx.scrub($0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? String(cString: rd_kafka_err2str(code))
        let what = subject.map { "\(ctx.operation) (\($0))" } ?? ctx.operation
        let bootstrap = ctx.bootstrap

        func err(_ kind: ClusterError.Kind, _ message: String, _ hint: String?, retry: Bool = false) -> ClusterError {
            ClusterError(kind, message, hint: hint, code: name, isRetriable: retry)
        }

        switch code {
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            return connectionError(raw, name: name, bootstrap: bootstrap)
        case RD_KAFKA_RESP_ERR__SSL:
            return err(.tls, "TLS handshake with \(bootstrap) failed: \(raw)",
                       "check tls.ca (the CA that signed the broker certificate), tls.cert and tls.key, "
                       + "and that the port is a TLS listener")
        case RD_KAFKA_RESP_ERR__AUTHENTICATION, RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED,
             RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE, RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM:
            return err(.authentication, "authentication to \(bootstrap) failed: \(raw)", authenticationHint(ctx.saslMechanism))
        case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
             RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
             RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED:
            return err(.authorization, "not authorised to \(what): \(raw)",
                       "the principal lacks an ACL for this operation; ask the cluster admins")
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
             RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
            return err(.timeout, "\(what) did not answer in time",
                       "check that \(bootstrap) is reachable and raise --timeout if the cluster is slow", retry: true)
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_ID:
            return err(.unknownTopic, "\(what): topic does not exist", "check the topic name (kafkaops topics lists them)")
        case RD_KAFKA_RESP_ERR__NOENT:
            // ListOffsets and friends: "Failed to query partition leaders: No leaders found".
            return err(.unknownPartition, "\(what): no such topic or partition (\(raw))",
                       "check the topic name and partition number")
        case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            return err(.unknownPartition, "\(what): partition does not exist", "check the partition number")
        case RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND, RD_KAFKA_RESP_ERR__UNKNOWN_GROUP:
            return err(.unknownGroup, "\(what): consumer group does not exist", "check the group id (kafkaops groups lists them)")
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
            return err(.topicExists, "\(what): topic already exists", "choose another name or alter the existing topic")
        case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
            return err(.policyViolation, "\(what) was refused by the cluster's policy: \(raw)",
                       "the broker's create/alter policy forbids this; see the reason above")
        case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
            return err(.invalidRequest, "\(what): invalid replication factor: \(raw)",
                       "the replication factor must not exceed the number of live brokers")
        case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
            return err(.invalidRequest, "\(what): invalid partition count: \(raw)", "use at least one partition")
        case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
            return err(.invalidRequest, "\(what): invalid config: \(raw)", "check the config names and values")
        case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
            return err(.invalidRequest, "\(what): invalid topic name: \(raw)",
                       "use letters, digits, '.', '_' and '-', at most 249 characters")
        case RD_KAFKA_RESP_ERR_INVALID_REQUEST, RD_KAFKA_RESP_ERR__INVALID_ARG, RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE,
             RD_KAFKA_RESP_ERR__BAD_MSG:
            return err(.invalidRequest, "\(what) was rejected: \(raw)", nil)
        case RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP, RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
             RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
            return err(.groupNotEmpty, "\(what): the group still has active members",
                       "stop the group's consumers first; offsets can only be changed while the group is empty")
        case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION, RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE,
             RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT, RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS:
            return err(.unsupported, "\(what) is not supported by this cluster: \(raw)",
                       "the broker is too old or does not implement this request")
        case RD_KAFKA_RESP_ERR__FATAL, RD_KAFKA_RESP_ERR__INCONSISTENT:
            return err(.broker, "\(what) failed: \(raw)", nil)
        case RD_KAFKA_RESP_ERR__DESTROY:
            return err(.cancelled, "\(what) was cancelled: the client is shutting down", nil)
        case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
            return err(.timeout, "\(what): not sent before the deadline, so not written",
                       "safe to retry", retry: true)
        case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
            return err(.timeout, "\(what): no acknowledgement before the deadline, the record may or may not have been written",
                       "check the topic before retrying, to avoid a duplicate")
        case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
            return err(.broker, "\(what): not enough in-sync replicas for acks=all: \(raw)",
                       "the partition is under min.insync.replicas; bring its replicas back first", retry: true)
        case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
             RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
             RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_NOT_CONTROLLER,
             RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_ELIGIBLE_LEADERS_NOT_AVAILABLE:
            return err(.broker, "\(what) failed: \(raw)", "the cluster is moving leadership; try again shortly", retry: true)
        default:
            return err(.broker, "\(what) failed: \(raw)", nil, retry: rd_kafka_resp_err_t.isRetriableCode(code))
        }
    }

    /// The error of a request librdkafka gave up on (its result event's error). `_TRANSPORT` there is a
    /// connection that closed while the request was on its way or waiting for its answer: the request may
    /// have been sent and acted on, so it is said so, not "cannot connect" (a change reads it back: `LostAnswer`).
    static func requestFailed(_ code: rd_kafka_resp_err_t, _ detail: String?, _ ctx: ErrorContext) -> ClusterError {
        guard code == RD_KAFKA_RESP_ERR__TRANSPORT else { return map(code, detail, ctx) }
        let raw = detail.map { ctx.scrub($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? String(cString: rd_kafka_err2str(code))
        return ClusterError(.unreachable, "the connection to \(ctx.bootstrap) closed before \(ctx.operation) was answered: \(raw)",
                            hint: "the request may have reached the cluster; check the broker and the network",
                            code: String(cString: rd_kafka_err2name(code)), isRetriable: true)
    }

    /// What to check when authentication fails, in the profile's keys for the mechanism in use.
    static func authenticationHint(_ mechanism: ConnectionSettings.SASLMechanism?) -> String {
        switch mechanism {
        case .oauthbearer:
            return "check oauth.token_endpoint, oauth.client_id, the client secret (oauth.client_secret_env / client_secret_file) "
                + "and oauth.scope, and that the listener expects OAUTHBEARER"
        case .gssapi:
            return "check kerberos.principal and kerberos.keytab (or your kinit ticket) and kerberos.service_name, "
                + "and that the listener expects GSSAPI"
        default:
            return "check username/password and mechanism (sasl.username, sasl.password_env / password_file, sasl.mechanism), "
                + "and that the listener expects SASL"
        }
    }

    /// Errors reaching the bootstrap servers, told apart by librdkafka's text.
    static func connectionError(_ raw: String, name: String, bootstrap: String) -> ClusterError {
        let lower = raw.lowercased()
        if lower.contains("resolve") || lower.contains("name or service not known") || name == "_RESOLVE" {
            return ClusterError(.unreachable, "cannot resolve \(bootstrap): \(raw)",
                                hint: "check the host names in the bootstrap list", code: name, isRetriable: true)
        }
        if lower.contains("apiversion") || lower.contains("invalid response size") || lower.contains("protocol")
            || lower.contains("read underflow") {
            return ClusterError(.unreachable, "\(bootstrap) does not answer like a Kafka broker: \(raw)",
                                hint: "check the port (is it a Kafka listener?) and whether it needs TLS or SASL",
                                code: name, isRetriable: false)
        }
        if lower.contains("ssl") || lower.contains("tls") {
            return ClusterError(.tls, "TLS connection to \(bootstrap) failed: \(raw)",
                                hint: "check that the port is a TLS listener and tls.ca", code: name)
        }
        return ClusterError(.unreachable, "cannot connect to \(bootstrap): \(raw)",
                            hint: "check host and port and that the broker is up", code: name, isRetriable: true)
    }

    static func map(_ error: OpaquePointer?, _ ctx: ErrorContext, subject: String? = nil) -> ClusterError? {
        guard let error else { return nil }
        let code = rd_kafka_error_code(error)
        if code == RD_KAFKA_RESP_ERR_NO_ERROR { return nil }
        let text = rd_kafka_error_string(error).map { String(cString: $0) }
        return map(code, text, ctx, subject: subject)
    }

    /// Is this error one that stops every call on the handle (nothing can be reached or nothing is allowed)?
    static func isConnectionFailure(_ code: rd_kafka_resp_err_t) -> Bool {
        code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || code == RD_KAFKA_RESP_ERR__SSL
            || code == RD_KAFKA_RESP_ERR__AUTHENTICATION || code == RD_KAFKA_RESP_ERR__FATAL
    }
}

extension rd_kafka_resp_err_t {
    static func isRetriableCode(_ code: rd_kafka_resp_err_t) -> Bool {
        switch code {
        case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
             RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED:
            return true
        default:
            return false
        }
    }
}
