import Foundation

/// A value behind a lock: the project's one box for mutable state shared across threads (a flag a
/// job reads, a result handed from a blocking thread, a count). Anything more than a value (a
/// continuation to resume once, a handle's lifetime) keeps its own type, built on this.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    /// Runs `body` with the value, under the lock; what it returns is returned.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&stored)
    }

    /// The value now (a copy).
    public var value: Value { withLock { $0 } }

    public func set(_ value: Value) { withLock { $0 = value } }
}

extension Locked where Value: RangeReplaceableCollection {
    /// An empty list (or other collection).
    public convenience init() { self.init(Value()) }

    /// Adds `element` at the end, under the lock.
    public func append(_ element: Value.Element) { withLock { $0.append(element) } }

    /// What was collected so far, leaving the collection empty.
    public func take() -> Value { withLock { all in defer { all = Value() }; return all } }
}
