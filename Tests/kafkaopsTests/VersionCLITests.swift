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
