import Foundation
import Testing
@testable import KafkaOpsCore

/// Canned answers for each probe.
private struct Canned: ConnectionDoctor.Probes {
    var dns: [String: Result<[String], ConnectionDoctor.ProbeFailure>] = [:]
    var tcp: [String: Result<Void, ConnectionDoctor.ProbeFailure>] = [:]
    var md: Result<ClusterMetadata, ClusterError> = .success(ClusterMetadata(
        clusterID: "c1", controllerID: 1, brokers: [Broker(id: 1, host: "b1", port: 9092), Broker(id: 2, host: "b2", port: 9092)], topics: []))
    var keys: Result<Set<Int>, ClusterError> = .success(Set(0...60))

    func resolve(_ host: String) async -> Result<[String], ConnectionDoctor.ProbeFailure> { dns[host] ?? .success(["10.0.0.1"]) }
    func connect(_ e: ConnectionDoctor.Endpoint) async -> Result<Void, ConnectionDoctor.ProbeFailure> { tcp[e.description] ?? .success(()) }
    func metadata() async -> Result<ClusterMetadata, ClusterError> { md }
    func apiKeys() async -> Result<Set<Int>, ClusterError> { keys }
}

private let plain = ConnectionDoctor.Target(bootstrap: ConnectionDoctor.Endpoint.parseList("boot:9092"), tls: false, sasl: nil)
private let secure = ConnectionDoctor.Target(bootstrap: ConnectionDoctor.Endpoint.parseList("SASL_SSL://boot:9093"), tls: true,
                                             sasl: "SCRAM-SHA-512")

private func statuses(_ steps: [ConnectionDoctor.Step]) -> [String: ConnectionDoctor.Status] {
    Dictionary(uniqueKeysWithValues: steps.map { ($0.step, $0.status) })
}

struct ConnectionDoctorTests {
    @Test func everyStepPassesOnAHealthyCluster() async {
        let steps = await ConnectionDoctor.run(plain, probes: Canned())
        #expect(steps.map(\.step) == ConnectionDoctor.stepNames)
        let s = statuses(steps)
        #expect(s["dns"] == .pass && s["tcp"] == .pass && s["metadata"] == .pass && s["listeners"] == .pass && s["api_versions"] == .pass)
        #expect(s["tls"] == .notUsed && s["authentication"] == .notUsed)
        #expect(steps.last?.detail.contains("Kafka 2.8 or later, before 3.0") == true)
    }

    @Test func dnsFailureSkipsTheRest() async {
        let steps = await ConnectionDoctor.run(plain, probes: Canned(dns: ["boot": .failure(.init("Name or service not known"))]))
        #expect(steps[0].status == .fail)
        #expect(steps[0].detail.contains("boot: Name or service not known"))
        #expect(steps[0].hint != nil)
        #expect(steps.dropFirst().allSatisfy { $0.status == .skipped })
    }

    @Test func closedPortFailsAtTCP() async {
        let steps = await ConnectionDoctor.run(plain, probes: Canned(tcp: ["boot:9092": .failure(.init("Connection refused"))]))
        let s = statuses(steps)
        #expect(s["dns"] == .pass && s["tcp"] == .fail && s["tls"] == .skipped && s["api_versions"] == .skipped)
        #expect(steps[1].detail.contains("boot:9092: Connection refused"))
    }

    /// librdkafka 2.14 may send the metadata request to the broker the bootstrap server advertised; when
    /// this machine cannot reach that address, the metadata call fails naming it. That is the listener step's
    /// failure (the bootstrap server answered), not "check host and port" at the metadata step.
    @Test func aMetadataErrorNamingAnAdvertisedBrokerIsTheListenerStep() async {
        let e = ClusterError(.unreachable, "cannot connect to boot:9092: 10.9.9.9:9092/111: Connect to ipv4#10.9.9.9:9092 failed: Connection refused (after 0ms in state CONNECT)", code: "_TRANSPORT")
        let steps = await ConnectionDoctor.run(plain, probes: Canned(md: .failure(e)))
        let s = statuses(steps)
        #expect(s["metadata"] == .pass && s["listeners"] == .fail && s["api_versions"] == .skipped, "\(steps)")
        let listener = steps.first { $0.step == "listeners" }
        #expect(listener?.detail.contains("broker 111 advertises 10.9.9.9:9092") == true, "\(String(describing: listener))")
        #expect(listener?.hint?.contains("advertised.listeners") == true)
        // The bootstrap address itself refusing is still the metadata step's failure.
        let own = ClusterError(.unreachable, "cannot connect to boot:9092: boot:9092/bootstrap: Connect to ipv4#10.0.0.1:9092 failed: Connection refused", code: "_TRANSPORT")
        let ownSteps = await ConnectionDoctor.run(plain, probes: Canned(md: .failure(own)))
        #expect(statuses(ownSteps)["metadata"] == .fail)
    }

