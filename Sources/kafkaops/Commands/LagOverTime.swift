import ArgumentParser
import Foundation
import KafkaOpsCore

/// `--window` / `--interval` (issue 11): sample for that long, then report trends and rates.
struct WindowOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp(
        "Sample lag for this long before reporting (30s, 5m, 1h or ISO-8601 PT30S); without it the trend is unknown.",
        valueName: "duration"))
    var window: String?

    @Option(name: .long, help: ArgumentHelp("Time between samples with --window (default 5s).", valueName: "duration"))
    var interval: String?

    /// (window, interval) in seconds; nil without --window. Bad input: a usage error (exit 2).
    func parsed() throws -> (window: TimeInterval, interval: TimeInterval)? {
        func seconds(_ name: String, _ v: String) throws -> TimeInterval {
            let ms: Int64
            do { ms = try OffsetTime.parseShortDuration(v) } catch { throw UsageError("\(name): \(error.message)") }
            if let problem = SettingRange.sampleDuration.problem(name, milliseconds: ms) { throw UsageError(problem) }
            return Double(ms) / 1000
        }
        guard let window else {
            if interval != nil { throw UsageError("--interval needs --window") }
            return nil
        }
        let w = try seconds("--window", window)
        let i = try interval.map { try seconds("--interval", $0) } ?? min(5, w)
        guard i <= w else { throw UsageError("--interval (\(interval ?? "")) is longer than --window (\(window))") }
        return (w, i)
    }
}

/// Runs `take` once, or over the window with progress on stderr; the watchdog is re-armed per sample.
func sampleLag<T: Sendable>(_ window: (window: TimeInterval, interval: TimeInterval)?, timeout: Double,
                            take: () async throws -> (T, [(lag: GroupLag, hasMembers: Bool)])) async throws -> (T, LagHistory) {
    guard let window else {
        var h = LagHistory()
        let (v, groups) = try await take()
        for g in groups { h.record(g.lag, time: Date(), hasMembers: g.hasMembers) }
        return (v, h)
    }
    var history = LagHistory(window: window.window + window.interval, interval: window.interval)
    Watchdog.arm(seconds: timeout + window.interval + 5)
    let v = try await LagWindow.run(window: window.window, interval: window.interval, history: &history, progress: { n, total in
        warn("sampled \(n)/\(total)" + (n < total ? ", next in \(fmtSeconds(window.interval))" : ""))
        Watchdog.arm(seconds: timeout + window.interval + 5)
    }, take: take)
    return (v, history)
}

func fmtSeconds(_ s: TimeInterval) -> String { OffsetTime.describe(milliseconds: Int64((s * 1000).rounded())) }

/// A duration in ms for a table cell: `-` when unknown.
func fmtMs(_ ms: Int64?) -> String {
    guard let ms else { return "-" }
    return ms < 0 ? "now" : (ms == 0 ? "0s" : OffsetTime.describe(milliseconds: ms))
}

/// The DATA-LOSS-IN cell: when retention may delete unread records ("from"), loud when at risk.
func dataLossCell(_ ms: Int64?, atRisk: Bool) -> String {
    guard let ms else { return "-" }
    return (atRisk ? "AT RISK from " : "from ") + fmtMs(ms)
}

/// The lag facts (record timestamps, retention, LSOs, broker settings) with a fresh budget: the
/// watchdog is re-armed, since they are read after the offsets. Problems are warned about.
func loadLagFacts(_ s: Session, lags: [GroupLag], broker: Int32? = nil, timeout: Double) async -> (LagFacts, [String]) {
    Watchdog.arm(seconds: timeout + 5)
    let d = s.deadline
    var id = broker
    if id == nil { id = try? await s.client.metadata(deadline: d, racks: false).brokers.map(\.id).min() }
    let (facts, problems) = await LagFactsLoader.load(s.client, lags: lags, broker: id, deadline: d)
    for p in problems { warn("warning: \(p)") }
    return (facts, problems)
}

extension GroupSummaryJSON {
    mutating func add(_ row: GroupTrendRow?) {
        guard let row else { return }
        trend = row.trend.word; max_time_lag_ms = row.maxTimeLagMs; min_data_loss_in_ms = row.minDataLossInMs
        assign_committer = row.assignCommitter
        data_loss_risk = row.dataLossSeverity?.rawValue
    }
}

extension GroupPartitionJSON {
    mutating func add(_ row: PartitionTrendRow?) {
        guard let row else { return }
        time_lag_ms = row.timeLagMs; trend = row.trend.word
        consume_rate = row.rates?.consumed; produce_rate = row.rates?.produced
        eta_ms = row.eta.map { Int64(($0 * 1000).rounded(.up)) }; data_loss_in_ms = row.dataLossInMs
        last_stable_offset = row.lastStableOffset
        open_transaction_holds_back = row.openTransactionHoldsBack
    }
}
