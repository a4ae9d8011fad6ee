import Foundation

/// How to reach a cluster: what a profile resolves to once its secrets are read.
/// KafkaOpsKafka maps it to librdkafka properties in one place.
public struct ConnectionSettings: Sendable, Hashable {
    public enum SASLMechanism: String, Sendable, Hashable, Codable, CaseIterable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        /// OAuth 2 client credentials against an OIDC token endpoint (`oidc`).
        case oauthbearer = "OAUTHBEARER"
        /// Kerberos (`kerberos`).
        case gssapi = "GSSAPI"
    }

    public struct TLS: Sendable, Hashable {
        /// PEM file of the CA(s) that signed the brokers' certificates; nil uses the system store.
        public var caFile: String?
        /// The same as PEM text: the certificates of a PKCS#12 truststore (librdkafka reads CAs only as PEM).
        public var caPEM: String?
        /// Client certificate and key for mutual TLS.
        public var certFile: String?
        public var keyFile: String?
        public var keyPassword: String?
        /// Client certificate and key as a PKCS#12 keystore (what Java users have), and its password.
        public var keystoreFile: String?
        public var keystorePassword: String?
        /// Verify the broker's certificate chain and host name. On by default; turning it off is
        /// a warning on every run.
        public var verify: Bool
        /// Check that the broker's certificate names the host connected to (the chain is verified
        /// either way). On by default; off is said on stderr.
        public var verifyHostname: Bool

        public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                    keyPassword: String? = nil, keystoreFile: String? = nil, keystorePassword: String? = nil,
                    verify: Bool = true, verifyHostname: Bool = true) {
            self.caFile = caFile; self.certFile = certFile; self.keyFile = keyFile
            self.keyPassword = keyPassword; self.keystoreFile = keystoreFile; self.keystorePassword = keystorePassword
            self.verify = verify; self.verifyHostname = verifyHostname
        }

        /// Whether the brokers are checked against CAs of the profile's (not the system's).
        public var hasCA: Bool { caFile != nil || caPEM != nil }

        /// Whether a client certificate is configured (mutual TLS).
        public var hasClientCertificate: Bool { certFile != nil || keystoreFile != nil }
    }

    public struct SASL: Sendable, Hashable {
        public var mechanism: SASLMechanism
        /// PLAIN and SCRAM only (empty for OAUTHBEARER and GSSAPI).
        public var username: String
        /// Read from the environment or a file; never from the command line, never printed.
        public var password: String
        /// OAUTHBEARER: the OIDC client credentials (SASLMethods.swift).
        public var oidc: OIDC?
        /// GSSAPI: the Kerberos principal, keytab and service name (SASLMethods.swift).
        public var kerberos: Kerberos?

        public init(mechanism: SASLMechanism, username: String, password: String) {
            self.mechanism = mechanism; self.username = username; self.password = password
        }
    }

    /// AWS MSK IAM: SASL/OAUTHBEARER with a SigV4-signed token (KafkaOpsAWS), always over TLS.
    public struct AWSMSKIAM: Sendable, Hashable {
        public var region: String
        /// A named profile of the shared AWS files; nil: the SDKs' default chain.
        public var profile: String?
        /// A role assumed (STS AssumeRole) with the credentials found.
        public var roleARN: String?

        public init(region: String, profile: String? = nil, roleARN: String? = nil) {
            self.region = region; self.profile = profile; self.roleARN = roleARN
        }
    }

    /// Comma-separated host:port list.
    public var bootstrapServers: String
    public var clientID: String
    public var tls: TLS?
    public var sasl: SASL?
    public var awsMSKIAM: AWSMSKIAM?
    /// Extra librdkafka properties from the profile (`properties:`), applied last.
    public var properties: [String: String]
    /// Forward librdkafka's log lines to stderr.
    public var verbose: Bool

    public init(bootstrapServers: String, clientID: String = "kafkaops", tls: TLS? = nil, sasl: SASL? = nil,
                properties: [String: String] = [:], verbose: Bool = false) {
        self.bootstrapServers = bootstrapServers; self.clientID = clientID; self.tls = tls; self.sasl = sasl
        self.properties = properties; self.verbose = verbose
    }

    /// librdkafka's security.protocol for these settings.
    public var securityProtocol: String {
        if awsMSKIAM != nil { return "sasl_ssl" }
        switch (tls != nil, sasl != nil) {
        case (false, false): return "plaintext"
        case (true, false): return "ssl"
        case (false, true): return "sasl_plaintext"
        case (true, true): return "sasl_ssl"
        }
    }
}
