import Foundation

extension TopicInfo {
    /// The one rule for a topic kafkaops never deletes nor re-partitions: the metadata calls it internal
    /// (`__consumer_offsets`, `__transaction_state`), or its name starts with "__" as Kafka's own do.
    public var isInternalTopic: Bool { isInternal || Self.looksInternal(name) }
}

/// Why an admin change on a topic cannot be planned: one line; `isUsage` when the operator's input is wrong
/// (exit 2), else the cluster says no (exit 1).
public struct TopicChangeRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public var isUsage: Bool
    public init(_ description: String, isUsage: Bool) { self.description = description; self.isUsage = isUsage }

    static func unknownTopic(_ t: String) -> TopicChangeRefusal {
        TopicChangeRefusal("topic '\(Sanitizer.terminal(t))' does not exist", isUsage: false)
    }
    static func internalTopic(_ t: String, _ what: String) -> TopicChangeRefusal {
        TopicChangeRefusal("topic '\(Sanitizer.terminal(t))' is internal: kafkaops does not \(what) an internal topic", isUsage: false)
    }
}

/// More partitions for a topic (`kafka-topics.sh --alter --partitions N`, CreatePartitions). Kafka can only
/// add partitions, and a keyed record's partition is its key's hash modulo the count: records with the same
/// key go to another partition from now on, so per-key order across the change is lost.
public struct AddPartitions: ClusterChange {
    public var topic: String
    public var current: Int
    public var wanted: Int32

    /// The warning every preview shows.
    public static let keyedRecordsWarning =
        "records with a key go to a different partition from now on (the partition is the key's hash modulo the count): "
        + "per-key order across this change is lost, and consumers that expect a key on one partition see it on another"

    /// The change for `topic` raised to `partitions`: refused for an unknown or internal topic, and for a count
    /// that is not above the current one (Kafka can only add partitions).
    public static func plan(_ md: ClusterMetadata, topic: String, partitions: Int32) -> Result<AddPartitions, TopicChangeRefusal> {
        guard let t = md.topics.first(where: { $0.name == topic }) else { return .failure(.unknownTopic(topic)) }
        if t.isInternalTopic { return .failure(.internalTopic(topic, "add partitions to")) }
        guard Int(partitions) > t.partitions.count else {
            return .failure(TopicChangeRefusal(
                "topic '\(Sanitizer.terminal(topic))' has \(t.partitions.count) partition(s): --partitions must be more than that "
                + "(Kafka can only add partitions), got \(partitions)", isUsage: true))
        }
        return .success(AddPartitions(topic: topic, current: t.partitions.count, wanted: partitions))
    }

    public var action: ChangeAction { .addPartitions }
    public var target: String { topic }
    public var summary: String { "add partitions to topic \(topic) (\(current) -> \(wanted))" }
    public var recordBefore: JSONValue { .object(["partitions": .int(Int64(current))]) }
    public var recordAfter: JSONValue { .object(["partitions": .int(Int64(wanted))]) }

    /// The topic read again: it must still have the count the plan started from.
    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? {
        do {
            let md = try await client.metadata(deadline: .after(timeout), racks: false)
            guard let t = md.topics.first(where: { $0.name == topic }) else { return "topic '\(Sanitizer.terminal(topic))' no longer exists" }
            if t.partitions.count != current {
                return "topic '\(Sanitizer.terminal(topic))' now has \(t.partitions.count) partition(s), not the \(current) planned from; plan again"
            }
            return nil
        } catch {
            return "cannot read topic '\(Sanitizer.terminal(topic))' again before the change: \(Sanitizer.terminal(String(describing: error)))"
        }
    }

    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<ChangeConfirmation> {
        try await .confirming({ try await client.createPartitions(topic, totalCount: wanted, deadline: .after(timeout)) },
                              readBack: { await readBack(client: client, timeout: timeout) })
    }

    /// The metadata read again: applied when the topic has the partitions asked for.
    func readBack(client: any ClusterClient, timeout: Duration) async -> ChangeConfirmation {
        let topic = self.topic, wanted = Int(self.wanted)
        switch await ReadBack.retrying(budget: timeout, { try await client.metadata(deadline: $0) }) {
        case .failure(let e): return .unknown(e.description)
        case .success(let md):
            guard let t = md.topics.first(where: { $0.name == topic }) else {
                return .readBack(applied: false, detail: "the topic is not in the metadata")
            }
            return .readBack(applied: t.partitions.count >= wanted, detail: "the topic has \(t.partitions.count) of \(wanted) partition(s)")
        }
    }
}

/// What deleting a topic loses, for the preview: its partitions' log start and end offsets (records =
/// end - start) and the groups that still have committed offsets on it.
public struct TopicDeletionPreview: Hashable, Sendable {
    public var topic: String
    public var offsets: [Int32: LogOffsets]
    /// Groups with a committed offset on the topic, sorted.
    public var committingGroups: [String]
    /// Groups whose offsets could not be read (they may commit to it too), sorted.
    public var unreadGroups: [String] = []

    public var records: Int64 { offsets.values.reduce(0) { $0 + $1.count } }

