import Foundation
import KafkaOpsCore
import KafkaOpsKafka

extension Profile.TLS {
    init() {}
}

extension ProfileLoader {
    /// `tls.truststore`'s certificates as PEM (librdkafka takes CA certificates only as PEM), nil without one.
    static func truststoreCertificates(_ t: Profile.TLS, name: String, env: [String: String],
                                       warnings: inout [String]) throws -> String? {
        guard let path = t.truststore else { return nil }
        let password = try secret(t.truststorePassword, what: "tls truststore password", env: env, warnings: &warnings)
        do {
            return try PKCS12Truststore.certificatesPEM(path: path, password: password)
        } catch let e as ClusterError {
            throw UsageError("profile \(name): tls.\(e.description)")
        }
    }
}
