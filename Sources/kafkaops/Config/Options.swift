import ArgumentParser
import Foundation
import KafkaOpsCore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, yaml
}

/// What every command needs to reach a cluster (both option groups below provide it).
protocol ConnectionArguments: Sendable {
    var profile: String? { get }
    var bootstrap: String? { get }
    var configFile: String? { get }
    /// A Kafka client `.properties` file (`--command-config`, as Kafka's tools take it).
    var commandConfig: String? { get }
    var timeout: Double { get }
    var readOnly: Bool { get }
    var demo: Bool { get }
    var verbose: Bool { get }
    /// `-X key=value` librdkafka properties, as typed (ProfileLoader.commandLineProperties reads them).
    var properties: [String] { get }
}

extension ConnectionArguments {
    var timeoutDuration: Duration { .milliseconds(Int64(timeout * 1000)) }

    func validateConnection() throws {
        if let problem = SettingRange.timeout.problem("--timeout", timeout) { throw ValidationError(problem) }
        if demo && bootstrap != nil {
            throw ValidationError("--demo and --bootstrap cannot be used together")
        }
        if demo && commandConfig != nil {
            throw ValidationError("--demo and --command-config cannot be used together")
        }
    }
}

extension NameSpecification {
    /// `--bootstrap`, and the spellings operators bring: `--bootstrap-server` (Kafka's tools), `-b` (kcat).
    static var bootstrap: NameSpecification { [.customLong("bootstrap"), .customLong("bootstrap-server"), .customShort("b")] }
}

/// The config file: one name, `--config-file`, and one help text in every command. Where `--config` is not a
/// topic config (everywhere but `topic create` and `topic alter-config`) the older `--config FILE` is read too,
/// not shown in the help.
struct ConfigFileOption: ParsableArguments, Sendable {
    static let help = ArgumentHelp(
        "Config file (default: $KAFKAOPS_CONFIG, else $XDG_CONFIG_HOME/kafkaops/config.yaml, else ~/.config/kafkaops/config.yaml).",
        valueName: "file")

    @Option(name: .customLong("config-file"), help: Self.help)
    var configFile: String?

    @Option(name: .customLong("config"), help: .hidden)
    var olderSpelling: String?

    var path: String? { configFile ?? olderSpelling }

    func validate() throws {
        if configFile != nil && olderSpelling != nil { throw ValidationError("give the config file once (--config-file)") }
    }
}

/// Options every command takes: how to reach the cluster and how to talk.
struct GlobalOptions: ParsableArguments, ConnectionArguments {
    @Option(name: [.long, .customShort("p")],
            help: "Profile name from the config file (default: $KAFKAOPS_PROFILE, else the file's `current`, or the only one).",
            completion: Completions.profiles)
    var profile: String?

    @Option(name: .bootstrap, help: "Bootstrap servers host:port[,host:port], overriding the profile's.")
    var bootstrap: String?

    @Option(name: .customShort("X"), help: ArgumentHelp(
        "librdkafka property, over the profile's `properties:` (repeatable; secrets go in the config file or the environment).",
        valueName: "key=value"))
    var properties: [String] = []

    @OptionGroup var configFileOption: ConfigFileOption
    var configFile: String? { configFileOption.path }

    @Option(name: .long, help: ArgumentHelp(
        "Kafka client properties file, as kafka-topics.sh --command-config takes it (bootstrap.servers, security.protocol, sasl.*, ssl.*).",
        valueName: "file"))
    var commandConfig: String?

    // Unconditional: `--timeout -1` reaches the range check ("must be more than 0 ..."), not "Missing value".
    @Option(name: .long, parsing: .unconditional, help: "Seconds to wait for the cluster before giving up.")
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
    @Option(name: [.long, .customShort("p")], help: "Profile name from the config file (default: $KAFKAOPS_PROFILE).")
    var profile: String?

    @Option(name: .bootstrap, help: "Bootstrap servers host:port[,host:port], overriding the profile's.")
    var bootstrap: String?

    @Option(name: .customShort("X"), help: ArgumentHelp("librdkafka property, over the profile's `properties:` (repeatable).",
                                                         valueName: "key=value"))
    var properties: [String] = []

    @Option(name: .customLong("config-file"), help: ConfigFileOption.help)
    var configFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "Kafka client properties file, as kafka-topics.sh --command-config takes it (bootstrap.servers, security.protocol, sasl.*, ssl.*).",
        valueName: "file"))
    var commandConfig: String?

    // Unconditional: `--timeout -1` reaches the range check ("must be more than 0 ..."), not "Missing value".
    @Option(name: .long, parsing: .unconditional, help: "Seconds to wait for the cluster before giving up.")
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
    @Option(name: [.long, .customShort("o")], help: "Output format: table, json or yaml (the same fields as json).")
    var output: OutputFormat = .table
}

extension Brokers: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Topics: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.Describe: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Groups: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension GroupCommand.Describe: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Lag: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.Create: TimedCommand { var timeoutSeconds: Double { connection.timeout } }
extension TopicCommand.AlterConfig: TimedCommand { var timeoutSeconds: Double { connection.timeout } }
extension TopicCommand.ReassignPlan: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Audit: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension ElectLeaders: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.AddPartitions: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.Delete: TimedCommand { var timeoutSeconds: Double { global.timeout } }
// The group is read twice, `ResetInputs.assignCommitterPause` (6 s) apart, each read with the whole --timeout.
extension GroupCommand.Delete: TimedCommand { var timeoutSeconds: Double { 2 * global.timeout + 6 } }

extension GlobalOptions {
    /// The options that chose the cluster, as given (a config file or profile from KAFKAOPS_CONFIG /
    /// KAFKAOPS_PROFILE written out): a printed command (a reset's undo) must reach the same one.
    var connectionArguments: [String] { connectionArguments(environment: ProcessInfo.processInfo.environment) }

    func connectionArguments(environment env: [String: String]) -> [String] {
        var args: [String] = []
        if let c = ProfileLoader.requestedConfig(configFile, environment: env) { args += ["--config", c] }
        if let p = ProfileLoader.requestedProfile(self, environment: env) { args += ["--profile", p.name] }
        if let f = commandConfig { args += ["--command-config", f] }
        if let b = bootstrap { args += ["--bootstrap", b] }
        for x in properties { args += ["-X", x] }
        if demo { args.append("--demo") }
        return args
    }
}
