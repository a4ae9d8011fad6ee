import Foundation

/// What an operator needs to know about a broker's TLS certificate: who it is for, who signed
/// it and when it stops working. Read during the TLS handshake (only when the certificate is
/// verified), so a certificate about to expire is seen before it breaks the cluster.
public struct CertificateFacts: Hashable, Sendable, Codable {
    public var subject: String
    public var issuer: String
    /// Subject alternative names as "DNS:a, IP:127.0.0.1" (empty when there are none).
    public var altNames: String
    public var notBefore: Date
    public var notAfter: Date

    public init(subject: String, issuer: String, altNames: String, notBefore: Date, notAfter: Date) {
        self.subject = subject; self.issuer = issuer; self.altNames = altNames
        self.notBefore = notBefore; self.notAfter = notAfter
    }

    /// Below this many days left, the expiry is a warning.
    public static let warningDays = 30

    /// Whole days until `notAfter` (negative once expired).
    public func daysLeft(now: Date = Date()) -> Int {
        Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
    }

    /// "2026-12-24 10:00 UTC".
    public var notAfterText: String { Self.utcMinute(notAfter) }

    /// A warning when the certificate expires within `warningDays` (or has expired), else nil.
    public func expiryWarning(broker: String, now: Date = Date()) -> String? {
        let days = daysLeft(now: now)
        if notAfter <= now { return "the TLS certificate of \(broker) expired on \(notAfterText)" }
        guard days < Self.warningDays else { return nil }
        return "the TLS certificate of \(broker) expires in \(days) day\(days == 1 ? "" : "s") (\(notAfterText)): renew it before it breaks the connection"
    }

    public static func utcMinute(_ d: Date) -> String {
        // ISO8601.string gives "2026-12-24T10:00:00.000Z"; an operator reads minutes.
        let iso = ISO8601.string(d)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }
}
