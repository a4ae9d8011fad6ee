import ArgumentParser
import Foundation
import KafkaOpsCore

/// `kafkaops config`: the config file's profiles as contexts (kafkactl's, k9s's), and the connection doctor.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "List the profiles, choose the current one, check a connection.",
        subcommands: [Profiles.self, Use.self, Check.self])

    /// The config file the commands read and edit (the same default as every command's).
    struct FileOption: ParsableArguments, Sendable {
        @OptionGroup var option: ConfigFileOption
        var configFile: String? { option.path }
    }

    struct Profiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the profiles of the config file: the current one marked, each with its bootstrap and authentication (never a secret).")

        @OptionGroup var file: FileOption
        @OptionGroup var out: OutputOptions

        func run() async throws {
            let env = ProcessInfo.processInfo.environment
            let (cfg, path, warnings) = try ProfileLoader.loadConfig(path: file.configFile, environment: env)
            for w in warnings { warn("warning: \(w)") }
            let rows = ProfileSummary.all(cfg)
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, ProfilesJSON(configFile: path ?? ProfileLoader.defaultConfigPath(environment: env),
                                                            current: ProfileSummary.currentName(cfg), profiles: rows))
            case .table:
                guard !rows.isEmpty else {
                    return emit("No profiles in \(Sanitizer.terminal(path ?? ProfileLoader.defaultConfigPath(environment: env))).\n")
                }
                var t = TextTable([("CURRENT", .left), ("NAME", .left), ("BOOTSTRAP", .left), ("AUTH", .left), ("TLS", .left),
                                   ("READ-ONLY", .left)])
                for r in rows {
                    t.add([r.current ? "*" : "", r.name, r.bootstrap ?? "-", r.auth, r.tls ? "yes" : "no", r.readOnly ? "yes" : "no"])
                }
                emit(t.render())
            }
        }
    }

    struct Use: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a profile the current one (sets `current:` in the config file, the rest of the file untouched).")

        @OptionGroup var file: FileOption
        @Argument(help: "The profile's name.") var name: String

        func run() async throws {
            let env = ProcessInfo.processInfo.environment
            let (cfg, path, _) = try ProfileLoader.loadConfig(path: file.configFile, environment: env)
            let shown = path ?? ProfileLoader.defaultConfigPath(environment: env)
            guard let path, cfg.clusters[name] != nil else {
                let known = cfg.clusters.keys.sorted()
                throw UsageError("no profile '\(name)' in \(shown)" + (known.isEmpty ? "" : " (profiles: \(known.joined(separator: ", ")))"))
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw UsageError("cannot read config file \(path)")
            }
            guard let edited = CurrentProfileEdit.settingCurrent(text, to: name) else {
                throw UsageError("cannot set current: in \(path) by editing one line (is it written in flow style?): set current: \(name) by hand")
            }
            if edited != text { try CurrentProfileEdit.replace(path: path, with: edited) }
            emit("Current profile: \(Sanitizer.terminal(name)) (\(Sanitizer.terminal(path)))\n")
        }
    }
}

/// One line of `config profiles`: what a profile connects to and how, never a secret.
struct ProfileSummary: Encodable, Equatable {
    var name: String
    var current: Bool
    var bootstrap: String?
    /// The SASL mechanism (AWS_MSK_IAM for MSK IAM), else "none".
    var auth: String
    var tls: Bool
    var readOnly: Bool
    var commandConfig: String?

    enum CodingKeys: String, CodingKey {
        case name, current, bootstrap, auth, tls, readOnly = "read_only", commandConfig = "command_config"
    }

    /// The profile `current:` names, else the only one (as ProfileLoader.resolve chooses).
    static func currentName(_ cfg: ConfigFile) -> String? {
        cfg.current ?? (cfg.clusters.count == 1 ? cfg.clusters.keys.first : nil)
    }

    static func all(_ cfg: ConfigFile) -> [ProfileSummary] {
        let cur = currentName(cfg)
        return cfg.clusters.keys.sorted().compactMap { name in
            cfg.clusters[name].map { summary(name, $0, current: name == cur) }
        }
    }

    static func summary(_ name: String, _ p: Profile, current: Bool) -> ProfileSummary {
        let props = p.properties
        let bootstrap = p.bootstrap ?? ProfileLoader.bootstrapProperties.lazy.compactMap { props[$0] }.first
        let auth = p.awsIAM != nil ? "AWS_MSK_IAM"
            : p.sasl?.mechanism.rawValue ?? props["sasl.mechanism"] ?? props["sasl.mechanisms"]
            ?? (p.commandConfig != nil ? "from command_config" : "none")
        let protocolTLS = (props["security.protocol"] ?? "").uppercased().contains("SSL")
        return ProfileSummary(name: name, current: current, bootstrap: p.demo ? "demo" : bootstrap, auth: auth,
                              tls: p.tls != nil || protocolTLS, readOnly: p.readOnly, commandConfig: p.commandConfig)
    }
}

struct ProfilesJSON: Encodable {
    var configFile: String
    var current: String?
    var profiles: [ProfileSummary]

    enum CodingKeys: String, CodingKey { case configFile = "config_file", current, profiles }
}
