import Foundation

/// Who wrote the error context of a dead-letter record.
public enum DLQFamily: String, Hashable, Sendable, Codable {
    /// Kafka Connect (`__connect.errors.*`, with errors.deadletterqueue.context.headers.enable=true).
    case connect
    /// Spring Kafka's DeadLetterPublishingRecoverer (`kafka_dlt-*`).
    case spring
    /// Kafka Streams 4.2+ (`__streams.errors.*`, KIP-1034).
    case streams
    /// Header names mapped in the profile.
    case custom
    /// No error context at all (e.g. Connect without context headers): the record is shown anyway.
    case none
}

/// Custom header names a profile maps onto the error-context fields (for producers with their own scheme).
public struct DLQHeaderMapping: Hashable, Sendable, Codable {
    public var originalTopic: String?
    public var originalPartition: String?
    public var originalOffset: String?
    public var errorClass: String?
    public var errorMessage: String?
    public var stackTrace: String?

    public init(originalTopic: String? = nil, originalPartition: String? = nil, originalOffset: String? = nil,
                errorClass: String? = nil, errorMessage: String? = nil, stackTrace: String? = nil) {
        self.originalTopic = originalTopic; self.originalPartition = originalPartition
        self.originalOffset = originalOffset; self.errorClass = errorClass
        self.errorMessage = errorMessage; self.stackTrace = stackTrace
    }

    public static let none = DLQHeaderMapping()

    public var headerNames: [String] {
        [originalTopic, originalPartition, originalOffset, errorClass, errorMessage, stackTrace].compactMap { $0 }
    }

    public var isEmpty: Bool { headerNames.isEmpty }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case originalTopic = "original_topic", originalPartition = "original_partition"
        case originalOffset = "original_offset", errorClass = "error_class"
        case errorMessage = "error_message", stackTrace = "stack_trace"
    }

    /// An unknown key (a typo such as `error_clas`) is an error, not a mapping silently left out.
    public init(from decoder: any Decoder) throws {
        try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(originalTopic: try c.decodeIfPresent(String.self, forKey: .originalTopic),
                  originalPartition: try c.decodeIfPresent(String.self, forKey: .originalPartition),
                  originalOffset: try c.decodeIfPresent(String.self, forKey: .originalOffset),
                  errorClass: try c.decodeIfPresent(String.self, forKey: .errorClass),
                  errorMessage: try c.decodeIfPresent(String.self, forKey: .errorMessage),
                  stackTrace: try c.decodeIfPresent(String.self, forKey: .stackTrace))
    }
}

/// The error context of one dead-letter record: where it came from and why it failed.
/// Strings are raw (as decoded); sanitise with `Sanitizer` before drawing them.
public struct DLQContext: Hashable, Sendable, Codable {
    public var family: DLQFamily
    public var originalTopic: String?
    public var originalPartition: Int32?
    public var originalOffset: Int64?
    /// ms since the epoch (Spring only).
    public var originalTimestamp: Int64?
    public var originalTimestampType: String?
    public var consumerGroup: String?
    public var connectorName: String?
    public var taskID: String?
    /// Connect's stage (`VALUE_CONVERTER`, `TRANSFORMATION`, `TASK_PUT`, ...).
    public var stage: String?
    /// The class that was executing (Connect's `__connect.errors.class.name`).
    public var executingClass: String?
    /// The exception class (fully qualified).
    public var errorClass: String?
    /// The cause's class (Spring's `kafka_dlt-exception-cause-fqcn`).
    public var causeClass: String?
    public var message: String?
    public var stackTrace: String?
    /// True when the failure was in the key (Spring's `kafka_dlt-key-exception-*`).
    public var isKeyError: Bool
    /// Malformed headers, in words: "kafka_dlt-original-partition: expected 4 bytes, got 3".
    public var problems: [String]

    public init(family: DLQFamily = .none, originalTopic: String? = nil, originalPartition: Int32? = nil,
                originalOffset: Int64? = nil, originalTimestamp: Int64? = nil, originalTimestampType: String? = nil,
                consumerGroup: String? = nil, connectorName: String? = nil, taskID: String? = nil, stage: String? = nil,
                executingClass: String? = nil, errorClass: String? = nil, causeClass: String? = nil,
                message: String? = nil, stackTrace: String? = nil, isKeyError: Bool = false, problems: [String] = []) {
        self.family = family; self.originalTopic = originalTopic; self.originalPartition = originalPartition
        self.originalOffset = originalOffset; self.originalTimestamp = originalTimestamp
        self.originalTimestampType = originalTimestampType; self.consumerGroup = consumerGroup
        self.connectorName = connectorName; self.taskID = taskID; self.stage = stage
        self.executingClass = executingClass; self.errorClass = errorClass; self.causeClass = causeClass
        self.message = message; self.stackTrace = stackTrace; self.isKeyError = isKeyError; self.problems = problems
    }

