import Foundation
import KafkaOpsCore

extension DemoCluster {
    // MARK: mutations

    public func createTopic(_ topic: NewTopic, validateOnly: Bool, deadline: Deadline) async throws {
        try await enter("createTopics", deadline: deadline)
        try sync { s in
            let name = topic.name
            if let problem = Self.topicNameProblem(name) {
                throw ClusterError(.invalidRequest, problem, code: "INVALID_TOPIC_EXCEPTION")
            }
            if s.topicIndex[name] != nil {
                throw ClusterError(.topicExists, "Topic '\(name)' already exists.", code: "TOPIC_ALREADY_EXISTS")
            }
            let normalized = name.replacingOccurrences(of: ".", with: "_")
            if let other = s.topics.first(where: { $0.name.replacingOccurrences(of: ".", with: "_") == normalized }) {
                throw ClusterError(.invalidRequest, "Topic '\(name)' collides with existing topic: \(other.name)",
                                   hint: "'.' and '_' collide in metric names", code: "INVALID_TOPIC_EXCEPTION")
            }
            var partitions = topic.partitions
            if partitions == -1 { partitions = Int32(s.brokerSetting("num.partitions")?.value ?? "1") ?? 1 }
            guard partitions >= 1 else {
                throw ClusterError(.invalidRequest, "Number of partitions was set to an invalid non-positive value.",
                                   code: "INVALID_PARTITIONS")
            }
            var rf = Int(topic.replicationFactor)
            if rf == -1 { rf = Int(s.brokerSetting("default.replication.factor")?.value ?? "1") ?? 1 }
            guard rf >= 1 else {
                throw ClusterError(.invalidRequest, "Replication factor must be larger than 0, or -1 to use the default value.",
                                   code: "INVALID_REPLICATION_FACTOR")
            }
            let live = s.brokers.map(\.id).filter { s.isLive($0) }.sorted()
            guard rf <= live.count else {
                throw ClusterError(.invalidRequest,
                                   "Unable to replicate the partition \(rf) time(s): The target replication factor of \(rf) cannot be reached because only \(live.count) broker(s) are registered.",
                                   hint: "lower the replication factor or bring brokers back", code: "INVALID_REPLICATION_FACTOR")
            }
            for (k, v) in topic.configs.sorted(by: { $0.key < $1.key }) {
                guard TopicConfigCatalog.isKnown(k) else {
                    throw ClusterError(.invalidRequest, "Unknown topic config name: \(k)", code: "INVALID_CONFIG")
                }
                if let problem = TopicConfigCatalog.validate(k, v) {
                    throw ClusterError(.invalidRequest, problem, code: "INVALID_CONFIG")
                }
            }
            if validateOnly { return }
            let start = Int(UInt32(bitPattern: javaHashCode(name)) % UInt32(live.count))
            var parts: [PartitionState] = []
            for p in 0..<Int(partitions) {
                let replicas = (0..<rf).map { live[(start + p + $0) % live.count] }
                parts.append(PartitionState(
                    replicas: replicas, isr: replicas, leader: replicas.first,
                    history: Anchor(offset: 0, time: s.t, rate: 1), anchors: [Anchor(offset: 0, time: s.t, rate: 0)],
                    rate: 0, floorStart: 0, segment: 1_000, lagging: nil, laggingBehind: 0))
            }
            s.topicIndex[name] = s.topics.count
            s.topics.append(TopicState(name: name, isInternal: TopicInfo.looksInternal(name), kind: .generic,
                                       overrides: topic.configs, partitions: parts))
            s.log("topic \(name) created: \(partitions) partitions, replication factor \(rf)")
        }
    }

