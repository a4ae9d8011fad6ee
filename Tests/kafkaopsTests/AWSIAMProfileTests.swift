import Foundation
import Testing
@testable import kafkaops
@testable import KafkaOpsKafka
import KafkaOpsCore
import TestSupport

/// `sasl.mechanism: AWS_MSK_IAM` with `aws:` in a profile: the connection settings, the librdkafka
/// properties and the token callback they get; and the mistakes refused with a one-line reason.
@Suite struct AWSIAMProfileTests {
    func resolve(_ profileYAML: String) throws -> ResolvedProfile {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-aws-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: d) }
        let cfg = d.appendingPathComponent("config.yaml")
        try ("clusters:\n  msk:\n    bootstrap: b-1.msk.example:9098\n" + profileYAML).write(to: cfg, atomically: true, encoding: .utf8)
        return try ProfileLoader.resolve(try GlobalOptions.parse(["--config", cfg.path, "--profile", "msk"]), environment: ["HOME": d.path])
    }

    func problem(_ profileYAML: String) -> String? {
        do { _ = try resolve(profileYAML); return nil } catch { return "\(error)" }
    }

    @Test func awsMSKIAMProfileMapsToOAuthBearerOverTLSWithTheTokenCallback() throws {
        let r = try resolve("""
                sasl: { mechanism: AWS_MSK_IAM }
                aws: { region: eu-west-1, profile: msk-ops, role_arn: "arn:aws:iam::123456789012:role/msk" }
            """)
        let s = try #require(r.settings)
        #expect(s.awsMSKIAM == .init(region: "eu-west-1", profile: "msk-ops", roleARN: "arn:aws:iam::123456789012:role/msk"))
        #expect(s.sasl == nil)
        let p = Dictionary(RdKafkaProperties.admin(s), uniquingKeysWith: { _, b in b })
        #expect(p["security.protocol"] == "sasl_ssl")
        #expect(p["sasl.mechanisms"] == "OAUTHBEARER")
        #expect(RdKafkaProperties.tokenSource(s) != nil)
    }

    @Test func regionAloneIsEnoughAndTheMechanismIsCaseInsensitive() throws {
        let r = try resolve("    sasl: { mechanism: aws_msk_iam }\n    aws: { region: us-east-1 }\n")
        #expect(r.settings?.awsMSKIAM == .init(region: "us-east-1"))
        #expect(r.warnings.isEmpty)
    }

    @Test func mistakesAreRefusedWithTheirPlace() {
        #expect(problem("    sasl: { mechanism: AWS_MSK_IAM }\n")?.contains("sasl.mechanism AWS_MSK_IAM needs aws.region") == true)
        #expect(problem("    sasl: { mechanism: AWS_MSK_IAM }\n    aws: { profile: x }\n")?.contains("region is missing") == true)
        #expect(problem("    sasl: { mechanism: AWS_MSK_IAM }\n    aws: { region: \"us east\" }\n")?
            .contains("'us east' is not an AWS region name") == true)
        #expect(problem("    sasl: { mechanism: AWS_MSK_IAM }\n    aws: { region: us-east-1, role_arn: msk }\n")?
            .contains("'msk' is not a role ARN") == true)
        #expect(problem("    sasl: { mechanism: AWS_MSK_IAM }\n    aws: { region: us-east-1, regoin: x }\n")?
            .contains("unknown key 'regoin' (did you mean 'region'?)") == true)
        #expect(problem("    sasl: { mechanism: AWS_MSK_IAM, username: u }\n    aws: { region: us-east-1 }\n")?
            .contains("unknown key 'username'") == true)
        #expect(problem("    sasl: { mechanism: PLAIN, username: u, password_env: P }\n    aws: { region: us-east-1 }\n")?
            .contains("aws: is for sasl.mechanism: AWS_MSK_IAM") == true)
    }

    /// No credentials anywhere: the command fails (no connection is tried without a token) and says what
    /// it looked at, rather than waiting out its timeout.
    @Test func noCredentialsFailsTheCommandSayingWhatWasTried() async throws {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-aws-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: d) }
        let cfg = d.appendingPathComponent("config.yaml").path
        try "clusters:\n  msk:\n    bootstrap: 127.0.0.1:9098\n    sasl: { mechanism: AWS_MSK_IAM }\n    aws: { region: eu-west-1 }\n"
            .write(toFile: cfg, atomically: true, encoding: .utf8)
        let none = ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_SHARED_CREDENTIALS_FILE": "", "AWS_CONFIG_FILE": "",
                    "AWS_EC2_METADATA_DISABLED": "true"]
        let r = try await CLI.run(["topics", "--config", cfg, "--profile", "msk", "--timeout=30"], environment: none)
        #expect(r.code != 0)
        #expect(r.stderr.contains("no AWS credentials found; tried environment (AWS_ACCESS_KEY_ID not set)"), "\(r.stderr)")
    }
}
