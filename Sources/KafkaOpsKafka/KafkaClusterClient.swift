import Foundation
import KafkaOpsCore
import CRdKafka

/// The real `ClusterClient`, on librdkafka.
///
/// One admin handle is created with the client and kept warm; admin requests are enqueued on it
/// and answered on one result queue by a poller thread, so independent calls run concurrently.
/// Blocking librdkafka calls (metadata, the browsing consumer, the producer's flush) run on a
/// dedicated dispatch queue, never on the caller's thread. Every call honours its deadline.
public final class KafkaClusterClient: ClusterClient, @unchecked Sendable {
    public let settings: ConnectionSettings
    public var displayName: String { settings.bootstrapServers }

    let runtime: AdminRuntime
    let context: ErrorContext
    private let producerLock = NSLock()
    private var producerInstance: Producer?

    public init(settings: ConnectionSettings) throws {
        self.settings = settings
        context = ErrorContext(operation: "connect", bootstrap: settings.bootstrapServers,
                               secrets: RdKafkaProperties.secrets(settings), saslMechanism: settings.sasl?.mechanism)
        runtime = try AdminRuntime(settings: settings, context: context)
    }

    deinit { runtime.shutdown() }

    func ctx(_ operation: String) -> ErrorContext {
        var c = context
        c.operation = operation
        return c
    }

    // MARK: metadata

    public func metadata(deadline: Deadline) async throws -> ClusterMetadata {
        try await metadata(deadline: deadline, racks: true)
    }

    public func metadata(deadline: Deadline, racks: Bool) async throws -> ClusterMetadata {
        let ctx = ctx("read cluster metadata")
        // DescribeCluster (racks) runs alongside; a cluster that does not answer it soon after the
        // metadata (old brokers) just shows no racks. Skipped when racks are not needed.
        let described = Task { racks ? try? await self.describeCluster(deadline: deadline) : nil }
        defer { described.cancel() }
        let rk = runtime.handle
        let md: ClusterMetadata
        do {
            md = try await runtime.blocking(ctx.operation, deadline: deadline) { _ in
                try Self.readMetadata(rk, timeoutMs: deadline.remainingMilliseconds, ctx: ctx)
            }
        } catch let e as ClusterError where deadline.remaining < .milliseconds(100) && (e.code == "_TRANSPORT" || e.code == "_TIMED_OUT") {
            // rd_kafka_metadata gave up at the deadline: say so, with the last connection error if any.
            throw runtime.timeoutError(ctx.operation)
        }
        var result = md
        let cluster: ClusterDescription? = await withTaskGroup(of: ClusterDescription??.self) { g in
            g.addTask { .some(await described.value) }
            g.addTask { try? await Task.sleep(for: .milliseconds(500)); return nil }
            let first = await g.next()
            described.cancel()
            g.cancelAll()
            if let first, let answered = first { return answered }
            return nil
        }
        if let c = cluster {
            if let id = c.clusterID { result.clusterID = id }
            if let ctl = c.controller { result.controllerID = ctl }
            let racks = Dictionary(c.brokers.map { ($0.id, $0.rack) }, uniquingKeysWith: { a, _ in a })
            for i in result.brokers.indices { result.brokers[i].rack = racks[result.brokers[i].id] ?? nil }
        }
        // The certificate each broker presented in its TLS handshake (verified connections only).
        let peers = runtime.handle.callbacks.tls
        for i in result.brokers.indices {
            let b = result.brokers[i]
            result.brokers[i].certificate = peers.certificate(id: b.id, host: b.host, port: b.port)
        }
        return result
    }

