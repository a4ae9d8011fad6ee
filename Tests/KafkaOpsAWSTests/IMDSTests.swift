import Foundation
import Testing
import TestSupport
@testable import KafkaOpsAWS

/// IMDSv2 against a fake metadata service on loopback: session token PUT, role GET, credentials GET.
@Suite struct IMDSTests {
    static let credentials = """
        {"Code":"Success","LastUpdated":"2026-12-01T03:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS",
         "SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2026-12-01T09:00:00Z"}
        """

    /// A well-behaved IMDSv2: the session token is required on every GET.
    static func metadataService() throws -> FakeHTTPServer {
        try FakeHTTPServer { r in
            switch (r.method, r.path) {
            case ("PUT", "/latest/api/token"):
                return r.headers["x-aws-ec2-metadata-token-ttl-seconds"] == nil ? .init(400) : .init(200, "session-token")
            case ("GET", _) where r.headers["x-aws-ec2-metadata-token"] != "session-token":
                return .init(401)
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .init(200, "bastion-role")
            case ("GET", "/latest/meta-data/iam/security-credentials/bastion-role"):
                return .init(200, credentials)
            default:
                return .init(404)
            }
        }
    }

    static func env(_ endpoint: String) -> [String: String] {
        ["HOME": "/nonexistent-kafkaops-home", "AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint]
    }

    @Test func instanceRoleCredentialsWithExpiry() throws {
        let imds = try Self.metadataService()
        let c = try AWSCredentialChain(region: "eu-west-1", environment: Self.env(imds.url)).resolve()
        #expect(c.accessKeyID == "ASIAIMDS" && c.secretAccessKey == "imds-secret" && c.sessionToken == "imds-token")
        #expect(c.expiration == ISO8601DateFormatter().date(from: "2026-12-01T09:00:00Z"))
        #expect(c.source == "EC2 instance metadata (role bastion-role)")
        #expect(imds.requests.map { "\($0.method) \($0.path)" } == [
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/bastion-role",
        ])
    }

    /// Tokens signed with the instance's credentials last until those expire, if sooner than 900 s.
    @Test func tokenLifetimeStopsAtTheCredentialsExpiry() throws {
        let imds = try Self.metadataService()
        let expiry = try #require(ISO8601DateFormatter().date(from: "2026-12-01T09:00:00Z"))
        let now = Clock(expiry.addingTimeInterval(-600))
        let provider = MSKIAMTokenProvider(chain: AWSCredentialChain(region: "eu-west-1", environment: Self.env(imds.url)),
                                           clock: { now.date })
        let t = try provider.token()
        #expect(t.lifetimeMs == Int64(expiry.timeIntervalSince1970 * 1000))
        _ = try provider.token()
        // Credentials 10 minutes from expiry are kept (the margin is 5 minutes)...
        #expect(imds.requests.count == 3)
        // ...and fetched again once inside it, before they expire.
        now.date = expiry.addingTimeInterval(-200)
        _ = try provider.token()
        #expect(imds.requests.count == 6)
    }

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Date
        init(_ d: Date) { value = d }
        var date: Date {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    /// Nothing listening: a clear error, promptly (connection refused), never a hang.
    @Test func noMetadataServiceIsAClearError() throws {
        let imds = try FakeHTTPServer { _ in .init(200) }
        let url = imds.url
        imds.stop()
        do {
            _ = try AWSCredentialChain(region: "eu-west-1", environment: Self.env(url)).resolve()
            Issue.record("expected an error")
        } catch let e as AWSAuthError {
            #expect(e.description.hasPrefix("no AWS credentials found; tried environment"))
            #expect(e.description.contains("instance metadata service \(url): IMDSv2 session token: cannot reach \(url)"))
        }
    }

    /// A metadata service that accepts the connection but never answers: the deadline ends the wait.
    @Test func silentMetadataServiceTimesOut() throws {
        let imds = try FakeHTTPServer { _ in Thread.sleep(forTimeInterval: 5); return .init(200) }
        var env = Self.env(imds.url)
        env["AWS_METADATA_SERVICE_TIMEOUT"] = "0.5"
        do {
            _ = try IMDSCredentials(environment: env, http: URLSessionHTTPClient()).fetch()
            Issue.record("expected an error")
        } catch let e as AWSAuthError {
            #expect(e.description == "instance metadata service \(imds.url): IMDSv2 session token: no answer from \(imds.url) within 0.5 s")
        }
    }

    /// IMDSv2 only: a refused session token is an error, not a fall back to IMDSv1.
    @Test func refusedSessionTokenIsAClearError() throws {
        let imds = try FakeHTTPServer { r in r.method == "PUT" ? .init(403) : .init(200, "bastion-role") }
        #expect(throws: AWSAuthError("instance metadata service \(imds.url) refused the IMDSv2 session token (HTTP 403 on PUT /latest/api/token)")) {
            try IMDSCredentials(environment: Self.env(imds.url), http: URLSessionHTTPClient()).fetch()
        }
        #expect(imds.requests.count == 1)
    }

    @Test func instanceWithoutARoleIsAClearError() throws {
        let imds = try FakeHTTPServer { r in r.method == "PUT" ? .init(200, "tok") : .init(404) }
        #expect(throws: AWSAuthError("instance metadata service \(imds.url): HTTP 404 on GET /latest/meta-data/iam/security-credentials/")) {
            try IMDSCredentials(environment: Self.env(imds.url), http: URLSessionHTTPClient()).fetch()
        }
    }
}
