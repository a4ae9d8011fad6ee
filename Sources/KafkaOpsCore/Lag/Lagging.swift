import Foundation

/// When a group's lag matters (the overview's "lagging N"): not every lag above zero, since a busy
/// consumer always trails the log end by a few records. A group is lagging when
/// - retention may delete records it has not read within a day (at risk of data loss), or
/// - its trend is `stopped`, `stalled` or `falling_behind`, or
/// - its oldest unread record is older than the threshold (time lag, default 5 minutes).
public enum LaggingRule {
    /// The time lag above which a group is lagging whatever its trend.
    public static let defaultTimeLagThresholdMs: Int64 = 5 * 60_000

    public static func matters(trend: LagTrend, atRisk: Bool, maxTimeLagMs: Int64?,
                               thresholdMs: Int64 = defaultTimeLagThresholdMs) -> Bool {
        if atRisk { return true }
        switch trend {
        case .stopped, .stalled, .fallingBehind: return true
        default: break
        }
        return (maxTimeLagMs ?? 0) > thresholdMs
    }
}

extension GroupTrendRow {
    /// Whether this group's lag matters (`LaggingRule`).
    public func isLagging(thresholdMs: Int64 = LaggingRule.defaultTimeLagThresholdMs) -> Bool {
        LaggingRule.matters(trend: trend, atRisk: dataLossSeverity != nil, maxTimeLagMs: maxTimeLagMs, thresholdMs: thresholdMs)
    }
}
