import ArgumentParser
import Foundation
import KafkaOpsCore

struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List topics with partitions, replication factor, min ISR, ISR health and lag.",
        discussion: "The health filters keep topics that have at least one such partition (kafka-topics.sh --describe terms).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions

    @Flag(name: .long, help: "Only topics with a partition whose ISR is smaller than its replica list.")
    var underReplicated = false
    @Flag(name: .long, help: "Only topics with a partition whose ISR is below min.insync.replicas (or that has no leader).")
    var underMinIsr = false
    @Flag(name: .long, help: "Only topics with a partition whose ISR equals min.insync.replicas.")
    var atMinIsr = false
    @Flag(name: .long, help: "Only topics with a partition that has no live leader.")
    var unavailable = false
    @Flag(name: .long, help: "Include internal topics such as __consumer_offsets.")
    var includeInternal = false
    @Flag(name: .long, help: "Also the total lag of the groups that consume each topic (reads every group's offsets).")
    var lag = false

    func run() async throws {
        let s = try Session.open(global)
        // Metadata, configs and log end offsets (no log start: half the ListOffsets work); groups only with --lag.
        let snap = try await s.loadSnapshot(parts: lag ? [.configs, .logOffsets, .groups] : [.configs, .logOffsets])
        let all = snap.topicSummaries(includeInternal: includeInternal)
        let anyFilter = underReplicated || underMinIsr || atMinIsr || unavailable
        let topics = anyFilter ? Self.filtered(all, underReplicated: underReplicated, underMinISR: underMinIsr,
                                               atMinISR: atMinIsr, unavailable: unavailable) : all
        var warnings = snap.problems
        // Counted over every topic, not the rows shown.
        let unknown = all.filter { $0.minISR == nil }.count
        if unknown > 0 {
            let w = "min.insync.replicas unknown for \(unknown) topic(s) (their configs were not read): their min ISR and the health that depends on it are shown as unknown"
                + (underMinIsr || atMinIsr ? ", and they are listed because they may match" : "")
            warnings.append(w)
            if out.output == .table { warn("warning: " + w) }
        }
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, TopicsJSON(cluster_id: snap.metadata.clusterID, topics: topics.map(TopicJSON.init), warnings: warnings))
        case .table:
            var cols: [(String, TextTable.Align)] = [("TOPIC", .left), ("PARTITIONS", .right), ("RF", .right), ("MIN-ISR", .right),
                               ("HEALTH", .left), ("UNDER-REPL", .right), ("UNDER-MIN-ISR", .right), ("OFFLINE", .right),
                               ("END-OFFSETS", .right)]
            if lag { cols += [("LAG", .right), ("GROUPS", .right)] }
            var t = TextTable(cols)
            for x in topics {
                var row = [x.name, String(x.partitions), String(x.replicationFactor), x.minISR.map(String.init) ?? "?", x.healthLevel.map(healthWord) ?? "unknown",
                           String(x.health.underReplicated), x.minISR == nil ? "?" : String(x.health.underMinISR), String(x.health.offline), fmt(x.endOffsetSum)]
                if lag { row += [fmt(x.totalLag), String(x.consumerGroups.count)] }
                t.add(row)
            }
            emit(t.render())
            if topics.isEmpty { emit(anyFilter ? "(no topic matches the filter)\n" : "(no topics)\n") }
        }
    }

    /// The topics the health filters keep. A topic whose min ISR is unknown (its configs were not read) may be
    /// under or at min ISR: `--under-min-isr` and `--at-min-isr` keep it (shown as unknown), never drop it.
    static func filtered(_ topics: [TopicSummary], underReplicated: Bool, underMinISR: Bool, atMinISR: Bool,
                         unavailable: Bool) -> [TopicSummary] {
        topics.filter { t in
            (underReplicated && t.health.underReplicated > 0)
                || (underMinISR && (t.minISR == nil || t.health.underMinISR > 0))
                || (atMinISR && (t.minISR == nil || t.health.atMinISR > 0))
                || (unavailable && t.health.offline > 0)
        }
    }
}

func healthWord(_ h: HealthLevel) -> String {
    switch h {
    case .healthy: return "ok"
    case .atMinISR: return "at-min-isr"
    case .underReplicated: return "under-replicated"
    case .underMinISR: return "UNDER-MIN-ISR"
    case .offline: return "OFFLINE"
    }
}
