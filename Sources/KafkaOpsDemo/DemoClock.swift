import Foundation
import KafkaOpsCore

/// The time the simulated cluster lives in.
///
/// `.system` follows the wall clock; `.manual(start:)` stands still until `advance(by:)` is
/// called, so tests can put the cluster at any moment of its scripted timeline.
public final class DemoClock: Sendable {
    private let isManual: Bool
    private let origin: Date
    /// Seconds added by `advance(by:)`.
    private let skew: Locked<Double>

    private init(manual: Bool, origin: Date) {
        self.isManual = manual
        self.origin = origin
        self.skew = Locked(0)
    }

    /// The wall clock.
    public static var system: DemoClock { DemoClock(manual: false, origin: Date()) }

    /// 2026-11-23T09:00:00Z, a Monday morning: the default start of a manual clock.
    public static let referenceStart = Date(timeIntervalSince1970: 1_795_424_400)

    /// A clock that only moves when `advance(by:)` is called.
    public static func manual(start: Date = DemoClock.referenceStart) -> DemoClock {
        DemoClock(manual: true, origin: start)
    }

    /// True for a manual clock.
    public var manual: Bool { isManual }

    public var now: Date {
        let s = skew.withLock { $0 }
        return isManual ? origin.addingTimeInterval(s) : Date().addingTimeInterval(s)
    }

    /// Moves the clock forward (on the system clock too, which then runs ahead of the wall clock).
    public func advance(by seconds: Double) {
        skew.withLock { $0 += max(0, seconds) }
    }

    public func advance(by duration: Duration) {
        let c = duration.components
        advance(by: Double(c.seconds) + Double(c.attoseconds) / 1e18)
    }
}
