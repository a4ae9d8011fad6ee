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
