import Foundation
import Testing
import TestSupport
@testable import KafkaOpsAWS

/// The credential chain's order (environment, shared files, web identity, instance metadata) with an
/// injected environment, temporary files and loopback fakes of STS and IMDS.
@Suite struct CredentialChainTests {
    /// A temporary HOME with optional ~/.aws/credentials and ~/.aws/config.
    final class Home {
        let path: String
        init(credentials: String? = nil, config: String? = nil) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-aws-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
            if let credentials { try credentials.write(toFile: path + "/.aws/credentials", atomically: true, encoding: .utf8) }
            if let config { try config.write(toFile: path + "/.aws/config", atomically: true, encoding: .utf8) }
        }
        func write(_ name: String, _ text: String) throws -> String {
            let p = path + "/" + name
            try text.write(toFile: p, atomically: true, encoding: .utf8)
            return p
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Nothing configured, instance metadata off: the base every test adds to.
    static func env(_ home: Home, _ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true"].merging(extra) { _, b in b }
    }

    static let sts = """
        <AssumeRoleResponse><AssumeRoleResult><Credentials>
        <AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>sts-secret</SecretAccessKey>
        <SessionToken>sts-token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>
        </Credentials></AssumeRoleResult></AssumeRoleResponse>
        """

    func chain(_ env: [String: String], profile: String? = nil, roleARN: String? = nil) -> AWSCredentialChain {
        AWSCredentialChain(region: "us-east-1", profile: profile, roleARN: roleARN, environment: env)
    }

    @Test func environmentComesBeforeTheSharedFiles() throws {
        let home = try Home(credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n")
        let c = try chain(Self.env(home, ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                          "AWS_SESSION_TOKEN": "env-token"])).resolve()
        #expect(c.accessKeyID == "AKIDENV" && c.secretAccessKey == "env-secret" && c.sessionToken == "env-token")
    }

    @Test func halfTheEnvironmentKeysIsAnError() throws {
        let home = try Home()
        #expect(throws: AWSAuthError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")) {
            try chain(Self.env(home, ["AWS_ACCESS_KEY_ID": "AKIDENV"])).resolve()
        }
    }

    @Test func sharedCredentialsFileDefaultProfile() throws {
        let home = try Home(credentials: "# comment\n[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key = file-secret\n",
                            config: "[default]\nregion = us-east-1\n")
        let c = try chain(Self.env(home)).resolve()
        #expect(c.accessKeyID == "AKIDFILE" && c.secretAccessKey == "file-secret" && c.sessionToken == nil)
    }

