import Foundation
import KafkaOpsCore

/// One alert as Alertmanager takes it: `alertname`, `cluster`, `topic` / `group` where they apply, `severity`.
public struct WatchAlert: Hashable, Sendable {
    public var name: String
    public var cluster: String
    public var topic: String?
    public var group: String?
    public var severity: String
    public var summary: String

    /// The labels that identify it (the summary is an annotation: its wording may change while it holds).
    public var key: [String: String] {
        var l = ["alertname": name, "cluster": cluster, "severity": severity]
        if let topic { l["topic"] = topic }
        if let group { l["group"] = group }
        return l
    }
}

/// The rules that page (offline partitions, under min ISR, a group at risk of data loss, a stopped group),
/// read from a refresh's snapshot and trends: the console's health and trend verdicts, nothing re-derived.
public enum WatchAlerts {
    public static func holding(_ snap: ClusterSnapshot, trends: LagTrends, cluster: String) -> [WatchAlert] {
        var out: [WatchAlert] = []
        for t in snap.topicSummaries(includeInternal: true, groupLags: []) {
            if t.health.offline > 0 {
                out.append(WatchAlert(name: "KafkaopsPartitionsOffline", cluster: cluster, topic: t.name, severity: "critical",
                                      summary: "\(t.health.offline) partition(s) of \(t.name) have no leader: reads and writes fail"))
            }
            if t.minISR != nil, t.health.underMinISR > 0 {
                out.append(WatchAlert(name: "KafkaopsUnderMinISR", cluster: cluster, topic: t.name, severity: "critical",
                                      summary: "\(t.health.underMinISR) partition(s) of \(t.name) are below min.insync.replicas \(t.minISR ?? 0): acks=all writes fail"))
            }
        }
        for (group, row) in trends.rows.sorted(by: { $0.key < $1.key }) {
            let atRisk = Set(row.partitions.filter(\.atRisk).map(\.partition.topic))
            for topic in atRisk.sorted() {
                out.append(WatchAlert(name: "KafkaopsGroupDataLossRisk", cluster: cluster, topic: topic, group: group,
                                      severity: row.dataLossSeverity == .error ? "critical" : "warning",
                                      summary: "retention may delete records of \(topic) that group \(group) has not read"))
            }
            if row.trend == .stopped {
                out.append(WatchAlert(name: "KafkaopsGroupStopped", cluster: cluster, group: group, severity: "warning",
                                      summary: "group \(group) has no members and lag that does not go down"))
            }
        }
        return out
    }
}

/// Which alerts to post after each refresh: every alert that holds, again (Alertmanager forgets one that is
/// not re-sent), and once, with `endsAt` now, each that held and no longer does. A failed refresh resolves
/// nothing: what is not known to have cleared is re-sent as it was.
public struct AlertBook: Sendable {
    public struct Post: Sendable, Equatable {
        public var alert: WatchAlert
        public var startsAt: Date
        /// In the future while it holds (it lapses by itself if watch stops), now when it is resolved.
        public var endsAt: Date
        public var resolved: Bool
    }

    private var active: [[String: String]: (alert: WatchAlert, since: Date)] = [:]
    /// How long a sent alert lasts without being sent again: a few refreshes.
    public let lapse: TimeInterval

    public init(interval: TimeInterval) { lapse = max(60, 4 * interval) }

    public mutating func posts(after refresh: [WatchAlert]?, now: Date) -> [Post] {
        guard let refresh else {
            return active.values.sorted { $0.alert.name < $1.alert.name }
                .map { Post(alert: $0.alert, startsAt: $0.since, endsAt: now.addingTimeInterval(lapse), resolved: false) }
        }
        var next: [[String: String]: (alert: WatchAlert, since: Date)] = [:]
        var out: [Post] = []
        for a in refresh {
            let since = active[a.key]?.since ?? now
            next[a.key] = (a, since)
            out.append(Post(alert: a, startsAt: since, endsAt: now.addingTimeInterval(lapse), resolved: false))
        }
        for (k, was) in active where next[k] == nil {
            out.append(Post(alert: was.alert, startsAt: was.since, endsAt: now, resolved: true))
        }
        active = next
        return out
    }

    /// Alertmanager's v2 body: `[{labels, annotations, startsAt, endsAt, generatorURL?}]`.
    public static func body(_ posts: [Post]) -> Data {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let items: [[String: Any]] = posts.map { p in
            ["labels": p.alert.key, "annotations": ["summary": p.alert.summary],
             "startsAt": f.string(from: p.startsAt), "endsAt": f.string(from: p.endsAt)]
        }
        return (try? JSONSerialization.data(withJSONObject: items, options: [.sortedKeys])) ?? Data("[]".utf8)
    }
}