    static func readMetadata(_ handle: RdKafkaHandle, timeoutMs: Int32, ctx: ErrorContext) throws -> ClusterMetadata {
        var mdp: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle.rk, 1, nil, &mdp, timeoutMs)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let md = mdp else {
            throw RdErrorMap.map(err, nil, ctx)
        }
        defer { rd_kafka_metadata_destroy(md) }
        var brokers: [Broker] = []
        for i in 0..<Int(md.pointee.broker_cnt) {
            let b = md.pointee.brokers[i]
            brokers.append(Broker(id: b.id, host: b.host.map { String(cString: $0) } ?? "", port: Int32(b.port)))
        }
        var topics: [TopicInfo] = []
        topics.reserveCapacity(Int(md.pointee.topic_cnt))
        for i in 0..<Int(md.pointee.topic_cnt) {
            let t = md.pointee.topics[i]
            let name = t.topic.map { String(cString: $0) } ?? ""
            var parts: [PartitionInfo] = []
            parts.reserveCapacity(Int(t.partition_cnt))
            for j in 0..<Int(t.partition_cnt) {
                let p = t.partitions[j]
                let replicas = (0..<Int(p.replica_cnt)).map { p.replicas[$0] }
                let isr = (0..<Int(p.isr_cnt)).map { p.isrs[$0] }
                parts.append(PartitionInfo(id: p.id, leader: p.leader < 0 ? nil : p.leader, replicas: replicas, isr: isr,
                                           error: p.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : String(cString: rd_kafka_err2name(p.err))))
            }
            parts.sort { $0.id < $1.id }
            topics.append(TopicInfo(name: name, isInternal: TopicInfo.looksInternal(name), partitions: parts,
                                    error: t.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : String(cString: rd_kafka_err2name(t.err))))
        }
        topics.sort { $0.name < $1.name }
        brokers.sort { $0.id < $1.id }
        // Both answer from the metadata just fetched (timeout 0: no extra request).
        var clusterID: String?
        if let cid = rd_kafka_clusterid(handle.rk, 0) {
            clusterID = String(cString: cid)
            rd_kafka_mem_free(handle.rk, cid)
        }
        let controller = rd_kafka_controllerid(handle.rk, 0)
        return ClusterMetadata(clusterID: clusterID, controllerID: controller < 0 ? nil : controller,
                               brokers: brokers, topics: topics)
    }

    struct ClusterDescription: Sendable {
        var clusterID: String?
        var controller: Int32?
        var brokers: [Broker]
    }

    /// DescribeCluster: cluster id, controller and broker racks (which plain metadata lacks in the C API).
    func describeCluster(deadline: Deadline) async throws -> ClusterDescription {
        try await runtime.admin("describe the cluster", op: RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER, deadline: deadline,
                                start: { rk, opts, q in rd_kafka_DescribeCluster(rk, opts, q) },
                                parse: { ev in
            guard let r = rd_kafka_event_DescribeCluster_result(ev) else { return ClusterDescription(brokers: []) }
            var cnt = 0
            var brokers: [Broker] = []
            if let nodes = rd_kafka_DescribeCluster_result_nodes(r, &cnt) {
                for i in 0..<cnt {
                    guard let n = nodes[i] else { continue }
                    brokers.append(Broker(id: Int32(rd_kafka_Node_id(n)), host: rd_kafka_Node_host(n).string ?? "",
                                          port: Int32(rd_kafka_Node_port(n)), rack: rd_kafka_Node_rack(n).string))
                }
            }
            let controller = rd_kafka_DescribeCluster_result_controller(r).map { Int32(rd_kafka_Node_id($0)) }
            return ClusterDescription(clusterID: rd_kafka_DescribeCluster_result_cluster_id(r).string,
                                      controller: controller, brokers: brokers)
        })
    }

    // MARK: configs

    public func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        if topics.isEmpty { return [:] }
        return try await describeConfigs(Array(Set(topics)).sorted(), type: RD_KAFKA_RESOURCE_TOPIC,
                                         what: "describe topic configs", deadline: deadline)
    }

    public func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] {
        let r = try await describeConfigs([String(broker)], type: RD_KAFKA_RESOURCE_BROKER,
                                          what: "describe the configs of broker \(broker)", deadline: deadline)
        if let entries = r[String(broker)] { return entries }
        throw ClusterError(.broker, "describe the configs of broker \(broker) returned nothing",
                           hint: "check that broker \(broker) is in the metadata broker list")
    }

    /// One DescribeConfigs request for all the resources.
    private func describeConfigs(_ names: [String], type: rd_kafka_ResourceType_t, what: String,
                                 deadline: Deadline) async throws -> [String: [ConfigEntry]] {
        try await runtime.admin(what, op: RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, deadline: deadline,
                                start: { rk, opts, q in
            var resources: [OpaquePointer?] = names.map { rd_kafka_ConfigResource_new(type, $0) }
            defer { rd_kafka_ConfigResource_destroy_array(&resources, resources.count) }
            rd_kafka_DescribeConfigs(rk, &resources, resources.count, opts, q)
        }, parse: { ev in
            var out: [String: [ConfigEntry]] = [:]
            guard let r = rd_kafka_event_DescribeConfigs_result(ev) else { return out }
            var cnt = 0
            guard let res = rd_kafka_DescribeConfigs_result_resources(r, &cnt) else { return out }
            for i in 0..<cnt {
                guard let resource = res[i] else { continue }
                // A resource that cannot be described is left out (documented by the protocol).
                if rd_kafka_ConfigResource_error(resource) != RD_KAFKA_RESP_ERR_NO_ERROR { continue }
                let name = rd_kafka_ConfigResource_name(resource).string ?? ""
                out[name] = Self.configEntries(resource)
            }
            return out
        })
    }

    static func configEntries(_ resource: OpaquePointer) -> [ConfigEntry] {
        var n = 0
        guard let entries = rd_kafka_ConfigResource_configs(resource, &n) else { return [] }
        var out: [ConfigEntry] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            guard let e = entries[i] else { continue }
            let sensitive = rd_kafka_ConfigEntry_is_sensitive(e) != 0
            out.append(ConfigEntry(name: rd_kafka_ConfigEntry_name(e).string ?? "",
                                   value: sensitive ? nil : rd_kafka_ConfigEntry_value(e).string,
                                   source: configSource(rd_kafka_ConfigEntry_source(e)),
                                   isSensitive: sensitive, isReadOnly: rd_kafka_ConfigEntry_is_read_only(e) != 0))
        }
        return out.sorted { $0.name < $1.name }
    }

    static func configSource(_ s: rd_kafka_ConfigSource_t) -> ConfigSource {
        switch s {
        case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG: return .topic
        case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG: return .dynamicBroker
        case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG: return .dynamicDefaultBroker
        case RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG: return .staticBroker
        case RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG: return .defaultConfig
        default: return .unknown
        }
    }

    public func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        if records.isEmpty { return [] }
        let producer = try producerHandle()
        return try await producer.produce(records, deadline: deadline)
    }

    /// The producer is created on first use and kept; a producer whose idempotence state broke
    /// (a fatal error) is replaced.
    private func producerHandle() throws -> Producer {
        try producerLock.withLock {
            if let p = producerInstance, !p.isFatal { return p }
            let p = try Producer(settings: settings, context: ctx("produce"))
            producerInstance = p
            return p
        }
    }

    public func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        try await RecordReader(client: self).read(request, deadline: deadline)
    }
}
