import Foundation
import KafkaOpsCore

/// What one refresh published: the metric families a scrape serves (rendered once, `WatchScrape`), the
/// alerts that hold (nil when the refresh failed: then nothing is known to have cleared), and how it went.
public struct WatchRefresh: Sendable {
    public var endedAt: Date
    public var durationSeconds: Double
    /// Nil when it succeeded; else the one line saying why not.
    public var error: String?
    public var families: [MetricFamily]
    public var alerts: [WatchAlert]?
}

/// The state `kafkaops watch` keeps between refreshes (the history behind the trends, the brokers seen,
/// the ISRs of the last refresh for the shrink and expand counters) and the one place that turns a
/// refresh into metrics. The rules are Core's and the console's: `LagTrends.refreshed` feeds the lag
/// history and runs the durability audit exactly as the console's refresh does; nothing is re-derived here.
public struct WatchCollector: Sendable {
    public struct BrokerTopic: Hashable, Sendable { public var broker: Int32; public var topic: String }

    public let cluster: String
    public let perPartition: Bool
    public private(set) var trends: LagTrends
    private var roster = BrokerRoster()
    private var lastISR: [TopicPartition: Set<Int32>]?
    public private(set) var isrShrinks: [BrokerTopic: Int] = [:]
    public private(set) var isrExpands: [BrokerTopic: Int] = [:]
    public private(set) var refreshErrors = 0
    /// The cluster's families as of the last refresh that succeeded, and when it ended.
    private var lastGood: (families: [MetricFamily], alerts: [WatchAlert], at: Date)?

    public init(cluster: String, interval: Duration, perPartition: Bool) {
        self.cluster = cluster
        self.perPartition = perPartition
        trends = LagTrends(interval: interval)
    }

    /// A refresh that read the cluster: `facts` are the lag facts read after `snap` (`LagFactsLoader`).
    public mutating func succeeded(_ snap: ClusterSnapshot, facts: LagFacts, policy: TopicPolicy, now: Date,
                                   duration: Double) -> WatchRefresh {
        trends = trends.refreshed(snap, facts: facts, policy: policy, now: now)
        roster.observe(snap.metadata, at: now)
        countISRChanges(snap.metadata)
        var families = clusterFamilies(snap)
        let alerts = WatchAlerts.holding(snap, trends: trends, cluster: cluster)
        lastGood = (families, alerts, now)
        families += selfFamilies(duration: duration, lastSuccess: now)
        return WatchRefresh(endedAt: now, durationSeconds: duration, error: nil, families: families, alerts: alerts)
    }

    /// A refresh that failed (a timeout, a frozen broker): counted; the scrape keeps the last values read,
    /// with `kafkaops_last_refresh_timestamp_seconds` saying how old they are, and no alert is resolved.
    public mutating func failed(_ why: String, now: Date, duration: Double) -> WatchRefresh {
        refreshErrors += 1
        let families = (lastGood?.families ?? []) + selfFamilies(duration: duration, lastSuccess: lastGood?.at)
        return WatchRefresh(endedAt: now, durationSeconds: duration, error: why, families: families, alerts: nil)
    }

    /// ISR shrinks and expands between two refreshes: a replica that left a partition's ISR counts one shrink
    /// for its broker on that topic, one that joined counts one expand (Kafka's IsrShrinksPerSec, from outside).
    private mutating func countISRChanges(_ md: ClusterMetadata) {
        var now: [TopicPartition: Set<Int32>] = [:]
        for t in md.topics { for p in t.partitions { now[TopicPartition(t.name, p.id)] = Set(p.isr) } }
        if let before = lastISR {
            for (tp, isr) in now {
                guard let old = before[tp] else { continue }
                for b in old.subtracting(isr) { isrShrinks[BrokerTopic(broker: b, topic: tp.topic), default: 0] += 1 }
                for b in isr.subtracting(old) { isrExpands[BrokerTopic(broker: b, topic: tp.topic), default: 0] += 1 }
            }
        }
        lastISR = now
    }

