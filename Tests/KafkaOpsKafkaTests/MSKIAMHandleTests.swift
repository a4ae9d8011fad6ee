import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsAWS
@testable import KafkaOpsKafka

/// AWS MSK IAM on a librdkafka handle: SASL_SSL with OAUTHBEARER, and kafkaops' token refresh callback
/// installed and served on librdkafka's background thread (no poll needed), with a signed token or,
/// when there are no credentials, a failure that says why.
@Suite struct MSKIAMHandleTests {
    static let settings = {
        var s = ConnectionSettings(bootstrapServers: "127.0.0.1:1")
        s.awsMSKIAM = .init(region: "eu-west-1")
        return s
    }()

    @Test func awsIAMSettingsMapToSASLSSLWithOAuthBearer() throws {
        let p = Dictionary(RdKafkaProperties.admin(Self.settings), uniquingKeysWith: { _, b in b })
        #expect(p["security.protocol"] == "sasl_ssl")
        #expect(p["sasl.mechanisms"] == "OAUTHBEARER")
        #expect(p["sasl.username"] == nil && p["sasl.password"] == nil && p["sasl.oauthbearer.method"] == nil)
        #expect(RdKafkaProperties.tokenSource(Self.settings) != nil)
        #expect(RdKafkaProperties.tokenSource(ConnectionSettings(bootstrapServers: "k:9092")) == nil)
    }

    static func handle(environment: [String: String]) throws -> RdKafkaHandle {
        let source = RdKafkaProperties.tokenSource(settings, environment: environment)
        return try RdKafkaHandle(.producer, properties: RdKafkaProperties.admin(settings), verbose: false,
                                 context: ErrorContext(operation: "test", bootstrap: settings.bootstrapServers, secrets: []),
                                 tokenSource: source)
    }

    static func outcome(_ h: RdKafkaHandle) -> TokenRefreshOutcome? {
        let end = Date().addingTimeInterval(20)
        while Date() < end {
            if let o = h.callbacks.tokenRefresh { return o }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    @Test func refreshCallbackSetsASignedToken() throws {
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let h = try Self.handle(environment: ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret",
                                              "HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"])
        guard case .success(let lifetime) = try #require(Self.outcome(h)) else {
            Issue.record("token refresh failed: \(String(describing: h.callbacks.tokenRefresh))"); return
        }
        // The token's 900 s, which librdkafka refreshes at 80%.
        #expect(lifetime >= before + 899_000 && lifetime <= Int64(Date().timeIntervalSince1970 * 1000) + 900_000)
    }

    @Test func noCredentialsIsAFailureThatSaysWhy() throws {
        let h = try Self.handle(environment: ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"])
        let o = try #require(Self.outcome(h))
        guard case .failure(let why) = o else { Issue.record("expected a failure, got \(o)"); return }
        #expect(why.hasPrefix("AWS MSK IAM: no AWS credentials found; tried environment (AWS_ACCESS_KEY_ID not set)"))
    }
}
