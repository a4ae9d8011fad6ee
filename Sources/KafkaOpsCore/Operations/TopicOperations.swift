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

    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<ChangeConfirmation> {
        try await .confirming({
            try await client.alterTopicConfigs(preview.topic, set: preview.set, delete: preview.delete, deadline: .after(timeout))
        }, readBack: { await readBack(client: client, timeout: timeout) })
    }

    /// The topic's configs read again: applied when every set value is the value asked for and every
    /// deleted override is gone. The value is judged, not its source: tansu (and other brokers) report
    /// a topic override as DEFAULT_CONFIG. A deleted override that still reads its old value is still
    /// there when its source is the topic's; from any other source the value alone cannot tell whether it
    /// is the override or a default equal to it, so the outcome is unknown, never "applied".
    func readBack(client: any ClusterClient, timeout: Duration) async -> ChangeConfirmation {
        let topic = preview.topic
        switch await ReadBack.retrying(budget: timeout, { try await client.topicConfigs([topic], deadline: $0) }) {
        case .failure(let e): return .unknown(e.description)
        case .success(let configs):
            let entries = Dictionary((configs[topic] ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let removed = Dictionary(preview.changes.map { ($0.name, $0.before) }, uniquingKeysWith: { a, _ in a })
            var missing = preview.set.filter { entries[$0.key]?.value != $0.value }.map(\.key)
            var unsure: [String] = []
            for name in preview.delete {
                guard let e = entries[name] else { continue }
                guard let old = removed[name] ?? nil else {
                    if e.source == .topic { missing.append(name) }
                    continue
                }
                if e.value == old { if e.source == .topic { missing.append(name) } else { unsure.append(name) } }
            }
            if missing.isEmpty, !unsure.isEmpty {
                return .unknown("read back: " + unsure.sorted().joined(separator: ", ")
                                + " still read(s) the old value, so whether the override was removed cannot be told")
            }
            return .readBack(applied: missing.isEmpty,
                             detail: missing.isEmpty ? "every config as asked" : "not as asked: " + missing.sorted().joined(separator: ", "))
        }
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

    /// `topics` is kept once each, in the order given (`--topic orders --topic orders` is one topic).
    public init(candidates: [ElectionCandidate], topics: [String]?) {
        self.candidates = candidates
        var seen = Set<String>()
        self.topics = topics.map { $0.filter { seen.insert($0).inserted } }
    }

    /// What a protected profile makes the operator type for an election over every topic.
    public static let allTopicsConfirmation = "all-topics"

    public var action: ChangeAction { .electPreferredLeaders }
    public var target: String { topics.map { $0.joined(separator: ",") } ?? "*" }
    public var summary: String { "run a preferred leader election" }
    /// A protected profile always asks for a name: the topic's for one topic, the topics' names joined
    /// by commas (as given) for several, `all-topics` for every topic.
    public var confirmationName: String? { topics.map { $0.joined(separator: ",") } ?? Self.allTopicsConfirmation }
    public var recordBefore: JSONValue {
        .array(candidates.map { .string("\($0.partition): leader \($0.leader.map(String.init) ?? "none")") })
    }
    public var recordAfter: JSONValue { .array(candidates.map { .string("\($0.partition): leader \($0.preferred)") }) }

    /// Per partition: "elected" or "failed: why"; after a lost answer, what the metadata read again says
    /// ("elected (read back)", "not elected (read back): leader 2", "unknown: ...").
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<[TopicPartition: String]> {
        var results: [TopicPartition: String] = [:]
        var lost: ClusterError?
        do {
            let answers = try await client.electPreferredLeaders(candidates.map(\.partition), deadline: .after(timeout))
            for a in answers { results[a.partition] = a.error.map { "failed: \($0.message)" } ?? "elected" }
        } catch {
            guard let e = LostAnswer.of(error) else { throw error }
            lost = e
            results = await readBack(client: client, timeout: timeout)
        }
        let allElected = candidates.allSatisfy { results[$0.partition] == "elected" }
        let details = JSONValue.object(Dictionary(uniqueKeysWithValues: results.map { ($0.key.description, .string($0.value)) }))
        if let lost {
            let elected = results.values.filter { $0.hasPrefix("elected") }.count
            return ChangeExecution(results, result: "unknown: no answer to the request (\(lost.description)) after it was sent; "
                                   + "read back: \(elected) of \(candidates.count) elected", details: details)
        }
        return ChangeExecution(results, result: allElected ? "ok" : "partial", details: details)
    }

    func readBack(client: any ClusterClient, timeout: Duration) async -> [TopicPartition: String] {
        switch await ReadBack.retrying(budget: timeout, { try await client.metadata(deadline: $0) }) {
        case .failure(let e):
            return Dictionary(uniqueKeysWithValues: candidates.map { ($0.partition, "unknown: not read back: \(e.description)") })
        case .success(let md):
            var leaders: [TopicPartition: Int32?] = [:]
            for t in md.topics { for p in t.partitions { leaders[TopicPartition(t.name, p.id)] = p.leader } }
            return Dictionary(uniqueKeysWithValues: candidates.map { c in
                let leader = leaders[c.partition] ?? nil
                return (c.partition, leader == c.preferred ? "elected (read back)"
                        : "not elected (read back): leader \(leader.map(String.init) ?? "none")")
            })
        }
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

    /// Error findings refuse the creation; with `allowOverride` (`--allow-policy-violation`, the console's typed
    /// override) only those `TopicCreation.overridable` does not accept still do.
    public func policyRefusal(allowOverride: Bool) -> String? {
        let errors = findings.filter { $0.severity == .error }
        guard !errors.isEmpty else { return nil }
        func list(_ fs: [Finding]) -> String { fs.map { "\($0.rule) (\($0.current))" }.joined(separator: ", ") }
        guard allowOverride else { return "\(errors.count) policy rule(s) violated: " + list(errors) }
        let hard = errors.filter { !TopicCreation.overridable($0, topic: topic) }
        guard !hard.isEmpty else { return nil }
        return "\(hard.count) rule(s) violated that no policy override accepts: " + list(hard)
    }

    /// The error findings a creation goes ahead with: only ever under a policy override (the pipeline refuses
    /// them otherwise), so the change log names each one.
    public var overriddenFindings: [Finding] { findings.filter { $0.severity == .error } }

    /// The policy and its verdict; "policy_overridden" lists the rules a policy override accepted.
    var details: JSONValue {
        var d: [String: JSONValue] = ["policy": .string(policyName), "verdict": .string(TopicCreation.verdict(findings))]
        let overridden = overriddenFindings
        if !overridden.isEmpty { d["policy_overridden"] = .array(overridden.map { .string("\($0.rule) (\($0.current))") }) }
        return .object(d)
    }

    public var recordDetails: JSONValue { details }

    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<ChangeConfirmation> {
        try await .confirming(details: details, {
            try await client.createTopic(topic, validateOnly: false, deadline: .after(timeout))
        }, readBack: { await readBack(client: client, timeout: timeout) })
    }

    /// The metadata read again: applied when the topic is there with its partitions.
    func readBack(client: any ClusterClient, timeout: Duration) async -> ChangeConfirmation {
        let name = topic.name, partitions = Int(topic.partitions)
        switch await ReadBack.retrying(budget: timeout, { try await client.metadata(deadline: $0) }) {
        case .failure(let e): return .unknown(e.description)
        case .success(let md):
            guard let t = md.topics.first(where: { $0.name == name }) else {
                return .readBack(applied: false, detail: "the topic is not in the metadata")
            }
            return .readBack(applied: true, detail: "the topic exists with \(t.partitions.count) of \(partitions) partition(s)")
        }
    }
}
