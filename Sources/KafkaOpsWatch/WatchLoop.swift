import Foundation
import KafkaOpsCore

/// `kafkaops watch`'s refresh loop: at each interval, read the snapshot and the lag facts the console reads
/// (`SnapshotLoader`, `LagFactsLoader`), hand them to the `WatchCollector`, publish the result for the scrape
/// and the alerts to the poster. Reads only: its client is the session's read-only one.
public struct WatchLoop: Sendable {
    public var client: any ClusterClient
    public var policy: TopicPolicy
    public var timeout: Duration
    public var interval: Duration
    public var scrape: WatchScrape
    public var poster: AlertPoster?
    public var report: @Sendable (String) -> Void
    /// `--probe TOPIC`: its totals and alert join every refresh's, whether the cluster's reads succeeded or not.
    public var probe: WatchProbe?
    /// How many refreshes' reads are running (one normally; an abandoned one counts until it ends).
    let reads = Locked(0)

    public init(client: any ClusterClient, policy: TopicPolicy, timeout: Duration, interval: Duration, scrape: WatchScrape,
                poster: AlertPoster?, report: @escaping @Sendable (String) -> Void) {
        self.client = client; self.policy = policy; self.timeout = timeout; self.interval = interval
        self.scrape = scrape; self.poster = poster; self.report = report
    }

    /// Refreshes until the task is cancelled (SIGTERM / SIGINT: the command cancels it).
    public func run(_ collector: inout WatchCollector) async {
        var book = AlertBook(interval: Self.seconds(interval))
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let r = await refresh(&collector)
            if Task.isCancelled { return }
            scrape.publish(r)
            if let e = r.error { report("refresh failed: \(e)") }
            poster?.submit(book.posts(after: r.alerts, now: r.endedAt))
            let next = started + interval
            if next > ContinuousClock.now { try? await Task.sleep(until: next, clock: .continuous) }
        }
    }

    /// One refresh, bounded: a cluster that ignores its deadline (a frozen broker) still ends it, as a failed
    /// refresh, at twice the timeout plus a second; the reads left behind are abandoned, never waited for.
    public func refresh(_ collector: inout WatchCollector) async -> WatchRefresh {
        var r = await readCluster(&collector)
        if let probe {
            r.families += probe.families()
            r.alerts = r.alerts.map { $0 + probe.alerts(cluster: collector.cluster) }
        }
        return r
    }

    private func readCluster(_ collector: inout WatchCollector) async -> WatchRefresh {
        let started = ContinuousClock.now
        // The reads of an abandoned refresh still hang (a cluster that ignores its deadlines): start no more
        // beside them, so a frozen cluster costs one set of reads, not one per interval.
        if reads.value > 0 {
            return collector.failed("the reads of an earlier refresh have not ended", now: Date(), duration: 0)
        }
        let read = Self.read(client, timeout: timeout, counting: reads)
        let bound = Self.seconds(timeout) * 2 + 1
        let result: Result<(ClusterSnapshot, LagFacts), ClusterError>? = await Self.first(within: bound, read)
        let duration = Self.seconds(ContinuousClock.now - started)
        switch result {
        case .success(let (snap, facts)):
            return collector.succeeded(snap, facts: facts, policy: policy, now: Date(), duration: duration)
        case .failure(let e):
            return collector.failed(e.description, now: Date(), duration: duration)
        case nil:
            return collector.failed("no answer within \(Int(bound)) s", now: Date(), duration: duration)
        }
    }

    static func read(_ client: any ClusterClient, timeout: Duration, counting reads: Locked<Int>)
        -> @Sendable () async -> Result<(ClusterSnapshot, LagFacts), ClusterError> {
        return {
            reads.withLock { $0 += 1 }
            defer { reads.withLock { $0 -= 1 } }
            return await capture {
                let snap = try await SnapshotLoader(client: client).load(parts: .all, deadline: .after(timeout))
                let (facts, _) = await LagFactsLoader.load(client, lags: snap.allGroupLags(),
                                                           broker: snap.metadata.brokers.map(\.id).min(),
                                                           deadline: .after(timeout))
                return (snap, facts)
            }
        }
    }

    /// `body`'s result, or nil when `seconds` pass first or the task is cancelled (then `body` is cancelled
    /// and abandoned, never waited for).
    public static func first<T: Sendable>(within seconds: Double, _ body: @escaping @Sendable () async -> T) async -> T? {
        let once = OnceBox<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<T?, Never>) in
                let work = Task { once.resume(await body()) }
                once.start(done, work: work)
                Task {
                    try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                    once.resume(nil)
                }
            }
        } onCancel: {
            once.resume(nil)
        }
    }

    public static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// A continuation resumed once, by whichever comes first; the work is cancelled when it is not the first.
final class OnceBox<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T?, Never>?
        var work: Task<Void, Never>?
        var result: T??
    }
    private let state = Locked(State())

    func start(_ c: CheckedContinuation<T?, Never>, work w: Task<Void, Never>) {
        let early: T?? = state.withLock { s in
            if let r = s.result { return .some(r) }
            s.continuation = c; s.work = w
            return nil
        }
        if let early { w.cancel(); c.resume(returning: early) }
    }

    func resume(_ v: T?) {
        let (c, w): (CheckedContinuation<T?, Never>?, Task<Void, Never>?) = state.withLock { s in
            if s.result != nil { return (nil, nil) }
            s.result = .some(v)
            defer { s.continuation = nil; s.work = nil }
            return (s.continuation, s.work)
        }
        if v == nil { w?.cancel() }
        c?.resume(returning: v)
    }
}