    /// Kafka's topic name rules (org.apache.kafka.common.internals.Topic.validate).
    static func topicNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "Topic name is illegal, it can't be empty" }
        if name == "." || name == ".." { return "Topic name cannot be \".\" or \"..\"" }
        if name.utf8.count > 249 {
            return "Topic name is illegal, it can't be longer than 249 characters, topic name: \(name)"
        }
        let ok = name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2e || b == 0x5f || b == 0x2d
        }
        if !ok {
            return "Topic name \"\(name)\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        }
        return nil
    }

    public func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
        try await enter("incrementalAlterConfigs", deadline: deadline)
        try sync { s in
            guard let ti = s.topicIndex[topic] else { throw Self.unknownTopic(topic) }
            for (k, v) in set.sorted(by: { $0.key < $1.key }) {
                guard TopicConfigCatalog.isKnown(k) else {
                    throw ClusterError(.invalidRequest, "Unknown topic config name: \(k)", code: "INVALID_CONFIG")
                }
                if let problem = TopicConfigCatalog.validate(k, v) {
                    throw ClusterError(.invalidRequest, problem, code: "INVALID_CONFIG")
                }
            }
            for k in delete where !TopicConfigCatalog.isKnown(k) {
                throw ClusterError(.invalidRequest, "Unknown topic config name: \(k)", code: "INVALID_CONFIG")
            }
            for k in delete { s.topics[ti].overrides[k] = nil }
            for (k, v) in set { s.topics[ti].overrides[k] = v }
            // min.insync.replicas changes who may write.
            s.refreshWriting(topic: ti)
            let changes = set.keys.sorted().map { "\($0)=\(set[$0] ?? "")" } + delete.sorted().map { "-\($0)" }
            s.log("topic \(topic) configs altered: \(changes.joined(separator: ", "))")
        }
    }

    public func alterGroupOffsets(group: String, offsets: [TopicPartition: Int64], deadline: Deadline) async throws -> [PartitionResult] {
        try await enter("offsetCommit", deadline: deadline)
        return try sync { s in
            if let gi = s.groupIndex[group], !s.groups[gi].members.isEmpty, !s.groups[gi].state.isInactive {
                let g = s.groups[gi]
                let who = g.members.prefix(3).map { "\($0.clientID) on \($0.host)" }.joined(separator: ", ")
                throw ClusterError(.groupNotEmpty,
                                   "group '\(group)' is not empty: its state is \(g.state.rawValue) with \(g.members.count) active member(s) (\(who)\(g.members.count > 3 ? ", ..." : ""))",
                                   hint: "stop its consumers first; offsets can only be changed while the group is inactive (Empty)",
                                   code: "UNKNOWN_MEMBER_ID")
            }
            var results: [PartitionResult] = []
            var accepted: [TopicPartition: Int64] = [:]
            for (tp, o) in offsets.sorted(by: { $0.key < $1.key }) {
                guard Self.locate(s, tp) != nil else {
                    results.append(PartitionResult(tp, error: Self.unknownPartition(tp)))
                    continue
                }
                guard o >= 0 else {
                    results.append(PartitionResult(tp, error: ClusterError(.invalidRequest, "offset \(o) for \(tp) is negative",
                                                                           code: "INVALID_COMMIT_OFFSET_SIZE")))
                    continue
                }
                accepted[tp] = o
                results.append(PartitionResult(tp))
            }
            if !accepted.isEmpty {
                if s.groupIndex[group] == nil {
                    s.addGroup(GroupSpec(id: group, topics: [], members: 0, state: .empty, assignor: "",
                                         behaviour: .atStart, isSimple: true))
                    if let gi = s.groupIndex[group] { s.groups[gi].behaviour = nil }
                }
                if let gi = s.groupIndex[group] {
                    // Fix the group's scripted offsets where they are, then apply the new ones.
                    if s.groups[gi].behaviour != nil {
                        s.groups[gi].overrides = s.committed(s.groups[gi])
                        s.groups[gi].behaviour = nil
                    }
                    s.groups[gi].overrides.merge(accepted) { _, new in new }
                    if s.groups[gi].state == .dead { s.groups[gi].state = .empty }
                }
                s.log("group \(group): offsets committed for \(accepted.count) partitions")
            }
            return results
        }
    }

    /// Kafka's OffsetDelete: refused for a group with active members (GROUP_SUBSCRIBED_TO_TOPIC) or one that
    /// does not exist (GROUP_ID_NOT_FOUND); a partition without a commit is fine, an unknown one is not.
    public func deleteGroupOffsets(group: String, partitions: [TopicPartition], deadline: Deadline) async throws -> [PartitionResult] {
        try await enter("offsetDelete", deadline: deadline)
        return try sync { s in
            guard let gi = s.groupIndex[group] else {
                throw ClusterError(.unknownGroup, "group '\(group)' does not exist", code: "GROUP_ID_NOT_FOUND")
            }
            if !s.groups[gi].members.isEmpty, !s.groups[gi].state.isInactive {
                throw ClusterError(.groupNotEmpty,
                                   "group '\(group)' is subscribed to these topics: its state is \(s.groups[gi].state.rawValue) with \(s.groups[gi].members.count) active member(s)",
                                   hint: "stop its consumers first", code: "GROUP_SUBSCRIBED_TO_TOPIC")
            }
            var results: [PartitionResult] = []
            var deleted: [TopicPartition] = []
            for tp in Array(Set(partitions)).sorted() {
                guard Self.locate(s, tp) != nil else {
                    results.append(PartitionResult(tp, error: Self.unknownPartition(tp)))
                    continue
                }
                deleted.append(tp)
                results.append(PartitionResult(tp))
            }
            if !deleted.isEmpty {
                // Fix the group's scripted offsets where they are, then drop the deleted ones.
                if s.groups[gi].behaviour != nil {
                    s.groups[gi].overrides = s.committed(s.groups[gi])
                    s.groups[gi].behaviour = nil
                }
                for tp in deleted { s.groups[gi].overrides[tp] = nil }
                s.log("group \(group): offsets deleted for \(deleted.count) partitions")
            }
            return results
        }
    }

    public func electPreferredLeaders(_ partitions: [TopicPartition]?, deadline: Deadline) async throws -> [PartitionResult] {
        try await enter("electLeaders", deadline: deadline)
        return sync { s in
            var targets: [(TopicPartition, Int, Int)?] = []
            if let partitions {
                targets = partitions.map { tp in Self.locate(s, tp).map { (tp, $0.0, $0.1) } }
            } else {
                for ti in s.topics.indices {
                    for pi in s.topics[ti].partitions.indices {
                        targets.append((TopicPartition(s.topics[ti].name, Int32(pi)), ti, pi))
                    }
                }
            }
            var results: [PartitionResult] = []
            var moved = 0
            for (i, target) in targets.enumerated() {
                guard let (tp, ti, pi) = target else {
                    if let tp = partitions?[i] { results.append(PartitionResult(tp, error: Self.unknownPartition(tp))) }
                    continue
                }
                let p = s.topics[ti].partitions[pi]
                guard let preferred = p.replicas.first else { continue }
                if p.leader == preferred {
                    // Kafka answers ELECTION_NOT_NEEDED; for "all partitions" it leaves those out.
                    if partitions != nil {
                        results.append(PartitionResult(tp, error: ClusterError(.invalidRequest,
                            "\(tp): the preferred replica \(preferred) is already the leader", code: "ELECTION_NOT_NEEDED")))
                    }
                    continue
                }
                guard s.isLive(preferred), p.isr.contains(preferred) else {
                    results.append(PartitionResult(tp, error: ClusterError(.broker,
                        "\(tp): the preferred replica \(preferred) is not \(s.isLive(preferred) ? "in the ISR" : "alive")",
                        hint: "wait until it has caught up", code: "PREFERRED_LEADER_NOT_AVAILABLE", isRetriable: true)))
                    continue
                }
                s.topics[ti].partitions[pi].leader = preferred
                s.refreshWriting(ti, pi)
                moved += 1
                results.append(PartitionResult(tp))
            }
            if moved > 0 { s.log("preferred leader election: \(moved) partitions moved back to their preferred leader") }
            return results
        }
    }

    public func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        try await enter("produce", deadline: deadline)
        return sync { s in
            var reports: [DeliveryReport] = []
            reports.reserveCapacity(records.count)
            let nowMs = s.nowMs
            for (i, rec) in records.enumerated() {
                guard let ti = s.topicIndex[rec.topic] else {
                    reports.append(DeliveryReport(index: i, result: .failure(Self.unknownTopic(rec.topic))))
                    continue
                }
                let n = s.topics[ti].partitions.count
                let pi: Int
                if let p = rec.partition {
                    guard p >= 0, Int(p) < n else {
                        reports.append(DeliveryReport(index: i, result: .failure(Self.unknownPartition(TopicPartition(rec.topic, p)))))
                        continue
                    }
                    pi = Int(p)
                } else if let key = rec.key {
                    pi = Int((murmur2(key) & 0x7fff_ffff) % Int32(n))
                } else {
                    pi = s.roundRobin % n
                    s.roundRobin += 1
                }
                let tp = TopicPartition(rec.topic, Int32(pi))
                let p = s.topics[ti].partitions[pi]
                guard let leader = p.leader, s.isLive(leader) else {
                    reports.append(DeliveryReport(index: i, result: .failure(ClusterError(.broker,
                        "\(tp) has no leader: it is offline", hint: "wait for a replica in its ISR to come back",
                        code: "LEADER_NOT_AVAILABLE", isRetriable: true))))
                    continue
                }
                let minISR = s.minISR(ti)
                guard p.isr.count >= minISR else {
                    reports.append(DeliveryReport(index: i, result: .failure(ClusterError(.broker,
                        "\(tp): Messages are rejected since there are fewer in-sync replicas than required.",
                        hint: "ISR has \(p.isr.count) of \(p.replicas.count) replicas, min.insync.replicas is \(minISR)",
                        code: "NOT_ENOUGH_REPLICAS", isRetriable: true))))
                    continue
                }
                let maxBytes = s.config(ti, "max.message.bytes").flatMap { Int($0) } ?? 1_048_588
                let size = (rec.key?.count ?? 0) + (rec.value?.count ?? 0) + rec.headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) }
                guard size <= maxBytes else {
                    reports.append(DeliveryReport(index: i, result: .failure(ClusterError(.invalidRequest,
                        "the record is \(size) bytes, larger than max.message.bytes \(maxBytes)", code: "MESSAGE_TOO_LARGE"))))
                    continue
                }
                var part = s.topics[ti].partitions[pi]
                let e = part.end(at: s.t)
                let rate = part.currentRate
                let k = part.anchors.count
                if k >= 2, part.anchors[k - 1].offset == e, part.anchors[k - 2].rate == 0, part.anchors[k - 2].time == s.t {
                    // Extends the block of records produced at this instant instead of adding anchors.
                    part.anchors.removeLast()
                } else {
                    part.reanchor(e, s.t, rate: 0)
                }
                part.produced[e] = Record(topic: rec.topic, partition: Int32(pi), offset: e, timestamp: rec.timestamp ?? nowMs,
                                          key: rec.key, value: rec.value, headers: rec.headers)
                part.anchors.append(Anchor(offset: e + 1, time: s.t, rate: rate))
                s.topics[ti].partitions[pi] = part
                reports.append(DeliveryReport(index: i, result: .success(TopicPartitionOffset(topic: rec.topic, partition: Int32(pi), offset: e))))
            }
            return reports
        }
    }
}

