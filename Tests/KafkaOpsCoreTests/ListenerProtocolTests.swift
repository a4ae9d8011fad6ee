import Foundation
import Testing
@testable import KafkaOpsCore

/// Telling a plaintext Kafka listener from a TLS one by their first answer, and what the doctor says
/// when the profile's TLS setting does not match the listener.
struct ListenerProtocolTests {
    @Test func aKafkaAnswerToTheProbesRequestIsPlaintextATLSRecordIsTLS() {
        // tansu's answer to the ApiVersions v0 request: size 226, then the request's correlation id.
        let kafka: [UInt8] = [0x00, 0x00, 0x00, 0xe2, 0x6b, 0x6f, 0x70, 0x73, 0x00, 0x00]
        #expect(ListenerProtocol.classify(kafkaAnswer: kafka, tlsAnswer: nil) == .plaintext)
        // stunnel's ServerHello to the ClientHello (the Kafka request was reset: no bytes).
        let serverHello: [UInt8] = [0x16, 0x03, 0x03, 0x00, 0x54, 0x02, 0x00, 0x00]
        #expect(ListenerProtocol.classify(kafkaAnswer: [], tlsAnswer: serverHello) == .tls)
        // A TLS alert in answer to the plaintext request is TLS too.
        #expect(ListenerProtocol.classify(kafkaAnswer: [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46], tlsAnswer: nil) == .tls)
        // Another correlation id, a size no broker sends, silence: unknown.
        #expect(ListenerProtocol.classify(kafkaAnswer: [0, 0, 0, 0xe2, 0, 0, 0, 1], tlsAnswer: []) == .unknown)
        #expect(ListenerProtocol.classify(kafkaAnswer: [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31], tlsAnswer: []) == .unknown)
        #expect(ListenerProtocol.classify(kafkaAnswer: [], tlsAnswer: []) == .unknown)
    }

    @Test func theGreetingsAreWellFormed() {
        let r = ListenerProtocol.apiVersionsRequest
        #expect(Int(r[3]) == r.count - 4 && r[4] == 0x00 && r[5] == 18)
        let h = ListenerProtocol.clientHello
        #expect(h[0] == 0x16 && h[1] == 0x03)
        #expect(Int(h[3]) << 8 | Int(h[4]) == h.count - 5, "the record length covers the handshake")
        #expect(h[5] == 0x01 && Int(h[6]) << 16 | Int(h[7]) << 8 | Int(h[8]) == h.count - 9, "a ClientHello, its length right")
    }

    private struct Probes: ConnectionDoctor.Probes {
        var speaks: ListenerProtocol
        var md: Result<ClusterMetadata, ClusterError> = .success(ClusterMetadata(
            clusterID: "c1", controllerID: 1, brokers: [Broker(id: 1, host: "boot", port: 9092)], topics: []))
        func resolve(_ host: String) async -> Result<[String], ConnectionDoctor.ProbeFailure> { .success(["10.0.0.1"]) }
        func connect(_ e: ConnectionDoctor.Endpoint) async -> Result<Void, ConnectionDoctor.ProbeFailure> { .success(()) }
        func metadata() async -> Result<ClusterMetadata, ClusterError> { md }
        func apiKeys() async -> Result<Set<Int>, ClusterError> { .success(Set(0...60)) }
        func listenerProtocol(_ endpoint: ConnectionDoctor.Endpoint) async -> ListenerProtocol { speaks }
    }

    @Test func aTLSProfileOnAPlaintextListenerFailsTheTLSStepAndSaysSo() async {
        let t = ConnectionDoctor.Target(bootstrap: ConnectionDoctor.Endpoint.parseList("boot:9092"), tls: true, sasl: nil)
        let steps = await ConnectionDoctor.run(t, probes: Probes(speaks: .plaintext, md: .failure(.timeout("read cluster metadata"))))
        let tls = steps.first { $0.step == "tls" }
        #expect(tls?.status == .fail)
        #expect(tls?.detail.contains("boot:9092 is a plaintext listener") == true, "\(String(describing: tls))")
        #expect(tls?.hint?.contains("TLS listener") == true)
        #expect(steps.first { $0.step == "metadata" }?.status == .skipped)
    }

    @Test func aPlaintextProfileOnATLSListenerFailsTheTLSStepAndSaysSo() async {
        let t = ConnectionDoctor.Target(bootstrap: ConnectionDoctor.Endpoint.parseList("boot:9093"), tls: false, sasl: nil)
        let steps = await ConnectionDoctor.run(t, probes: Probes(speaks: .tls, md: .failure(ClusterError(.unreachable, "1/1 brokers are down"))))
        let tls = steps.first { $0.step == "tls" }
        #expect(tls?.status == .fail)
        #expect(tls?.detail.contains("boot:9093 is a TLS listener") == true, "\(String(describing: tls))")
        #expect(tls?.hint?.contains("add tls:") == true)
    }

    @Test func aMatchingListenerIsNamedOnTheTLSStep() async {
        let plain = ConnectionDoctor.Target(bootstrap: ConnectionDoctor.Endpoint.parseList("boot:9092"), tls: false, sasl: nil)
        let steps = await ConnectionDoctor.run(plain, probes: Probes(speaks: .plaintext))
        let tls = steps.first { $0.step == "tls" }
        #expect(tls?.status == .notUsed)
        #expect(tls?.detail.contains("boot:9092 is a plaintext listener") == true, "\(String(describing: tls))")
        #expect(steps.allSatisfy { $0.status != .fail })
    }
}
