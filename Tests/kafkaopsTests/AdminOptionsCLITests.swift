import Foundation
import Testing
import KafkaOpsCore
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 25 point 3 (CLI half) and the shell completions of point 1's subcommands: `topic alter-config`
/// takes `--config k=v` as `topic create` does (`--set` kept), and the config file has one name and one
/// help text in every command.
@Suite struct AdminOptionsCLITests {
    @Test(arguments: ["--config", "--set"])
    func alterConfigTakesConfigLikeTopicCreateAndSetIsTheSame(option: String) async throws {
        let r = try await CLI.run(["topic", "alter-config", "audit-log", option, "min.insync.replicas=2", "--demo", "--output", "json"])
        #expect(r.code == 0, "\(r.stdout)\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let changes = try #require(obj["changes"] as? [[String: Any]])
        #expect(changes.first { $0["name"] as? String == "min.insync.replicas" }?["after"] as? String == "2")
        let bad = try await CLI.run(["topic", "alter-config", "audit-log", option, "nokey", "--demo"])
        #expect(bad.code == 2 && bad.stderr.contains("--config 'nokey' is not key=value (here --config is a topic config; the config file is --config-file)"),
                "\(bad.stderr)")
    }

    /// One name (`--config-file <file>`) and one help line in every command's help; the older `--config FILE`
    /// is still read where it is not a topic config, and not shown.
    @Test func theConfigFileOptionHasOneNameAndOneHelpText() async throws {
        var lines: Set<String> = []
        for command in [["topics"], ["topic", "create"], ["topic", "alter-config"], ["topic", "delete"], ["config", "profiles"],
                        ["produce"], ["group", "delete"]] {
            let r = try await CLI.run(command + ["--help"])
            #expect(r.code == 0, "\(command) \(r.stderr)")
            let help = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let i = try #require(help.firstIndex { $0.hasPrefix("--config-file <file>") }, "\(command): \(r.stdout)")
            // The help text may wrap onto the next line.
            lines.insert(help[i] + " " + help[i + 1])
            // In topic create and alter-config `--config` is a topic config (key=value), as in kafka-topics.sh.
            let topicConfig = command == ["topic", "create"] || command == ["topic", "alter-config"]
            #expect(!help.contains { ($0.hasPrefix("--config <") && !topicConfig) || $0.contains("--config-file, --config") },
                    "\(command) shows a second name for the config file")
        }
        #expect(lines.count == 1, "\(lines)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-cfgopt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = dir.appendingPathComponent("c.yaml").path
        try "clusters:\n  d: { demo: true }\n".write(toFile: cfg, atomically: true, encoding: .utf8)
        chmod(cfg, 0o600)
        for args in [["topics", "--config", cfg], ["topics", "--config-file", cfg], ["--config", cfg, "topics"]] {
            let r = try await CLI.run(args)
            #expect(r.code == 0 && r.stdout.contains("orders"), "\(args): \(r.stderr)")
        }
        let twice = try await CLI.run(["topics", "--config", cfg, "--config-file", cfg])
        #expect(twice.code == 2, "\(twice.stderr)")
    }

    @Test func completionScriptsKnowTheAdminSubcommands() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try await CLI.run(["--generate-completion-script", shell])
            #expect(r.code == 0, "\(r.stderr)")
            for word in ["produce", "add-partitions", "delete", "key-delimiter", "partitions"] {
                #expect(r.stdout.contains(word), "\(shell) completion lacks \(word)")
            }
        }
    }
}
