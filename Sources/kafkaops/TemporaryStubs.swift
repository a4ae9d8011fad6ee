// TEMPORARY until the demo and kafka branches merge.
import KafkaOpsCore
struct StubClient: ClusterClient {
    var displayName: String { "stub" }
    func fail() -> ClusterError { ClusterError(.unsupported, "not built yet") }
    func metadata(deadline: Deadline) async throws -> ClusterMetadata { throw fail() }
    func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] { throw fail() }
    func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] { throw fail() }
    func listGroups(deadline: Deadline) async throws -> [GroupListing] { throw fail() }
    func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] { throw fail() }
    func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] { throw fail() }
    func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] { throw fail() }
    func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] { throw fail() }
    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] { throw fail() }
    func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws { throw fail() }
    func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws { throw fail() }
    func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] { throw fail() }
    func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] { throw fail() }
    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] { throw fail() }
}
func DemoCluster() -> StubClient { StubClient() }
func KafkaClusterClient(settings: ConnectionSettings) throws -> StubClient { StubClient() }
