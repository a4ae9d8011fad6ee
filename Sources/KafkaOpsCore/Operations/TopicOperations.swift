import Foundation

/// Setting and deleting topic config overrides (IncrementalAlterConfigs), as previewed.
public struct AlterTopicConfigs: ClusterChange {
    public var preview: ConfigChangePreview
    public init(_ preview: ConfigChangePreview) { self.preview = preview }

    public var action: ChangeAction { .alterTopicConfig }
    public var target: String { preview.topic }
    public var summary: String { "alter the configs of topic \(preview.topic)" }
    /// Config name to value, null when unset.
    public var recordBefore: JSONValue { Self.configs(preview.changes.map { ($0.name, $0.before) }) }
    public var recordAfter: JSONValue { Self.configs(preview.changes.map { ($0.name, $0.after) }) }

    public func policyRefusal(allowOverride: Bool) -> String? { preview.verdict.refusal(allowOverride: allowOverride) }

    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<Void> {
        try await client.alterTopicConfigs(preview.topic, set: preview.set, delete: preview.delete, deadline: .after(timeout))
        return ChangeExecution((), result: "ok")
    }

    static func configs(_ pairs: [(String, String?)]) -> JSONValue {
        .object(Dictionary(pairs.map { ($0.0, $0.1.map(JSONValue.string) ?? .null) }, uniquingKeysWith: { _, b in b }))
    }
}

/// Preferred leader election (kafka-leader-election.sh --election-type PREFERRED) for the candidates.
public struct ElectPreferredLeaders: ClusterChange {
    public var candidates: [ElectionCandidate]
    /// The topics asked for; nil: every topic.
    public var topics: [String]?

    public init(candidates: [ElectionCandidate], topics: [String]?) { self.candidates = candidates; self.topics = topics }

    public var action: ChangeAction { .electPreferredLeaders }
    public var target: String { topics.map { $0.joined(separator: ",") } ?? "*" }
    public var summary: String { "run a preferred leader election" }
    /// A protected profile asks for the topic's name when there is one topic; an election over every
    /// topic has no single name to type.
    public var confirmationName: String? { topics.flatMap { $0.count == 1 ? $0[0] : nil } }
    public var recordBefore: JSONValue {
        .array(candidates.map { .string("\($0.partition): leader \($0.leader.map(String.init) ?? "none")") })
    }
    public var recordAfter: JSONValue { .array(candidates.map { .string("\($0.partition): leader \($0.preferred)") }) }

    /// Per partition: "elected" or "failed: why".
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<[TopicPartition: String]> {
        let answers = try await client.electPreferredLeaders(candidates.map(\.partition), deadline: .after(timeout))
        var results: [TopicPartition: String] = [:]
        for a in answers { results[a.partition] = a.error.map { "failed: \($0.message)" } ?? "elected" }
        let allElected = candidates.allSatisfy { results[$0.partition] == "elected" }
        return ChangeExecution(results, result: allElected ? "ok" : "partial",
                               details: .object(Dictionary(uniqueKeysWithValues: results.map { ($0.key.description, .string($0.value)) })))
    }
}

/// Creating a topic that passed the policy checks (`TopicCreation.findings`).
public struct CreateTopic: ClusterChange {
    public var topic: NewTopic
    public var findings: [Finding]
    /// The policy's name (its file, or "built-in default policy"), for the record.
    public var policyName: String

    public init(_ topic: NewTopic, findings: [Finding], policyName: String) {
        self.topic = topic; self.findings = findings; self.policyName = policyName
    }

    public var action: ChangeAction { .createTopic }
    public var target: String { topic.name }
    public var summary: String { "create topic \(topic.name)" }
    /// Partitions, replication factor and configs.
    public var recordAfter: JSONValue {
        .object(["partitions": .int(Int64(topic.partitions)), "replication_factor": .int(Int64(topic.replicationFactor)),
                 "configs": .strings(topic.configs)])
    }

    public func policyRefusal(allowOverride: Bool) -> String? {
        let errors = findings.filter { $0.severity == .error }
        guard !errors.isEmpty else { return nil }
        return "\(errors.count) policy rule(s) violated: " + errors.map { "\($0.rule) (\($0.current))" }.joined(separator: ", ")
    }

    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<Void> {
        try await client.createTopic(topic, validateOnly: false, deadline: .after(timeout))
        return ChangeExecution((), result: "ok",
                               details: .object(["policy": .string(policyName), "verdict": .string(TopicCreation.verdict(findings))]))
    }
}
