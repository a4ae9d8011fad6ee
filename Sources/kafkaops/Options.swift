import ArgumentParser
import Foundation
import KafkaOpsCore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json
}

/// What every command needs to reach a cluster (both option groups below provide it).
protocol ConnectionArguments: Sendable {
    var profile: String? { get }
    var bootstrap: String? { get }
    var configFile: String? { get }
    var timeout: Double { get }
    var readOnly: Bool { get }
    var demo: Bool { get }
    var verbose: Bool { get }
}

extension ConnectionArguments {
    var timeoutDuration: Duration { .milliseconds(Int64(timeout * 1000)) }

    func validateConnection() throws {
        if let problem = SettingRange.timeout.problem("--timeout", timeout) { throw ValidationError(problem) }
        if demo && bootstrap != nil {
            throw ValidationError("--demo and --bootstrap cannot be used together")
        }
    }
}

/// Options every command takes: how to reach the cluster and how to talk.
struct GlobalOptions: ParsableArguments, ConnectionArguments {
    @Option(name: .long, help: "Profile name from the config file (default: the file's `current`, or the only one).")
    var profile: String?

    @Option(name: .long, help: "Bootstrap servers host:port[,host:port], overriding the profile's.")
    var bootstrap: String?

    @Option(name: [.customLong("config"), .customLong("config-file")],
            help: "Config file (default: $XDG_CONFIG_HOME/kafkaops/config.yaml, else ~/.config/kafkaops/config.yaml).")
    var configFile: String?

    @Option(name: .long, help: "Seconds to wait for the cluster before giving up.")
    var timeout: Double = 10

    @Flag(name: .long, help: "Refuse every change to the cluster, whatever the profile says.")
    var readOnly = false

    @Flag(name: .long, help: "Use the built-in simulated cluster instead of a real one.")
    var demo = false

    @Flag(name: .long, help: "Show librdkafka's log lines and more detail on errors.")
    var verbose = false

    func validate() throws { try validateConnection() }
}

/// The same options for commands where `--config` means a topic config (as in kafka-topics.sh):
/// there the config file is `--config-file`.
struct TopicConfigGlobalOptions: ParsableArguments, ConnectionArguments {
    @Option(name: .long, help: "Profile name from the config file.")
    var profile: String?

    @Option(name: .long, help: "Bootstrap servers host:port[,host:port], overriding the profile's.")
    var bootstrap: String?

    @Option(name: .customLong("config-file"), help: "Config file (default: $XDG_CONFIG_HOME/kafkaops/config.yaml).")
    var configFile: String?

    @Option(name: .long, help: "Seconds to wait for the cluster before giving up.")
    var timeout: Double = 10

    @Flag(name: .long, help: "Refuse every change to the cluster, whatever the profile says.")
    var readOnly = false

    @Flag(name: .long, help: "Use the built-in simulated cluster instead of a real one.")
    var demo = false

    @Flag(name: .long, help: "Show librdkafka's log lines and more detail on errors.")
    var verbose = false

    func validate() throws { try validateConnection() }
}

struct OutputOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Output format: table or json.")
    var output: OutputFormat = .table
}

extension Brokers: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Topics: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.Describe: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Groups: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension GroupCommand.Describe: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Lag: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.Create: TimedCommand { var timeoutSeconds: Double { connection.timeout } }
extension TopicCommand.AlterConfig: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.ReassignPlan: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Audit: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension ElectLeaders: TimedCommand { var timeoutSeconds: Double { global.timeout } }

extension GlobalOptions {
    /// The options that chose the cluster, as given: a printed command (a reset's undo) must reach the same one.
    var connectionArguments: [String] {
        var args: [String] = []
        if let c = configFile { args += ["--config", c] }
        if let p = profile { args += ["--profile", p] }
        if let b = bootstrap { args += ["--bootstrap", b] }
        if demo { args.append("--demo") }
        return args
    }
}
