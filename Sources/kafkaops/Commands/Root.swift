import ArgumentParser
import Foundation
import KafkaOpsCore
import KafkaOpsFiles
import KafkaOpsKafka
import KafkaOpsTUI
import KafkaOpsTerminal

struct Kafkaops: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafkaops",
        abstract: "A terminal operations console for Apache Kafka.",
        discussion: """
        With no subcommand, opens the console (use --demo for the built-in simulated cluster).
        Every screen also exists as a subcommand with --output table|json|yaml.
        Exit codes: 0 ok, 1 cluster error or a finding that should fail a pipeline, 2 usage error.
        """,
        version: "kafkaops \(kafkaopsVersion) (librdkafka \(librdkafkaVersion()))",
        subcommands: [Console.self, Brokers.self, Topics.self, TopicCommand.self, Groups.self, GroupCommand.self, Lag.self,
                      Audit.self, Acls.self, ElectLeaders.self, LintClient.self, ResetOffsets.self, DLQ.self, Consume.self, Produce.self, Probe.self, ConfigCommand.self,
                      Changes.self, Watch.self],
        defaultSubcommand: Console.self
    )
}

/// The console: what `kafkaops` with no subcommand opens.
struct Console: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the console (the default when no subcommand is given).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Colour theme: a name from themes/ or a YAML file.", completion: Completions.themes)
    var theme: String?

    @Flag(name: .long, help: "No colours (NO_COLOR is respected too).")
    var noColor = false

    @Option(name: .long, help: "Policy file (YAML) the Durability pane checks topics against.")
    var policy: String?

    @OptionGroup var schema: SchemaOptions

    func run() async throws {
        let first = try Self.connection(global, policyOption: policy, schemaRegistry: schema.schemaRegistry)
        var opts = ConsoleOptions(
            client: first.connection.client, profileName: first.connection.profileName, readOnly: first.connection.readOnly,
            isDemo: first.connection.isDemo,
            refreshInterval: .milliseconds(Int64((first.profile.refreshInterval ?? 10) * 1000)),
            timeout: global.timeoutDuration,
            theme: theme ?? first.profile.theme,
            noColor: noColor)
        opts.policy = first.connection.policy
        opts.operations = first.connection.operations
        // `:ctx NAME`: the config file's other profiles, connected as `--profile NAME` would be (the
        // command line's cluster options are the first connection's only).
        let env = ProcessInfo.processInfo.environment
        if let (cfg, _, _) = try? ProfileLoader.loadConfig(path: global.configFile, environment: env), !cfg.clusters.isEmpty {
            let base = global
            let policyOption = policy
            opts.contexts = ConsoleContexts(names: cfg.clusters.keys.sorted()) { name in
                var g = base
                g.profile = name; g.bootstrap = nil; g.commandConfig = nil; g.properties = []; g.demo = false
                var c = try Self.connection(g, policyOption: policyOption).connection
                c.profileName = name
                return c
            }
        }
        let code = await runConsole(opts)
        if code != 0 { throw ExitCode(code) }
    }

    /// The console's connection for these options: the client, the profile's policy and what the
    /// mutating flows need (change log, protection, rates). A profile that cannot be used is a
    /// `UsageError` or `ClusterError`, as for every command.
    static func connection(_ global: GlobalOptions, policyOption: String?, schemaRegistry: String? = nil) throws
        -> (connection: ConsoleConnection, profile: Profile) {
        let session = try Session.open(global)
        let env = ProcessInfo.processInfo.environment
        let r = session.resolved
        let (policyValue, _) = try PolicyLoader.load(option: policyOption, profile: r.profile)
        var operations = OperationSettings(
            protected: r.profile.protected, bootstrap: r.settings?.bootstrapServers ?? "BOOTSTRAP",
            openChangeLog: { try ChangeLogFile.open(r, environment: env) },
            resetSkipThreshold: r.profile.resetSkipThreshold ?? 0, replayRate: r.profile.replayRate,
            dlqHeaders: r.profile.dlqHeaders ?? DLQHeaderMapping(), connectionArguments: global.connectionArguments)
        operations.readOnly = r.readOnly
        operations.probeRate = r.profile.probeRate
        operations.recordDecoder = try RecordDecoders.make(r, schemaRegistry: schemaRegistry)
        operations.profileName = r.isDemo ? "demo" : r.name
        if !r.isDemo, let state = XDGPaths.stateDirectory(env) {
            operations.brokerMemory = BrokerMemoryFile(directory: state + "/brokers")
        }
        operations.readChangeHistory = { try session.changeHistory() }
        operations.lockReplay = { dlq, destination in
            let lock = try acquireReplayLock(r, dlq: dlq, destination: destination, environment: env)
            return { lock.release() }
        }
        return (ConsoleConnection(client: session.client, profileName: r.isDemo ? "demo" : r.name, readOnly: r.readOnly,
                                  isDemo: r.isDemo, policy: policyValue, operations: operations), r.profile)
    }
}
