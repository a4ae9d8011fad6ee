import Foundation

/// Dead-letter records that failed the same way: one error class and one message pattern.
public struct DLQErrorGroup: Hashable, Sendable {
    /// The exception class; nil for records without error context.
    public var errorClass: String?
    /// The message with numbers, UUIDs, hex and quoted strings replaced by `<n>`, `<uuid>`, `<hex>`, `<str>`.
    public var pattern: String
    /// The first message seen in this group (first line, raw: sanitise before drawing).
    public var example: String?
    public var count: Int
    /// Offsets and timestamps of the dead-letter records themselves (where to look in the DLQ).
    public var firstOffset: Int64
    public var lastOffset: Int64
    public var firstTimestamp: Int64
    public var lastTimestamp: Int64
    /// Original topics these records came from, with counts.
    public var originalTopics: [String: Int]
}

/// Dead-letter records by the topic they came from.
public struct DLQTopicGroup: Hashable, Sendable {
    /// nil when the record does not say where it came from.
    public var originalTopic: String?
    public var count: Int
    public var firstOffset: Int64
    public var lastOffset: Int64
    public var firstTimestamp: Int64
    public var lastTimestamp: Int64
    /// The lowest and highest original offsets seen, when known.
    public var minOriginalOffset: Int64?
    public var maxOriginalOffset: Int64?
}

/// The summary pane of a DLQ: what failed, how often, since when, from which topics.
public struct DLQSummary: Hashable, Sendable {
    public var total: Int
    /// Records with no error context (e.g. Connect without context headers).
    public var withoutContext: Int
    /// Most frequent first; ties by error class then pattern.
    public var byError: [DLQErrorGroup]
    /// Most frequent first; ties by topic name.
    public var byTopic: [DLQTopicGroup]
    public var families: [DLQFamily: Int]

    /// Summarises records with their decoded contexts (same order, same count).
    public static func build(records: [Record], contexts: [DLQContext]) -> DLQSummary {
        var b = DLQSummaryBuilder()
        for (r, c) in zip(records, contexts) { b.add(record: r, context: c) }
        return b.summary
    }

    /// What the summary shows for each error group (same order as `byError`): the part of its pattern that
    /// differs from every other group's first (usually the root cause at the end of a nested Java message),
    /// then the shared beginning after " ← ": "Unrecognized token <str> ← Converting byte[] to Kafka Connect
    /// data failed due to serialization error:". Two groups with different patterns never read the same.
    public var displayPatterns: [String] {
        byError.map { g in Self.differingFirst(g.pattern, among: byError.map(\.pattern)) }
    }

    /// `pattern` with the longest beginning it shares with another of `all` (cut at a word start) moved to the end.
    public static func differingFirst(_ pattern: String, among all: [String]) -> String {
        let p = Array(pattern)
        var shared = 0
        for other in all where other != pattern {
            let o = Array(other)
            var n = 0
            while n < p.count, n < o.count, p[n] == o[n] { n += 1 }
            shared = max(shared, n)
        }
        // Back to the start of a word, so neither part starts or ends mid-word (a placeholder is a word).
        func word(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "<" || c == ">" || c == "_" }
        while shared > 0, shared < p.count, word(p[shared - 1]), word(p[shared]) { shared -= 1 }
        guard shared > 0, shared < p.count else { return pattern }
        let head = String(p[..<shared]).trimmingCharacters(in: .whitespaces)
        let rest = String(p[shared...]).trimmingCharacters(in: CharacterSet(charactersIn: " :-"))
        return rest.isEmpty ? pattern : rest + " ← " + head
    }

    /// Replaces the variable parts of an error message so that messages differing only in ids group together:
    /// numbers `<n>`, UUIDs `<uuid>`, `0x..` and long hex runs `<hex>`, quoted strings `<str>`.
    /// Only the first line, at most 300 bytes, is considered.
    public static func normalize(_ message: String) -> String {
        String(decoding: normalizedFirstLine(message).pattern, as: UTF8.self)
    }

    /// The first line (at most 300 bytes, cut on a character boundary) and its normalised pattern, in one pass.
    static func normalizedFirstLine(_ message: String) -> (line: String, pattern: [UInt8]) {
        var m = message
        return m.withUTF8 { all -> (String, [UInt8]) in
            var end = 0
            let limit = min(all.count, 300)
            while end < limit, all[end] != 0x0A, all[end] != 0x0D { end += 1 }
            if end == 300, end < all.count { while end > 0, all[end] & 0xC0 == 0x80 { end -= 1 } }
            let b = UnsafeBufferPointer(rebasing: all[0..<end])
            let line = end == all.count ? message : String(decoding: b, as: UTF8.self)
            return (line, normalizeBytes(b))
        }
    }

