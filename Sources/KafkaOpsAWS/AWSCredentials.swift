import Foundation

/// An AWS access key, with its session token and expiry when temporary. `description` never shows the secret.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working (nil: long-term keys).
    public var expiration: Date?
    /// Where they came from ("environment", "shared credentials file profile default", ...), for messages.
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
                source: String) {
        self.accessKeyID = accessKeyID; self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.expiration = expiration; self.source = source
    }

    public var description: String { "AWS credentials \(accessKeyID) from \(source)" }
}

/// Why no credentials or no token: one line, never a secret.
public struct AWSAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