// MARK: the everyday admin changes

extension DemoCluster {
    /// Kafka's CreatePartitions: only more partitions than now (INVALID_PARTITIONS otherwise); the new
    /// partitions are placed on the live brokers as a creation places them, empty.
    public func createPartitions(_ topic: String, totalCount: Int32, deadline: Deadline) async throws {
        try await enter("createPartitions", deadline: deadline)
        try sync { s in
            guard let ti = s.topicIndex[topic] else { throw Self.unknownTopic(topic) }
            let now = s.topics[ti].partitions.count
            guard Int(totalCount) > now else {
                throw ClusterError(.invalidRequest, Int(totalCount) == now ? "Topic already has \(now) partitions."
                                   : "Topic currently has \(now) partitions, which is higher than the requested \(totalCount).",
                                   code: "INVALID_PARTITIONS")
            }
            let live = s.brokers.map(\.id).filter { s.isLive($0) }.sorted()
            let rf = s.topics[ti].partitions.first?.replicas.count ?? 1
            guard !live.isEmpty, rf <= live.count else {
                throw ClusterError(.invalidRequest, "Replication factor \(rf) is larger than the \(live.count) live broker(s).",
                                   code: "INVALID_REPLICATION_FACTOR")
            }
            for p in now..<Int(totalCount) {
                let replicas = (0..<rf).map { live[(p + $0) % live.count] }
                s.topics[ti].partitions.append(PartitionState(
                    replicas: replicas, isr: replicas, leader: replicas.first,
                    history: Anchor(offset: 0, time: s.t, rate: 1), anchors: [Anchor(offset: 0, time: s.t, rate: 0)],
                    rate: 0, floorStart: 0, segment: 1_000, lagging: nil, laggingBehind: 0))
            }
            s.log("topic \(topic): partitions raised from \(now) to \(totalCount)")
        }
    }

