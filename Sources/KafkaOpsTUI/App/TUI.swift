import Foundation
import KafkaOpsCore

/// What the executable passes to the console.
public struct ConsoleOptions: Sendable {
    public var client: any ClusterClient
    /// Profile name for the header ("demo", "prod", or the bootstrap address).
    public var profileName: String
    public var readOnly: Bool
    /// The simulated cluster: the header says DEMO.
    public var isDemo: Bool
    /// Background refresh interval.
    public var refreshInterval: Duration
    /// Deadline for each backend call.
    public var timeout: Duration
    /// `--theme` or the profile's `theme:` (a name in themes/ or a path); nil for the built-in default.
    public var theme: String?
    /// `--no-color` (NO_COLOR is read where colours are set up: `Theme.colorsOff`).
    public var noColor: Bool
    /// The durability policy the console audits topics against (the profile's `policy:` file).
    public var policy: TopicPolicy = .default
    /// What the mutating flows need from the profile (change log, protection, thresholds): the one source of
    /// `protected` for the console.
    public var operations = OperationSettings()
    /// The config file's profiles, for `:ctx` (nil: nothing to switch to).
    public var contexts: ConsoleContexts?

    public init(client: any ClusterClient, profileName: String, readOnly: Bool, isDemo: Bool,
                refreshInterval: Duration = .seconds(10), timeout: Duration = .seconds(10),
                theme: String? = nil, noColor: Bool = false) {
        self.client = client; self.profileName = profileName; self.readOnly = readOnly; self.isDemo = isDemo
        self.refreshInterval = refreshInterval; self.timeout = timeout
        self.theme = theme; self.noColor = noColor
    }
}
