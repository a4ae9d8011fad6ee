import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// Shell completion (issue 14, point 7): the scripts `--generate-completion-script` writes call the
/// binary as `kafkaops ---completion <subcommands> -- <option> <word index> <cursor> <words...>`;
/// these run that entry point as bash, zsh and fish do.
@Suite struct CompletionTests {
    /// What the binary offers for `option` (a name, or positional@N) with `words` typed, the last being completed.
    func complete(_ subcommands: [String], _ option: String, _ words: [String],
                  environment: [String: String] = [:]) async throws -> (names: [String], result: CLI.Result) {
        let r = try await CLI.run(["---completion"] + subcommands + ["--", option, String(words.count - 1), String(words.last?.count ?? 0)] + words,
                                  environment: environment)
        return (r.stdout.split(separator: "\n").map(String.init), r)
    }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-compl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test func profileNamesComeFromTheConfigFileOnTheLine() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = dir.appendingPathComponent("c.yaml")
        try "clusters:\n  prod: { bootstrap: 'k1:9092' }\n  staging: { bootstrap: 'k2:9092' }\n  'two words': { bootstrap: 'k3:9092' }\n"
            .write(to: cfg, atomically: true, encoding: .utf8)
        let (names, r) = try await complete(["topics"], "--profile", ["kafkaops", "topics", "--config", cfg.path, "--profile", ""])
        #expect(r.code == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(names == ["prod", "staging"], "\(r.stdout)")   // a name a shell would split is not offered
        // The same through KAFKAOPS_CONFIG, and -p.
        let (viaEnv, _) = try await complete(["brokers"], "-p", ["kafkaops", "brokers", "-p", "st"], environment: ["KAFKAOPS_CONFIG": cfg.path])
        #expect(viaEnv == ["prod", "staging"])
        // A config file that is not valid: nothing, silently.
        try "clusters: [".write(to: cfg, atomically: true, encoding: .utf8)
        let (none, bad) = try await complete(["topics"], "--profile", ["kafkaops", "topics", "--config", cfg.path, "--profile", ""])
        #expect(none.isEmpty && bad.code == 0 && bad.stderr.isEmpty, "\(bad.stdout) \(bad.stderr)")
    }

    @Test func themeNamesAreTheBuiltInAndTheThemesFolders() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "roles: {}\n".write(to: dir.appendingPathComponent("ocean.yaml"), atomically: true, encoding: .utf8)
        let (names, r) = try await complete(["console"], "--theme", ["kafkaops", "--theme", ""], environment: ["KAFKAOPS_THEMES_DIR": dir.path])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(names.contains("default") && names.contains("ocean"), "\(r.stdout)")
        #expect(names.contains("high-contrast") && names.contains("monochrome"), "\(r.stdout)")   // the repository's themes/
    }

    @Test func topicAndGroupNamesComeFromTheClusterTheLineNames() async throws {
        let (topics, t) = try await complete(["dlq", "browse"], "positional@0", ["kafkaops", "dlq", "browse", "--demo", "pay"])
        #expect(t.code == 0, "\(t.stderr)")
        #expect(topics.contains("payments.DLQ") && topics.contains("payments"), "\(t.stdout)")
        let (opt, _) = try await complete(["elect-leaders"], "--topic", ["kafkaops", "elect-leaders", "--demo", "--topic", ""])
        #expect(opt == topics)
        let (groups, g) = try await complete(["group", "describe"], "positional@0", ["kafkaops", "group", "describe", "--demo", ""])
        #expect(g.code == 0, "\(g.stderr)")
        #expect(groups.contains("payment-processor"), "\(g.stdout)")
    }

    @Test func anUnreachableOrHangingClusterGivesNothingAndReturns() async throws {
        // Nothing listens on the port: empty, exit 0, nothing on stderr.
        let port = try TansuBroker.freePort()             // free: nothing listens there
        let (closed, c) = try await complete(["dlq", "browse"], "positional@0",
                                             ["kafkaops", "dlq", "browse", "-b", "127.0.0.1:\(port)", ""])
        #expect(closed.isEmpty && c.code == 0, "\(c.stdout) \(c.stderr)")
        // A cluster that never answers (the demo, blackholed): bounded by the completion timeout, empty.
        let (hung, h) = try await complete(["reset-offsets"], "--group", ["kafkaops", "reset-offsets", "--demo", "--group", ""],
                                           environment: ["KAFKAOPS_DEMO_HANG": "1"])
        #expect(hung.isEmpty && h.code == 0, "\(h.stdout) \(h.stderr)")
        // No profile, no config: nothing to ask.
        let (nothing, n) = try await complete(["topic", "describe"], "positional@0", ["kafkaops", "topic", "describe", ""])
        #expect(nothing.isEmpty && n.code == 0 && n.stderr.isEmpty, "\(n.stdout) \(n.stderr)")
    }

    /// The scripts of each shell call the hook these tests run.
    @Test func generatedScriptsCallTheHook() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try await CLI.run(["--generate-completion-script", shell])
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stdout.contains("---completion"), "\(shell)")
        }
    }
}