    /// Character classes for the normaliser: 1 digit, 2 hex digit, 4 word character.
    static let byteClass: [UInt8] = (0..<256).map { v -> UInt8 in
        var k: UInt8 = 0
        if v >= 0x30 && v <= 0x39 { k |= 1 | 2 | 4 }
        if (v >= 0x41 && v <= 0x46) || (v >= 0x61 && v <= 0x66) { k |= 2 }
        if (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F { k |= 4 }
        return k
    }

    static func normalizeBytes(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = b.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        let cls = byteClass
        var i = 0
        while i < n {
            let c = b[i]
            let k = cls[Int(c)]
            let atBoundary = i == 0 || cls[Int(b[i - 1])] & 4 == 0
            if !atBoundary || (k == 0 && c != 0x22 && c != 0x27) {
                out.append(c); i += 1; continue
            }
            if c == 0x22 || c == 0x27 { // " or ', not an apostrophe inside a word
                var j = i + 1
                while j < n, b[j] != c { j += 1 }
                if j < n { out += Placeholder.str; i = j + 1; continue }
                out.append(c); i += 1; continue
            }
            if k & 2 != 0 {
                // UUID: 8-4-4-4-12
                if i + 36 <= n {
                    var ok = true
                    for q in 0..<36 {
                        let d = b[i + q]
                        if q == 8 || q == 13 || q == 18 || q == 23 { if d != 0x2D { ok = false; break } }
                        else if cls[Int(d)] & 2 == 0 { ok = false; break }
                    }
                    if ok, i + 36 == n || cls[Int(b[i + 36])] & 4 == 0 { out += Placeholder.uuid; i += 36; continue }
                }
                if c == 0x30, i + 2 < n, b[i + 1] | 0x20 == 0x78, cls[Int(b[i + 2])] & 2 != 0 {
                    var j = i + 2
                    while j < n, cls[Int(b[j])] & 2 != 0 { j += 1 }
                    out += Placeholder.hex; i = j; continue
                }
                var j = i
                var digits = false, letters = false
                while j < n, cls[Int(b[j])] & 2 != 0 { if cls[Int(b[j])] & 1 != 0 { digits = true } else { letters = true }; j += 1 }
                if j - i >= 8, digits, letters, j == n || cls[Int(b[j])] & 4 == 0 { out += Placeholder.hex; i = j; continue }
            }
            if k & 1 != 0 {
                var j = i
                while j < n, cls[Int(b[j])] & 1 != 0 { j += 1 }
                while j + 1 < n, b[j] == 0x2E, cls[Int(b[j + 1])] & 1 != 0 { // 1.5, 10.0.0.7
                    j += 1
                    while j < n, cls[Int(b[j])] & 1 != 0 { j += 1 }
                }
                out += Placeholder.n; i = j; continue
            }
            out.append(c); i += 1
        }
        return out
    }
}

/// Groups that count records and track the first and last offset and time.
protocol DLQSpan {
    var count: Int { get set }
    var firstOffset: Int64 { get set }
    var lastOffset: Int64 { get set }
    var firstTimestamp: Int64 { get set }
    var lastTimestamp: Int64 { get set }
}

extension DLQSpan {
    mutating func count(_ record: Record) {
        count += 1
        if record.offset < firstOffset { firstOffset = record.offset }
        if record.offset > lastOffset { lastOffset = record.offset }
        if record.timestamp < firstTimestamp { firstTimestamp = record.timestamp }
        if record.timestamp > lastTimestamp { lastTimestamp = record.timestamp }
    }
}

extension DLQErrorGroup: DLQSpan {}
extension DLQTopicGroup: DLQSpan {}

enum Placeholder {
    static let str = Array("<str>".utf8)
    static let uuid = Array("<uuid>".utf8)
    static let hex = Array("<hex>".utf8)
    static let n = Array("<n>".utf8)
}

/// Builds a `DLQSummary` one record at a time (stream-friendly: keeps counts, never payloads).
public struct DLQSummaryBuilder: Sendable {
    private var total = 0
    private var withoutContext = 0
    private struct ErrorKey: Hashable, Sendable { var errorClass: String?; var pattern: String }
    private var errorIndex: [ErrorKey: Int] = [:]
    private var errorGroups: [DLQErrorGroup] = []
    private var topicIndex: [String: Int] = [:]
    private var topicGroups: [DLQTopicGroup] = []
    private var noTopic: Int?
    private var familyCounts: [Int] = Array(repeating: 0, count: 5)
    /// Message -> (first line, pattern) for recent messages (DLQs repeat the same message a lot).
    private var patternCache: [String: (String, String)] = [:]
    private static let cacheLimit = 20_000
    private static let families: [DLQFamily] = [.connect, .spring, .streams, .custom, .none]

