import Foundation

/// The last refresh as the scrape serves it: rendered once per refresh, in both formats, and swapped in
/// whole under a lock. A scrape reads it and returns; it never waits on the cluster or on a refresh.
public final class WatchScrape: @unchecked Sendable {
    public struct Published: Sendable {
        public var families: [MetricFamily]
        public var text: Data
        public var openMetrics: Data
        public var endedAt: Date
        public var error: String?
    }

    private let lock = NSLock()
    private var current: Published?

    public init() {}

    public func publish(_ r: WatchRefresh) {
        let p = Published(families: r.families,
                          text: Data(MetricsExposition.render(r.families, format: .text).utf8),
                          openMetrics: Data(MetricsExposition.render(r.families, format: .openMetrics).utf8),
                          endedAt: r.endedAt, error: r.error)
        lock.withLock { current = p }
    }

    public var last: Published? { lock.withLock { current } }

    /// The body and its content type; before the first refresh ends, an empty exposition (a valid scrape).
    public func body(_ format: MetricsExposition.Format) -> Data {
        guard let p = last else { return Data(MetricsExposition.render([], format: format).utf8) }
        return format == .openMetrics ? p.openMetrics : p.text
    }
}