    /// "orders/3/1042" when the origin is fully known.
    public var originDescription: String? {
        guard let t = originalTopic else { return nil }
        var s = t
        if let p = originalPartition { s += "/\(p)" }
        if let o = originalOffset { s += "/\(o)" }
        return s
    }

    /// The error class without its package ("SerializationException").
    public var shortErrorClass: String? {
        errorClass.map { c in c.split(separator: ".").last.map(String.init) ?? c }
    }

    // MARK: header names

    public static let connectPrefix = "__connect.errors."
    public static let streamsPrefix = "__streams.errors."
    public static let springPrefix = "kafka_dlt-"
    /// Spring retry-topic bookkeeping; dropped on replay too.
    public static let springRetryPrefix = "retry_topic-"
    /// Headers kafkaops adds on replay; replaced when a record is replayed again.
    public static let replayPrefix = "kafkaops.replay."

    /// Whether a header carries error context (and so is dropped on replay): the Connect, Streams and Spring
    /// families, Spring's retry-topic headers, earlier kafkaops replay headers, and the profile's mapped names.
    public static func isErrorHeader(_ name: String, mapping: DLQHeaderMapping = .none) -> Bool {
        name.hasPrefix(connectPrefix) || name.hasPrefix(streamsPrefix) || name.hasPrefix(springPrefix)
            || name.hasPrefix(springRetryPrefix) || name.hasPrefix(replayPrefix) || mapping.headerNames.contains(name)
    }

    /// The topic a dead-letter topic probably serves, from Spring's naming (`orders-dlt` since Spring Kafka 3.3,
    /// `orders.DLT` before). A hint for the operator only: replay never uses it without being told to.
    public static func guessOriginalTopic(dlqTopic: String) -> String? {
        for suffix in ["-dlt", ".DLT"] where dlqTopic.hasSuffix(suffix) && dlqTopic.count > suffix.count {
            return String(dlqTopic.dropLast(suffix.count))
        }
        return nil
    }

    // MARK: decoding

    /// Decodes the error context of a dead-letter record. Never fails: malformed headers become `problems`.
    /// With several headers of one name the last wins (Spring appends when it re-publishes).
    public static func decode(record: Record, mapping: DLQHeaderMapping = .none) -> DLQContext {
        var last: [String: [UInt8]?] = [:]
        last.reserveCapacity(record.headers.count)
        var hasConnect = false, hasSpring = false, hasStreams = false
        for h in record.headers {
            last[h.key] = .some(h.value)
            if h.key.hasPrefix(connectPrefix) { hasConnect = true }
            else if h.key.hasPrefix(springPrefix) { hasSpring = true }
            else if h.key.hasPrefix(streamsPrefix) { hasStreams = true }
        }
        var ctx = DLQContext()
        var decoder = HeaderDecoder(headers: last)
        let hasCustom = mapping.headerNames.contains { last[$0] != nil }
        if hasSpring {
            ctx.family = .spring
            decoder.spring(into: &ctx)
        } else if hasConnect {
            ctx.family = .connect
            decoder.connect(into: &ctx)
        } else if hasStreams {
            ctx.family = .streams
            decoder.streams(into: &ctx)
        }
        if hasCustom {
            if ctx.family == .none { ctx.family = .custom }
            decoder.custom(mapping, into: &ctx)
        }
        ctx.problems = decoder.problems
        return ctx
    }
}

/// Reads typed values out of headers, collecting problems instead of failing.
struct HeaderDecoder {
    let headers: [String: [UInt8]?]
    var problems: [String] = []

    init(headers: [String: [UInt8]?]) { self.headers = headers }

    func raw(_ name: String) -> [UInt8]? { headers[name] ?? nil }

    /// A UTF-8 string; invalid UTF-8 is a problem and is decoded with replacement characters.
    mutating func string(_ name: String) -> String? {
        guard let b = raw(name) else { return nil }
        if let s = String(validating: b, as: UTF8.self) { return s }
        problems.append("\(name): not valid UTF-8 (\(b.count) bytes)")
        return String(decoding: b, as: UTF8.self)
    }

    func decimal<T: FixedWidthInteger>(_ b: [UInt8], as: T.Type) -> T? {
        guard let s = String(validating: b, as: UTF8.self) else { return nil }
        return T(s.trimmingCharacters(in: .whitespaces))
    }

    func bigEndian<T: FixedWidthInteger>(_ b: [UInt8], as: T.Type) -> T {
        var v: T = 0
        for byte in b { v = (v << 8) | T(byte) }
        return v
    }

