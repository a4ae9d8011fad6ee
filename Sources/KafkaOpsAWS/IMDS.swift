import Foundation
import KafkaOpsCore

/// The EC2 instance metadata service, IMDSv2 only (a session token first; no fallback to v1):
/// the credentials of the instance's role (a bastion host's).
/// Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254, as the SDKs do.
public struct IMDSCredentials: Sendable {
    public static let defaultEndpoint = "http://169.254.169.254"
    let endpoint: String
    let timeout: TimeInterval
    let http: any AWSHTTPClient
    let clock: @Sendable () -> Date

    public init(environment env: [String: String], http: any AWSHTTPClient, clock: @escaping @Sendable () -> Date = Date.init) {
        var e = env["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultEndpoint
        while e.hasSuffix("/") { e.removeLast() }
        endpoint = e
        // The SDKs wait 1 s for the metadata service (AWS_METADATA_SERVICE_TIMEOUT changes it).
        timeout = env["AWS_METADATA_SERVICE_TIMEOUT"].flatMap(Double.init).flatMap { $0 > 0 && $0 <= 30 ? $0 : nil } ?? 1
        self.http = http
        self.clock = clock
    }

    /// AWS_EC2_METADATA_DISABLED=true turns the service off, as in the SDKs.
    public static func isDisabled(_ env: [String: String]) -> Bool {
        env["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
    }

    public func fetch() throws -> AWSCredentials {
        let where_ = "instance metadata service \(endpoint)"
        guard let tokenURL = URL(string: endpoint + "/latest/api/token"),
              let listURL = URL(string: endpoint + "/latest/meta-data/iam/security-credentials/") else {
            throw AWSAuthError("AWS_EC2_METADATA_SERVICE_ENDPOINT \(endpoint) is not a URL")
        }
        let token: AWSHTTPResponse
        do {
            token = try http.send(method: "PUT", url: tokenURL, headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")],
                                  body: nil, timeout: timeout)
        } catch { throw AWSAuthError("\(where_): IMDSv2 session token: \(error)") }
        guard token.status == 200, !token.text.isEmpty else {
            throw AWSAuthError("\(where_) refused the IMDSv2 session token (HTTP \(token.status) on PUT /latest/api/token)")
        }
        let auth = [("X-aws-ec2-metadata-token", token.text.trimmingCharacters(in: .whitespacesAndNewlines))]
        let list = try get(listURL, auth, where_)
        guard let role = list.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw AWSAuthError("\(where_): the instance has no IAM role (instance profile)")
        }
        guard let roleURL = URL(string: listURL.absoluteString + SigV4.percentEncode(role)) else {
            throw AWSAuthError("\(where_): role name is not usable in a URL")
        }
        let body = try get(roleURL, auth, where_)
        struct Doc: Decodable {
            var Code: String?, Message: String?, AccessKeyId: String?, SecretAccessKey: String?, Token: String?, Expiration: String?
        }
        guard let doc = try? JSONDecoder().decode(Doc.self, from: Data(body.utf8)) else {
            throw AWSAuthError("\(where_): the credentials of role \(clean(role)) are not JSON")
        }
        if let code = doc.Code, code != "Success" {
            throw AWSAuthError("\(where_): role \(clean(role)): \(clean(code))\(doc.Message.map { ": " + clean($0) } ?? "")")
        }
        guard let id = doc.AccessKeyId, let secret = doc.SecretAccessKey, !id.isEmpty, !secret.isEmpty else {
            throw AWSAuthError("\(where_): the answer for role \(clean(role)) has no AccessKeyId/SecretAccessKey")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: doc.Token,
                              expiration: doc.Expiration.flatMap(parseISO8601),
                              source: "EC2 instance metadata (role \(clean(role)))")
    }

    private func get(_ url: URL, _ auth: [(String, String)], _ where_: String) throws -> String {
        let r: AWSHTTPResponse
        do { r = try http.send(method: "GET", url: url, headers: auth, body: nil, timeout: timeout) }
        catch { throw AWSAuthError("\(where_): \(error)") }
        guard r.status == 200 else {
            // The path as requested (URL.path drops a trailing slash).
            throw AWSAuthError("\(where_): HTTP \(r.status) on GET \(url.absoluteString.dropFirst(endpoint.count))")
        }
        return r.text
    }
}

/// `2026-12-01T10:00:00Z` (also with fractional seconds), as IMDS and STS give expiries.
func parseISO8601(_ s: String) -> Date? {
    let f = ISO8601DateFormatter()
    if let d = f.date(from: s) { return d }
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.date(from: s)
}

/// Text from a remote service or a file, made safe for one line of a terminal message.
func clean(_ s: String) -> String {
    let t = Sanitizer.terminal(s.trimmingCharacters(in: .whitespacesAndNewlines))
    return t.count > 200 ? String(t.prefix(200)) + "…" : t
}
