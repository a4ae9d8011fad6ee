import Foundation

/// AWS STS over its Query API: AssumeRoleWithWebIdentity (unsigned; the token is the proof) and
/// AssumeRole (signed with SigV4 by the credentials found). Endpoint: AWS_ENDPOINT_URL_STS, else
/// AWS_ENDPOINT_URL, else https://sts.<region>.amazonaws.com (the SDKs' variables).
public struct STSClient: Sendable {
    let endpoint: URL
    let region: String
    let http: any AWSHTTPClient
    let clock: @Sendable () -> Date
    let timeout: TimeInterval = 5
    static let version = "2011-06-15"

    public init(region: String, environment env: [String: String], http: any AWSHTTPClient,
                clock: @escaping @Sendable () -> Date = Date.init) throws {
        let given = [env["AWS_ENDPOINT_URL_STS"], env["AWS_ENDPOINT_URL"]].compactMap { $0 }.first { !$0.isEmpty }
        guard let url = URL(string: given ?? "https://sts.\(region).amazonaws.com"), url.host != nil else {
            throw AWSAuthError("STS endpoint \(clean(given ?? region)) is not a URL (AWS_ENDPOINT_URL_STS)")
        }
        endpoint = url; self.region = region; self.http = http; self.clock = clock
    }

    /// The session name: AWS_ROLE_SESSION_NAME, else `kafkaops`.
    static func sessionName(_ env: [String: String]) -> String {
        env["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "kafkaops"
    }

    public func assumeRoleWithWebIdentity(roleARN: String, token: String, sessionName: String) throws -> AWSCredentials {
        let body = form([("Action", "AssumeRoleWithWebIdentity"), ("Version", Self.version), ("RoleArn", roleARN),
                         ("RoleSessionName", sessionName), ("WebIdentityToken", token)])
        let r = try post(body, headers: [], what: "AssumeRoleWithWebIdentity")
        return try credentials(r, what: "AssumeRoleWithWebIdentity", source: "web identity (role \(clean(roleARN)))")
    }

    public func assumeRole(roleARN: String, sessionName: String, with base: AWSCredentials) throws -> AWSCredentials {
        let body = form([("Action", "AssumeRole"), ("Version", Self.version), ("RoleArn", roleARN),
                         ("RoleSessionName", sessionName)])
        let host = endpoint.host.map { h in endpoint.port.map { "\(h):\($0)" } ?? h } ?? ""
        let headers = SigV4.authorizationHeaders(method: "POST", path: endpoint.path.isEmpty ? "/" : endpoint.path,
                                                 headers: [("host", host), ("content-type", Self.contentType)],
                                                 body: body, region: region, service: "sts", credentials: base, date: clock())
        let r = try post(body, headers: headers, what: "AssumeRole")
        return try credentials(r, what: "AssumeRole", source: "role \(clean(roleARN)) assumed with \(base.source)")
    }

    static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    private func form(_ params: [(String, String)]) -> Data { Data(SigV4.query(params).utf8) }

    private func post(_ body: Data, headers: [(String, String)], what: String) throws -> AWSHTTPResponse {
        var h = headers.filter { $0.0.lowercased() != "content-type" }
        h.append(("Content-Type", Self.contentType))
        do { return try http.send(method: "POST", url: endpoint, headers: h, body: body, timeout: timeout) }
        catch { throw AWSAuthError("STS \(what): \(error)") }
    }

    private func credentials(_ r: AWSHTTPResponse, what: String, source: String) throws -> AWSCredentials {
        let xml = r.text
        guard r.status == 200 else {
            let code = Self.element("Code", in: xml).map(clean) ?? "HTTP \(r.status)"
            let message = Self.element("Message", in: xml).map { ": " + clean($0) } ?? ""
            throw AWSAuthError("STS \(what) refused: \(code)\(message)")
        }
        guard let creds = Self.element("Credentials", in: xml),
              let id = Self.element("AccessKeyId", in: creds), let secret = Self.element("SecretAccessKey", in: creds) else {
            throw AWSAuthError("STS \(what): the answer holds no credentials")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: Self.unescape(secret),
                              sessionToken: Self.element("SessionToken", in: creds).map(Self.unescape),
                              expiration: Self.element("Expiration", in: creds).flatMap(parseISO8601), source: source)
    }

    /// The text of the first `<name>…</name>` (STS answers are flat and small; no DTDs, no attributes on these).
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        return String(xml[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