    /// A binary big-endian integer of exactly `MemoryLayout<T>.size` bytes (Spring); a decimal string is
    /// accepted as a fallback with a problem noted.
    mutating func binary<T: FixedWidthInteger>(_ name: String, as type: T.Type) -> T? {
        guard let b = raw(name) else { return nil }
        let size = MemoryLayout<T>.size
        if b.count == size { return bigEndian(b, as: T.self) }
        var note = "\(name): expected \(size) bytes, got \(b.count)"
        if let v = decimal(b, as: T.self) {
            note += "; read as the decimal string \"\(v)\""
            problems.append(note)
            return v
        }
        problems.append(note)
        return nil
    }

    /// A decimal string (Connect, Streams); -1 means unknown. A binary value of the right size is a fallback.
    mutating func decimalString<T: FixedWidthInteger>(_ name: String, as type: T.Type) -> T? {
        guard let b = raw(name) else { return nil }
        if let v = decimal(b, as: T.self) { return v < 0 ? nil : v }
        if b.count == MemoryLayout<T>.size {
            problems.append("\(name): expected a decimal string, got \(b.count) binary bytes; read as a big-endian number")
            return bigEndian(b, as: T.self)
        }
        problems.append("\(name): '\(Sanitizer.terminal(String(decoding: b, as: UTF8.self)))' is not a number")
        return nil
    }

    /// Either encoding, without complaint (custom mappings: the producer's convention is unknown).
    mutating func anyInteger<T: FixedWidthInteger>(_ name: String, as type: T.Type) -> T? {
        guard let b = raw(name) else { return nil }
        if let v = decimal(b, as: T.self) { return v < 0 ? nil : v }
        if b.count == 4 { return T(truncatingIfNeeded: bigEndian(b, as: Int32.self)) }
        if b.count == 8 { return T(truncatingIfNeeded: bigEndian(b, as: Int64.self)) }
        problems.append("\(name): cannot read a number from \(b.count) bytes")
        return nil
    }

    static func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }

    mutating func spring(into c: inout DLQContext) {
        let p = DLQContext.springPrefix
        c.originalTopic = Self.nonEmpty(string(p + "original-topic"))
        c.originalPartition = binary(p + "original-partition", as: Int32.self)
        c.originalOffset = binary(p + "original-offset", as: Int64.self)
        c.originalTimestamp = binary(p + "original-timestamp", as: Int64.self)
        c.originalTimestampType = string(p + "original-timestamp-type")
        c.consumerGroup = Self.nonEmpty(string(p + "original-consumer-group"))
        // A value failure, else a key failure (kafka_dlt-key-exception-*).
        for kind in ["exception-", "key-exception-"] {
            guard let cls = string(p + kind + "fqcn") else { continue }
            c.isKeyError = kind.hasPrefix("key")
            c.errorClass = cls
            c.causeClass = string(p + kind + "cause-fqcn")
            c.message = string(p + kind + "message")
            c.stackTrace = string(p + kind + "stacktrace")
            break
        }
    }

    /// Connect and Streams: topic, partition and offset as UTF-8 strings under one prefix.
    mutating func stringOrigin(_ p: String, into c: inout DLQContext) {
        c.originalTopic = Self.nonEmpty(string(p + "topic"))
        c.originalPartition = decimalString(p + "partition", as: Int32.self)
        c.originalOffset = decimalString(p + "offset", as: Int64.self)
    }

    mutating func connect(into c: inout DLQContext) {
        let p = DLQContext.connectPrefix
        stringOrigin(p, into: &c)
        c.connectorName = string(p + "connector.name")
        c.taskID = string(p + "task.id")
        c.stage = string(p + "stage")
        c.executingClass = string(p + "class.name")
        c.errorClass = string(p + "exception.class.name")
        c.message = string(p + "exception.message")
        c.stackTrace = string(p + "exception.stacktrace")
    }

    mutating func streams(into c: inout DLQContext) {
        let p = DLQContext.streamsPrefix
        stringOrigin(p, into: &c)
        c.message = string(p + "message")
        c.stackTrace = string(p + "stacktrace")
        // `__streams.errors.exception` is Java's e.toString(): "fully.qualified.Class: message".
        if let ex = string(p + "exception") {
            if let r = ex.range(of: ": ") {
                c.errorClass = String(ex[..<r.lowerBound])
                if c.message == nil { c.message = String(ex[r.upperBound...]) }
            } else {
                c.errorClass = ex
            }
        }
    }

    mutating func custom(_ m: DLQHeaderMapping, into c: inout DLQContext) {
        if let n = m.originalTopic, let v = Self.nonEmpty(string(n)) { c.originalTopic = v }
        if let n = m.originalPartition, let v = anyInteger(n, as: Int32.self) { c.originalPartition = v }
        if let n = m.originalOffset, let v = anyInteger(n, as: Int64.self) { c.originalOffset = v }
        if let n = m.errorClass, let v = string(n) { c.errorClass = v }
        if let n = m.errorMessage, let v = string(n) { c.message = v }
        if let n = m.stackTrace, let v = string(n) { c.stackTrace = v }
    }
}
