import Foundation

/// The valid range of a numeric setting, shared by the config file and the command line, so
/// `refresh_interval: 0`, `replay_rate: 0` and `--timeout 0` are refused with the same words.
public struct SettingRange: Sendable, Hashable {
    public var lower: Double
    /// Whether `lower` itself is allowed.
    public var lowerIncluded: Bool
    public var upper: Double?
    /// "seconds", "records per second".
    public var unit: String

    public init(lower: Double, lowerIncluded: Bool, upper: Double? = nil, unit: String) {
        self.lower = lower; self.lowerIncluded = lowerIncluded; self.upper = upper; self.unit = unit
    }

    /// `--timeout`: more than 0, at most an hour.
    public static let timeout = SettingRange(lower: 0, lowerIncluded: false, upper: 3600, unit: "seconds")
    /// `refresh_interval`: more than 0, at most a day.
    public static let refreshInterval = SettingRange(lower: 0, lowerIncluded: false, upper: 86_400, unit: "seconds")
    /// Every rate in records per second (`replay_rate`, `probe_rate`, `--rate`): from one record in
    /// 1000 s (the wait between records stays a number of seconds a stop signal can cut) to a million
    /// per second; 1e-300 and infinity (YAML `.inf`) are refused, not turned into a wait that overflows.
    public static let rate = SettingRange(lower: 0.001, lowerIncluded: true, upper: 1_000_000, unit: "records per second")
    /// `replay_rate` and the replay's `--rate` (leave it out for no limit).
    public static let replayRate = rate
    /// `probe_rate` (the console's probe screen) and the probe's `--rate`.
    public static let probeRate = rate
    /// Every duration an operator gives to sample or run for (`lag --window`, `--interval`,
    /// `probe --duration`): more than 0, at most 7 days (a window's samples are held in memory).
    public static let sampleDuration = SettingRange(lower: 0, lowerIncluded: false, upper: 7 * 86_400, unit: "seconds")
    /// `reset_skip_threshold`: 0 or more.
    public static let resetSkipThreshold = SettingRange(lower: 0, lowerIncluded: true, unit: "records")

    /// False for NaN and out-of-range values.
    public func contains(_ v: Double) -> Bool {
        guard !v.isNaN else { return false }
        if lowerIncluded ? v < lower : v <= lower { return false }
        if let upper, v > upper { return false }
        return true
    }

    /// "more than 0 and at most 3600 seconds", "0 or more records".
    public var text: String {
        let low = lowerIncluded ? "\(Self.number(lower)) or more" : "more than \(Self.number(lower))"
        guard let upper else { return "\(low) \(unit)" }
        return lowerIncluded ? "\(Self.number(lower)) to \(Self.number(upper)) \(unit)"
                             : "\(low) and at most \(Self.number(upper)) \(unit)"
    }

    /// Nil when `v` is valid, else "refresh_interval must be more than 0 and at most 86400 seconds, got 0".
    public func problem(_ name: String, _ v: Double) -> String? {
        contains(v) ? nil : "\(name) must be \(text), got \(Self.number(v))"
    }

    /// Nil when `milliseconds` (a parsed duration such as `99999999d`) is valid in seconds.
    public func problem(_ name: String, milliseconds: Int64) -> String? {
        problem(name, Double(milliseconds) / 1000)
    }

    static func number(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