    /// Reads the topic's offsets and every group's committed offsets (a few at a time). Refused for an
    /// unknown or internal topic before anything else is read.
    public static func load(topic: String, client: any ClusterClient, deadline: Deadline) async throws -> Result<TopicDeletionPreview, TopicChangeRefusal> {
        let md = try await client.metadata(deadline: deadline, racks: false)
        guard let t = md.topics.first(where: { $0.name == topic }) else { return .failure(.unknownTopic(topic)) }
        if t.isInternalTopic { return .failure(.internalTopic(topic, "delete")) }
        let tps = t.partitions.map { TopicPartition(topic, $0.id) }
        async let offsetsR = client.logOffsets(tps, deadline: deadline)
        let groups = try await client.listGroups(deadline: deadline).map(\.id)
        var committing: [String] = [], unread: [String] = []
        // A few groups at a time: a cluster with thousands of groups is read without flooding it.
        var next = groups.makeIterator()
        try await withThrowingTaskGroup(of: (String, Bool?).self) { tg in
            func add() {
                guard let g = next.next() else { return }
                tg.addTask {
                    do { return (g, try await client.committedOffsets(group: g, deadline: deadline).keys.contains { $0.topic == topic }) }
                    catch { return (g, nil) }
                }
            }
            for _ in 0..<8 { add() }
            while let (g, commits) = try await tg.next() {
                switch commits {
                case .some(true): committing.append(g)
                case .none: unread.append(g)
                default: break
                }
                add()
            }
        }
        let offsets = try await offsetsR
        return .success(TopicDeletionPreview(topic: topic, offsets: Dictionary(uniqueKeysWithValues: offsets.map { ($0.key.partition, $0.value) }),
                                             committingGroups: committing.sorted(), unreadGroups: unread.sorted()))
    }
}

/// What a topic deletion did: how it is known, and whether the topic was still listed after it.
public struct TopicDeletionOutcome: Hashable, Sendable {
    public var confirmation: ChangeConfirmation
    /// The broker answered but the metadata still listed the topic when read again within the timeout
    /// (Kafka deletes in the background).
    public var stillListed: Bool
}

/// Deleting a topic and its records (DeleteTopics). Never an internal topic; on a protected profile the
/// name is typed.
public struct DeleteTopic: ClusterChange {
    public var preview: TopicDeletionPreview
    public init(_ preview: TopicDeletionPreview) { self.preview = preview }

    public var action: ChangeAction { .deleteTopic }
    public var target: String { preview.topic }
    public var summary: String { "delete topic \(preview.topic)" }
    /// Partitions, records and end offsets: what is gone after it.
    public var recordBefore: JSONValue {
        .object(["partitions": .int(Int64(preview.offsets.count)), "records": .int(preview.records),
                 "end_offsets": .object(Dictionary(uniqueKeysWithValues: preview.offsets.map { (String($0.key), .int($0.value.end)) })),
                 "committing_groups": .array(preview.committingGroups.map(JSONValue.string))])
    }
    public var recordAfter: JSONValue { .null }

    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? {
        do {
            let md = try await client.metadata(deadline: .after(timeout), racks: false)
            guard let t = md.topics.first(where: { $0.name == preview.topic }) else {
                return "topic '\(Sanitizer.terminal(preview.topic))' no longer exists"
            }
            if t.isInternalTopic { return "topic '\(Sanitizer.terminal(preview.topic))' is internal" }
            return nil
        } catch {
            return "cannot read topic '\(Sanitizer.terminal(preview.topic))' again before the deletion: \(Sanitizer.terminal(String(describing: error)))"
        }
    }

    /// Deletes, then reads the metadata until the topic is gone (or the timeout is spent): after a lost answer
    /// a topic gone is applied, one still listed unknown (Kafka deletes in the background); after an answer it
    /// only says whether the topic is still listed.
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<TopicDeletionOutcome> {
        var lost: ClusterError?
        do {
            try await client.deleteTopic(preview.topic, deadline: .after(timeout))
        } catch {
            guard let e = LostAnswer.of(error) else { throw error }
            lost = e
        }
        let topic = preview.topic
        let gone = await ReadBack.retrying(budget: timeout) { d -> Bool in
            let listed = try await client.metadata(deadline: d, racks: false).topics.contains { $0.name == topic }
            if listed { throw ReadBackFailed(description: "the topic is still in the metadata") }
            return true
        }
        guard let lost else {
            let still = (try? gone.get()) == nil
            return ChangeExecution(TopicDeletionOutcome(confirmation: .answered, stillListed: still), result: "ok",
                                   details: still ? .object(["read_back": .string("still in the metadata")]) : .object(["read_back": .string("gone from the metadata")]))
        }
        let c: ChangeConfirmation
        switch gone {
        case .success: c = .readBack(applied: true, detail: "the topic is gone from the metadata")
        // Still listed: Kafka deletes in the background, so that proves nothing either way.
        case .failure(let e): c = .unknown(e.description)
        }
        return ChangeExecution(TopicDeletionOutcome(confirmation: c, stillListed: c.isApplied != true), result: c.result(lost: lost))
    }
}
