import Foundation
import Testing
import KafkaOpsCore
import CRdKafka
@testable import KafkaOpsKafka

/// The two mapping tables: profile settings -> librdkafka properties, librdkafka errors -> ClusterError.
struct RdKafkaMappingTests {
    static func dict(_ p: [(String, String)]) -> [String: String] {
        // Later entries win, as they do when librdkafka applies them in order.
        Dictionary(p, uniquingKeysWith: { _, b in b })
    }

    @Test func plaintextSettingsMapToBootstrapAndClientID() {
        let p = Self.dict(RdKafkaProperties.admin(ConnectionSettings(bootstrapServers: "a:9092,b:9092", clientID: "ops")))
        #expect(p["bootstrap.servers"] == "a:9092,b:9092")
        #expect(p["client.id"] == "ops")
        #expect(p["security.protocol"] == "plaintext")
        #expect(p["sasl.mechanisms"] == nil)
        #expect(p["ssl.ca.location"] == nil)
    }

    @Test func tlsAndSaslSettingsMapToTheirProperties() {
        let s = ConnectionSettings(bootstrapServers: "k:9093",
                                   tls: .init(caFile: "/ca.pem", certFile: "/c.pem", keyFile: "/k.pem", keyPassword: "kp", verify: false),
                                   sasl: .init(mechanism: .scramSHA512, username: "u", password: "pw"))
        let p = Self.dict(RdKafkaProperties.admin(s))
        #expect(p["security.protocol"] == "sasl_ssl")
        #expect(p["ssl.ca.location"] == "/ca.pem")
        #expect(p["ssl.certificate.location"] == "/c.pem")
        #expect(p["ssl.key.location"] == "/k.pem")
        #expect(p["ssl.key.password"] == "kp")
        #expect(p["enable.ssl.certificate.verification"] == "false")
        #expect(p["ssl.endpoint.identification.algorithm"] == "none")
        #expect(p["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(p["sasl.username"] == "u")
        #expect(p["sasl.password"] == "pw")
        #expect(Set(RdKafkaProperties.secrets(s)) == ["pw", "kp"])
    }

    @Test func verifiedTLSLeavesVerificationOn() {
        let p = Self.dict(RdKafkaProperties.admin(ConnectionSettings(bootstrapServers: "k:9093", tls: .init())))
        #expect(p["security.protocol"] == "ssl")
        #expect(p["enable.ssl.certificate.verification"] == nil)
        #expect(p["ssl.endpoint.identification.algorithm"] == "https", "host name verification is on, whatever librdkafka's default")
    }

    @Test func hostNameVerificationOffKeepsTheChainVerifiedAndAKeystoreMapsToPKCS12() {
        let s = ConnectionSettings(bootstrapServers: "k:9093", tls: .init(keystoreFile: "/c.p12", keystorePassword: "ksp",
                                                                          verifyHostname: false))
        let p = Self.dict(RdKafkaProperties.admin(s))
        #expect(p["enable.ssl.certificate.verification"] == nil)
        #expect(p["ssl.endpoint.identification.algorithm"] == "none")
        #expect(p["ssl.keystore.location"] == "/c.p12")
        #expect(p["ssl.keystore.password"] == "ksp")
        #expect(RdKafkaProperties.secrets(s).contains("ksp"))
    }

    @Test func profilePropertiesComeLastButCannotWeakenTheProducer() {
        let s = ConnectionSettings(bootstrapServers: "k:1", properties: ["client.id": "override", "acks": "1",
                                                                        "enable.idempotence": "false"])
        #expect(Self.dict(RdKafkaProperties.admin(s))["client.id"] == "override")
        let producer = Self.dict(RdKafkaProperties.producer(s))
        #expect(producer["acks"] == "all")
        #expect(producer["enable.idempotence"] == "true")
        let browser = Self.dict(RdKafkaProperties.browser(s))
        #expect(browser["enable.auto.commit"] == "false")
        #expect(browser["group.id"]?.hasPrefix("kafkaops-browse-") == true)
    }

    static let ctx = ErrorContext(operation: "describe consumer groups", bootstrap: "broker-1:9092", secrets: ["s3cret"])

