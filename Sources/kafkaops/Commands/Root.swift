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
                      Audit.self, ElectLeaders.self, LintClient.self, ResetOffsets.self, DLQ.self, Probe.self, ConfigCommand.self],
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

    func run() async throws {
        let session = try Session.open(global)
        let env = ProcessInfo.processInfo.environment
        let r = session.resolved
        let (policyValue, _) = try PolicyLoader.load(option: policy, profile: r.profile)
        var opts = ConsoleOptions(
            client: session.client, profileName: r.isDemo ? "demo" : r.name, readOnly: r.readOnly, isDemo: r.isDemo,
            refreshInterval: .milliseconds(Int64((r.profile.refreshInterval ?? 10) * 1000)),
            timeout: global.timeoutDuration,
            theme: theme ?? r.profile.theme,
            noColor: noColor)
        opts.policy = policyValue
        opts.operations = OperationSettings(
            protected: r.profile.protected, bootstrap: r.settings?.bootstrapServers ?? "BOOTSTRAP",
            openChangeLog: { try ChangeLogFile.open(r, environment: env) },
            resetSkipThreshold: r.profile.resetSkipThreshold ?? 0, replayRate: r.profile.replayRate,
            dlqHeaders: r.profile.dlqHeaders ?? DLQHeaderMapping(), connectionArguments: global.connectionArguments)
        opts.operations.readOnly = r.readOnly
        opts.operations.probeRate = r.profile.probeRate
        opts.operations.profileName = r.isDemo ? "demo" : r.name
        let code = await runConsole(opts)
        if code != 0 { throw ExitCode(code) }
    }
}
