import Foundation
import KafkaOpsCore
import CX509

/// A Java PKCS12 truststore read as the PEM certificates librdkafka takes (`ssl.ca.pem`): librdkafka
/// has no PKCS#12 option for CAs, only for the client keystore.
public enum PKCS12Truststore {
    /// The certificates of `path` as PEM text, or a configuration error saying what is wrong (never the password).
    public static func certificatesPEM(path: String, password: String?) throws -> String {
        var out: UnsafeMutablePointer<CChar>?
        let code = kafkaops_pkcs12_certificates_pem(path, password, &out)
        defer { kafkaops_free(out) }
        func fail(_ why: String, _ hint: String) -> ClusterError {
            ClusterError(.configuration, "truststore \(path): \(why)", hint: hint)
        }
        switch code {
        case 0:
            guard let out else { throw fail("cannot be read", "check the file") }
            return String(cString: out)
        case 1: throw fail("cannot be read", "check that the file exists and this user can read it")
        case 2: throw fail("is not a PKCS#12 file", "give a PKCS12 or PEM truststore")
        case 3: throw fail("the password does not open it (or it uses a cipher OpenSSL no longer enables)",
                           "check the truststore password; or extract the certificates with `openssl pkcs12 -legacy -in \(path) -nokeys -out \(path).pem` and use the PEM file")
        case 4: throw fail("holds no certificate", "import the CA that signed the brokers' certificates into it")
        default: throw fail("cannot be read (out of memory)", "try again")
        }
    }
}
