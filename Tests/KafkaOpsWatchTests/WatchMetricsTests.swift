import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsDemo
import KafkaOpsWatch

/// Issue 26: what a scrape holds, from test doubles (hand-built snapshots and the demo cluster).
struct WatchMetricsTests {
    static func snapshot(isr: [Int32], minISR: String = "2") -> ClusterSnapshot {
        let md = ClusterMetadata(clusterID: "c", controllerID: 1, brokers: [1, 2, 3].map { Broker(id: $0, host: "b\($0)", port: 9092) },
                                 topics: [TopicInfo(name: "orders", partitions: [
                                    PartitionInfo(id: 0, leader: isr.first, replicas: [1, 2, 3], isr: isr)])])
        return ClusterSnapshot(metadata: md, topicConfigs: ["orders": [ConfigEntry(name: "min.insync.replicas", value: minISR, source: .topic)]])
    }

    static func value(_ r: WatchRefresh, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for f in r.families {
            for s in f.samples where f.name + s.suffix == name {
                let l = Dictionary(s.labels.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
                if labels.allSatisfy({ l[$0.key] == $0.value }) { return s.value }
            }
        }
        return nil
    }

    @Test func labelValuesAreSanitisedAndEscaped() {
        var f = MetricFamily("kafkaops_group_lag_records", .gauge, "Lag.")
        f.add([("group", "pay\"ments\\x\nnext\u{202E}gnp.exe"), ("topic", "t")], 3)
        for format in [MetricsExposition.Format.text, .openMetrics] {
            let body = MetricsExposition.render([f], format: format)
            let sample = body.split(separator: "\n").filter { !$0.hasPrefix("#") }
            // One line per sample: the newline in the value did not break the line; the bidi override is shown, not kept.
            #expect(sample.count == 1)
            #expect(!body.unicodeScalars.contains("\u{202E}"))
            #expect(sample.first?.contains(#"group="pay\"ments\\x"#) == true)
            #expect(sample.first?.hasSuffix(#"",topic="t"} 3"#) == true)
        }
    }

    /// A group id from the cluster with a quote, a backslash, a newline and a bidi override (a test double:
    /// the snapshot as a client would read it), through the collector to both formats.
    @Test func aGroupIdThatNeedsEscapingStaysOneSampleLine() {
        var snap = Self.snapshot(isr: [1, 2])
        let odd = "pay\"ments\\ops\nnext\u{202E}exe"
        snap.committed = [odd: [TopicPartition("orders", 0): 2]]
        snap.logOffsets = [TopicPartition("orders", 0): LogOffsets(start: 0, end: 5)]
        var c = WatchCollector(cluster: "c", interval: .seconds(5), perPartition: false)
        let r = c.succeeded(snap, facts: LagFacts(), policy: .default, now: Date(), duration: 0.1)
        #expect(Self.value(r, "kafkaops_group_lag_records", ["group": odd, "topic": "orders"]) == 3)
        for format in [MetricsExposition.Format.text, .openMetrics] {
            let body = MetricsExposition.render(r.families, format: format)
            let lines = body.split(separator: "\n").filter { $0.hasPrefix("kafkaops_group_lag_records{") }
            #expect(lines == [#"kafkaops_group_lag_records{group="pay\"ments\\ops^Jnext\\u{202E}exe",topic="orders"} 3"#])
            #expect(!body.unicodeScalars.contains("\u{202E}"))
        }
    }

    @Test func openMetricsEndsWithEOFAndNamesCountersWithoutTotal() {
        var c = MetricFamily("kafkaops_refresh_errors", .counter, "Errors.")
        c.add([], 2, suffix: "_total")
        var s = MetricFamily("kafkaops_group_trend", .stateset, "Trend.")
        s.add([("group", "g"), ("kafkaops_group_trend", "stopped")], 1)
        let om = MetricsExposition.render([c, s], format: .openMetrics)
        #expect(om.hasSuffix("# EOF\n"))
        #expect(om.contains("# TYPE kafkaops_refresh_errors counter\nkafkaops_refresh_errors_total 2\n"))
        #expect(om.contains("# TYPE kafkaops_group_trend stateset\n"))
        let text = MetricsExposition.render([c, s], format: .text)
        #expect(text.contains("# TYPE kafkaops_refresh_errors_total counter\nkafkaops_refresh_errors_total 2\n"))
        #expect(text.contains("# TYPE kafkaops_group_trend gauge\n"))
        #expect(!text.contains("# EOF"))
        #expect(MetricsExposition.Format.negotiated(accept: "application/openmetrics-text;version=1.0.0,text/plain;q=0.5") == .openMetrics)
        #expect(MetricsExposition.Format.negotiated(accept: "text/plain") == .text)
        #expect(MetricsExposition.Format.negotiated(accept: nil) == .text)
    }

    @Test func isrShrinksAndExpandsAreCountedBetweenRefreshes() {
        var c = WatchCollector(cluster: "c", interval: .seconds(5), perPartition: false)
        _ = c.succeeded(Self.snapshot(isr: [1, 2, 3]), facts: LagFacts(), policy: .default, now: Date(), duration: 0.1)
        let shrunk = c.succeeded(Self.snapshot(isr: [1]), facts: LagFacts(), policy: .default, now: Date(), duration: 0.1)
        #expect(Self.value(shrunk, "kafkaops_isr_shrinks_total", ["broker": "2", "topic": "orders"]) == 1)
        #expect(Self.value(shrunk, "kafkaops_isr_shrinks_total", ["broker": "3", "topic": "orders"]) == 1)
        #expect(Self.value(shrunk, "kafkaops_isr_expands_total") == nil)
        #expect(Self.value(shrunk, "kafkaops_topic_partitions_under_min_isr", ["topic": "orders"]) == 1)
        #expect(Self.value(shrunk, "kafkaops_topic_partitions_under_replicated", ["topic": "orders"]) == 1)
        let back = c.succeeded(Self.snapshot(isr: [1, 2]), facts: LagFacts(), policy: .default, now: Date(), duration: 0.1)
        #expect(Self.value(back, "kafkaops_isr_expands_total", ["broker": "2", "topic": "orders"]) == 1)
        #expect(Self.value(back, "kafkaops_isr_shrinks_total", ["broker": "2", "topic": "orders"]) == 1)
        #expect(Self.value(back, "kafkaops_topic_partitions_at_min_isr", ["topic": "orders"]) == 1)
    }

    /// min.insync.replicas unknown (configs not read): the ISR-versus-min-ISR series have no sample, never 0.
    @Test func unknownMinISRIsNoSample() {
        var c = WatchCollector(cluster: "c", interval: .seconds(5), perPartition: false)
        let md = Self.snapshot(isr: [1]).metadata
        let r = c.succeeded(ClusterSnapshot(metadata: md), facts: LagFacts(), policy: .default, now: Date(), duration: 0.1)
        #expect(Self.value(r, "kafkaops_topic_partitions_under_min_isr", ["topic": "orders"]) == nil)
        #expect(Self.value(r, "kafkaops_topic_partitions_at_min_isr", ["topic": "orders"]) == nil)
        #expect(Self.value(r, "kafkaops_topic_partitions_under_replicated", ["topic": "orders"]) == 1)
    }

    @Test func aFailedRefreshIsCountedKeepsTheLastValuesAndResolvesNothing() {
        var c = WatchCollector(cluster: "c", interval: .seconds(5), perPartition: false)
        var book = AlertBook(interval: 5)
        let t0 = Date()
        let bad = c.succeeded(Self.snapshot(isr: [1]), facts: LagFacts(), policy: .default, now: t0, duration: 0.1)
        let first = book.posts(after: bad.alerts, now: t0)
        #expect(first.map(\.alert.name) == ["KafkaopsUnderMinISR"])
        #expect(first.first?.alert.key["topic"] == "orders")
        #expect(first.first?.resolved == false)

        let failed = c.failed("no answer within 3 s", now: t0.addingTimeInterval(5), duration: 3)
        #expect(Self.value(failed, "kafkaops_refresh_errors_total") == 1)
        #expect(Self.value(failed, "kafkaops_topic_partitions_under_min_isr", ["topic": "orders"]) == 1)
        #expect(Self.value(failed, "kafkaops_last_refresh_timestamp_seconds") == t0.timeIntervalSince1970)
        let during = book.posts(after: failed.alerts, now: t0.addingTimeInterval(5))
        #expect(during.count == 1 && during.first?.resolved == false && during.first?.startsAt == t0)

        let fixed = c.succeeded(Self.snapshot(isr: [1, 2, 3]), facts: LagFacts(), policy: .default, now: t0.addingTimeInterval(10), duration: 0.1)
        let resolved = book.posts(after: fixed.alerts, now: t0.addingTimeInterval(10))
        #expect(resolved.count == 1 && resolved.first?.resolved == true && resolved.first?.endsAt == t0.addingTimeInterval(10))
        // Sent once: the next refresh posts nothing for it.
        #expect(book.posts(after: fixed.alerts, now: t0.addingTimeInterval(15)).isEmpty)
        let body = String(decoding: AlertBook.body(resolved), as: UTF8.self)
        #expect(body.contains(#""alertname":"KafkaopsUnderMinISR""#) && body.contains(#""cluster":"c""#))
    }

    /// A cluster that ignores its deadline (reads that never end): the refresh still ends, as a failed one,
    /// and the next refresh starts no reads beside the abandoned ones.
    @Test func aReadThatNeverEndsIsAbandonedAtTheBound() async throws {
        let t0 = ContinuousClock.now
        let r: Int? = await WatchLoop.first(within: 0.3) {
            while true { try? await Task.sleep(for: .seconds(60)); if Task.isCancelled { break } }
            return 1
        }
        #expect(r == nil)
        // Not waited for: the read sleeps 60 s at a time (a loaded CI machine may take seconds to switch tasks).
        #expect(ContinuousClock.now - t0 < .seconds(45))
        let done: Int? = await WatchLoop.first(within: 5) { 7 }
        #expect(done == 7)
    }

    /// 10,000 partitions and 1,000 groups (the demo cluster, scaled): one refresh, rendered once; the scrape
    /// hands the cached body over (the figure for the HTTP round trip is scripts/bench.sh watch's).
    @Test func tenThousandPartitionsRenderOncePerRefresh() async throws {
        let demo = DemoCluster(scenario: .scaled(topics: 1_000, partitionsPerTopic: 10, groups: 1_000))
        let loop = WatchLoop(client: demo, policy: .default, timeout: .seconds(30), interval: .seconds(10), scrape: WatchScrape(),
                             poster: nil, report: { _ in })
        var c = WatchCollector(cluster: "demo", interval: .seconds(10), perPartition: false)
        let r = await loop.refresh(&c)
        #expect(r.error == nil)
        #expect(Self.value(r, "kafkaops_brokers_live") != nil)
        let series = r.families.reduce(0) { $0 + $1.samples.count }
        #expect(series > 1_000 && series < 40_000)   // bounded: no per-partition series without --per-partition
        loop.scrape.publish(r)
        let clock = ContinuousClock()
        var worst = Duration.zero
        for _ in 0..<20 {
            let t = clock.now
            let body = loop.scrape.body(.openMetrics)
            worst = max(worst, clock.now - t)
            #expect(!body.isEmpty)
        }
        #expect(worst < .milliseconds(50))
    }
}
