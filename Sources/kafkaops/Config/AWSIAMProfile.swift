import Foundation
import KafkaOpsCore
import KafkaOpsAWS

/// A profile's AWS MSK IAM authentication:
///
/// ```yaml
/// sasl: { mechanism: AWS_MSK_IAM }
/// aws: { region: eu-west-1, profile: msk-ops, role_arn: arn:aws:iam::123456789012:role/msk-ops }
/// ```
/// `profile` and `role_arn` are optional: without them the credentials are looked up as the AWS SDKs do
/// (environment, shared files, web identity, EC2 instance metadata; see KafkaOpsAWS.AWSCredentialChain).
struct AWSIAMProfile: Decodable, Sendable, Equatable {
    static let mechanism = "AWS_MSK_IAM"

    var region: String
    var profile: String?
    var roleARN: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case region, profile
        case roleARN = "role_arn"
    }

    init(from decoder: Decoder) throws {
        try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        region = try c.decode(String.self, forKey: .region)
        guard MSKAuthToken.isValidRegion(region) else {
            throw DecodingError.dataCorruptedError(forKey: .region, in: c, debugDescription:
                "'\(Sanitizer.terminal(region))' is not an AWS region name (such as us-east-1)")
        }
        profile = try c.decodeIfPresent(String.self, forKey: .profile)
        roleARN = try c.decodeIfPresent(String.self, forKey: .roleARN)
        if let r = roleARN, !r.hasPrefix("arn:") {
            throw DecodingError.dataCorruptedError(forKey: .roleARN, in: c, debugDescription:
                "'\(Sanitizer.terminal(r))' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
        }
    }

    /// What the connection uses.
    var settings: ConnectionSettings.AWSMSKIAM { .init(region: region, profile: profile, roleARN: roleARN) }

    private enum ProfileKeys: String, CodingKey { case sasl, aws }
    private enum SASLKeys: String, CodingKey, CaseIterable { case mechanism }

    /// Reads a profile's `sasl:` and `aws:` when `sasl.mechanism` is AWS_MSK_IAM (nil otherwise, and the
    /// profile's own SASL decoding applies). `aws:` without AWS_MSK_IAM, or AWS_MSK_IAM without `aws.region`,
    /// is refused: the profile would not authenticate the way it says.
    static func decode(profile decoder: Decoder) throws -> AWSIAMProfile? {
        let c = try decoder.container(keyedBy: ProfileKeys.self)
        var isIAM = false
        if c.contains(.sasl), let s = try? c.nestedContainer(keyedBy: SASLKeys.self, forKey: .sasl),
           (try? s.decodeIfPresent(String.self, forKey: .mechanism))?.uppercased() == mechanism {
            isIAM = true
            try KnownKeys.check(try c.superDecoder(forKey: .sasl), known: SASLKeys.allCases.map(\.rawValue))
        }
        guard isIAM else {
            if c.contains(.aws) {
                throw DecodingError.dataCorruptedError(forKey: .aws, in: c, debugDescription:
                    "aws: is for sasl.mechanism: \(mechanism)")
            }
            return nil
        }
        guard c.contains(.aws) else {
            throw DecodingError.dataCorruptedError(forKey: .sasl, in: c, debugDescription:
                "sasl.mechanism \(mechanism) needs aws.region (aws: { region: us-east-1 })")
        }
        return try c.decode(AWSIAMProfile.self, forKey: .aws)
    }
}
