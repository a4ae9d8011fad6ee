import Foundation
import Testing
import TestSupport
@testable import KafkaOpsAWS

/// The token must be the one AWS's own signer makes: for fixed credentials, region and time, byte for byte
/// the token of PyPI aws-msk-iam-sasl-signer-python (installed by scripts/setup.sh in .cache/venv-broker).
/// The oracle's absence is a failure, never a skip.
@Suite struct MSKTokenOracleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = root.appendingPathComponent("Tests/KafkaOpsAWSTests/Resources/msk_token_oracle.py").path
    /// KAFKAOPS_ORACLE_PYTHON, else the test venv scripts/setup.sh makes.
    static var python: String {
        ProcessInfo.processInfo.environment["KAFKAOPS_ORACLE_PYTHON"] ?? root.appendingPathComponent(".cache/venv-broker/bin/python").path
    }

    static func oracle(region: String, epoch: Int, _ c: AWSCredentials) throws -> (token: String, expiresAtMs: Int64, userAgent: String) {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw AWSAuthError("no python at \(python): run scripts/setup.sh (it installs aws-msk-iam-sasl-signer-python)")
        }
        var env = ["PATH": "/usr/bin:/bin", "ORACLE_ACCESS_KEY_ID": c.accessKeyID, "ORACLE_SECRET_ACCESS_KEY": c.secretAccessKey]
        if let t = c.sessionToken { env["ORACLE_SESSION_TOKEN"] = t }
        let r = try Subprocess.run(python, [script, region, String(epoch)], environment: env, timeout: 60)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        guard r.code == 0, lines.count == 3, let ms = Int64(lines[1]) else {
            throw AWSAuthError("oracle failed (exit \(r.code)): \(r.stderr.suffix(600))")
        }
        return (lines[0], ms, lines[2])
    }

    @Test(arguments: [
        ("us-east-1", 1_700_000_000, AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                    sessionToken: "FwoGZXIvYXdzEB/tok+en==", source: "test")),
        ("eu-central-2", 1_764_547_199, AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret key/with+symbols=",
                                                       source: "test")),
    ])
    func tokenIsByteIdenticalToAWSsPythonSigner(region: String, epoch: Int, credentials: AWSCredentials) async throws {
        // Python and botocore take a second or two to start: on a thread of its own, not the test pool's.
        let expected = try await offThread { try Self.oracle(region: region, epoch: epoch, credentials) }
        let ours = MSKAuthToken.generate(region: region, credentials: credentials,
                                         date: Date(timeIntervalSince1970: TimeInterval(epoch)), userAgent: expected.userAgent)
        #expect(ours.token == expected.token)
        #expect(ours.expiresAtMs == expected.expiresAtMs)
        #expect(expected.userAgent.hasPrefix("aws-msk-iam-sasl-signer-python/"))
    }

    /// What the token is, decoded: a presigned kafka-cluster:Connect URL, base64url without padding.
    @Test func tokenDecodesToAPresignedConnectURL() throws {
        let c = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s", sessionToken: "t", source: "test")
        let t = MSKAuthToken.generate(region: "us-west-2", credentials: c, date: Date(timeIntervalSince1970: 1_700_000_000),
                                      userAgent: "kafkaops")
        #expect(!t.token.contains("=") && !t.token.contains("+") && !t.token.contains("/"))
        var b64 = t.token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        b64 += String(repeating: "=", count: (4 - b64.count % 4) % 4)
        let url = try #require(Data(base64Encoded: b64).map { String(decoding: $0, as: UTF8.self) })
        #expect(url.hasPrefix("https://kafka.us-west-2.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256"))
        #expect(url.contains("&X-Amz-Expires=900&") && url.contains("&X-Amz-Security-Token=t&"))
        #expect(url.hasSuffix("&User-Agent=kafkaops"))
        #expect(t.expiresAtMs == 1_700_000_900_000)
    }
}
