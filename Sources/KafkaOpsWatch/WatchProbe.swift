import Foundation
import KafkaOpsCore

/// `kafkaops watch --probe TOPIC`: what the probe's windows (`ProbeWindows`) proved since watch started,
/// as counters and an acknowledgement-latency histogram, and the alert that pages when a window lost
/// acknowledged records. Fed by the probe's task as each window ends, read by each refresh: a scrape
/// serves the totals as of the last refresh.
public final class WatchProbe: @unchecked Sendable {
    /// Upper bounds (seconds) of the acknowledgement-latency histogram's buckets.
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public let topic: String
    private let lock = NSLock()
    private var totals = ProbeRunTotals()
    private var bucketCounts = [Int](repeating: 0, count: WatchProbe.latencyBuckets.count)
    private var latencySum = 0.0
    private var latencyCount = 0
    private var lastWindowLost = 0
    private var stoppedWhy: String?

    public init(topic: String) { self.topic = topic }

    /// One window ended.
    public func add(_ report: ProbeReport) {
        lock.withLock {
            totals.add(report)
            lastWindowLost = report.lost
            for ms in report.ackLatencyMillis {
                let s = ms / 1000
                latencySum += s
                latencyCount += 1
                if let i = Self.latencyBuckets.firstIndex(where: { s <= $0 }) { bucketCounts[i] += 1 }
            }
        }
    }

    /// The probe stopped writing (the topic is gone or cannot be read, or a refusal): said on the scrape.
    public func stopped(_ why: String) { lock.withLock { stoppedWhy = why } }

    public var isRunning: Bool { lock.withLock { stoppedWhy == nil } }

    public func families() -> [MetricFamily] {
        lock.withLock {
            let l = [("topic", topic)]
            func counter(_ name: String, _ help: String, _ v: Int) -> MetricFamily {
                var f = MetricFamily(name, .counter, help)
                f.add(l, Double(v), suffix: "_total")
                return f
            }
            var running = MetricFamily("kafkaops_probe_running", .gauge, "1 while the probe writes (--probe), 0 once it stopped (the reason is on stderr).")
            running.add(l, stoppedWhy == nil ? 1 : 0)
            var windows = MetricFamily("kafkaops_probe_windows", .counter, "Probe windows run since watch started (each a few seconds of writes, then read back).")
            windows.add(l, Double(totals.windows), suffix: "_total")
            var latency = MetricFamily("kafkaops_probe_ack_latency_seconds", .histogram,
                                       "Time from sending a probe record (acks=all) to its acknowledgement.")
            var cumulative = 0
            for (i, le) in Self.latencyBuckets.enumerated() {
                cumulative += bucketCounts[i]
                latency.add(l + [("le", MetricsExposition.number(le))], Double(cumulative), suffix: "_bucket")
            }
            latency.add(l + [("le", "+Inf")], Double(latencyCount), suffix: "_bucket")
            latency.add(l, latencySum, suffix: "_sum")
            latency.add(l, Double(latencyCount), suffix: "_count")
            return [
                running, windows,
                counter("kafkaops_probe_records_sent", "Probe records sent (acks=all, idempotent).", totals.sent),
                counter("kafkaops_probe_records_acknowledged", "Probe records the cluster acknowledged.", totals.acknowledged),
                counter("kafkaops_probe_records_refused", "Probe writes refused or failed (NOT_ENOUGH_REPLICAS, no leader, timed out).", totals.failed),
                counter("kafkaops_probe_records_unanswered", "Probe writes never answered within the timeout.", totals.unanswered),
                counter("kafkaops_probe_records_lost", "Acknowledged probe records never read back, or gone from the log when read again: data loss.", totals.lost),
                counter("kafkaops_probe_records_duplicated", "Probe records read back more than once.", totals.duplicated),
                latency,
            ]
        }
    }

    /// The probe's alert: the last window lost acknowledged records (held until a window loses none).
    public func alerts(cluster: String) -> [WatchAlert] {
        lock.withLock {
            guard lastWindowLost > 0 else { return [] }
            return [WatchAlert(name: "KafkaopsProbeLosingRecords", cluster: cluster, topic: topic, severity: "critical",
                               summary: "the probe's last window lost \(lastWindowLost) acknowledged record(s) of \(topic): acknowledged writes are not durable")]
        }
    }
}
