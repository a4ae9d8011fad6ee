import Foundation
import KafkaOpsCore
import KafkaOpsAWS
import CRdKafka

/// Where a handle's SASL/OAUTHBEARER tokens come from (AWS MSK IAM today).
protocol OAuthBearerTokenSource: Sendable {
    /// A fresh token, or an error whose description says why (given to librdkafka as the failure reason).
    func oauthBearerToken() throws -> MSKIAMTokenProvider.Token
}

extension MSKIAMTokenProvider: OAuthBearerTokenSource {
    func oauthBearerToken() throws -> Token { try token() }
}

extension RdKafkaProperties {
    /// The token source a handle of these settings needs (nil: librdkafka's own SASL).
    static func tokenSource(_ s: ConnectionSettings,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> (any OAuthBearerTokenSource)? {
        guard let iam = s.awsMSKIAM else { return nil }
        return MSKIAMTokenProvider(chain: AWSCredentialChain(region: iam.region, profile: iam.profile, roleARN: iam.roleARN,
                                                             environment: environment))
    }
}

/// librdkafka's token refresh callback: at start and at 80% of each token's lifetime, on librdkafka's
/// background thread (the SASL queue is forwarded there), so nothing has to poll the handle for it.
/// Every HTTP call in the credential chain has a short deadline, so the thread is never held long.
func oauthbearerRefreshCallback(_ rk: OpaquePointer?, _ config: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let rk, let opaque else { return }
    let callbacks = Unmanaged<HandleCallbacks>.fromOpaque(opaque).takeUnretainedValue()
    guard let source = callbacks.tokenSource else {
        rd_kafka_oauthbearer_set_token_failure(rk, "no OAUTHBEARER token source configured")
        return
    }
    do {
        let t = try source.oauthBearerToken()
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_oauthbearer_set_token(rk, t.value, t.lifetimeMs, t.principal, nil, 0, &errstr, errstr.count)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let why = "AWS MSK IAM token refused by librdkafka: \(errstr.cString)"
            callbacks.tokenRefreshed(.failure(why))
            rd_kafka_oauthbearer_set_token_failure(rk, why)
        } else {
            callbacks.tokenRefreshed(.success(t.lifetimeMs))
        }
    } catch {
        let why = "AWS MSK IAM: \(error)"
        callbacks.tokenRefreshed(.failure(why))
        rd_kafka_oauthbearer_set_token_failure(rk, why)
    }
}

/// The last outcome of the refresh callback (for tests and diagnostics).
enum TokenRefreshOutcome: Sendable, Equatable {
    case success(Int64)
    case failure(String)
}