    @Test func oneBootstrapServerDownIsNotedButPasses() {
        let step = ConnectionDoctor.tcp([(.init(host: "a", port: 1), .success(())), (.init(host: "b", port: 2), .failure(.init("Connection refused")))])
        #expect(step.status == .pass)
        #expect(step.detail.contains("b:2: Connection refused"))
    }

    @Test func tlsErrorFailsAtTLSWithItsHint() async {
        let e = ClusterError(.tls, "TLS handshake with boot:9093 failed: the broker's certificate expired", hint: "renew the broker certificate")
        let steps = await ConnectionDoctor.run(secure, probes: Canned(md: .failure(e)))
        let s = statuses(steps)
        #expect(s["tcp"] == .pass && s["tls"] == .fail && s["authentication"] == .skipped && s["metadata"] == .skipped)
        #expect(steps[2].hint == "renew the broker certificate")
    }

    @Test func plaintextPortUnderTLSFailsAtTLS() {
        let steps = ConnectionDoctor.afterMetadata(secure, .failure(ClusterError(.timeout, "no answer")))
        #expect(steps.map(\.step) == ["tls"])
        #expect(steps[0].status == .fail)
        #expect(steps[0].hint?.contains("TLS listener") == true)
    }

    @Test func authenticationErrorFailsAtAuthentication() {
        let steps = ConnectionDoctor.afterMetadata(secure, .failure(ClusterError(.authentication, "SASL authentication failed")))
        #expect(steps.map(\.status) == [.pass, .fail])
        #expect(steps[1].step == "authentication")
    }

    @Test func authorizationErrorFailsAtMetadataAfterAuthenticating() {
        let steps = ConnectionDoctor.afterMetadata(secure, .failure(ClusterError(.authorization, "not authorized")))
        #expect(steps.map(\.status) == [.pass, .pass, .fail])
        #expect(steps[2].hint?.contains("ACL") == true)
    }

    @Test func tlsPassShowsTheCertificateAndWarnsBeforeExpiry() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let cert = CertificateFacts(subject: "CN=boot", issuer: "CN=ops CA", altNames: "DNS:boot", notBefore: now.addingTimeInterval(-86_400),
                                    notAfter: now.addingTimeInterval(10 * 86_400))
        let md = ClusterMetadata(clusterID: "c", controllerID: 1, brokers: [Broker(id: 1, host: "boot", port: 9093, certificate: cert)], topics: [])
        let steps = ConnectionDoctor.afterMetadata(secure, .success(md), now: now)
        #expect(steps[0].status == .pass)
        #expect(steps[0].detail.contains("subject CN=boot, issuer CN=ops CA"))
        #expect(steps[0].detail.contains("host name matches"))
        #expect(steps[0].detail.contains("expires in 10 days"))
        #expect(steps[0].hint?.contains("renew") == true)
        #expect(steps[1].status == .pass && steps[1].detail.contains("SCRAM-SHA-512"))
    }

    @Test func unreachableAdvertisedListenerFailsAtListeners() async {
        let steps = await ConnectionDoctor.run(plain, probes: Canned(tcp: ["b2:9092": .failure(.init("Connection refused"))]))
        let s = statuses(steps)
        #expect(s["metadata"] == .pass && s["listeners"] == .fail && s["api_versions"] == .skipped)
        let l = steps[5]
        #expect(l.detail.contains("broker 2 advertises b2:9092: Connection refused"))
        #expect(l.detail.contains("reachable: broker 1 at b1:9092"))
        #expect(l.hint?.contains("advertised.listeners") == true)
    }

    @Test func apiVersionsFailureAndRange() {
        #expect(ConnectionDoctor.apiVersions(.failure(ClusterError(.timeout, "no answer"))).status == .fail)
        #expect(KafkaVersionRange.implied(by: Set(0...47)).text == "Kafka 2.4 or later, before 2.6 (its APIs are missing)")
        #expect(KafkaVersionRange.implied(by: Set(0...80)).text == "Kafka 3.8 or later")
        #expect(KafkaVersionRange.implied(by: Set(0...10)).atLeast == nil)
    }

    @Test func bootstrapListsParse() {
        #expect(ConnectionDoctor.Endpoint.parseList("a:1, SSL://b:2,[::1]:3").map(\.description) == ["a:1", "b:2", "[::1]:3"])
    }
}
