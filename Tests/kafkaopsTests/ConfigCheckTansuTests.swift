import Foundation
import Testing
import TestSupport

/// `kafkaops config check` (the connection doctor) against tansu.
@Suite(.serialized)
struct ConfigCheckTansuTests {
    static func steps(_ r: CLI.Result) throws -> [String: [String: Any]] {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
        let steps = try #require(obj["steps"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: steps.compactMap { s in (s["step"] as? String).map { ($0, s) } })
    }

    @Test func passesAgainstAWorkingBroker() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let r = try await CLI.run(["config", "check", "--bootstrap", broker.bootstrap, "--output", "json", "--timeout", "10"])
        #expect(r.code == 0, "\(r.stdout)\n\(r.stderr)")
        let s = try Self.steps(r)
        for name in ["dns", "tcp", "metadata", "listeners", "api_versions"] {
            #expect(s[name]?["status"] as? String == "pass", "\(name): \(s[name] ?? [:])")
        }
        #expect(s["tls"]?["status"] as? String == "not_used")
        #expect((s["api_versions"]?["detail"] as? String)?.contains("Kafka") == true, "\(s["api_versions"] ?? [:])")
        let table = try await CLI.run(["config", "check", "-b", broker.bootstrap, "--timeout", "10"])
        #expect(table.code == 0, "\(table.stderr)")
        #expect(table.stdout.contains("listeners") && table.stdout.contains("PASS"))
    }

    @Test func failsAtTheTCPStepOnAClosedPort() async throws {
        let port = try TansuBroker.freePort()
        let r = try await CLI.run(["config", "check", "--bootstrap", "127.0.0.1:\(port)", "--output", "json", "--timeout", "3"])
        #expect(r.code == 1, "\(r.stdout)\n\(r.stderr)")
        let s = try Self.steps(r)
        #expect(s["dns"]?["status"] as? String == "pass")
        #expect(s["tcp"]?["status"] as? String == "fail")
        #expect((s["tcp"]?["detail"] as? String)?.contains("127.0.0.1:\(port)") == true)
        #expect(s["tcp"]?["hint"] is String)
        #expect(s["metadata"]?["status"] as? String == "skipped")
        let table = try await CLI.run(["config", "check", "--bootstrap", "127.0.0.1:\(port)", "--timeout", "3"])
        #expect(table.code == 1 && table.stderr.contains("failed at the tcp step"), "\(table.stderr)")
    }

    @Test func failsAtTheListenerStepWhenTheBrokerAdvertisesAnUnreachableAddress() async throws {
        let unreachable = try TansuBroker.freePort()
        let broker = try await TansuBroker.start(advertised: "127.0.0.1:\(unreachable)")
        defer { broker.stop() }
        let r = try await CLI.run(["config", "check", "--bootstrap", broker.bootstrap, "--output", "json", "--timeout", "5"])
        #expect(r.code == 1, "\(r.stdout)\n\(r.stderr)")
        let s = try Self.steps(r)
        #expect(s["tcp"]?["status"] as? String == "pass")
        #expect(s["metadata"]?["status"] as? String == "pass", "\(s["metadata"] ?? [:])")
        #expect(s["listeners"]?["status"] as? String == "fail")
        #expect((s["listeners"]?["detail"] as? String)?.contains("advertises 127.0.0.1:\(unreachable)") == true, "\(s["listeners"] ?? [:])")
        #expect((s["listeners"]?["hint"] as? String)?.contains("advertised.listeners") == true)
        #expect(s["api_versions"]?["status"] as? String == "skipped")
    }

    @Test func checksTheTLSHandshakeAndShowsTheCertificate() async throws {
        let certs = try await TLSCertificates.shared()
        let l = try await TLSListener.start(certs)
        defer { l.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-check-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = dir.appendingPathComponent("config.yaml").path
        try "clusters:\n  t:\n    bootstrap: \(l.bootstrap)\n    tls:\n      ca: \(certs.path("ca.pem"))\n".write(toFile: cfg, atomically: true, encoding: .utf8)
        let r = try await CLI.run(["config", "check", "--config", cfg, "--profile", "t", "--output", "json", "--timeout", "10"])
        #expect(r.code == 0, "\(r.stdout)\n\(r.stderr)")
        let tls = try #require(try Self.steps(r)["tls"])
        #expect(tls["status"] as? String == "pass")
        let detail = tls["detail"] as? String ?? ""
        #expect(detail.contains("subject CN=localhost") && detail.contains("issuer CN=kafkaops test CA") && detail.contains("host name matches"), "\(detail)")
        // A CA that did not sign the broker's certificate: the TLS step fails, with what to check.
        try "clusters:\n  t:\n    bootstrap: \(l.bootstrap)\n    tls:\n      ca: \(certs.path("other-ca.pem"))\n".write(toFile: cfg, atomically: true, encoding: .utf8)
        let bad = try await CLI.run(["config", "check", "--config", cfg, "--output", "json", "--timeout", "10"])
        #expect(bad.code == 1)
        let badTLS = try #require(try Self.steps(bad)["tls"])
        #expect(badTLS["status"] as? String == "fail", "\(badTLS)")
        #expect((badTLS["hint"] as? String)?.contains("tls.ca") == true, "\(badTLS)")
    }
}
