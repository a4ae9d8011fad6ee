import Foundation
import KafkaOpsCore

/// Text helpers shared by the row builders and the views.
public enum Fmt {
    /// Cluster text made safe for a cell.
    @inline(__always)
    public static func safe(_ s: String) -> String { Sanitizer.terminal(s) }

    public static func lag(_ v: Int64?) -> String { v.map(String.init) ?? "-" }

    /// A group's total lag for a cell: `?` when a committed partition's lag cannot be known, `-` when no
    /// partition has a commit, else the sum.
    public static func lag(_ g: GroupLag) -> String {
        if g.partitionsWithUnknownLag > 0 { return "?" }
        return g.partitions.contains { $0.lag != nil } ? lag(g.totalLag) : "-"
    }

    /// A partition's lag for a cell: `?` when it cannot be known, `-` without a commit.
    public static func lag(_ p: PartitionLag) -> String { p.status.lagUnknown ? "?" : lag(p.lag) }

    /// Why a lag is `?`, short enough for a 16-column cell at 80 columns (`? past log end`).
    public static func unknownLagNote(_ status: LagStatus) -> String? {
        switch status {
        case .aheadOfLogEnd: return "? past log end"
        case .unknownOffsets: return "? end unreadable"
        case .ok, .noCommit, .dataLost: return nil
        }
    }

    /// Why a group's lag is `?`, for a line of the overview's "worst now" at 80 columns.
    public static func unknownLagLine(_ g: GroupLag) -> String? {
        guard let first = g.lagUnknownPartitions.first else { return nil }
        let why = first.status == .aheadOfLogEnd ? "committed past the log end" : "log end unreadable"
        return "lag unknown: \(why)" + (g.partitionsWithUnknownLag > 1 ? " (\(Fmt.counted(g.partitionsWithUnknownLag, "partition")))" : "")
    }

    /// An aggregate with what it adds up: `lag 180 (2 groups)`, `lag 40 (1 partition)`.
    public static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    public static func ids(_ v: [Int32]) -> String { v.map(String.init).joined(separator: ",") }

    /// The compact ISR-health mark of a topic: `ok`, or the counts of each unhealthy state.
    public static func healthMark(_ c: HealthCounts) -> (String, Role) {
        if c.partitions == 0 { return ("-", .muted) }
        if c.isHealthy { return ("ok", .healthy) }
        var parts: [String] = []
        if c.offline > 0 { parts.append("off:\(c.offline)") }
        if c.underMinISR > 0 { parts.append("<min:\(c.underMinISR)") }
        if c.underReplicated > 0 { parts.append("urp:\(c.underReplicated)") }
        if c.atMinISR > 0 { parts.append("=min:\(c.atMinISR)") }
        return (parts.joined(separator: " "), role(c.worst))
    }

    /// The mark of a topic: "?" added when its min.insync.replicas is unknown (configs not read),
    /// since any partition might then be under min ISR.
    public static func healthMark(_ s: TopicSummary) -> (String, Role) {
        let (mark, role) = healthMark(s.health)
        guard s.healthLevel == nil, s.health.partitions > 0 else { return (mark, role) }
        return (s.health.isHealthy ? "? min ISR" : mark + " ?", .warning)
    }

    public static func role(_ level: HealthLevel) -> Role {
        switch level {
        case .healthy: return .healthy
        case .atMinISR, .underReplicated: return .warning
        case .underMinISR: return .critical
        case .offline: return .offline
        }
    }

    /// A durability finding's role: errors critical, warnings warning, infos muted.
    public static func role(_ severity: FindingSeverity) -> Role {
        switch severity {
        case .error: return .critical
        case .warning: return .warning
        case .info: return .muted
        }
    }

    /// The sort key that puts errors first, then warnings, then infos.
    static func sortKey(_ severity: FindingSeverity) -> SortKey {
        .number(-Int64(severity == .error ? 2 : severity == .warning ? 1 : 0))
    }

    public static func partitionHealth(_ h: PartitionHealth) -> (String, Role) {
        switch h.worst {
        case .healthy: return ("ok", .healthy)
        case .atMinISR: return ("at-min", .warning)
        case .underReplicated: return ("urp", .warning)
        case .underMinISR: return h.contains(.offline) ? ("offline", .offline) : ("under-min", .critical)
        case .offline: return ("offline", .offline)
        }
    }

    /// The state of a broker that is not live: `DOWN since 20:31` (when the console saw it leave), else `DOWN`.
    public static func downState(_ d: DownBroker) -> String {
        if let since = d.since { return "DOWN since " + clock(since) }
        // Down since before this run: when an earlier run last saw it live.
        if let seen = d.lastSeenLiveBefore { return "DOWN, seen " + dayClock(seen) }
        return "DOWN"
    }

    public static func age(_ seconds: Int) -> String {
        if seconds < 60 { return "\(max(0, seconds))s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h\(seconds % 3600 / 60)m"
    }
}
