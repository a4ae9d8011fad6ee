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

    /// Replaces the variable parts of an error message so that messages differing only in ids group together:
    /// numbers `<n>`, UUIDs `<uuid>`, `0x..` and long hex runs `<hex>`, quoted strings `<str>`.
    /// Only the first line, at most 300 bytes, is considered.
    public static func normalize(_ message: String) -> String {
        var input = Array(message.utf8.prefix(300))
        if let nl = input.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) { input.removeSubrange(nl...) }
        let b = input
        let n = b.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) }
        func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F }
        func boundaryAfter(_ j: Int) -> Bool { j >= n || !isAlnum(b[j]) }
        var i = 0
        while i < n {
            let c = b[i]
            let atBoundary = i == 0 || !isAlnum(b[i - 1])
            if atBoundary, c == 0x22 || c == 0x27 { // " or ', not an apostrophe inside a word
                if let j = b[(i + 1)...].firstIndex(of: c) {
                    out += Array("<str>".utf8); i = j + 1; continue
                }
            }
            if atBoundary, isHex(c) {
                // UUID: 8-4-4-4-12
                if i + 36 <= n {
                    var ok = true
                    for k in 0..<36 {
                        let d = b[i + k]
                        if k == 8 || k == 13 || k == 18 || k == 23 { if d != 0x2D { ok = false; break } }
                        else if !isHex(d) { ok = false; break }
                    }
                    if ok, boundaryAfter(i + 36) { out += Array("<uuid>".utf8); i += 36; continue }
                }
                if c == 0x30, i + 2 < n, b[i + 1] | 0x20 == 0x78, isHex(b[i + 2]) {
                    var j = i + 2
                    while j < n, isHex(b[j]) { j += 1 }
                    out += Array("<hex>".utf8); i = j; continue
                }
                var j = i
                var digits = false, letters = false
                while j < n, isHex(b[j]) { if isDigit(b[j]) { digits = true } else { letters = true }; j += 1 }
                if j - i >= 8, digits, letters, boundaryAfter(j) { out += Array("<hex>".utf8); i = j; continue }
            }
            if isDigit(c) {
                var j = i
                while j < n, isDigit(b[j]) { j += 1 }
                while j + 1 < n, b[j] == 0x2E, isDigit(b[j + 1]) { // 1.5, 10.0.0.7
                    j += 1
                    while j < n, isDigit(b[j]) { j += 1 }
                }
                out += Array("<n>".utf8); i = j; continue
            }
            out.append(c); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Builds a `DLQSummary` one record at a time (stream-friendly: keeps counts, never payloads).
public struct DLQSummaryBuilder: Sendable {
    private var total = 0
    private var withoutContext = 0
    private var errors: [String: DLQErrorGroup] = [:]
    private var topics: [String: DLQTopicGroup] = [:]
    private var families: [DLQFamily: Int] = [:]
    private var patternCache: [String: String] = [:]
    private static let cacheLimit = 50_000
    private static let noTopicKey = "\u{0}none"

    public init() {}

    public var count: Int { total }

    public mutating func add(record: Record, context: DLQContext) {
        total += 1
        families[context.family, default: 0] += 1
        if context.family == .none { withoutContext += 1 }

        let rawMessage = context.message ?? context.stackTrace.map { String($0.prefix(300)) }
        let firstLine = rawMessage.map { m -> String in
            let line = m.prefix { $0 != "\n" && $0 != "\r" }
            return String(line.prefix(300))
        }
        let pattern: String
        if let firstLine {
            if let cached = patternCache[firstLine] {
                pattern = cached
            } else {
                pattern = DLQSummary.normalize(firstLine)
                if patternCache.count >= Self.cacheLimit { patternCache.removeAll(keepingCapacity: true) }
                patternCache[firstLine] = pattern
            }
        } else {
            pattern = context.family == .none ? "(no error context)" : "(no message)"
        }
        let key = (context.errorClass ?? "") + "\u{0}" + pattern
        if var g = errors[key] {
            g.count += 1
            g.firstOffset = min(g.firstOffset, record.offset); g.lastOffset = max(g.lastOffset, record.offset)
            g.firstTimestamp = min(g.firstTimestamp, record.timestamp); g.lastTimestamp = max(g.lastTimestamp, record.timestamp)
            if let t = context.originalTopic, g.originalTopics.count < 100 || g.originalTopics[t] != nil {
                g.originalTopics[t, default: 0] += 1
            }
            errors[key] = g
        } else {
            errors[key] = DLQErrorGroup(errorClass: context.errorClass, pattern: pattern, example: firstLine, count: 1,
                                        firstOffset: record.offset, lastOffset: record.offset,
                                        firstTimestamp: record.timestamp, lastTimestamp: record.timestamp,
                                        originalTopics: context.originalTopic.map { [$0: 1] } ?? [:])
        }

        let tkey = context.originalTopic ?? Self.noTopicKey
        if var t = topics[tkey] {
            t.count += 1
            t.firstOffset = min(t.firstOffset, record.offset); t.lastOffset = max(t.lastOffset, record.offset)
            t.firstTimestamp = min(t.firstTimestamp, record.timestamp); t.lastTimestamp = max(t.lastTimestamp, record.timestamp)
            if let o = context.originalOffset {
                t.minOriginalOffset = min(t.minOriginalOffset ?? o, o)
                t.maxOriginalOffset = max(t.maxOriginalOffset ?? o, o)
            }
            topics[tkey] = t
        } else {
            topics[tkey] = DLQTopicGroup(originalTopic: context.originalTopic, count: 1,
                                         firstOffset: record.offset, lastOffset: record.offset,
                                         firstTimestamp: record.timestamp, lastTimestamp: record.timestamp,
                                         minOriginalOffset: context.originalOffset, maxOriginalOffset: context.originalOffset)
        }
    }

    public var summary: DLQSummary {
        let byError = errors.values.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if ($0.errorClass ?? "") != ($1.errorClass ?? "") { return ($0.errorClass ?? "") < ($1.errorClass ?? "") }
            return $0.pattern < $1.pattern
        }
        let byTopic = topics.values.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            return ($0.originalTopic ?? "\u{10FFFF}") < ($1.originalTopic ?? "\u{10FFFF}")
        }
        return DLQSummary(total: total, withoutContext: withoutContext, byError: byError, byTopic: byTopic, families: families)
    }
}