    private func clusterFamilies(_ snap: ClusterSnapshot) -> [MetricFamily] {
        let md = snap.metadata
        var offline = MetricFamily("kafkaops_topic_partitions_offline", .gauge, "Partitions without a leader (reads and writes fail), per topic.")
        var under = MetricFamily("kafkaops_topic_partitions_under_replicated", .gauge, "Partitions whose ISR is smaller than their replica set, per topic.")
        var underMin = MetricFamily("kafkaops_topic_partitions_under_min_isr", .gauge,
                                    "Partitions whose ISR is below min.insync.replicas (acks=all writes fail), per topic; no sample when min.insync.replicas is unknown.")
        var atMin = MetricFamily("kafkaops_topic_partitions_at_min_isr", .gauge,
                                 "Partitions whose ISR equals min.insync.replicas (one more replica lost and acks=all writes fail), per topic; no sample when unknown.")
        var parts = MetricFamily("kafkaops_topic_partitions", .gauge, "Partitions per topic.")
        var minISR = MetricFamily("kafkaops_topic_min_insync_replicas", .gauge, "The topic's effective min.insync.replicas; no sample when unknown.")
        for t in snap.topicSummaries(includeInternal: true, groupLags: []) {
            let l = [("topic", t.name)]
            parts.add(l, Double(t.partitions))
            offline.add(l, Double(t.health.offline))
            under.add(l, Double(t.health.underReplicated))
            minISR.add(l, t.minISR.map(Double.init))
            // Without min.insync.replicas the ISR-versus-min-ISR states are unknown (TopicSummary.healthLevel).
            underMin.add(l, t.minISR.map { _ in Double(t.health.underMinISR) })
            atMin.add(l, t.minISR.map { _ in Double(t.health.atMinISR) })
        }
        var families = [parts, offline, under, underMin, atMin, minISR]

        if perPartition {
            var isr = MetricFamily("kafkaops_partition_isr_replicas", .gauge, "Replicas in the partition's ISR (--per-partition).")
            var replicas = MetricFamily("kafkaops_partition_replicas", .gauge, "Replicas assigned to the partition (--per-partition).")
            var leader = MetricFamily("kafkaops_partition_leader", .gauge, "The partition's leader broker id; no sample when offline (--per-partition).")
            for t in md.topics.sorted(by: { $0.name < $1.name }) {
                for p in t.partitions {
                    let l = [("topic", t.name), ("partition", String(p.id))]
                    isr.add(l, Double(p.isr.count))
                    replicas.add(l, Double(p.replicas.count))
                    leader.add(l, p.leader.map(Double.init))
                }
            }
            families += [isr, replicas, leader]
        }

        var shrinks = MetricFamily("kafkaops_isr_shrinks", .counter, "Replicas that left a partition's ISR between refreshes, per broker and topic, since watch started.")
        for (k, n) in isrShrinks.sorted(by: { ($0.key.topic, $0.key.broker) < ($1.key.topic, $1.key.broker) }) {
            shrinks.add([("broker", String(k.broker)), ("topic", k.topic)], Double(n), suffix: "_total")
        }
        var expands = MetricFamily("kafkaops_isr_expands", .counter, "Replicas that joined a partition's ISR between refreshes, per broker and topic, since watch started.")
        for (k, n) in isrExpands.sorted(by: { ($0.key.topic, $0.key.broker) < ($1.key.topic, $1.key.broker) }) {
            expands.add([("broker", String(k.broker)), ("topic", k.topic)], Double(n), suffix: "_total")
        }
        families += [shrinks, expands]

        let down = roster.down(md)
        var live = MetricFamily("kafkaops_brokers_live", .gauge, "Brokers in the cluster's metadata.")
        live.add([], Double(md.liveBrokerCount))
        var gone = MetricFamily("kafkaops_brokers_gone", .gauge, "Brokers seen before or named as replicas that are not in the metadata.")
        gone.add([], Double(down.count))
        var up = MetricFamily("kafkaops_broker_up", .gauge, "1 when the broker is in the metadata, 0 when it was seen before or is named as a replica and is gone.")
        for b in md.brokers.sorted(by: { $0.id < $1.id }) { up.add([("broker", String(b.id))], 1) }
        for d in down { up.add([("broker", String(d.id))], 0) }
        families += [live, gone, up]

        families += groupFamilies(snap)

        var findings = MetricFamily("kafkaops_audit_findings", .gauge, "Durability audit findings (kafkaops audit), per rule and severity.")
        var byRule: [String: [FindingSeverity: Int]] = [:]
        for f in trends.audit?.findings ?? [] { byRule[f.rule, default: [:]][f.severity, default: 0] += 1 }
        for (rule, counts) in byRule.sorted(by: { $0.key < $1.key }) {
            for s in FindingSeverity.allCases { if let n = counts[s] { findings.add([("rule", rule), ("severity", s.rawValue)], Double(n)) } }
        }
        var incomplete = MetricFamily("kafkaops_audit_incomplete_parts", .gauge, "Parts of the cluster the audit could not read (0: the audit is complete).")
        incomplete.add([], Double(trends.audit?.incomplete.count ?? 0))
        families += [findings, incomplete]
        return families
    }

