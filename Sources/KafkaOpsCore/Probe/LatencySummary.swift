import Foundation

/// p50, p99 and max of a set of latencies in milliseconds (nearest-rank percentiles, as
/// KMinion and most load tools report them). nil fields when there was no sample.
public struct LatencySummary: Hashable, Sendable, Codable {
    public var p50: Double?
    public var p99: Double?
    public var max: Double?
    public var count: Int

    public init(_ samples: [Double]) {
        count = samples.count
        guard !samples.isEmpty else { p50 = nil; p99 = nil; max = nil; return }
        let sorted = samples.sorted()
        p50 = Self.rank(sorted, 0.50)
        p99 = Self.rank(sorted, 0.99)
        max = sorted.last
    }

    /// The smallest sample such that at least `q` of all samples are <= it.
    static func rank(_ sorted: [Double], _ q: Double) -> Double {
        let n = sorted.count
        let r = Int((q * Double(n)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(n - 1, r - 1))]
    }

    enum CodingKeys: String, CodingKey { case p50, p99, max }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(p50.map(Self.round3), forKey: .p50)
        try c.encode(p99.map(Self.round3), forKey: .p99)
        try c.encode(max.map(Self.round3), forKey: .max)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        p50 = try c.decodeIfPresent(Double.self, forKey: .p50)
        p99 = try c.decodeIfPresent(Double.self, forKey: .p99)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
        count = 0
    }

    static func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
