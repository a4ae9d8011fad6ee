import ArgumentParser
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json
}

/// Options every command takes: how to reach the cluster and how to talk.
struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Profile name from the config file (default: the file's `current`, or the only one).")
    var profile: String?

    @Option(name: .long, help: "Bootstrap servers host:port[,host:port], overriding the profile's.")
    var bootstrap: String?

    @Option(name: .long, help: "Config file (default: $XDG_CONFIG_HOME/kafkaops/config.yaml, else ~/.config/kafkaops/config.yaml).")
    var config: String?

    @Option(name: .long, help: "Seconds to wait for the cluster before giving up.")
    var timeout: Double = 10

    @Flag(name: .long, help: "Refuse every change to the cluster, whatever the profile says.")
    var readOnly = false

    @Flag(name: .long, help: "Use the built-in simulated cluster instead of a real one.")
    var demo = false

    @Flag(name: .long, help: "Show librdkafka's log lines and more detail on errors.")
    var verbose = false

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be between 0 and 3600 seconds, got \(timeout)")
        }
        if demo && bootstrap != nil {
            throw ValidationError("--demo and --bootstrap cannot be used together")
        }
    }

    var timeoutDuration: Duration { .milliseconds(Int64(timeout * 1000)) }
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
extension TopicCommand.Create: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.AlterConfig: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension TopicCommand.ReassignPlan: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension Audit: TimedCommand { var timeoutSeconds: Double { global.timeout } }
extension ElectLeaders: TimedCommand { var timeoutSeconds: Double { global.timeout } }
