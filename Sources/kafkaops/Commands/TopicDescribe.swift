import ArgumentParser
import Foundation
import KafkaOpsCore

struct TopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topic", abstract: "Describe, create or fix one topic.",
        subcommands: [Describe.self, Create.self, AlterConfig.self, AddPartitions.self, Delete.self, ReassignPlan.self])

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Partitions (leader, replicas, ISR, log start/end), configs with their source, and the groups that consume it.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "Topic name.", completion: Completions.topics) var name: String

        func run() async throws {
            let s = try Session.open(global)
            let snap = try await s.loadSnapshot(topics: [name])
            guard let topic = snap.topic(name) else {
                throw ClusterError(.unknownTopic, "topic '\(name)' does not exist",
                                   hint: "list topics with: kafkaops topics", code: "UNKNOWN_TOPIC_OR_PART")
            }
            // Unknown (configs not read) rather than Kafka's default: health then leaves min ISR out.
            let minISR = snap.knownMinISR(topic: name).map { Int($0.value) ?? 1 }
            let live = snap.metadata.liveBrokerIDs
            var counts = HealthCounts()
            let parts: [PartitionJSON] = topic.partitions.sorted { $0.id < $1.id }.map { p in
                let h = PartitionHealth.evaluate(p, minISR: minISR, liveBrokers: live)
                counts.add(h)
                let o = snap.logOffsets[TopicPartition(name, p.id)]
                return PartitionJSON(
                    partition: p.id, leader: p.leader, replicas: p.replicas, isr: p.isr,
                    out_of_sync_replicas: p.replicas.filter { !p.isr.contains($0) }, offline_replicas: p.offlineReplicas,
                    preferred_leader: p.replicas.first, leader_is_preferred: p.leader != nil && p.leader == p.replicas.first,
                    log_start_offset: o?.start, log_end_offset: o?.end, health: h.names, error: p.error)
            }
            let configs = configRows(snap: snap, topic: name)
            let groups: [TopicGroupJSON] = snap.allGroupLags().compactMap { g in
                let mine = g.partitions.filter { $0.partition.topic == name }
                guard !mine.isEmpty else { return nil }
                let known = mine.compactMap(\.lag)
                return TopicGroupJSON(
                    group: g.group, state: snap.groups.first { $0.id == g.group }?.state.rawValue ?? "Unknown",
                    lag: known.isEmpty ? nil : known.reduce(0, +),
                    partitions_without_commit: mine.filter { $0.status == .noCommit }.count,
                    partitions_with_data_loss: mine.filter { $0.status == .dataLost }.count)
            }
            let rf = topic.partitions.map(\.replicas.count).max() ?? 0
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, TopicDescribeJSON(name: name, internal: topic.isInternal, replication_factor: rf,
                                               min_insync_replicas: minISR,
                                               health: minISR != nil || counts.offline > 0 ? counts.worst.name : "unknown",
                                               partitions: parts, configs: configs, consumer_groups: groups, warnings: snap.problems))
            case .table:
                var o = "Topic: \(Sanitizer.terminal(name))  PartitionCount: \(parts.count)  ReplicationFactor: \(rf)  "
                    + "min.insync.replicas: \(minISR.map(String.init) ?? "-")  Health: \(minISR != nil || counts.offline > 0 ? healthWord(counts.worst) : "unknown")\n\n"
                var t = TextTable([("PARTITION", .right), ("LEADER", .right), ("REPLICAS", .left), ("ISR", .left),
                                   ("OUT-OF-SYNC", .left), ("PREFERRED", .left), ("LOG-START", .right), ("LOG-END", .right),
                                   ("HEALTH", .left)])
                for p in parts {
                    t.add([String(p.partition), fmt(p.leader), list(p.replicas), list(p.isr), list(p.out_of_sync_replicas),
                           p.leader_is_preferred ? "yes" : "NO", fmt(p.log_start_offset), fmt(p.log_end_offset),
                           p.health.isEmpty ? "ok" : p.health.joined(separator: ",")])
                }
                o += t.render() + "\nConfigs (source: topic = override, broker, default):\n"
                var c = TextTable([("NAME", .left), ("VALUE", .left), ("SOURCE", .left)])
                for x in configs { c.add([x.name, x.sensitive ? "(sensitive)" : (x.value ?? "-"), x.source]) }
                o += configs.isEmpty ? "(none reported)\n" : c.render()
                o += "\nConsumer groups:\n"
                var g = TextTable([("GROUP", .left), ("STATE", .left), ("LAG", .right), ("NO-COMMIT", .right), ("DATA-LOST", .right)])
                for x in groups {
                    g.add([x.group, x.state, fmt(x.lag), String(x.partitions_without_commit),
                           x.partitions_with_data_loss > 0 ? "YES (\(x.partitions_with_data_loss))" : "no"])
                }
                o += groups.isEmpty ? "(none)\n" : g.render()
                emit(o)
            }
        }

        /// The topic's configs as the broker reports them, plus the effective values of the
        /// durability settings (from the broker or Kafka's defaults) when the broker did not report them.
        func configRows(snap: ClusterSnapshot, topic: String) -> [ConfigJSON] {
            var rows: [String: ConfigJSON] = [:]
            for e in snap.topicConfigs[topic] ?? [] {
                rows[e.name] = ConfigJSON(name: e.name, value: e.isSensitive ? nil : e.value, source: e.source.summary,
                                          source_detail: e.source.rawValue, sensitive: e.isSensitive, read_only: e.isReadOnly)
            }
            for name in [KafkaConfig.minInsyncReplicas, KafkaConfig.uncleanLeaderElection, KafkaConfig.retentionMs,
                         KafkaConfig.cleanupPolicy] where rows[name] == nil {
                if let e = snap.effectiveConfig(name, topic: topic) {
                    rows[name] = ConfigJSON(name: name, value: e.value, source: e.source.summary,
                                            source_detail: e.source.rawValue, sensitive: false, read_only: false)
                }
            }
            return rows.values.sorted { $0.name < $1.name }
        }
    }
}
