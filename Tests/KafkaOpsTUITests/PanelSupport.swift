import Foundation
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsTUI

/// Values a job sent.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var _values: [FlowEvent] = []
    var values: [FlowEvent] { lock.withLock { _values } }
    func add(_ v: FlowEvent) { lock.withLock { _values.append(v) } }
    /// The values sent so far, emptying the inbox.
    func take() -> [FlowEvent] { lock.withLock { defer { _values = [] }; return _values } }
}

extension ConsoleState {
    /// Runs the jobs among `effects` against `client` (as the program would, off the main actor)
    /// and delivers what they sent to their panel; returns the effects of those deliveries.
    @discardableResult
    mutating func runJobs(_ effects: [Effect], client: any ClusterClient) async -> [Effect] {
        var out: [Effect] = []
        for case .job(let job) in effects {
            let inbox = Inbox()
            await job.run(JobContext(client: client, timeout: .seconds(5), operations: operations) { inbox.add($0) })
            for v in inbox.values { out += update(.panelReceived(panelID: job.panelID, value: v)) }
        }
        return out
    }
}

/// A test cluster built on FakeCluster: every call goes to `base` unless the conforming type
/// implements it (the recording fakes override only the calls they record).
protocol ForwardingCluster: ClusterClient {
    var base: FakeCluster { get }
}

extension ForwardingCluster {
    func metadata(deadline: Deadline) async throws -> ClusterMetadata { try await base.metadata(deadline: deadline) }
    func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        try await base.topicConfigs(topics, deadline: deadline)
    }
    func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] {
        try await base.brokerConfigs(broker, deadline: deadline)
    }
    func listGroups(deadline: Deadline) async throws -> [GroupListing] { try await base.listGroups(deadline: deadline) }
    func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        try await base.describeGroups(groups, deadline: deadline)
    }
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        try await base.committedOffsets(group: group, deadline: deadline)
    }
    func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        try await base.logOffsets(partitions, deadline: deadline)
    }
    func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] {
        try await base.offsetsForTimes(query, deadline: deadline)
    }
    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        try await base.readRecords(request, deadline: deadline)
    }
    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        try await base.createTopic(topic, validateOnly: validateOnly, deadline: deadline)
    }
    func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        try await base.alterTopicConfigs(topic, set: set, delete: delete, deadline: deadline)
    }
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        try await base.alterGroupOffsets(group: group, offsets: offsets, deadline: deadline)
    }
    func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        try await base.deleteGroupOffsets(group: group, partitions: partitions, deadline: deadline)
    }
    func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        try await base.electPreferredLeaders(partitions, deadline: deadline)
    }
    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        try await base.produce(records, deadline: deadline)
    }
}
