import ArgumentParser
import Dispatch
import Foundation
import KafkaOpsCore
import KafkaOpsKafka

/// Shell completion of the values options name (`--generate-completion-script bash|zsh|fish` writes the
/// scripts; the shell then runs `kafkaops ---completion <subcommands> -- <option> ...` for these):
/// profile names from the config file, theme names, and the topics and groups of the profile the
/// command line names. Each answer comes within `timeout` or is empty; any failure is an empty list:
/// a completion never prints an error, never hangs the shell, and offers only names that are safe
/// to put on a terminal (no control, bidi or space characters).
enum Completions {
    static let timeout: Duration = .seconds(2)

    static let profiles = CompletionKind.custom { (words: [String], _: Int, _: String) -> [String] in profileNames(words, environment: ProcessInfo.processInfo.environment) }
    static let themes = CompletionKind.custom { (_: [String], _: Int, _: String) -> [String] in themeNames(environment: ProcessInfo.processInfo.environment) }
    static let topics = CompletionKind.custom { (words: [String], _: Int, _: String) -> [String] in
        clusterNames(words, environment: ProcessInfo.processInfo.environment) { client, deadline in
            try await client.metadata(deadline: deadline).topics.filter { !$0.isInternal }.map(\.name)
        }
    }
    static let groups = CompletionKind.custom { (words: [String], _: Int, _: String) -> [String] in
        clusterNames(words, environment: ProcessInfo.processInfo.environment) { client, deadline in
            try await client.listGroups(deadline: deadline).map(\.id)
        }
    }

    /// The connection the words typed so far name (`--config`, `--profile`/`-p`, `--bootstrap`/`-b`,
    /// `--command-config`, `--demo`), read leniently: the line is still being typed.
    struct TypedConnection: ConnectionArguments {
        var profile: String?
        var bootstrap: String?
        var configFile: String?
        var commandConfig: String?
        var timeout: Double = Double(Completions.timeout.components.seconds)
        var readOnly = true
        var demo = false
        var verbose = false
        var properties: [String] = []

        init(_ words: [String]) {
            var i = 0
            func value(_ names: Set<String>) -> String?? {
                let w = words[i]
                if let eq = w.firstIndex(of: "="), names.contains(String(w[..<eq])) { return .some(String(w[w.index(after: eq)...])) }
                guard names.contains(w) else { return .none }
                i += 1
                return .some(i < words.count ? words[i] : nil)
            }
            while i < words.count {
                if case .some(let v) = value(["--config", "--config-file"]) { configFile = v }
                else if case .some(let v) = value(["--profile", "-p"]) { profile = v }
                else if case .some(let v) = value(["--bootstrap", "--bootstrap-server", "-b"]) { bootstrap = v }
                else if case .some(let v) = value(["--command-config"]) { commandConfig = v }
                else if words[i] == "--demo" { demo = true }
                i += 1
            }
        }
    }

    static func profileNames(_ words: [String], environment env: [String: String]) -> [String] {
        guard let (cfg, _, _) = try? ProfileLoader.loadConfig(path: TypedConnection(words).configFile, environment: env) else { return [] }
        return safe(Array(cfg.clusters.keys))
    }

    /// `default` and every `NAME.yaml`/`.yml` in the folders `--theme NAME` searches.
    static func themeNames(environment env: [String: String]) -> [String] {
        let dirs = ThemeFolders.search(environment: env, executableDirectory: Bundle.main.executableURL?.deletingLastPathComponent(),
                                       isDirectory: ThemeFolders.directoryExists)
        var names: Set<String> = ["default"]
        for d in dirs {
            for f in (try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? [] where f.hasSuffix(".yaml") || f.hasSuffix(".yml") {
                names.insert(URL(fileURLWithPath: f).deletingPathExtension().lastPathComponent)
            }
        }
        return safe(Array(names))
    }

    /// Names read from the cluster the words name, read-only, within `timeout` (else empty).
    static func clusterNames(_ words: [String], environment env: [String: String],
                             _ read: @escaping @Sendable (any ClusterClient, Deadline) async throws -> [String]) -> [String] {
        let o = TypedConnection(words)
        guard let r = try? ProfileLoader.resolve(o, environment: env) else { return [] }
        let box = Answer()
        // Its own task: the caller is synchronous (the argument parser's completion hook) and waits below.
        Task.detached {
            let client: any ClusterClient
            if r.isDemo {
                guard let demo = try? demoCluster(env) else { return box.finish([]) }
                client = demo
            } else if let s = r.settings, let c = try? KafkaClusterClient(settings: s) {
                client = c
            } else {
                return box.finish([])
            }
            box.finish((try? await read(client.readOnly(true), .after(timeout))) ?? [])
        }
        // The deadline bounds the cluster calls; this bounds everything else (a slow DNS, a stuck client).
        return safe(box.wait(milliseconds: Int(timeout.components.seconds) * 1000 + 500) ?? [])
    }

    /// Names that can go on a terminal and through a shell's word splitting unchanged, sorted.
    static func safe(_ names: [String]) -> [String] {
        names.filter { n in
            !n.isEmpty && Sanitizer.terminal(n) == n && !n.unicodeScalars.contains { CharacterSet.whitespacesAndNewlines.contains($0) }
        }.sorted()
    }

    /// One answer, handed from the task to the waiting caller.
    final class Answer: @unchecked Sendable {
        private let ready = DispatchSemaphore(value: 0)
        private let value = Locked<[String]?>(nil)
        func finish(_ v: [String]) {
            value.set(v)
            ready.signal()
        }
        /// The answer, or nil when none came within the time.
        func wait(milliseconds: Int) -> [String]? {
            guard ready.wait(timeout: .now() + .milliseconds(milliseconds)) == .success else { return nil }
            return value.value
        }
    }
}
