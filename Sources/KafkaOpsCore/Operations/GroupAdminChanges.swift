import Foundation

/// What deleting a group (or one topic's offsets of it) needs to know, read with the reset's own inputs
/// (`ResetInputs`: the listing and description reconciled, the committed offsets) and judged by the reset's
/// inactive rule (`ResetInputs.checkInactive`: Empty or Dead by every answer, no members, offsets that did
/// not move between two samples): one rule for every change to a group's offsets.
public enum GroupDeletion {
    /// Reads the group (a second sample `pause` later, for an assign() committer) and refuses a group that
    /// does not exist, is not inactive, or (with `topic`) has no committed offsets for that topic.
    public static func load(group: String, topic: String?, client: any ClusterClient, deadline: Deadline,
                            secondSampleAfter pause: Duration?) async throws -> Result<ResetInputs, GroupDeletionRefusal> {
        let inputs: ResetInputs
        if let pause {
            inputs = try await ResetInputs.load(group: group, client: client, deadline: deadline, secondSampleAfter: pause)
        } else {
            inputs = try await ResetInputs.load(group: group, client: client, deadline: deadline)
        }
        return check(inputs, topic: topic)
    }

    /// The refusals, on inputs already read.
    public static func check(_ inputs: ResetInputs, topic: String?) -> Result<ResetInputs, GroupDeletionRefusal> {
        let group = inputs.group
        guard inputs.state != nil else { return .failure(.unknownGroup(group)) }
        do { try inputs.checkInactive() } catch {
            guard case .groupNotInactive(_, let state, let members) = error else { return .failure(.notInactive(group: group, lines: [error.description])) }
            var lines = ["its state is \(state.rawValue): only an Empty or Dead group without members can be deleted."]
            if !members.isEmpty { lines += ["Members still in the group (stop them first):"] + ResetPreflight.memberLines(members).map { "  " + $0 } }
            return .failure(.notInactive(group: group, lines: lines))
        }
        if let topic, !inputs.committed.keys.contains(where: { $0.topic == topic }) {
            return .failure(.noOffsets(group: group, topic: topic))
        }
        return .success(inputs)
    }
}

public enum GroupDeletionRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownGroup(String)
    /// The reset's refusal (Kafka's sentence, then the members), as lines.
    case notInactive(group: String, lines: [String])
    case noOffsets(group: String, topic: String)

    public var description: String {
        switch self {
        case .unknownGroup(let g): return "group '\(Sanitizer.terminal(g))' does not exist"
        case .notInactive(let g, let lines):
            return "group '\(Sanitizer.terminal(g))' is not inactive: " + lines.joined(separator: "\n")
        case .noOffsets(let g, let t):
            return "group '\(Sanitizer.terminal(g))' has no committed offsets for topic '\(Sanitizer.terminal(t))'"
        }
    }
}

/// The group read again just before a deletion: it must still be inactive (the same rule), and its offsets
/// the ones previewed.
func groupStillDeletable(_ group: String, topic: String?, committed: [TopicPartition: Int64],
                         client: any ClusterClient, timeout: Duration) async -> String? {
    let fresh: ResetInputs
    do { fresh = try await ResetInputs.load(group: group, client: client, deadline: .after(timeout)) } catch {
        return "cannot read group '\(Sanitizer.terminal(group))' again before the deletion: \(Sanitizer.terminal(String(describing: error)))"
    }
    if case .failure(let why) = GroupDeletion.check(fresh, topic: topic) { return why.description }
    let scoped = { (c: [TopicPartition: Int64]) in topic.map { t in c.filter { $0.key.topic == t } } ?? c }
    if scoped(fresh.committed) != scoped(committed) {
        return "the committed offsets of group '\(Sanitizer.terminal(group))' changed since the preview; look again"
    }
    return nil
}

func offsetsJSON(_ offsets: [TopicPartition: Int64]) -> JSONValue {
    .object(Dictionary(uniqueKeysWithValues: offsets.map { ($0.key.description, .int($0.value)) }))
}

/// Deleting an inactive consumer group and its committed offsets (DeleteGroups,
/// `kafka-consumer-groups.sh --delete`).
public struct DeleteGroup: ClusterChange {
    public var group: String
    /// Its committed offsets when previewed: what is lost.
    public var committed: [TopicPartition: Int64]