    /// Per group and topic: lag in records (unknown is no sample, as GroupLag.totalLag), time lag, seconds
    /// until retention may delete unread records, the audit's at-risk verdict; per group: its trend.
    private func groupFamilies(_ snap: ClusterSnapshot) -> [MetricFamily] {
        var lag = MetricFamily("kafkaops_group_lag_records", .gauge, "Records between the group's committed offsets and the log end, per group and topic; no sample when unknown.")
        var timeLag = MetricFamily("kafkaops_group_time_lag_seconds", .gauge, "Age of the oldest unread record (now minus the timestamp at the committed offset), per group and topic; no sample when unknown.")
        var loss = MetricFamily("kafkaops_group_seconds_until_data_loss", .gauge, "Seconds until retention may delete records the group has not read, per group and topic; no sample without an estimate.")
        var risk = MetricFamily("kafkaops_group_at_risk_of_data_loss", .gauge, "1 when the audit's group-data-loss-risk rule holds for the group on the topic (within a day), else 0.")
        var trend = MetricFamily("kafkaops_group_trend", .stateset, "The group's lag trend (the console's TREND column), one series per state.")
        var partitionLag = MetricFamily("kafkaops_group_partition_lag_records", .gauge, "Lag in records per group and partition (--per-partition); no sample when unknown.")
        for g in snap.allGroupLags().sorted(by: { $0.group < $1.group }) {
            let row = trends.rows[g.group]
            let rowParts = Dictionary((row?.partitions ?? []).map { ($0.partition, $0) }, uniquingKeysWith: { a, _ in a })
            let byTopic = Dictionary(grouping: g.partitions, by: \.partition.topic)
            for topic in byTopic.keys.sorted() {
                let ps = byTopic[topic] ?? []
                let l = [("group", g.group), ("topic", topic)]
                // GroupLag's rule: partitions without a commit left out; one unknown makes the sum unknown.
                let committed = ps.filter { $0.status != .noCommit }
                if !committed.isEmpty, !committed.contains(where: { $0.status.lagUnknown || $0.lag == nil }) {
                    lag.add(l, Double(committed.reduce(Int64(0)) { $0 + ($1.lag ?? 0) }))
                }
                let rows = ps.compactMap { rowParts[$0.partition] }
                let lagging = rows.filter { ($0.lag ?? 0) > 0 || $0.lag == nil }
                if !rows.isEmpty, rows.count == ps.count {
                    let times = rows.map(\.timeLagMs)
                    if lagging.allSatisfy({ $0.timeLagMs != nil }), committed.count == ps.count {
                        timeLag.add(l, Double(times.compactMap { $0 }.max() ?? 0) / 1000)
                    }
                }
                if let soonest = rows.compactMap(\.dataLossInMs).min() { loss.add(l, Double(max(0, soonest)) / 1000) }
                if row != nil { risk.add(l, rows.contains(where: \.atRisk) ? 1 : 0) }
                if perPartition {
                    for p in ps.sorted(by: { $0.partition < $1.partition }) where !p.status.lagUnknown {
                        partitionLag.add([("group", g.group), ("topic", topic), ("partition", String(p.partition.partition))], p.lag.map(Double.init))
                    }
                }
            }
            if let row {
                for state in LagTrend.allCases {
                    trend.add([("group", g.group), ("kafkaops_group_trend", state.word)], row.trend == state ? 1 : 0)
                }
            }
        }
        return perPartition ? [lag, timeLag, loss, risk, trend, partitionLag] : [lag, timeLag, loss, risk, trend]
    }

    private func selfFamilies(duration: Double, lastSuccess: Date?) -> [MetricFamily] {
        var d = MetricFamily("kafkaops_refresh_duration_seconds", .gauge, "How long the last refresh took.")
        d.add([], duration)
        var e = MetricFamily("kafkaops_refresh_errors", .counter, "Refreshes that failed (timeouts, a cluster that does not answer) since watch started.")
        e.add([], Double(refreshErrors), suffix: "_total")
        var t = MetricFamily("kafkaops_last_refresh_timestamp_seconds", .gauge, "When the last refresh that succeeded ended (Unix time); no sample before the first.")
        t.add([], lastSuccess.map { $0.timeIntervalSince1970 })
        return [d, e, t]
    }
}