    public init() {}

    public var count: Int { total }

    public mutating func add(record: Record, context: DLQContext) {
        total += 1
        switch context.family {
        case .connect: familyCounts[0] += 1
        case .spring: familyCounts[1] += 1
        case .streams: familyCounts[2] += 1
        case .custom: familyCounts[3] += 1
        case .none: familyCounts[4] += 1; withoutContext += 1
        }

        let firstLine: String?
        let pattern: String
        if let message = context.message ?? context.stackTrace {
            let cacheable = message.utf8.count <= 512
            if cacheable, let (line, p) = patternCache[message] {
                firstLine = line; pattern = p
            } else {
                let (line, p) = DLQSummary.normalizedFirstLine(message)
                firstLine = line
                pattern = String(decoding: p, as: UTF8.self)
                if cacheable {
                    if patternCache.count >= Self.cacheLimit { patternCache.removeAll(keepingCapacity: true) }
                    patternCache[message] = (line, pattern)
                }
            }
        } else {
            firstLine = nil
            pattern = context.family == .none ? "(no error context)" : "(no message)"
        }

        let key = ErrorKey(errorClass: context.errorClass, pattern: pattern)
        if let i = errorIndex[key] {
            Self.update(&errorGroups[i], record: record, topic: context.originalTopic)
        } else {
            errorIndex[key] = errorGroups.count
            errorGroups.append(DLQErrorGroup(errorClass: context.errorClass, pattern: pattern, example: firstLine, count: 1,
                                             firstOffset: record.offset, lastOffset: record.offset,
                                             firstTimestamp: record.timestamp, lastTimestamp: record.timestamp,
                                             originalTopics: context.originalTopic.map { [$0: 1] } ?? [:]))
        }

        let existing: Int?
        if let t = context.originalTopic { existing = topicIndex[t] } else { existing = noTopic }
        if let i = existing {
            Self.update(&topicGroups[i], record: record, originalOffset: context.originalOffset)
        } else {
            if let t = context.originalTopic { topicIndex[t] = topicGroups.count } else { noTopic = topicGroups.count }
            topicGroups.append(DLQTopicGroup(originalTopic: context.originalTopic, count: 1,
                                             firstOffset: record.offset, lastOffset: record.offset,
                                             firstTimestamp: record.timestamp, lastTimestamp: record.timestamp,
                                             minOriginalOffset: context.originalOffset, maxOriginalOffset: context.originalOffset))
        }
    }

    private static func update(_ g: inout DLQErrorGroup, record: Record, topic: String?) {
        g.count(record)
        if let topic, g.originalTopics.count < 100 || g.originalTopics[topic] != nil {
            g.originalTopics[topic, default: 0] += 1
        }
    }

    private static func update(_ t: inout DLQTopicGroup, record: Record, originalOffset: Int64?) {
        t.count(record)
        if let o = originalOffset {
            if t.minOriginalOffset.map({ o < $0 }) ?? true { t.minOriginalOffset = o }
            if t.maxOriginalOffset.map({ o > $0 }) ?? true { t.maxOriginalOffset = o }
        }
    }

    public var summary: DLQSummary {
        let byError = errorGroups.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if ($0.errorClass ?? "") != ($1.errorClass ?? "") { return ($0.errorClass ?? "") < ($1.errorClass ?? "") }
            return $0.pattern < $1.pattern
        }
        let byTopic = topicGroups.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            return ($0.originalTopic ?? "\u{10FFFF}") < ($1.originalTopic ?? "\u{10FFFF}")
        }
        var families: [DLQFamily: Int] = [:]
        for (i, f) in Self.families.enumerated() where familyCounts[i] > 0 { families[f] = familyCounts[i] }
        return DLQSummary(total: total, withoutContext: withoutContext, byError: byError, byTopic: byTopic, families: families)
    }
}
