import Foundation

/// Finds AWS credentials in the order the AWS SDKs look:
/// 1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN);
/// 2. the shared files' profile (`aws.profile`, else AWS_PROFILE, else `default`): keys, or
///    `role_arn` with `source_profile` (AssumeRole) or `web_identity_token_file`;
/// 3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (STS AssumeRoleWithWebIdentity: EKS);
/// 4. the EC2 instance metadata service, IMDSv2 (the instance's role), unless AWS_EC2_METADATA_DISABLED=true.
/// A profile named in the kafkaops profile (`aws.profile`) is the only source, as a profile given to an
/// SDK session is: it must exist and hold credentials. Then `aws.role_arn`, if set, is assumed with them.
public struct AWSCredentialChain: Sendable {
    public var region: String
    public var profile: String?
    public var roleARN: String?
    let env: [String: String]
    let http: any AWSHTTPClient
    let clock: @Sendable () -> Date

    public init(region: String, profile: String? = nil, roleARN: String? = nil, environment: [String: String],
                http: any AWSHTTPClient = URLSessionHTTPClient(), clock: @escaping @Sendable () -> Date = Date.init) {
        self.region = region; self.profile = profile; self.roleARN = roleARN
        self.env = environment; self.http = http; self.clock = clock
    }

    public func resolve() throws -> AWSCredentials {
        let base = try baseCredentials()
        guard let roleARN else { return base }
        return try sts().assumeRole(roleARN: roleARN, sessionName: STSClient.sessionName(env), with: base)
    }

    func sts() throws -> STSClient { try STSClient(region: region, environment: env, http: http, clock: clock) }

    /// The first source that has credentials; a source that is configured but fails stops the search
    /// with its reason (as the SDKs do), rather than falling through to another identity.
    func baseCredentials() throws -> AWSCredentials {
        if let named = profile {
            let files = try SharedConfigFiles(environment: env)
            guard let c = try fromProfile(named, files, depth: 0) else {
                throw AWSAuthError("AWS profile \(clean(named)) (aws.profile) is not in \(files.credentialsPath) or \(files.configPath)")
            }
            return c
        }
        var tried: [String] = []
        if let c = try fromEnvironment() { return c }
        tried.append("environment (AWS_ACCESS_KEY_ID not set)")

        let files = try SharedConfigFiles(environment: env)
        let envProfile = [env["AWS_PROFILE"], env["AWS_DEFAULT_PROFILE"]].compactMap { $0 }.first { !$0.isEmpty }
        if let c = try fromProfile(envProfile ?? "default", files, depth: 0) { return c }
        if let envProfile {
            throw AWSAuthError("AWS profile \(clean(envProfile)) (AWS_PROFILE) is not in \(files.credentialsPath) or \(files.configPath)")
        }
        tried.append("shared files (no [default] profile in \(files.credentialsPath) or \(files.configPath))")

        if let file = env["AWS_WEB_IDENTITY_TOKEN_FILE"], !file.isEmpty {
            guard let role = env["AWS_ROLE_ARN"], !role.isEmpty else {
                throw AWSAuthError("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
            }
            return try webIdentity(tokenFile: file, roleARN: role, sessionName: STSClient.sessionName(env))
        }
        tried.append("web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set)")

        if IMDSCredentials.isDisabled(env) {
            tried.append("instance metadata (AWS_EC2_METADATA_DISABLED=true)")
        } else {
            do { return try IMDSCredentials(environment: env, http: http, clock: clock).fetch() }
            catch { tried.append("\(error)") }
        }
        throw AWSAuthError("no AWS credentials found; tried " + tried.joined(separator: "; "))
    }

    func fromEnvironment() throws -> AWSCredentials? {
        let id = env["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = env["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case (nil, nil): return nil
        case (let id?, let secret?):
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: env["AWS_SESSION_TOKEN"],
                                  source: "environment (AWS_ACCESS_KEY_ID)")
        case (nil, _?): throw AWSAuthError("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_?, nil): throw AWSAuthError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
    }

    /// nil: no such profile. A profile that exists but cannot give credentials is an error.
    func fromProfile(_ name: String, _ files: SharedConfigFiles, depth: Int) throws -> AWSCredentials? {
        guard let p = files.profile(name) else { return nil }
        let label = "AWS profile \(clean(name))"
        if let id = p["aws_access_key_id"], !id.isEmpty {
            guard let secret = p["aws_secret_access_key"], !secret.isEmpty else {
                throw AWSAuthError("\(label) has aws_access_key_id but no aws_secret_access_key")
            }
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: p["aws_session_token"],
                                  source: "shared files, profile \(clean(name))")
        }
        if let role = p["role_arn"], !role.isEmpty {
            let session = p["role_session_name"] ?? STSClient.sessionName(env)
            if let file = p["web_identity_token_file"], !file.isEmpty {
                return try webIdentity(tokenFile: file, roleARN: role, sessionName: session)
            }
            guard let source = p["source_profile"], !source.isEmpty else {
                throw AWSAuthError("\(label) has role_arn but no source_profile (credential_source is not supported)")
            }
            guard depth < 4 else { throw AWSAuthError("\(label): source_profile chain is too long or loops") }
            guard let base = try fromProfile(source, files, depth: depth + 1) else {
                throw AWSAuthError("\(label): source_profile \(clean(source)) is not in the shared files")
            }
            return try sts().assumeRole(roleARN: role, sessionName: session, with: base)
        }
        for key in ["credential_process", "sso_session", "sso_start_url"] where p[key] != nil {
            throw AWSAuthError("\(label) uses \(key), which kafkaops does not support: export the credentials "
                               + "(aws configure export-credentials --profile \(clean(name)) --format env)")
        }
        throw AWSAuthError("\(label) holds no credentials (aws_access_key_id, role_arn)")
    }

    func webIdentity(tokenFile: String, roleARN: String, sessionName: String) throws -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw AWSAuthError("cannot read the web identity token file \(tokenFile)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw AWSAuthError("the web identity token file \(tokenFile) is empty") }
        return try sts().assumeRoleWithWebIdentity(roleARN: roleARN, token: token, sessionName: sessionName)
    }
}
