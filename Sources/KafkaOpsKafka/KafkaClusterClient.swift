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
                               secrets: RdKafkaProperties.secrets(settings))
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

    // MARK: groups

    public func listGroups(deadline: Deadline) async throws -> [GroupListing] {
        let ctx = ctx("list consumer groups")
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, deadline: deadline,
                                       start: { rk, opts, q in rd_kafka_ListConsumerGroups(rk, opts, q) },
                                       parse: { ev in
            guard let r = rd_kafka_event_ListConsumerGroups_result(ev) else { return [] }
            var n = 0
            var out: [GroupListing] = []
            if let valid = rd_kafka_ListConsumerGroups_result_valid(r, &n) {
                for i in 0..<n {
                    guard let g = valid[i] else { continue }
                    out.append(GroupListing(id: rd_kafka_ConsumerGroupListing_group_id(g).string ?? "",
                                            state: Self.groupState(rd_kafka_ConsumerGroupListing_state(g)),
                                            isSimple: rd_kafka_ConsumerGroupListing_is_simple_consumer_group(g) != 0))
                }
            }
            var ne = 0
            if out.isEmpty, let errors = rd_kafka_ListConsumerGroups_result_errors(r, &ne), ne > 0,
               let first = RdErrorMap.map(errors[0], ctx) {
                throw first
            }
            return out.sorted { $0.id < $1.id }
        })
    }

    static func groupState(_ s: rd_kafka_consumer_group_state_t) -> GroupState {
        GroupState(rawValue: rd_kafka_consumer_group_state_name(s).string ?? "") ?? .unknown
    }

    public func describeGroups(_ groups: [String], deadline: Deadline) async throws -> [GroupDescription] {
        if groups.isEmpty { return [] }
        let ctx = ctx("describe consumer groups")
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, deadline: deadline,
                                       start: { rk, opts, q in
            var cstrs = groups.map { strdup($0) }
            defer { cstrs.forEach { free($0) } }
            try cstrs.withUnsafeMutableBufferPointer { buf in
                try buf.withMemoryRebound(to: UnsafePointer<CChar>?.self) { p in
                    guard let base = p.baseAddress else { throw ClusterError(.invalidRequest, "no groups") }
                    rd_kafka_DescribeConsumerGroups(rk, base, p.count, opts, q)
                }
            }
        }, parse: { ev in
            guard let r = rd_kafka_event_DescribeConsumerGroups_result(ev) else { return [] }
            var n = 0
            guard let descs = rd_kafka_DescribeConsumerGroups_result_groups(r, &n) else { return [] }
            var out: [GroupDescription] = []
            for i in 0..<n {
                guard let d = descs[i] else { continue }
                let id = rd_kafka_ConsumerGroupDescription_group_id(d).string ?? ""
                if let e = rd_kafka_ConsumerGroupDescription_error(d), rd_kafka_error_code(e) != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let code = rd_kafka_error_code(e)
                    if code == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND {
                        out.append(GroupDescription(id: id, state: .dead))
                    } else {
                        let ce = RdErrorMap.map(code, rd_kafka_error_string(e).string, ctx, subject: id)
                        out.append(GroupDescription(id: id, state: .unknown, error: ce.description))
                    }
                    continue
                }
                var members: [GroupMember] = []
                for m in 0..<rd_kafka_ConsumerGroupDescription_member_count(d) {
                    guard let md = rd_kafka_ConsumerGroupDescription_member(d, m) else { continue }
                    var assignment: [TopicPartition] = []
                    if let a = rd_kafka_MemberDescription_assignment(md) {
                        assignment = RdPartitionList.entries(rd_kafka_MemberAssignment_partitions(a)).map(\.tp).sorted()
                    }
                    members.append(GroupMember(memberID: rd_kafka_MemberDescription_consumer_id(md).string ?? "",
                                               clientID: rd_kafka_MemberDescription_client_id(md).string ?? "",
                                               host: rd_kafka_MemberDescription_host(md).string ?? "",
                                               groupInstanceID: rd_kafka_MemberDescription_group_instance_id(md).string,
                                               assignment: assignment))
                }
                let coordinator = rd_kafka_ConsumerGroupDescription_coordinator(d).map { Int32(rd_kafka_Node_id($0)) }
                let simple = rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d) != 0
                out.append(GroupDescription(id: id, state: Self.groupState(rd_kafka_ConsumerGroupDescription_state(d)),
                                            protocolType: simple ? "" : "consumer",
                                            assignor: rd_kafka_ConsumerGroupDescription_partition_assignor(d).string ?? "",
                                            coordinator: coordinator, members: members))
            }
            return out
        })
    }

    public func committedOffsets(group: String, deadline: Deadline) async throws -> [TopicPartition: Int64] {
        let ctx = ctx("read the committed offsets of group \(group)")
        do {
            return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, deadline: deadline,
                                           start: { rk, opts, q in
                // One group per request (librdkafka's rule); callers issue groups concurrently.
                var req: [OpaquePointer?] = [rd_kafka_ListConsumerGroupOffsets_new(group, nil)]
                defer { rd_kafka_ListConsumerGroupOffsets_destroy_array(&req, 1) }
                rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, opts, q)
            }, parse: { ev in
                guard let r = rd_kafka_event_ListConsumerGroupOffsets_result(ev) else { return [:] }
                var n = 0
                guard let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(r, &n), n > 0, let g = groups[0] else { return [:] }
                if let e = RdErrorMap.map(rd_kafka_group_result_error(g), ctx) { throw e }
                var out: [TopicPartition: Int64] = [:]
                for e in RdPartitionList.entries(rd_kafka_group_result_partitions(g))
                where e.err == RD_KAFKA_RESP_ERR_NO_ERROR && e.offset >= 0 {
                    out[e.tp] = e.offset
                }
                return out
            })
        } catch let e as ClusterError where e.kind == .unknownGroup {
            return [:]
        }
    }

    // MARK: offsets

    public func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        let tps = Array(Set(partitions))
        if tps.isEmpty { return [:] }
        // Earliest and latest cannot share one ListOffsets call (no duplicate partitions), so two
        // concurrent calls; librdkafka batches each per leader.
        async let startsR = listOffsets(tps.map { ($0, Int64(RD_KAFKA_OFFSET_SPEC_EARLIEST.rawValue)) },
                                        what: "read log start offsets", deadline: deadline)
        let ends = try await listOffsets(tps.map { ($0, Int64(RD_KAFKA_OFFSET_SPEC_LATEST.rawValue)) },
                                         what: "read log end offsets", deadline: deadline)
        let starts = try await startsR
        var out: [TopicPartition: LogOffsets] = [:]
        out.reserveCapacity(tps.count)
        for tp in tps {
            if let s = starts.offsets[tp], let e = ends.offsets[tp] { out[tp] = LogOffsets(start: s, end: e) }
        }
        if out.isEmpty, let first = ends.firstError ?? starts.firstError { throw first }
        return out
    }

    /// Only the log end offsets: one ListOffsets spec per partition, half the work of `logOffsets`.
    public func endOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: Int64] {
        let tps = Array(Set(partitions))
        if tps.isEmpty { return [:] }
        let ends = try await listOffsets(tps.map { ($0, Int64(RD_KAFKA_OFFSET_SPEC_LATEST.rawValue)) },
                                         what: "read log end offsets", deadline: deadline)
        if ends.offsets.isEmpty, let first = ends.firstError { throw first }
        return ends.offsets
    }

    public func offsetsForTimes(_ query: [TopicPartition: Int64], deadline: Deadline) async throws -> [TopicPartition: Int64?] {
        if query.isEmpty { return [:] }
        let r = try await listOffsets(query.map { ($0.key, max(0, $0.value)) }, what: "look up offsets for times",
                                      deadline: deadline)
        var out: [TopicPartition: Int64?] = [:]
        for tp in query.keys {
            if let o = r.offsets[tp] { out[tp] = o < 0 ? nil : o }
        }
        if out.isEmpty, let first = r.firstError { throw first }
        return out
    }

    struct ListOffsetsResult: Sendable {
        var offsets: [TopicPartition: Int64] = [:]
        var firstError: ClusterError?
    }

    /// ListOffsets for many partitions. librdkafka groups each call per leader, but merging its
    /// results is quadratic in the partition count (6,000 partitions: ~0.3 s), so large lists go
    /// out as concurrent calls of `listOffsetsChunk` partitions each: still a handful of requests.
    func listOffsets(_ specs: [(TopicPartition, Int64)], what: String, deadline: Deadline) async throws -> ListOffsetsResult {
        if specs.count <= Self.listOffsetsChunk {
            return try await listOffsetsCall(specs, what: what, deadline: deadline)
        }
        let sorted = specs.sorted { $0.0 < $1.0 }
        let chunks = stride(from: 0, to: sorted.count, by: Self.listOffsetsChunk).map {
            Array(sorted[$0..<min($0 + Self.listOffsetsChunk, sorted.count)])
        }
        return try await withThrowingTaskGroup(of: ListOffsetsResult.self) { tg in
            for chunk in chunks {
                tg.addTask { try await self.listOffsetsCall(chunk, what: what, deadline: deadline) }
            }
            var out = ListOffsetsResult()
            out.offsets.reserveCapacity(specs.count)
            for try await r in tg {
                out.offsets.merge(r.offsets) { a, _ in a }
                if out.firstError == nil { out.firstError = r.firstError }
            }
            return out
        }
    }

    static let listOffsetsChunk = 500

    private func listOffsetsCall(_ specs: [(TopicPartition, Int64)], what: String,
                                 deadline: Deadline) async throws -> ListOffsetsResult {
        let ctx = ctx(what)
        return try await runtime.admin(what, op: RD_KAFKA_ADMIN_OP_LISTOFFSETS, deadline: deadline, start: { rk, opts, q in
            let list = RdPartitionList(specs)
            rd_kafka_ListOffsets(rk, list.list, opts, q)
        }, parse: { ev in
            var out = ListOffsetsResult()
            guard let r = rd_kafka_event_ListOffsets_result(ev) else { return out }
            var n = 0
            guard let infos = rd_kafka_ListOffsets_result_infos(r, &n) else { return out }
            out.offsets.reserveCapacity(n)
            for i in 0..<n {
                guard let info = infos[i], let p = rd_kafka_ListOffsetsResultInfo_topic_partition(info) else { continue }
                let tp = TopicPartition(p.pointee.topic.map { String(cString: $0) } ?? "", p.pointee.partition)
                if p.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    if out.firstError == nil { out.firstError = RdErrorMap.map(p.pointee.err, nil, ctx, subject: tp.description) }
                    continue
                }
                out.offsets[tp] = p.pointee.offset
            }
            return out
        })
    }

    // MARK: mutations

    public func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        let ctx = ctx(validateOnly ? "validate topic \(topic.name)" : "create topic \(topic.name)")
        try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_CREATETOPICS, deadline: deadline, configure: { opts in
            var errstr = [CChar](repeating: 0, count: 256)
            if validateOnly, rd_kafka_AdminOptions_set_validate_only(opts, 1, &errstr, errstr.count) != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw ClusterError(.unsupported, "\(ctx.operation): validate-only is not available: \(errstr.cString)")
            }
            _ = rd_kafka_AdminOptions_set_operation_timeout(opts, deadline.remainingMilliseconds, &errstr, errstr.count)
        }, start: { rk, opts, q in
            var errstr = [CChar](repeating: 0, count: 512)
            guard let nt = rd_kafka_NewTopic_new(topic.name, topic.partitions, Int32(topic.replicationFactor),
                                                 &errstr, errstr.count) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): \(errstr.cString)",
                                   hint: "use at least one partition and a replication factor of at least 1")
            }
            var arr: [OpaquePointer?] = [nt]
            defer { rd_kafka_NewTopic_destroy_array(&arr, 1) }
            for (k, v) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let e = rd_kafka_NewTopic_set_config(nt, k, v)
                if e != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdErrorMap.map(e, "config \(k)", ctx) }
            }
            rd_kafka_CreateTopics(rk, &arr, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_CreateTopics_result(ev) else { return }
            var n = 0
            guard let topics = rd_kafka_CreateTopics_result_topics(r, &n) else { return }
            for i in 0..<n {
                guard let t = topics[i] else { continue }
                let code = rd_kafka_topic_result_error(t)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw RdErrorMap.map(code, rd_kafka_topic_result_error_string(t).string, ctx)
                }
            }
        })
    }

    public func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        if set.isEmpty && delete.isEmpty { return }
        let ctx = ctx("alter the configs of topic \(topic)")
        try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_INCREMENTALALTERCONFIGS, deadline: deadline,
                                start: { rk, opts, q in
            guard let res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): invalid topic name")
            }
            var arr: [OpaquePointer?] = [res]
            defer { rd_kafka_ConfigResource_destroy_array(&arr, 1) }
            let ops = set.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value), RD_KAFKA_ALTER_CONFIG_OP_TYPE_SET) }
                + delete.sorted().map { ($0, String?.none, RD_KAFKA_ALTER_CONFIG_OP_TYPE_DELETE) }
            for (name, value, op) in ops {
                if let e = rd_kafka_ConfigResource_add_incremental_config(res, name, op, value) {
                    let ce = RdErrorMap.map(rd_kafka_error_code(e), rd_kafka_error_string(e).string, ctx, subject: name)
                    rd_kafka_error_destroy(e)
                    throw ce
                }
            }
            rd_kafka_IncrementalAlterConfigs(rk, &arr, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_IncrementalAlterConfigs_result(ev) else { return }
            var n = 0
            guard let res = rd_kafka_IncrementalAlterConfigs_result_resources(r, &n) else { return }
            for i in 0..<n {
                guard let resource = res[i] else { continue }
                let code = rd_kafka_ConfigResource_error(resource)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw RdErrorMap.map(code, rd_kafka_ConfigResource_error_string(resource).string, ctx)
                }
            }
        })
    }

    public func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64],
                                  deadline: Deadline) async throws -> [PartitionResult] {
        if offsets.isEmpty { return [] }
        let ctx = ctx("alter the offsets of group \(group)")
        let sorted = offsets.sorted { $0.key < $1.key }
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, deadline: deadline,
                                       start: { rk, opts, q in
            let list = RdPartitionList(sorted.map { ($0.key, $0.value) })
            var req: [OpaquePointer?] = [rd_kafka_AlterConsumerGroupOffsets_new(group, list.list)]
            defer { rd_kafka_AlterConsumerGroupOffsets_destroy_array(&req, 1) }
            rd_kafka_AlterConsumerGroupOffsets(rk, &req, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_AlterConsumerGroupOffsets_result(ev) else { return [] }
            var n = 0
            guard let groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(r, &n), n > 0, let g = groups[0] else {
                return []
            }
            if let e = RdErrorMap.map(rd_kafka_group_result_error(g), ctx) { throw e }
            var byTP: [TopicPartition: ClusterError?] = [:]
            for e in RdPartitionList.entries(rd_kafka_group_result_partitions(g)) {
                byTP[e.tp] = e.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RdErrorMap.map(e.err, nil, ctx, subject: e.tp.description)
            }
            return sorted.map { tp, _ in
                PartitionResult(tp, error: byTP[tp] ?? ClusterError(.broker, "\(ctx.operation) (\(tp)): no result from the broker"))
            }
        })
    }

    public func deleteGroupOffsets(group: String, partitions: [TopicPartition],
                                   deadline: Deadline) async throws -> [PartitionResult] {
        if partitions.isEmpty { return [] }
        let ctx = ctx("delete the offsets of group \(group)")
        // librdkafka aborts the process (assertion eonce->refcnt, librdkafka issue #3663) when the broker does
        // not offer OffsetDelete: ask first, and refuse before anything is sent.
        guard try await supportsOffsetDelete(deadline: deadline) else {
            throw ClusterError(.unsupported, "\(ctx.operation): the cluster does not support deleting a group's committed offsets (OffsetDelete, Apache Kafka 2.4 or later)",
                               hint: "nothing was sent; a partition can be given an offset instead (topic,partition,OFFSET)")
        }
        let sorted = Array(Set(partitions)).sorted()
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, deadline: deadline,
                                       start: { rk, opts, q in
            let list = RdPartitionList(sorted.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
            var req: [OpaquePointer?] = [rd_kafka_DeleteConsumerGroupOffsets_new(group, list.list)]
            defer { rd_kafka_DeleteConsumerGroupOffsets_destroy_array(&req, 1) }
            rd_kafka_DeleteConsumerGroupOffsets(rk, &req, 1, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_DeleteConsumerGroupOffsets_result(ev) else { return [] }
            var n = 0
            guard let groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(r, &n), n > 0, let g = groups[0] else {
                return []
            }
            if let e = RdErrorMap.map(rd_kafka_group_result_error(g), ctx) { throw e }
            var byTP: [TopicPartition: ClusterError?] = [:]
            for e in RdPartitionList.entries(rd_kafka_group_result_partitions(g)) {
                byTP[e.tp] = e.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RdErrorMap.map(e.err, nil, ctx, subject: e.tp.description)
            }
            return sorted.map { tp in
                PartitionResult(tp, error: byTP[tp] ?? ClusterError(.broker, "\(ctx.operation) (\(tp)): no result from the broker"))
            }
        })
    }

    public func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        if let partitions, partitions.isEmpty { return [] }
        let ctx = ctx("run a preferred leader election")
        return try await runtime.admin(ctx.operation, op: RD_KAFKA_ADMIN_OP_ELECTLEADERS, deadline: deadline,
                                       configure: { opts in
            var errstr = [CChar](repeating: 0, count: 256)
            _ = rd_kafka_AdminOptions_set_operation_timeout(opts, deadline.remainingMilliseconds, &errstr, errstr.count)
        }, start: { rk, opts, q in
            let list = partitions.map { RdPartitionList($0.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) }) }
            guard let req = rd_kafka_ElectLeaders_new(RD_KAFKA_ELECTION_TYPE_PREFERRED, list?.list) else {
                throw ClusterError(.invalidRequest, "\(ctx.operation): librdkafka refused the request")
            }
            defer { rd_kafka_ElectLeaders_destroy(req) }
            rd_kafka_ElectLeaders(rk, req, opts, q)
        }, parse: { ev in
            guard let r = rd_kafka_event_ElectLeaders_result(ev) else { return [] }
            var n = 0
            guard let results = rd_kafka_ElectLeaders_result_partitions(r, &n) else { return [] }
            var out: [PartitionResult] = []
            for i in 0..<n {
                guard let pr = results[i], let p = rd_kafka_topic_partition_result_partition(pr) else { continue }
                let tp = TopicPartition(p.pointee.topic.map { String(cString: $0) } ?? "", p.pointee.partition)
                var error: ClusterError?
                if let e = rd_kafka_topic_partition_result_error(pr) {
                    let code = rd_kafka_error_code(e)
                    // Already led by its preferred replica: nothing to do, not a failure.
                    if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_ELECTION_NOT_NEEDED {
                        error = RdErrorMap.map(code, rd_kafka_error_string(e).string, ctx, subject: tp.description)
                    }
                }
                out.append(PartitionResult(tp, error: error))
            }
            return out.sorted { $0.partition < $1.partition }
        })
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

