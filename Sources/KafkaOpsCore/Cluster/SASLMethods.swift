import Foundation

extension ConnectionSettings.SASL {
    /// OAUTHBEARER through an OIDC token endpoint (OAuth 2 client credentials grant): what Kafka's
    /// OAuthBearerLoginModule with clientId/clientSecret does, and librdkafka's `sasl.oauthbearer.method=oidc`.
    public struct OIDC: Sendable, Hashable {
        public var tokenEndpoint: String
        public var clientID: String
        /// Read from the environment or a file; never from the command line, never printed.
        public var clientSecret: String
        public var scope: String?
        /// SASL extensions sent with the token (KIP-342), e.g. Confluent Cloud's logicalCluster.
        public var extensions: [String: String]

        public init(tokenEndpoint: String, clientID: String, clientSecret: String, scope: String? = nil,
                    extensions: [String: String] = [:]) {
            self.tokenEndpoint = tokenEndpoint; self.clientID = clientID; self.clientSecret = clientSecret
            self.scope = scope; self.extensions = extensions
        }
    }

    /// GSSAPI: the broker's Kerberos service name, and the client's principal and keytab (without a
    /// keytab, the ticket cache `kinit` filled is used as it is).
    public struct Kerberos: Sendable, Hashable {
        public var serviceName: String?
        public var principal: String?
        public var keytab: String?

        public init(serviceName: String? = nil, principal: String? = nil, keytab: String? = nil) {
            self.serviceName = serviceName; self.principal = principal; self.keytab = keytab
        }
    }

    public init(oidc: OIDC) {
        self.init(mechanism: .oauthbearer, username: "", password: "")
        self.oidc = oidc
    }

    public init(kerberos: Kerberos) {
        self.init(mechanism: .gssapi, username: "", password: "")
        self.kerberos = kerberos
    }
}
