import Foundation
import KafkaOpsCore
import CRdKafka
import CX509

/// A certificate verification that failed in a TLS handshake: OpenSSL's X509_V_ERR code and text,
/// and the certificate it was about.
struct TLSVerifyFailure: Sendable, Hashable {
    var code: Int32
    var text: String
    /// 0: the broker's own certificate; higher: a CA above it in the chain.
    var depth: Int32
    var facts: CertificateFacts?
    /// librdkafka's broker name: "ssl://host:port/id" or ".../bootstrap".
    var brokerName: String
}

/// What librdkafka's certificate verification callback saw on a handle: each broker's own
/// certificate (by "host:port" and by broker id) and the last verification failure.
final class TLSPeers: @unchecked Sendable {
    private let lock = NSLock()
    private var byAddress: [String: CertificateFacts] = [:]
    private var byID: [Int32: CertificateFacts] = [:]
    private var failure: TLSVerifyFailure?
    private var sawAny = false

    /// Whether any broker presented a certificate (the TLS handshake got that far) on this handle.
    var sawCertificate: Bool { lock.withLock { sawAny } }

    /// The certificate a broker presented, by id, else by its host and port.
    func certificate(id: Int32, host: String, port: Int32) -> CertificateFacts? {
        lock.withLock { byID[id] ?? byAddress["\(host):\(port)"] }
    }

    var lastFailure: TLSVerifyFailure? { lock.withLock { failure } }

    fileprivate func saw(brokerName: String, brokerID: Int32, depth: Int32, x509Error: Int32, facts: CertificateFacts?) {
        lock.withLock {
            sawAny = true
            if depth == 0, let facts {
                if let address = Self.address(brokerName) { byAddress[address] = facts }
                if brokerID >= 0 { byID[brokerID] = facts }
            }
            if x509Error != 0 {
                let text = String(cString: kafkaops_x509_error_text(x509Error))
                failure = TLSVerifyFailure(code: x509Error, text: text, depth: depth, facts: facts, brokerName: brokerName)
            }
        }
    }

    /// The "host:port" in librdkafka's broker names: "localhost:9093" (what the verification
    /// callback gets), "ssl://localhost:9093/1" (what error texts say).
    static func address(_ brokerName: String) -> String? {
        var rest = Substring(brokerName)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        return rest.isEmpty ? nil : String(rest)
    }

    static func facts(der: UnsafePointer<CChar>, count: Int) -> CertificateFacts? {
        var out = kafkaops_cert_facts()
        let ok = der.withMemoryRebound(to: UInt8.self, capacity: count) { kafkaops_cert_facts_from_der($0, count, &out) }
        guard ok == 1 else { return nil }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return CertificateFacts(subject: text(out.subject), issuer: text(out.issuer), altNames: text(out.alt_names),
                                notBefore: Date(timeIntervalSince1970: TimeInterval(out.not_before)),
                                notAfter: Date(timeIntervalSince1970: TimeInterval(out.not_after)))
    }
}

/// librdkafka's ssl.certificate.verify_cb: records what it saw and keeps OpenSSL's verdict
/// (it never accepts a certificate OpenSSL refused). Called on librdkafka's threads.
func tlsVerifyCallback(_ rk: OpaquePointer?, _ brokerName: UnsafePointer<CChar>?, _ brokerID: Int32,
                       _ x509Error: UnsafeMutablePointer<Int32>?, _ depth: Int32, _ buf: UnsafePointer<CChar>?, _ size: Int,
                       _ errstr: UnsafeMutablePointer<CChar>?, _ errstrSize: Int, _ opaque: UnsafeMutableRawPointer?) -> Int32 {
    let code = x509Error?.pointee ?? 0
    if let opaque {
        let callbacks = Unmanaged<HandleCallbacks>.fromOpaque(opaque).takeUnretainedValue()
        let facts = buf.flatMap { TLSPeers.facts(der: $0, count: size) }
        callbacks.tls.saw(brokerName: brokerName.map { String(cString: $0) } ?? "", brokerID: brokerID, depth: depth,
                          x509Error: code, facts: facts)
    }
    guard code != 0 else { return 1 }
    if let errstr, errstrSize > 0 {
        let text = String(cString: kafkaops_x509_error_text(code))
        _ = text.withCString { strncpy(errstr, $0, errstrSize - 1) }
        errstr[errstrSize - 1] = 0
    }
    return 0
}