extension KafkaClusterClient {
    /// Whether the bootstrap broker offers OffsetDelete (API key 47).
    func supportsOffsetDelete(deadline: Deadline) async throws -> Bool {
        try await supportedApiKeys(deadline: deadline).contains(47)
    }

    /// The API keys the bootstrap broker lists in its ApiVersions answer. librdkafka has no public call for
    /// them, so a short-lived handle with `debug=feature` connects (a metadata request) and reads its own log
    /// lines, which list every API the broker supports ("ApiKey OffsetDelete (47) Versions 0..0").
    func supportedApiKeys(deadline: Deadline) async throws -> Set<Int> {
        let ctx = ctx("ask the cluster which requests it supports")
        let settings = self.settings
        return try await runtime.blocking(ctx.operation, deadline: deadline) { _ in
            let lines = ApiVersionLines()
            let handle = try RdKafkaHandle(.producer, properties: RdKafkaProperties.admin(settings) + [("debug", "feature")],
                                           verbose: false, context: ctx, logLines: true)
            handle.callbacks.onLog { lines.add($0) }
            defer { AdminRuntime.blockingQueue.async { withExtendedLifetime(handle) {} } }
            var md: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle.rk, 0, nil, &md, deadline.remainingMilliseconds)
            if let md { rd_kafka_metadata_destroy(md) }
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdErrorMap.map(err, nil, ctx) }
            return lines.keys
        }
    }
}

/// The API keys named in librdkafka's "ApiKey NAME (KEY) Versions MIN..MAX" log lines.
final class ApiVersionLines: @unchecked Sendable {
    private let lock = NSLock()
    private var found = Set<Int>()

    func add(_ line: String) {
        guard let v = line.range(of: ") Versions "), let open = line[..<v.lowerBound].lastIndex(of: "("),
              line.contains("ApiKey "), let key = Int(line[line.index(after: open)..<v.lowerBound]) else { return }
        _ = lock.withLock { found.insert(key) }
    }

    var keys: Set<Int> { lock.withLock { found } }
}
