import Foundation
import Testing
import TestSupport

/// The messages of issue 25: a mistyped command names the nearest, an unknown subcommand in a group is
/// named, a missing config file says where the sample is, and a TLS setting that does not match the
/// listener says so (the command's timeout and `config check`).
@Suite struct CommandTypoCLITests {
    @Test func aMistypedCommandSuggestsTheNearest() async throws {
        let r = try await CLI.run(["topcs"])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("unknown command 'topcs'; did you mean 'topics'?"), "\(r.stderr)")
        #expect(!r.stderr.contains("Unexpected argument"), "\(r.stderr)")
        let g = try await CLI.run(["--demo", "-o", "json", "lagg"])
        #expect(g.code == 2 && g.stderr.contains("did you mean 'lag'?"), "\(g.stderr)")
        // Nothing near: the commands are listed instead of a guess.
        let far = try await CLI.run(["frobnicate"])
        #expect(far.code == 2 && far.stderr.contains("unknown command 'frobnicate'") && far.stderr.contains("topics"), "\(far.stderr)")
        #expect(!far.stderr.contains("did you mean"), "\(far.stderr)")
        // The words that are commands still are.
        let ok = try await CLI.run(["--demo", "topics", "-o", "json"])
        #expect(ok.code == 0, "\(ok.stderr)")
    }

    @Test func anUnknownSubcommandInAGroupIsNamedNotTheOptionAfterIt() async throws {
        let r = try await CLI.run(["topic", "frob", "x"])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("'frob' is not a subcommand"), "\(r.stderr)")
        let b = try await CLI.run(["topic", "-b", "127.0.0.1:1", "frob", "--partitions", "3"])
        #expect(b.code == 2, "\(b.stderr)")
        #expect(b.stderr.contains("'frob' is not a subcommand") && !b.stderr.contains("Unknown option"), "\(b.stderr)")
        let near = try await CLI.run(["--demo", "topic", "descibe", "orders"])
        #expect(near.code == 2 && near.stderr.contains("'descibe' is not a subcommand; did you mean 'describe'?"), "\(near.stderr)")
    }
}

@Suite struct MissingConfigCLITests {
    /// The sample path a message names, which must be a file that is there.
    static func samplePath(_ stderr: String) -> String? {
        guard let r = stderr.range(of: "a sample with every setting: ") else { return nil }
        return stderr[r.upperBound...].split(separator: " ").first.map(String.init)
    }

    @Test func aMissingConfigFileSaysSoAndWhereTheSampleIs() async throws {
        let missing = "/nonexistent-\(UUID().uuidString.prefix(6))/config.yaml"
        let r = try await CLI.run(["--config", missing, "topics"])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("config file \(missing) does not exist"), "\(r.stderr)")
        let sample = try #require(Self.samplePath(r.stderr), "\(r.stderr)")
        #expect(sample.hasSuffix("samples/config.yaml") && FileManager.default.isReadableFile(atPath: sample), "\(sample)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
        // No config file at the default path: a profile asked for, or no cluster at all.
        let p = try await CLI.run(["topics", "--profile", "prod"])
        #expect(p.code == 2 && p.stderr.contains("no profile 'prod'") && p.stderr.contains("does not exist"), "\(p.stderr)")
        #expect(Self.samplePath(p.stderr) == sample, "\(p.stderr)")
        let none = try await CLI.run(["topics"])
        #expect(none.code == 2 && none.stderr.contains("no cluster given") && Self.samplePath(none.stderr) == sample, "\(none.stderr)")
    }
}

@Suite(.serialized) struct TLSMismatchTansuTests {
    static func profile(_ bootstrap: String, tls: String?) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-tlsmis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cfg = dir.appendingPathComponent("config.yaml").path
        try ("clusters:\n  t:\n    bootstrap: \(bootstrap)\n" + (tls.map { "    tls:\n      ca: \($0)\n" } ?? ""))
            .write(toFile: cfg, atomically: true, encoding: .utf8)
        return cfg
    }

    static func tlsStep(_ r: CLI.Result) throws -> [String: Any] {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
        let steps = try #require(obj["steps"] as? [[String: Any]])
        return try #require(steps.first { $0["step"] as? String == "tls" })
    }

    @Test func aTLSClientOnAPlaintextListenerSaysSo() async throws {
        let certs = try await TLSCertificates.shared()
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let cfg = try Self.profile(broker.bootstrap, tls: certs.path("ca.pem"))
        let r = try await CLI.run(["topics", "--config", cfg, "--profile", "t", "--timeout", "3"])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("no TLS handshake with \(broker.bootstrap)") && r.stderr.contains("not a plaintext one"), "\(r.stderr)")
        #expect(!r.stderr.contains("raise --timeout"), "\(r.stderr)")
        let c = try await CLI.run(["config", "check", "--config", cfg, "--profile", "t", "--output", "json", "--timeout", "3"])
        #expect(c.code == 1, "\(c.stdout)\n\(c.stderr)")
        let tls = try Self.tlsStep(c)
        #expect(tls["status"] as? String == "fail", "\(tls)")
        #expect((tls["detail"] as? String)?.contains("is a plaintext listener") == true, "\(tls)")
        // The same broker without TLS: the step says what the listener is.
        let plain = try await CLI.run(["config", "check", "-b", broker.bootstrap, "--output", "json", "--timeout", "5"])
        #expect(plain.code == 0, "\(plain.stdout)\n\(plain.stderr)")
        let p = try Self.tlsStep(plain)
        #expect(p["status"] as? String == "not_used" && (p["detail"] as? String)?.contains("is a plaintext listener") == true, "\(p)")
    }

    @Test func aPlaintextClientOnATLSListenerSaysSo() async throws {
        let certs = try await TLSCertificates.shared()
        let l = try await TLSListener.start(certs)
        defer { l.stop() }
        let c = try await CLI.run(["config", "check", "-b", l.bootstrap, "--output", "json", "--timeout", "5"])
        #expect(c.code == 1, "\(c.stdout)\n\(c.stderr)")
        let tls = try Self.tlsStep(c)
        #expect(tls["status"] as? String == "fail", "\(tls)")
        #expect((tls["detail"] as? String)?.contains("\(l.bootstrap) is a TLS listener") == true, "\(tls)")
        #expect((tls["hint"] as? String)?.contains("add tls:") == true, "\(tls)")
        // With TLS the check passes and names the listener as TLS.
        let cfg = try Self.profile(l.bootstrap, tls: certs.path("ca.pem"))
        let ok = try await CLI.run(["config", "check", "--config", cfg, "--profile", "t", "--output", "json", "--timeout", "10"])
        #expect(ok.code == 0, "\(ok.stdout)\n\(ok.stderr)")
        let t = try Self.tlsStep(ok)
        #expect(t["status"] as? String == "pass" && (t["detail"] as? String)?.contains("is a TLS listener") == true, "\(t)")
    }
}
