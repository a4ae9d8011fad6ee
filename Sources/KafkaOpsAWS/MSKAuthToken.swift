import Foundation

/// The SASL/OAUTHBEARER token Amazon MSK accepts for IAM authentication, in the format of AWS's
/// aws-msk-iam-sasl-signer libraries: the URL
/// `https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-...&User-Agent=...`,
/// presigned with SigV4 (service `kafka-cluster`, valid 900 s), base64url-encoded without padding.
public enum MSKAuthToken {
    public static let expirySeconds = 900
    public static let service = "kafka-cluster"

    /// The User-Agent parameter kafkaops puts in its tokens (the signer libraries put their own name).
    public static func userAgent(version: String) -> String { "kafkaops/\(version)" }

    /// The token and its expiry (signing time + 900 s) in milliseconds since the epoch.
    public static func generate(region: String, credentials: AWSCredentials, date: Date, userAgent: String)
        -> (token: String, expiresAtMs: Int64) {
        let host = "kafka.\(region).amazonaws.com"
        let signed = SigV4.presignedURL(host: host, params: [("Action", "kafka-cluster:Connect")], region: region,
                                        service: service, credentials: credentials, date: date, expires: expirySeconds)
        let url = signed + "&User-Agent=" + SigV4.percentEncode(userAgent)
        let token = Data(url.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        // Whole seconds, as the signing time in X-Amz-Date has.
        let signedAt = Int64(date.timeIntervalSince1970.rounded(.down))
        return (token, (signedAt + Int64(expirySeconds)) * 1000)
    }

    /// A region name as AWS spells them (`us-east-1`, `eu-central-2`, `us-gov-west-1`): refused otherwise,
    /// since it becomes part of a host name.
    public static func isValidRegion(_ r: String) -> Bool {
        !r.isEmpty && r.count <= 32 && r.first != "-" && r.last != "-"
            && r.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
