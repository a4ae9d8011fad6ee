import Foundation
import KafkaOpsCore

/// The one place that maps `ConnectionSettings` to librdkafka properties.
enum RdKafkaProperties {
    /// The properties every handle of a connection shares, in the order they are applied.
    /// The profile's `properties` come last, so they override everything derived here.
    static func base(_ s: ConnectionSettings) -> [(String, String)] {
        var p: [(String, String)] = [
            ("bootstrap.servers", s.bootstrapServers),
            ("client.id", s.clientID),
            ("security.protocol", s.securityProtocol),
            // Fail a connection attempt quickly; the call's deadline bounds everything anyway.
            ("socket.connection.setup.timeout.ms", "10000"),
            ("reconnect.backoff.ms", "50"),
            ("reconnect.backoff.max.ms", "1000"),
            // No KIP-714 client metrics push: an operations console has nothing to report, and
            // with it on rd_kafka_destroy often waits a full second for telemetry to terminate.
            ("enable.metrics.push", "false"),
        ]
        if let tls = s.tls {
            if let ca = tls.caFile { p.append(("ssl.ca.location", ca)) }
            if let pem = tls.caPEM { p.append(("ssl.ca.pem", pem)) }
            if let cert = tls.certFile { p.append(("ssl.certificate.location", cert)) }
            if let key = tls.keyFile { p.append(("ssl.key.location", key)) }
            if let pw = tls.keyPassword { p.append(("ssl.key.password", pw)) }
            if let ks = tls.keystoreFile { p.append(("ssl.keystore.location", ks)) }
            if let pw = tls.keystorePassword { p.append(("ssl.keystore.password", pw)) }
            if !tls.verify {
                p.append(("enable.ssl.certificate.verification", "false"))
                p.append(("ssl.endpoint.identification.algorithm", "none"))
            } else {
                p.append(("ssl.endpoint.identification.algorithm", tls.verifyHostname ? "https" : "none"))
            }
        }
        if s.awsMSKIAM != nil {
            // The token comes from kafkaops' refresh callback (RdKafkaProperties.tokenSource), signed with SigV4.
            p.append(("sasl.mechanisms", "OAUTHBEARER"))
        } else if let sasl = s.sasl {
            p += self.sasl(sasl)
        }
        for key in s.properties.keys.sorted() {
            if let value = s.properties[key] { p.append((key, value)) }
        }
        return p
    }

    /// The SASL mechanism and what it needs: a username and password (PLAIN, SCRAM), the OIDC client
    /// credentials (OAUTHBEARER, fetched and refreshed by librdkafka), or the Kerberos principal (GSSAPI).
    static func sasl(_ sasl: ConnectionSettings.SASL) -> [(String, String)] {
        var p: [(String, String)] = [("sasl.mechanisms", sasl.mechanism.rawValue)]
        switch sasl.mechanism {
        case .plain, .scramSHA256, .scramSHA512:
            p.append(("sasl.username", sasl.username))
            p.append(("sasl.password", sasl.password))
        case .oauthbearer:
            guard let o = sasl.oidc else { break }
            p += [("sasl.oauthbearer.method", "oidc"),
                  ("sasl.oauthbearer.token.endpoint.url", o.tokenEndpoint),
                  ("sasl.oauthbearer.client.id", o.clientID),
                  ("sasl.oauthbearer.client.secret", o.clientSecret)]
            if let scope = o.scope { p.append(("sasl.oauthbearer.scope", scope)) }
            if !o.extensions.isEmpty {
                p.append(("sasl.oauthbearer.extensions", o.extensions.keys.sorted().map { "\($0)=\(o.extensions[$0] ?? "")" }
                    .joined(separator: ",")))
            }
        case .gssapi:
            let k = sasl.kerberos ?? .init()
            if let name = k.serviceName { p.append(("sasl.kerberos.service.name", name)) }
            if let principal = k.principal { p.append(("sasl.kerberos.principal", principal)) }
            if let keytab = k.keytab {
                p.append(("sasl.kerberos.keytab", keytab))
            } else {
                // No keytab: the ticket cache the operator's kinit filled; librdkafka must not run kinit itself.
                p.append(("sasl.kerberos.min.time.before.relogin", "0"))
            }
        }
        return p
    }

    /// Admin handle: a producer-type handle that never produces.
    static func admin(_ s: ConnectionSettings) -> [(String, String)] {
        base(s)
    }

    /// Producer used by `produce`: acks=all and idempotence, which the profile cannot weaken.
    static func producer(_ s: ConnectionSettings) -> [(String, String)] {
        base(s) + [
            ("acks", "all"),
            ("enable.idempotence", "true"),
            ("linger.ms", s.properties["linger.ms"] ?? "5"),
        ]
    }

    /// Browsing consumer: assign() only, nothing committed. librdkafka needs a group.id for
    /// assign(), but no group is joined and no offset is committed or stored.
    static func browser(_ s: ConnectionSettings) -> [(String, String)] {
        var p = base(s)
        p.removeAll { $0.0 == "group.id" || $0.0 == "group.instance.id" }
        return p + [
            ("group.id", "kafkaops-browse-\(UUID().uuidString.lowercased())"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "true"),
            ("auto.offset.reset", "error"),
            // A bounded read of records that already exist: large fetches. (fetch.wait.max.ms stays at its
            // default: tansu answers an empty fetch when it cannot gather a large partition within it.)
            ("max.partition.fetch.bytes", s.properties["max.partition.fetch.bytes"] ?? "16777216"),
        ]
    }

    /// Values that must never appear in an error message or a log line.
    static func secrets(_ s: ConnectionSettings) -> [String] {
        var out: [String] = []
        if let pw = s.sasl?.password, !pw.isEmpty { out.append(pw) }
        if let secret = s.sasl?.oidc?.clientSecret, !secret.isEmpty { out.append(secret) }
        if let pw = s.tls?.keyPassword, !pw.isEmpty { out.append(pw) }
        if let pw = s.tls?.keystorePassword, !pw.isEmpty { out.append(pw) }
        for (k, v) in s.properties where !v.isEmpty && isSecretKey(k) { out.append(v) }
        return out
    }

    /// The one rule for secret-looking property names (the audit log's redaction uses it too).
    static func isSecretKey(_ key: String) -> Bool { Secrets.isSecretKey(key) }
}