/// Turns a TLS failure into the one line an operator needs: what is wrong with which certificate
/// and which profile key to check. nil when the failure is not one it recognises.
enum TLSDiagnosis {
    // OpenSSL's X509_V_ERR_* codes (openssl/x509_vfy.h).
    static let notYetValid: Int32 = 9, expired: Int32 = 10
    static let unsignedCodes: Set<Int32> = [2, 18, 19, 20, 21, 27]
    static let hostnameMismatch: Int32 = 62, ipMismatch: Int32 = 64

    static func diagnose(reason: String, failure: TLSVerifyFailure?, bootstrap: String, caConfigured: Bool,
                         clientCertificate: Bool, code: String?) -> ClusterError? {
        let lower = reason.lowercased()
        if lower.contains("certificate required") || (!clientCertificate && lower.contains("alert handshake failure")) {
            return ClusterError(.tls, "TLS handshake with \(bootstrap) failed: the broker asked for a client certificate (mutual TLS) and "
                                + (clientCertificate ? "refused the one sent" : "none was sent"),
                                hint: clientCertificate ? "check that tls.cert is signed by a CA the broker trusts"
                                    : "set tls.cert and tls.key (or tls.keystore) in the profile", code: code)
        }
        if lower.contains("unknown ca") || lower.contains("bad certificate") || lower.contains("certificate unknown") {
            return ClusterError(.tls, "TLS handshake with \(bootstrap) failed: the broker refused the client certificate (\(reason))",
                                hint: "check that tls.cert is signed by a CA the broker trusts", code: code)
        }
        guard lower.contains("certificate verify failed") || lower.contains("ssl") || lower.contains("tls"),
              let failure else { return nil }
        // What is wrong comes first (a console line may be narrow); which certificate, after it.
        let cert = failure.facts.map { " (subject \($0.subject), issuer \($0.issuer))" } ?? ""
        let whose = failure.depth == 0 ? "the broker's certificate" : "a CA certificate in the broker's chain"
        func tls(_ what: String, _ hint: String) -> ClusterError {
            ClusterError(.tls, "TLS handshake with \(bootstrap) failed: \(what)\(cert)", hint: hint, code: code)
        }
        switch failure.code {
        case expired:
            let when = failure.facts.map { " on \($0.notAfterText)" } ?? ""
            return tls("\(whose) expired\(when)", "renew the broker certificate (tls.verify: false would hide this, and every other problem)")
        case notYetValid:
            let when = failure.facts.map { " before \(CertificateFacts.utcMinute($0.notBefore))" } ?? ""
            return tls("\(whose) is not valid yet\(when)", "check this machine's clock and the certificate's dates")
        case hostnameMismatch, ipMismatch:
            let names = failure.facts.map { $0.altNames.isEmpty ? $0.subject : $0.altNames } ?? "other names"
            let host = TLSPeers.address(failure.brokerName) ?? bootstrap
            return tls("the broker's certificate is for \(names), not \(host)",
                       "connect with a name the certificate holds, or set tls.verify_hostname: false (the chain is still verified)")
        case let c where unsignedCodes.contains(c):
            let by = caConfigured ? "the CA in tls.ca" : "a CA this machine trusts (no tls.ca is set)"
            return tls("\(whose) is not signed by \(by)", "check tls.ca: it must hold the CA that signed the brokers' certificates")
        default:
            return tls("\(whose) was refused: \(failure.text)", "check tls.ca and the broker's certificate")
        }
    }

    /// A TLS file librdkafka could not load when the client was created, in the profile's words.
    static func loadError(_ why: String) -> ClusterError? {
        let lower = why.lowercased()
        if lower.contains("ssl.key.location") || lower.contains("ssl.key.pem") {
            return ClusterError(.configuration, "cannot read the TLS private key (tls.key): wrong password or not a PEM key",
                                hint: "check tls.key and tls.key_password_env / tls.key_password_file")
        }
        if lower.contains("ssl.keystore.location") {
            let wrongPassword = lower.contains("mac verify") || lower.contains("password")
            return ClusterError(.configuration, "cannot open the PKCS#12 keystore (tls.keystore)"
                                + (wrongPassword ? ": wrong password" : ""),
                                hint: "check tls.keystore and tls.keystore_password_env / tls.keystore_password_file")
        }
        if lower.contains("ssl.ca.location") {
            return ClusterError(.configuration, "cannot read the CA file (tls.ca)", hint: "check that tls.ca is a PEM file this user can read")
        }
        if lower.contains("ssl.certificate.location") {
            return ClusterError(.configuration, "cannot read the client certificate (tls.cert)", hint: "check that tls.cert is a PEM file this user can read")
        }
        return nil
    }
}