    public init(group: String, committed: [TopicPartition: Int64]) { self.group = group; self.committed = committed }

    public var action: ChangeAction { .deleteGroup }
    public var target: String { group }
    public var summary: String { "delete group \(group)" }
    public var recordBefore: JSONValue { offsetsJSON(committed) }
    public var recordAfter: JSONValue { .null }

    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? {
        await groupStillDeletable(group, topic: nil, committed: committed, client: client, timeout: timeout)
    }

    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<ChangeConfirmation> {
        try await .confirming({ try await client.deleteGroup(group, deadline: .after(timeout)) },
                              readBack: { await readBack(client: client, timeout: timeout) })
    }

    /// Applied when the group is no longer listed and has no committed offsets.
    func readBack(client: any ClusterClient, timeout: Duration) async -> ChangeConfirmation {
        let group = self.group
        switch await ReadBack.retrying(budget: timeout, { d in
            (listed: try await client.listGroups(deadline: d).contains { $0.id == group },
             offsets: try await client.committedOffsets(group: group, deadline: d).count)
        }) {
        case .failure(let e): return .unknown(e.description)
        case .success(let r):
            let gone = !r.listed && r.offsets == 0
            return .readBack(applied: gone, detail: gone ? "the group is not listed and has no committed offsets"
                             : "the group is \(r.listed ? "still listed" : "not listed") with \(r.offsets) committed offset(s)")
        }
    }
}

/// Deleting one topic's committed offsets of an inactive group (OffsetDelete,
/// `kafka-consumer-groups.sh --delete-offsets --topic T`).
public struct DeleteGroupTopicOffsets: ClusterChange {
    public var group: String
    public var topic: String
    /// The group's committed offsets on the topic when previewed.
    public var committed: [TopicPartition: Int64]

    public init(group: String, topic: String, committed: [TopicPartition: Int64]) {
        self.group = group; self.topic = topic; self.committed = committed.filter { $0.key.topic == topic }
    }

    public var action: ChangeAction { .deleteGroupOffsets }
    public var target: String { group }
    public var summary: String { "delete the committed offsets of group \(group) for topic \(topic)" }
    public var recordBefore: JSONValue { offsetsJSON(committed) }
    public var recordAfter: JSONValue { .object(Dictionary(uniqueKeysWithValues: committed.keys.map { ($0.description, JSONValue.null) })) }
    public var recordDetails: JSONValue { .object(["topic": .string(topic)]) }

    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? {
        await groupStillDeletable(group, topic: topic, committed: committed, client: client, timeout: timeout)
    }

    /// Per partition: "deleted", "failed: why", or after a lost answer what the offsets read again say.
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<[TopicPartition: String]> {
        let partitions = committed.keys.sorted()
        do {
            let answers = try await client.deleteGroupOffsets(group: group, partitions: partitions, deadline: .after(timeout))
            var results: [TopicPartition: String] = [:]
            for a in answers { results[a.partition] = a.error.map { "failed: \($0.message)" } ?? "deleted" }
            for tp in partitions where results[tp] == nil { results[tp] = "failed: no result from the broker" }
            let all = results.values.allSatisfy { $0 == "deleted" }
            return ChangeExecution(results, result: all ? "ok" : "partial", details: Self.details(results))
        } catch {
            guard let lost = LostAnswer.of(error) else { throw error }
            let group = self.group
            let results: [TopicPartition: String]
            switch await ReadBack.retrying(budget: timeout, { try await client.committedOffsets(group: group, deadline: $0) }) {
            case .failure(let e):
                results = Dictionary(uniqueKeysWithValues: partitions.map { ($0, "unknown: not read back: \(e.description)") })
            case .success(let now):
                results = Dictionary(uniqueKeysWithValues: partitions.map { tp in
                    (tp, now[tp] == nil ? "deleted (read back)" : "not deleted (read back): committed \(now[tp] ?? 0)")
                })
            }
            let deleted = results.values.filter { $0.hasPrefix("deleted") }.count
            return ChangeExecution(results, result: "unknown: no answer to the request (\(lost.description)) after it was sent; "
                                   + "read back: \(deleted) of \(partitions.count) deleted", details: Self.details(results))
        }
    }

    static func details(_ results: [TopicPartition: String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: results.map { ($0.key.description, .string($0.value)) }))
    }
}
