import Foundation
import KafkaOpsCore

/// A cluster the console can switch to without restarting (`:ctx NAME`, as k9s' contexts): its
/// client and the profile's settings.
public struct ConsoleConnection: Sendable {
    public var client: any ClusterClient
    public var profileName: String
    public var readOnly: Bool
    public var isDemo: Bool
    public var policy: TopicPolicy
    public var operations: OperationSettings

    public init(client: any ClusterClient, profileName: String, readOnly: Bool, isDemo: Bool,
                policy: TopicPolicy = .default, operations: OperationSettings = OperationSettings()) {
        self.client = client; self.profileName = profileName; self.readOnly = readOnly; self.isDemo = isDemo
        self.policy = policy; self.operations = operations
    }
}

/// The config file's profiles and how to connect to one (the CLI builds clients from profiles; the
/// console only asks). `connect` runs off the main actor.
public struct ConsoleContexts: Sendable {
    public var names: [String]
    public var connect: @Sendable (String) async throws -> ConsoleConnection

    public init(names: [String], connect: @escaping @Sendable (String) async throws -> ConsoleConnection) {
        self.names = names; self.connect = connect
    }
}

extension ConsoleState {
    /// `:ctx` lists the profiles; `:ctx NAME` switches to one (refused while a change is in flight).
    mutating func switchContext(_ name: String?) -> [Effect] {
        guard !contextNames.isEmpty else {
            status = StatusMessage(text: "no profiles to switch to: the config file has none (kafkaops config profiles)", isError: true)
            return []
        }
        let list = contextNames.map { $0 == profileName ? "*" + Fmt.safe($0) : Fmt.safe($0) }.joined(separator: " ")
        guard let name else {
            status = StatusMessage(text: "profiles: \(list)   (:ctx NAME switches)", isError: false)
            return []
        }
        guard contextNames.contains(name) else {
            status = StatusMessage(text: "no profile named '\(Fmt.safe(name))'; profiles: \(list)", isError: true)
            return []
        }
        if name == profileName {
            status = StatusMessage(text: "already on profile \(Fmt.safe(name))", isError: false)
            return []
        }
        if let change = changeInFlight {
            status = StatusMessage(text: "not now: \(change)", isError: true)
            return []
        }
        status = StatusMessage(text: "connecting to profile \(Fmt.safe(name))…", isError: false)
        return [.switchContext(name)]
    }

    /// The connection to another profile is ready (or failed): on success every panel closes and the
    /// console starts over on the new cluster's overview, as a fresh start would.
    mutating func contextSwitched(_ name: String, _ result: Result<ConsoleConnection, ClusterError>) -> [Effect] {
        switch result {
        case .failure(let e):
            status = StatusMessage(text: "cannot switch to profile \(Fmt.safe(name)): \(Fmt.safe(e.description)); still on \(Fmt.safe(profileName))",
                                   isError: true)
            return []
        case .success(let c):
            var effects: [Effect] = panels.map { .cancelJobs(panelID: $0.id) }
            panels = []
            profileName = c.profileName; readOnly = c.readOnly; isDemo = c.isDemo
            policy = c.policy; operations = c.operations
            snapshot = nil; snapshotComplete = false; derived = nil; roster = BrokerRoster()
            lag = LagTrends(interval: refreshInterval)
            lastError = nil; prompt = nil
            saved = [:]
            loaded = [:]
            connection += 1
            stack = [makeScreen(.overview)]
            loading = false
            status = StatusMessage(text: "switched to profile \(Fmt.safe(c.profileName))", isError: false)
            effects += startLoad(metadataFirst: true)
            return effects
        }
    }
}
