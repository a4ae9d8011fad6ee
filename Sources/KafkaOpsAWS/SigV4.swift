import Foundation
import Crypto

/// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv4.html):
/// the canonical request, the string to sign and the derived key. SHA-256 and HMAC come from swift-crypto.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// SHA-256 of the empty body, what a GET (and a presigned URL, as botocore signs it) hashes.
    static let emptyPayloadHash = hex(SHA256.hash(data: Data()))

    /// `20231114T221320Z` and `20231114`, in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? cal.timeZone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ v: Int?, _ width: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        func two(_ v: Int?) -> String { pad(v, 2) }
        let day = pad(c.year, 4) + two(c.month) + two(c.day)
        return (day + "T" + two(c.hour) + two(c.minute) + two(c.second) + "Z", day)
    }

    /// RFC 3986 percent-encoding: everything but unreserved characters (botocore's `quote(safe='-_.~')`).
    public static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(hexDigits[Int(b >> 4)]).uppercased() + String(hexDigits[Int(b & 0xF)]).uppercased()
            }
        }
        return out
    }

    /// `key=value&...` with both percent-encoded, in the order given.
    static func query(_ params: [(String, String)]) -> String {
        params.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    /// The credential scope: `20231114/us-east-1/kafka-cluster/aws4_request`.
    static func scope(day: String, region: String, service: String) -> String {
        "\(day)/\(region)/\(service)/aws4_request"
    }

    /// The hex signature of a canonical request.
    /// - headers: lower-case names, signed in name order.
    static func signature(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                          payloadHash: String, amzDate: String, day: String, region: String, service: String,
                          secretAccessKey: String) -> String {
        let canonicalQuery = query.map { (percentEncode($0.0), percentEncode($0.1)) }
            .sorted { $0.0 != $1.0 ? Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
                                    : Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let sortedHeaders = headers.map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }
            .sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        let canonicalHeaders = sortedHeaders.map { "\($0.0):\($0.1)\n" }.joined()
        let signedHeaders = sortedHeaders.map(\.0).joined(separator: ";")
        let canonicalRequest = [method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        let stringToSign = [algorithm, amzDate, scope(day: day, region: region, service: service),
                            hex(SHA256.hash(data: Data(canonicalRequest.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Data(("AWS4" + secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    /// The signed-header names of `headers` (`host;x-amz-date`).
    static func signedHeaderNames(_ headers: [(String, String)]) -> String {
        headers.map { $0.0.lowercased() }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .joined(separator: ";")
    }

    /// A presigned GET URL the way botocore's SigV4QueryAuth builds it: the request's own parameters,
    /// then the X-Amz-* parameters (the session token after SignedHeaders), then X-Amz-Signature.
    public static func presignedURL(host: String, path: String = "/", params: [(String, String)], region: String,
                                    service: String, credentials: AWSCredentials, date: Date, expires: Int) -> String {
        let (amzDate, day) = timestamps(date)
        var auth: [(String, String)] = [
            ("X-Amz-Algorithm", algorithm),
            ("X-Amz-Credential", credentials.accessKeyID + "/" + scope(day: day, region: region, service: service)),
            ("X-Amz-Date", amzDate),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { auth.append(("X-Amz-Security-Token", token)) }
        let all = params + auth
        let sig = signature(method: "GET", path: path, query: all, headers: [("host", host)], payloadHash: emptyPayloadHash,
                            amzDate: amzDate, day: day, region: region, service: service,
                            secretAccessKey: credentials.secretAccessKey)
        return "https://\(host)\(path)?\(query(all))&X-Amz-Signature=\(sig)"
    }

    /// The headers that sign a request in the Authorization header (STS AssumeRole: a form POST).
    /// `headers` must hold `host`; the result adds X-Amz-Date, X-Amz-Security-Token and Authorization.
    public static func authorizationHeaders(method: String, path: String, headers: [(String, String)], body: Data,
                                            region: String, service: String, credentials: AWSCredentials,
                                            date: Date) -> [(String, String)] {
        let (amzDate, day) = timestamps(date)
        var signed = headers + [("x-amz-date", amzDate)]
        if let token = credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        let sig = signature(method: method, path: path, query: [], headers: signed,
                            payloadHash: hex(SHA256.hash(data: body)), amzDate: amzDate, day: day,
                            region: region, service: service, secretAccessKey: credentials.secretAccessKey)
        let auth = "\(algorithm) Credential=\(credentials.accessKeyID)/\(scope(day: day, region: region, service: service)), "
            + "SignedHeaders=\(signedHeaderNames(signed)), Signature=\(sig)"
        return signed.filter { $0.0.lowercased() != "host" } + [("Authorization", auth)]
    }

    private static let hexDigits = Array("0123456789abcdef")

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out = ""
        for b in bytes { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 0xF)]) }
        return out
    }
}