    /// Kafka's DeleteTopics: the topic and its records go; groups keep no offsets for it.
    public func deleteTopic(_ topic: String, deadline: Deadline) async throws {
        try await enter("deleteTopics", deadline: deadline)
        try sync { s in
            guard let ti = s.topicIndex[topic] else { throw Self.unknownTopic(topic) }
            s.topics.remove(at: ti)
            s.topicIndex = Dictionary(uniqueKeysWithValues: s.topics.enumerated().map { ($0.element.name, $0.offset) })
            // Scheduled rejoins name topics by index: drop the deleted one's, shift the later ones.
            s.rejoins = s.rejoins.map { batch in
                var b = batch
                b.partitions = batch.partitions.compactMap { $0.topic == ti ? nil : ($0.topic > ti ? $0.topic - 1 : $0.topic, $0.partition) }
                return b
            }
            for gi in s.groups.indices {
                s.groups[gi].topics.removeAll { $0 == topic }
                s.groups[gi].overrides = s.groups[gi].overrides.filter { $0.key.topic != topic }
                s.groups[gi].members = s.groups[gi].members.map { m in
                    var m = m
                    m.assignment.removeAll { $0.topic == topic }
                    return m
                }
            }
            s.log("topic \(topic) deleted")
        }
    }

    /// Kafka's DeleteGroups: refused for a group with members (NON_EMPTY_GROUP) or one that does not exist
    /// (GROUP_ID_NOT_FOUND).
    public func deleteGroup(_ group: String, deadline: Deadline) async throws {
        try await enter("deleteGroups", deadline: deadline)
        try sync { s in
            guard let gi = s.groupIndex[group] else {
                throw ClusterError(.unknownGroup, "group '\(group)' does not exist", code: "GROUP_ID_NOT_FOUND")
            }
            if !s.groups[gi].members.isEmpty || !s.groups[gi].state.isInactive {
                throw ClusterError(.groupNotEmpty, "The group is not empty: its state is \(s.groups[gi].state.rawValue) with \(s.groups[gi].members.count) member(s)",
                                   hint: "stop its consumers first", code: "NON_EMPTY_GROUP")
            }
            s.groups.remove(at: gi)
            s.groupIndex = Dictionary(uniqueKeysWithValues: s.groups.enumerated().map { ($0.element.id, $0.offset) })
            s.log("group \(group) deleted")
        }
    }
}