    @Test(arguments: [
        (RD_KAFKA_RESP_ERR__TRANSPORT, ClusterError.Kind.unreachable),
        (RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, .unreachable),
        (RD_KAFKA_RESP_ERR__RESOLVE, .unreachable),
        (RD_KAFKA_RESP_ERR__SSL, .tls),
        (RD_KAFKA_RESP_ERR__AUTHENTICATION, .authentication),
        (RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED, .authentication),
        (RD_KAFKA_RESP_ERR__TIMED_OUT, .timeout),
        (RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, .timeout),
        (RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, .unknownTopic),
        (RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND, .unknownGroup),
        (RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS, .topicExists),
        (RD_KAFKA_RESP_ERR_POLICY_VIOLATION, .policyViolation),
        (RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR, .invalidRequest),
        (RD_KAFKA_RESP_ERR_INVALID_CONFIG, .invalidRequest),
        (RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP, .groupNotEmpty),
        (RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, .groupNotEmpty),
        (RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, .authorization),
        (RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED, .authorization),
        (RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, .authorization),
        (RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE, .unsupported),
    ])
    func errorCodesMapToKinds(code: rd_kafka_resp_err_t, kind: ClusterError.Kind) {
        let e = RdErrorMap.map(code, "detail with s3cret inside", Self.ctx)
        #expect(e.kind == kind)
        #expect(e.code == String(cString: rd_kafka_err2name(code)))
        #expect(!e.description.contains("s3cret"))
        #expect(e.hint != nil || kind == .broker)
    }

    @Test func connectionErrorsNameTheBootstrapAndWhatToCheck() {
        let refused = RdErrorMap.map(RD_KAFKA_RESP_ERR__TRANSPORT,
                                     "broker-1:9092/bootstrap: Connect to ipv4#10.0.0.1:9092 failed: Connection refused", Self.ctx)
        #expect(refused.message.hasPrefix("cannot connect to broker-1:9092"))
        #expect(refused.hint == "check host and port and that the broker is up")
        let notKafka = RdErrorMap.map(RD_KAFKA_RESP_ERR__TRANSPORT,
                                      "broker-1:9092/bootstrap: Protocol parse failure for ApiVersion v3", Self.ctx)
        #expect(notKafka.message.contains("does not answer like a Kafka broker"))
        let sasl = RdErrorMap.map(RD_KAFKA_RESP_ERR__AUTHENTICATION, "SASL authentication error", Self.ctx)
        #expect(sasl.hint?.contains("check username/password and mechanism") == true)
        // OAUTHBEARER and GSSAPI profiles have no username/password: the hint names their keys (issue 14, point 3).
        var oidc = Self.ctx
        oidc.saslMechanism = .oauthbearer
        let oauth = RdErrorMap.map(RD_KAFKA_RESP_ERR__AUTHENTICATION, "SASL authentication error", oidc)
        #expect(oauth.hint?.contains("oauth.client_id") == true && oauth.hint?.contains("username") == false, "\(oauth.hint ?? "")")
        var krb = Self.ctx
        krb.saslMechanism = .gssapi
        #expect(RdErrorMap.map(RD_KAFKA_RESP_ERR__AUTHENTICATION, "x", krb).hint?.contains("kerberos.keytab") == true)
        let unknownGroup = RdErrorMap.map(RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND, nil, Self.ctx, subject: "billing")
        #expect(unknownGroup.message.contains("billing"))
    }

    @Test func configSourcesMapToKafkaNames() {
        #expect(KafkaClusterClient.configSource(RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG) == .topic)
        #expect(KafkaClusterClient.configSource(RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG) == .dynamicBroker)
        #expect(KafkaClusterClient.configSource(RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG) == .dynamicDefaultBroker)
        #expect(KafkaClusterClient.configSource(RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG) == .staticBroker)
        #expect(KafkaClusterClient.configSource(RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG) == .defaultConfig)
        #expect(KafkaClusterClient.configSource(RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG) == .unknown)
    }

    @Test func groupStatesMapToKafkaNames() {
        #expect(KafkaClusterClient.groupState(RD_KAFKA_CONSUMER_GROUP_STATE_STABLE) == .stable)
        #expect(KafkaClusterClient.groupState(RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY) == .empty)
        #expect(KafkaClusterClient.groupState(RD_KAFKA_CONSUMER_GROUP_STATE_DEAD) == .dead)
        #expect(KafkaClusterClient.groupState(RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE) == .preparingRebalance)
        #expect(KafkaClusterClient.groupState(RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE) == .completingRebalance)
        #expect(KafkaClusterClient.groupState(RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN) == .unknown)
    }
}

