import Foundation
import Testing
import KafkaOpsKafka
import TestSupport

/// `kafkaops --version` says the version written in the VERSION file (the one place it is kept;
/// scripts/package.sh names the packages with it) and the librdkafka the binary runs with.
struct VersionCLITests {
    @Test func versionIsTheVersionFilesWithLibrdkafkas() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let version = try String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let r = try await CLI.run(["--version"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "kafkaops \(version) (librdkafka \(librdkafkaVersion()))\n")
    }
}

/// Global options before the subcommand, as operators type them (`kafkaops --demo topics`).
@Suite struct GlobalOptionsFirstTests {
    @Test func globalOptionsBeforeTheSubcommandWork() async throws {
        let r = try await CLI.run(["--demo", "--timeout", "5", "topics", "--output", "json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"topics\""))
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-order-\(UUID().uuidString.prefix(6)).yaml")
        try "clusters:\n  d:\n    demo: true\n".write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let c = try await CLI.run(["--config", config.path, "brokers"])
        #expect(c.code == 0, "\(c.stderr)")
        #expect(c.stdout.contains("broker(s)"))
    }
}

/// `kafkaops group payments-worker -b H:P`: the missing subcommand is named, not the option after it.
@Suite struct MissingSubcommandTests {
    @Test func aGroupWithoutItsSubcommandSaysWhichIsMissing() async throws {
        let r = try await CLI.run(["group", "payments-worker", "-b", "127.0.0.1:1"])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("a subcommand is missing"), "\(r.stderr)")
        #expect(r.stderr.contains("kafkaops group describe payments-worker"), "\(r.stderr)")
        #expect(!r.stderr.contains("Unknown option"), "\(r.stderr)")
        let t = try await CLI.run(["--demo", "topic", "ordrs"])
        #expect(t.code == 2, "\(t.stderr)")
        #expect(t.stderr.contains("'ordrs' is not a subcommand"), "\(t.stderr)")
        let ok = try await CLI.run(["--demo", "group", "describe", "payments-worker", "-o", "json"])
        #expect(!ok.stderr.contains("subcommand"), "\(ok.stderr)")
    }
}
