import Foundation

/// Tokens for one Kafka client: credentials are looked up once and again only when they are about to
/// expire; each token is signed fresh. Thread-safe (librdkafka's background thread calls it).
public final class MSKIAMTokenProvider: @unchecked Sendable {
    public struct Token: Sendable {
        public var value: String
        /// When librdkafka must have a new one: the token's expiry, or the credentials' if sooner.
        public var lifetimeMs: Int64
        /// The Kafka principal name librdkafka requires (MSK takes the identity from the signature).
        public var principal: String
    }

    let chain: AWSCredentialChain
    let userAgent: String
    let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var cached: AWSCredentials?
    /// Credentials this close to expiry are fetched again.
    static let refreshMargin: TimeInterval = 300

    public init(chain: AWSCredentialChain, userAgent: String = "kafkaops", clock: @escaping @Sendable () -> Date = Date.init) {
        self.chain = chain; self.userAgent = userAgent; self.clock = clock
    }

    public func token() throws -> Token {
        try lock.withLock {
            let now = clock()
            guard MSKAuthToken.isValidRegion(chain.region) else {
                throw AWSAuthError("aws.region '\(clean(chain.region))' is not an AWS region name (us-east-1)")
            }
            if cached == nil || (cached?.expiration.map { $0.timeIntervalSince(now) < Self.refreshMargin } ?? false) {
                cached = nil
                cached = try chain.resolve()
            }
            guard let creds = cached else { throw AWSAuthError("no AWS credentials") }
            let t = MSKAuthToken.generate(region: chain.region, credentials: creds, date: now, userAgent: userAgent)
            var lifetime = t.expiresAtMs
            if let exp = creds.expiration {
                lifetime = min(lifetime, Int64(exp.timeIntervalSince1970 * 1000))
            }
            guard lifetime > Int64(now.timeIntervalSince1970 * 1000) else {
                cached = nil
                throw AWSAuthError("the AWS credentials from \(creds.source) have expired")
            }
            return Token(value: t.token, lifetimeMs: lifetime, principal: creds.accessKeyID)
        }
    }
}