/// Issue 17: TLS failures in the profile's words, from what the certificate verification saw.
@Suite struct TLSDiagnosisTests {
    static let cert = CertificateFacts(subject: "CN=localhost", issuer: "CN=test CA", altNames: "DNS:localhost",
                                       notBefore: Date(timeIntervalSince1970: 1_672_531_200),
                                       notAfter: Date(timeIntervalSince1970: 1_704_153_600))  // 2024-01-02 00:00 UTC

    static func failure(_ code: Int32, depth: Int32 = 0) -> TLSVerifyFailure {
        TLSVerifyFailure(code: code, text: "x", depth: depth, facts: cert, brokerName: "localhost:9093")
    }

    static func diagnose(_ f: TLSVerifyFailure?, reason: String = "SSL handshake failed: certificate verify failed",
                         ca: Bool = true, clientCert: Bool = false) -> ClusterError? {
        TLSDiagnosis.diagnose(reason: reason, failure: f, bootstrap: "localhost:9093", caConfigured: ca,
                              clientCertificate: clientCert, code: "_SSL")
    }

    @Test func brokerNamesInBothFormsGiveTheAddress() {
        #expect(TLSPeers.address("localhost:9093") == "localhost:9093")
        #expect(TLSPeers.address("ssl://kafka-1:9093/1") == "kafka-1:9093")
        #expect(TLSPeers.address("ssl://kafka-1:9093/bootstrap") == "kafka-1:9093")
    }

    @Test(arguments: [Int32(2), 18, 19, 20, 21])
    func anUnknownIssuerNamesTheCAKey(code: Int32) throws {
        let e = try #require(Self.diagnose(Self.failure(code)))
        #expect(e.kind == .tls)
        #expect(e.message.contains("is not signed by the CA in tls.ca"))
        #expect(e.hint?.contains("tls.ca") == true)
        let noCA = try #require(Self.diagnose(Self.failure(code), ca: false))
        #expect(noCA.message.contains("a CA this machine trusts (no tls.ca is set)"))
    }

    @Test func expiredSaysWhen() throws {
        let e = try #require(Self.diagnose(Self.failure(TLSDiagnosis.expired)))
        #expect(e.message.contains("the broker's certificate expired on 2024-01-02 00:00 UTC (subject CN=localhost, issuer CN=test CA)"))
    }

    @Test func hostNameMismatchNamesTheCertificatesNamesAndTheKey() throws {
        let e = try #require(Self.diagnose(Self.failure(TLSDiagnosis.hostnameMismatch)))
        #expect(e.message.contains("is for DNS:localhost, not localhost:9093"))
        #expect(e.hint?.contains("tls.verify_hostname: false") == true)
    }

    @Test func aBrokerAskingForAClientCertificateIsSaid() throws {
        let reason = "Receive failed: error:0A00045C:SSL routines::tlsv13 alert certificate required: SSL alert number 116"
        let e = try #require(Self.diagnose(nil, reason: reason))
        #expect(e.message.contains("asked for a client certificate"))
        #expect(e.hint?.contains("tls.cert and tls.key") == true)
    }

    @Test func aFailureWithoutARecordedCertificateIsLeftToTheGeneralMapping() {
        #expect(Self.diagnose(nil) == nil)
        #expect(Self.diagnose(Self.failure(20), reason: "Connection refused") == nil)
    }

    @Test func loadErrorsNameTheProfileKeysNeverTheSecret() throws {
        let key = try #require(TLSDiagnosis.loadError("ssl.key.location failed: error:1C800064:Provider routines::bad decrypt"))
        #expect(key.message.contains("tls.key") && key.hint?.contains("tls.key_password_env") == true)
        let ks = try #require(TLSDiagnosis.loadError("ssl.keystore.location failed: error:11800071:PKCS12 routines::mac verify failure"))
        #expect(ks.message == "cannot open the PKCS#12 keystore (tls.keystore): wrong password")
    }
}
