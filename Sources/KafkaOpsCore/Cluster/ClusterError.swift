import Foundation

/// A failure of a cluster call, in words an operator understands: what failed and what to check.
public struct ClusterError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No broker could be reached (DNS, refused connection, wrong port, not Kafka).
        public static let unreachable = Kind(rawValue: "unreachable")
        /// The call did not complete before its deadline.
        public static let timeout = Kind(rawValue: "timeout")
        public static let tls = Kind(rawValue: "tls")
        public static let authentication = Kind(rawValue: "authentication")
        public static let authorization = Kind(rawValue: "authorization")
        public static let unknownTopic = Kind(rawValue: "unknown_topic")
        public static let unknownGroup = Kind(rawValue: "unknown_group")
        public static let unknownPartition = Kind(rawValue: "unknown_partition")
        public static let topicExists = Kind(rawValue: "topic_exists")
        public static let invalidRequest = Kind(rawValue: "invalid_request")
        public static let policyViolation = Kind(rawValue: "policy_violation")
        public static let groupNotEmpty = Kind(rawValue: "group_not_empty")
        /// The cluster changed since the change was planned (read again just before sending): nothing was sent.
        public static let changedSincePlan = Kind(rawValue: "changed_since_plan")
        /// The profile or `--read-only` forbids mutations: refused before anything was sent.
        public static let readOnly = Kind(rawValue: "read_only")
        public static let unsupported = Kind(rawValue: "unsupported")
        public static let configuration = Kind(rawValue: "configuration")
        public static let cancelled = Kind(rawValue: "cancelled")
        public static let broker = Kind(rawValue: "broker_error")
    }

    public var kind: Kind
    /// One line: what failed.
    public var message: String
    /// What to check, when we know.
    public var hint: String?
    /// The Kafka / librdkafka error name (e.g. `UNKNOWN_TOPIC_OR_PART`), when there is one.
    public var code: String?
    public var isRetriable: Bool

    public init(_ kind: Kind, _ message: String, hint: String? = nil, code: String? = nil, isRetriable: Bool = false) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.code = code
        self.isRetriable = isRetriable
    }

    public var description: String {
        var s = message
        if let code { s += " [\(code)]" }
        if let hint { s += ": \(hint)" }
        return s
    }

    public static func readOnly(_ action: String) -> ClusterError {
        ClusterError(.readOnly, "refused to \(action): this connection is read-only",
                     hint: "the profile has read_only: true or --read-only was given")
    }

    /// A timeout on a TLS connection that never got as far as the broker's certificate: a plaintext listener
    /// does not answer a TLS handshake (it waits for the rest of a "request" the size of the hello's first bytes).
    /// Still a timeout (nothing can have been sent without a TLS session), said as what it most likely is.
    public static func noTLSHandshake(_ what: String, bootstrap: String) -> ClusterError {
        ClusterError(.timeout, "\(what) did not answer in time: no TLS handshake with \(bootstrap) (no broker sent a certificate)",
                     hint: "a plaintext listener never answers a TLS handshake: check that the port is the broker's TLS listener "
                         + "(SSL or SASL_SSL), not a plaintext one; kafkaops config check tells which it is", isRetriable: true)
    }

    public static func timeout(_ what: String, bootstrap: String? = nil) -> ClusterError {
        ClusterError(.timeout, "\(what) did not answer in time",
                     hint: bootstrap.map { "check that \($0) is reachable and raise --timeout if the cluster is slow" }
                         ?? "raise --timeout if the cluster is slow", isRetriable: true)
    }
}