    @Test func awsProfileVariableAndFileVariablesPickTheProfile() throws {
        let home = try Home()
        let creds = try home.write("creds", "[default]\naws_access_key_id=AKIDDEFAULT\naws_secret_access_key=x\n"
                                   + "[ops]\naws_access_key_id=AKIDOPS\naws_secret_access_key=y\n")
        let config = try home.write("conf", "[profile cfgonly]\naws_access_key_id=AKIDCFG\naws_secret_access_key=z\n")
        let base = Self.env(home, ["AWS_SHARED_CREDENTIALS_FILE": creds, "AWS_CONFIG_FILE": config])
        #expect(try chain(base.merging(["AWS_PROFILE": "ops"]) { _, b in b }).resolve().accessKeyID == "AKIDOPS")
        #expect(try chain(base.merging(["AWS_PROFILE": "cfgonly"]) { _, b in b }).resolve().accessKeyID == "AKIDCFG")
        #expect(try chain(base).resolve().accessKeyID == "AKIDDEFAULT")
        #expect(throws: AWSAuthError("AWS profile nope (AWS_PROFILE) is not in \(creds) or \(config)")) {
            try chain(base.merging(["AWS_PROFILE": "nope"]) { _, b in b }).resolve()
        }
    }

    /// `aws.profile` in the kafkaops profile is the only source, as a profile given to an SDK session is:
    /// the environment's keys do not override it.
    @Test func namedProfileWinsOverTheEnvironment() throws {
        let home = try Home(credentials: "[ops]\naws_access_key_id=AKIDOPS\naws_secret_access_key=y\n")
        let env = Self.env(home, ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e"])
        #expect(try chain(env, profile: "ops").resolve().accessKeyID == "AKIDOPS")
        #expect(throws: AWSAuthError.self) { try chain(env, profile: "missing").resolve() }
    }

    @Test func sharedFilesComeBeforeWebIdentity() throws {
        let home = try Home(credentials: "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=x\n")
        let token = try home.write("token", "jwt")
        let c = try chain(Self.env(home, ["AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                                          "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"])).resolve()
        #expect(c.accessKeyID == "AKIDFILE")
    }

    @Test func webIdentityCallsSTSAssumeRoleWithWebIdentity() throws {
        let home = try Home()
        let token = try home.write("token", "the-jwt\n")
        let sts = try FakeHTTPServer { _ in .init(200, Self.sts.replacingOccurrences(of: "AssumeRoleResponse", with: "AssumeRoleWithWebIdentityResponse")) }
        let c = try chain(Self.env(home, ["AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::1:role/eks",
                                          "AWS_ENDPOINT_URL_STS": sts.url])).resolve()
        #expect(c.accessKeyID == "ASIASTS" && c.secretAccessKey == "sts-secret" && c.sessionToken == "sts-token")
        #expect(c.expiration == Date(timeIntervalSince1970: 1_893_456_000))
        let r = try #require(sts.requests.first)
        #expect(r.method == "POST")
        #expect(r.body.contains("Action=AssumeRoleWithWebIdentity") && r.body.contains("WebIdentityToken=the-jwt")
                && r.body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Feks"))
        #expect(r.headers["authorization"] == nil)
    }

    @Test func webIdentityComesBeforeInstanceMetadata() throws {
        let home = try Home()
        let token = try home.write("token", "jwt")
        let sts = try FakeHTTPServer { _ in .init(200, Self.sts) }
        let imds = try FakeHTTPServer { _ in .init(500) }
        _ = try chain(Self.env(home, ["AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::1:role/eks",
                                      "AWS_ENDPOINT_URL_STS": sts.url, "AWS_EC2_METADATA_DISABLED": "false",
                                      "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.url])).resolve()
        #expect(imds.requests.isEmpty)
        #expect(sts.requests.count == 1)
    }

    @Test func stsRefusalIsSaidWithItsCode() throws {
        let home = try Home()
        let token = try home.write("token", "jwt")
        let sts = try FakeHTTPServer { _ in
            .init(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized\u{1b}[31m</Message></Error></ErrorResponse>")
        }
        #expect(throws: AWSAuthError("STS AssumeRoleWithWebIdentity refused: AccessDenied: Not authorized^[[31m")) {
            try chain(Self.env(home, ["AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::1:role/eks",
                                      "AWS_ENDPOINT_URL_STS": sts.url])).resolve()
        }
    }

    /// aws.role_arn: AssumeRole signed (SigV4, Authorization header) with the credentials found.
    @Test func roleARNIsAssumedWithTheBaseCredentials() throws {
        let home = try Home()
        let sts = try FakeHTTPServer { _ in .init(200, Self.sts) }
        let c = try chain(Self.env(home, ["AWS_ACCESS_KEY_ID": "AKIDBASE", "AWS_SECRET_ACCESS_KEY": "b",
                                          "AWS_ENDPOINT_URL_STS": sts.url]),
                          roleARN: "arn:aws:iam::123456789012:role/msk").resolve()
        #expect(c.accessKeyID == "ASIASTS")
        let r = try #require(sts.requests.first)
        #expect(r.body.contains("Action=AssumeRole&") && r.body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fmsk"))
        let auth = try #require(r.headers["authorization"])
        #expect(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDBASE/"))
        #expect(auth.contains("/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="))
    }

    /// A config-file profile with role_arn and source_profile: the source's keys sign STS AssumeRole.
    @Test func profileWithRoleARNAndSourceProfileAssumesTheRole() throws {
        let home = try Home(credentials: "[base]\naws_access_key_id=AKIDBASE\naws_secret_access_key=b\n",
                            config: "[profile assumed]\nrole_arn = arn:aws:iam::1:role/ops\nsource_profile = base\n")
        let sts = try FakeHTTPServer { _ in .init(200, Self.sts) }
        let c = try chain(Self.env(home, ["AWS_PROFILE": "assumed", "AWS_ENDPOINT_URL_STS": sts.url])).resolve()
        #expect(c.accessKeyID == "ASIASTS")
        #expect(sts.requests.first?.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDBASE/") == true)
    }

    @Test func unsupportedProfileKindsAreRefusedWithTheWayOut() throws {
        let home = try Home(config: "[profile sso]\nsso_session = corp\n")
        #expect(throws: AWSAuthError("AWS profile sso uses sso_session, which kafkaops does not support: export the credentials "
                                     + "(aws configure export-credentials --profile sso --format env)")) {
            try chain(Self.env(home, ["AWS_PROFILE": "sso"])).resolve()
        }
    }

    @Test func nothingFoundSaysWhatWasTried() throws {
        let home = try Home()
        do {
            _ = try chain(Self.env(home)).resolve()
            Issue.record("expected an error")
        } catch let e as AWSAuthError {
            #expect(e.description.hasPrefix("no AWS credentials found; tried environment (AWS_ACCESS_KEY_ID not set); shared files"))
            #expect(e.description.contains("web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set); instance metadata (AWS_EC2_METADATA_DISABLED=true)"))
        }
    }
}
