import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsWatch

/// `kafkaops watch --probe`: the probe's windows as counters, a latency histogram and an alert.
struct WatchProbeTests {
    /// One window's report: `acked` records acknowledged after `ackMs` ms each (all read back but `lost`).
    static func window(acked: Int, lost: Int = 0, refused: Int = 0, ackMs: Double) -> ProbeReport {
        var t = ProbePartitionTally(partition: 0)
        let run = "r"
        for seq in 0..<Int64(acked + refused) {
            t.sent(sequence: seq, atMicros: 1_000_000)
            if seq < Int64(acked) {
                t.acknowledged(sequence: seq, atMicros: 1_000_000 + Int64(ackMs * 1000))
                if seq >= Int64(lost) {
                    t.received(ProbePayload(runID: run, partition: 0, sequence: seq, sentMicros: 1_000_000), atMicros: 2_000_000)
                }
            } else {
                t.failed(sequence: seq, reason: "NOT_ENOUGH_REPLICAS")
            }
        }
        return ProbeReport(topic: "kafkaops-probe", runID: run, tallies: [t], leaders: [0: 1])
    }

    static func value(_ families: [MetricFamily], _ name: String, le: String? = nil) -> Double? {
        families.lazy.flatMap { f in f.samples.map { (f.name + $0.suffix, $0) } }
            .first { $0.0 == name && (le == nil || $0.1.labels.contains { $0 == ("le", le!) }) }?.1.value
    }

    @Test func windowsAddUpAndTheHistogramIsCumulative() {
        let p = WatchProbe(topic: "kafkaops-probe")
        p.add(Self.window(acked: 4, ackMs: 3))        // 0.003 s: in the 0.005 bucket
        p.add(Self.window(acked: 2, refused: 1, ackMs: 200))  // 0.2 s: in the 0.25 bucket
        let f = p.families()
        #expect(Self.value(f, "kafkaops_probe_records_sent_total") == 7)
        #expect(Self.value(f, "kafkaops_probe_records_acknowledged_total") == 6)
        #expect(Self.value(f, "kafkaops_probe_records_refused_total") == 1)
        #expect(Self.value(f, "kafkaops_probe_records_lost_total") == 0)
        #expect(Self.value(f, "kafkaops_probe_windows_total") == 2)
        #expect(Self.value(f, "kafkaops_probe_ack_latency_seconds_bucket", le: "0.005") == 4)
        #expect(Self.value(f, "kafkaops_probe_ack_latency_seconds_bucket", le: "0.1") == 4)
        #expect(Self.value(f, "kafkaops_probe_ack_latency_seconds_bucket", le: "0.25") == 6)
        #expect(Self.value(f, "kafkaops_probe_ack_latency_seconds_bucket", le: "+Inf") == 6)
        #expect(Self.value(f, "kafkaops_probe_ack_latency_seconds_count") == 6)
        let sum = Self.value(f, "kafkaops_probe_ack_latency_seconds_sum") ?? 0
        #expect(abs(sum - (4 * 0.003 + 2 * 0.2)) < 1e-9)
        #expect(Self.value(f, "kafkaops_probe_running") == 1)
        p.stopped("the probe topic kafkaops-probe is gone")
        #expect(Self.value(p.families(), "kafkaops_probe_running") == 0)
    }

    @Test func aWindowThatLosesRecordsAlertsUntilOneLosesNone() {
        let p = WatchProbe(topic: "kafkaops-probe")
        p.add(Self.window(acked: 5, ackMs: 2))
        #expect(p.alerts(cluster: "prod").isEmpty)
        p.add(Self.window(acked: 5, lost: 2, ackMs: 2))
        let a = p.alerts(cluster: "prod")
        #expect(a.map(\.name) == ["KafkaopsProbeLosingRecords"])
        #expect(a.first?.key == ["alertname": "KafkaopsProbeLosingRecords", "cluster": "prod", "topic": "kafkaops-probe",
                                 "severity": "critical"])
        #expect(Self.value(p.families(), "kafkaops_probe_records_lost_total") == 2)
        p.add(Self.window(acked: 5, ackMs: 2))
        #expect(p.alerts(cluster: "prod").isEmpty, "resolved once a window loses nothing")
        #expect(Self.value(p.families(), "kafkaops_probe_records_lost_total") == 2, "the counter keeps what was lost")
    }
}
