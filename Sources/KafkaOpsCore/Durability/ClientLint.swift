import Foundation

/// A Java .properties file, parsed as java.util.Properties.load does.
public struct PropertiesFile: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: String
        /// 1-based line where the entry starts.
        public var line: Int
    }

    public struct Problem: Hashable, Sendable, Codable {
        public var line: Int
        public var message: String
    }

    /// Entries in file order (duplicates included).
    public var entries: [Entry]
    public var problems: [Problem]

    /// Key -> value; the last occurrence wins, as in Java.
    public var values: [String: String] {
        var v: [String: String] = [:]
        for e in entries { v[e.key] = e.value }
        return v
    }

    /// The line of the last occurrence of a key.
    public func line(of key: String) -> Int? { entries.last { $0.key == key }?.line }

    /// Comments start with '#' or '!'; `key=value`, `key: value` and `key value`; a line ending in an odd
    /// number of backslashes continues on the next (whose leading whitespace is dropped); escapes
    /// `\t \n \r \f \uXXXX` and `\x` for any other x. A malformed `\u` escape and duplicate keys are problems.
    public static func parse(_ text: String) -> PropertiesFile {
        // Natural lines, split on \n, \r\n or \r.
        var lines: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "\n" || c == "\r" || c == "\r\n" {
                lines.append(text[start..<i])
                i = text.index(after: i)
                start = i
            } else {
                i = text.index(after: i)
            }
        }
        if start < text.endIndex { lines.append(text[start...]) }

        var entries: [Entry] = []
        var problems: [Problem] = []
        var n = 0
        while n < lines.count {
            let firstLine = n + 1
            var line = String(lines[n].drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
            n += 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            // Join continuation lines.
            while endsWithOddBackslashes(line) {
                line.removeLast()
                if n >= lines.count {
                    problems.append(Problem(line: firstLine, message: "line continuation at the end of the file"))
                    break
                }
                line += String(lines[n].drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
                n += 1
            }
            let (key, value, bad) = splitKeyValue(line)
            if bad { problems.append(Problem(line: firstLine, message: "Malformed \\uxxxx encoding in the entry for '\(key)'")) }
            if entries.contains(where: { $0.key == key }) {
                problems.append(Problem(line: firstLine, message: "duplicate key '\(key)': the last value wins"))
            }
            entries.append(Entry(key: key, value: value, line: firstLine))
        }
        return PropertiesFile(entries: entries, problems: problems)
    }

    static func endsWithOddBackslashes(_ s: String) -> Bool {
        var count = 0
        for c in s.reversed() { if c == "\\" { count += 1 } else { break } }
        return count % 2 == 1
    }

    /// Splits a logical line into an unescaped key and value; the flag is a malformed \u escape.
    static func splitKeyValue(_ line: String) -> (String, String, Bool) {
        let chars = Array(line)
        var i = 0
        var keyEnd = chars.count
        var valueStart = chars.count
        var escaped = false
        while i < chars.count {
            let c = chars[i]
            if escaped { escaped = false; i += 1; continue }
            if c == "\\" { escaped = true; i += 1; continue }
            if c == "=" || c == ":" {
                keyEnd = i; valueStart = i + 1; break
            }
            if c == " " || c == "\t" || c == "\u{0C}" {
                keyEnd = i
                var j = i
                while j < chars.count, chars[j] == " " || chars[j] == "\t" || chars[j] == "\u{0C}" { j += 1 }
                if j < chars.count, chars[j] == "=" || chars[j] == ":" { j += 1 }
                valueStart = j
                break
            }
            i += 1
        }
        var v = valueStart
        while v < chars.count, chars[v] == " " || chars[v] == "\t" || chars[v] == "\u{0C}" { v += 1 }
        let (key, badK) = unescape(chars[0..<min(keyEnd, chars.count)])
        let (value, badV) = unescape(chars[min(v, chars.count)...])
        return (key, value, badK || badV)
    }

    static func unescape(_ chars: ArraySlice<Character>) -> (String, Bool) {
        var out = ""
        var bad = false
        var i = chars.startIndex
        while i < chars.endIndex {
            let c = chars[i]
            i += 1
            guard c == "\\", i < chars.endIndex else { if c != "\\" { out.append(c) }; continue }
            let e = chars[i]
            i += 1
            switch e {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "f": out.append("\u{0C}")
            case "u":
                let hex = String(chars[i..<min(i + 4, chars.endIndex)])
                if hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    out.unicodeScalars.append(scalar)
                    i += 4
                } else {
                    bad = true
                }
            default: out.append(e)
            }
        }
        return (out, bad)
    }
}

/// Which client a config file is for.
public enum ClientKind: String, Hashable, Sendable, Codable, CaseIterable {
    case producer, consumer, auto
}

/// One data-loss risk in a client config.
public struct ClientLintFinding: Hashable, Sendable, Codable {
    /// Stable id: producer-acks, producer-idempotence, producer-retries, producer-max-in-flight,
    /// producer-delivery-timeout, consumer-auto-commit, consumer-auto-offset-reset, consumer-isolation-level,
    /// kind-unknown.
    public var rule: String
    public var key: String
    /// The value in the file, or "(default)".
    public var current: String
    public var severity: FindingSeverity
    public var reason: String
    public var fix: String
    /// Line of the key in the file, when it is there.
    public var line: Int?

    public init(rule: String, key: String, current: String, severity: FindingSeverity, reason: String, fix: String, line: Int?) {
        self.rule = rule; self.key = key; self.current = current; self.severity = severity
        self.reason = reason; self.fix = fix; self.line = line
    }
}

public struct ClientLintResult: Hashable, Sendable, Codable {
    /// The kinds checked (both when the file has producer and consumer keys).
    public var producerChecked: Bool
    public var consumerChecked: Bool
    public var findings: [ClientLintFinding]
    public var parseProblems: [PropertiesFile.Problem]

    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
}

/// The client-config linter (`kafkaops lint-client FILE`): the client half of the durability checklist.
public enum ClientLint {
    static let producerKeys: Set<String> = [
        "acks", "request.required.acks", "enable.idempotence", "retries", "message.send.max.retries",
        "max.in.flight.requests.per.connection", "max.in.flight", "delivery.timeout.ms", "message.timeout.ms",
        "linger.ms", "batch.size", "key.serializer", "value.serializer", "transactional.id", "compression.type",
        "buffer.memory", "partitioner.class", "max.block.ms",
    ]
    static let consumerKeys: Set<String> = [
        "group.id", "enable.auto.commit", "auto.offset.reset", "isolation.level", "key.deserializer",
        "value.deserializer", "max.poll.records", "max.poll.interval.ms", "auto.commit.interval.ms",
        "session.timeout.ms", "fetch.min.bytes", "fetch.max.wait.ms", "partition.assignment.strategy",
        "group.instance.id", "group.protocol", "enable.auto.offset.store",
    ]

    /// Parses the properties text and reports the data-loss risks for the kind (detected from the keys for `.auto`).
    public static func lint(properties: String, kind: ClientKind = .auto) -> ClientLintResult {
        let file = PropertiesFile.parse(properties)
        let v = file.values
        var producer = kind == .producer
        var consumer = kind == .consumer
        var out: [ClientLintFinding] = []
        if kind == .auto {
            producer = v.keys.contains { producerKeys.contains($0) }
            consumer = v.keys.contains { consumerKeys.contains($0) }
            if !producer && !consumer {
                out.append(ClientLintFinding(
                    rule: "kind-unknown", key: "(file)", current: "(no producer or consumer keys)", severity: .warning,
                    reason: "the file has no key that says whether it configures a producer or a consumer, so nothing was checked",
                    fix: "pass --kind producer or --kind consumer", line: nil))
            }
        }
        if producer { out += lintProducer(v, file) }
        if consumer { out += lintConsumer(v, file, transactionalProducer: v["transactional.id"] != nil) }
        return ClientLintResult(producerChecked: producer, consumerChecked: consumer, findings: out, parseProblems: file.problems)
    }

    /// The first of the keys (Java name, librdkafka alias) present in the file.
    static func lookup(_ v: [String: String], _ keys: [String]) -> (key: String, value: String)? {
        for k in keys { if let x = v[k] { return (k, x.trimmingCharacters(in: .whitespaces)) } }
        return nil
    }

    /// A finding for a key; nil current means the key is not in the file (its default applies).
    static func finding(_ rule: String, _ key: String, _ current: String?, _ sev: FindingSeverity, _ reason: String,
                        _ fix: String, _ file: PropertiesFile) -> ClientLintFinding {
        ClientLintFinding(rule: rule, key: key, current: current ?? "(default)", severity: sev,
                          reason: reason, fix: fix, line: current == nil ? nil : file.line(of: key))
    }

    static func lintProducer(_ v: [String: String], _ file: PropertiesFile) -> [ClientLintFinding] {
        var out: [ClientLintFinding] = []
        func add(_ rule: String, _ key: String, _ current: String?, _ sev: FindingSeverity, _ reason: String, _ fix: String) {
            out.append(finding(rule, key, current, sev, reason, fix, file))
        }
        let acks = lookup(v, ["acks", "request.required.acks"])
        let acksAll: Bool
        switch acks?.value.lowercased() {
        case nil:
            acksAll = true
            add("producer-acks", "acks", nil, .info,
                "the default is acks=all since Kafka 3.0 (librdkafka: all); clients before 3.0 default to acks=1",
                "set acks=all explicitly so an older client library cannot weaken it")
        case "all", "-1":
            acksAll = true
        case "0":
            acksAll = false
            add("producer-acks", acks?.key ?? "acks", acks?.value, .error,
                "acks=0 does not wait for the broker at all: a record is lost without any error when the leader does not get it",
                "set acks=all")
        case "1":
            acksAll = false
            add("producer-acks", acks?.key ?? "acks", acks?.value, .error,
                "acks=1 is acknowledged by the leader alone: if it fails before followers copy the record, the record is lost (and min.insync.replicas is not enforced)",
                "set acks=all")
        default:
            acksAll = false
            add("producer-acks", acks?.key ?? "acks", acks?.value, .error,
                "acks must be all, -1, 0 or 1; the client refuses to start with this value", "set acks=all")
        }

        let retries = lookup(v, ["retries", "message.send.max.retries"])
        let retriesZero = retries.flatMap { Int64($0.value) } == 0
        if let retries, retriesZero {
            add("producer-retries", retries.key, retries.value, .error,
                "with retries=0 a transient error (a leader election, NOT_ENOUGH_REPLICAS) fails the send instead of retrying; unless the application resends, the record is lost",
                "remove \(retries.key) (the default retries forever within delivery.timeout.ms)")
        }

        let inflight = lookup(v, ["max.in.flight.requests.per.connection", "max.in.flight"])
        let inflightN = inflight.flatMap { Int($0.value) } ?? 5
        let idem = lookup(v, ["enable.idempotence"])
        let idemValue = idem?.value.lowercased()
        var conflicts: [String] = []
        if !acksAll { conflicts.append("acks=\(acks?.value ?? "")") }
        if retriesZero { conflicts.append("retries=0") }
        if inflightN > 5 { conflicts.append("\(inflight?.key ?? "max.in.flight.requests.per.connection")=\(inflightN)") }
        let idempotent: Bool
        switch idemValue {
        case let v? where ConfigValues.boolean(v) == nil:
            // `enable.idempotence=fals`: not the default, an error (the client refuses to start, or worse, reads it otherwise).
            idempotent = false
            add("producer-idempotence", "enable.idempotence", idem?.value, .error,
                "'\(Sanitizer.terminal(idem?.value ?? ""))' is not a boolean: the client refuses to start (or runs without idempotence)",
                "set enable.idempotence=true")
        case "false":
            idempotent = false
            add("producer-idempotence", "enable.idempotence", idem?.value, .warning,
                "without idempotence a retried send can write a record twice, and with more than one request in flight records can be reordered",
                "set enable.idempotence=true (with acks=all and max.in.flight.requests.per.connection <= 5)")
        case "true":
            idempotent = true
            if !conflicts.isEmpty {
                add("producer-idempotence", "enable.idempotence", idem?.value, .error,
                    "idempotence requires acks=all, retries > 0 and max.in.flight.requests.per.connection <= 5; the producer refuses to start with \(conflicts.joined(separator: ", "))",
                    "fix \(conflicts.joined(separator: ", ")) or the producer will not start")
            }
        default:
            idempotent = conflicts.isEmpty
            if conflicts.isEmpty {
                add("producer-idempotence", "enable.idempotence", nil, .info,
                    "idempotence is on by default since Kafka 3.0 unless acks, retries or max.in.flight.requests.per.connection conflict; librdkafka defaults it to false",
                    "set enable.idempotence=true explicitly")
            } else {
                add("producer-idempotence", "enable.idempotence", nil, .warning,
                    "the default idempotence is silently turned off by \(conflicts.joined(separator: ", ")): retries can duplicate records",
                    "set enable.idempotence=true and fix \(conflicts.joined(separator: ", "))")
            }
        }

        if let inflight, inflightN > 5, idemValue == "true" {
            add("producer-max-in-flight", inflight.key, inflight.value, .error,
                "idempotence allows at most 5 requests in flight; the producer refuses to start", "set \(inflight.key)=5")
        } else if let inflight, inflightN > 1, !idempotent {
            add("producer-max-in-flight", inflight.key, inflight.value, .warning,
                "without idempotence, more than one request in flight lets a retried batch land after a later one: records are reordered",
                "enable idempotence, or set \(inflight.key)=1")
        }

        if let dt = lookup(v, ["delivery.timeout.ms", "message.timeout.ms"]), let ms = Int64(dt.value) {
            let linger = Int64(v["linger.ms"] ?? "") ?? 5
            let request = Int64(v["request.timeout.ms"] ?? "") ?? 30_000
            if dt.key == "delivery.timeout.ms", ms < linger + request {
                add("producer-delivery-timeout", dt.key, dt.value, .error,
                    "delivery.timeout.ms must be at least linger.ms + request.timeout.ms (\(linger + request)); the producer refuses to start",
                    "remove \(dt.key) (default 120000) or raise it")
            } else if ms < 30_000 {
                add("producer-delivery-timeout", dt.key, dt.value, .warning,
                    "a send gives up after \(ms) ms: a leader election or a broker restart outlasts it and the record fails; unless the application resends, it is lost",
                    "raise \(dt.key) to at least 120000 (the default)")
            }
        }
        return out
    }

    static func lintConsumer(_ v: [String: String], _ file: PropertiesFile, transactionalProducer: Bool) -> [ClientLintFinding] {
        var out: [ClientLintFinding] = []
        func add(_ rule: String, _ key: String, _ current: String?, _ sev: FindingSeverity, _ reason: String, _ fix: String) {
            out.append(finding(rule, key, current, sev, reason, fix, file))
        }
        let auto = lookup(v, ["enable.auto.commit"])
        if auto == nil || auto?.value.lowercased() == "true" {
            add("consumer-auto-commit", "enable.auto.commit", auto?.value, .warning,
                (auto == nil ? "the default is true: " : "")
                    + "offsets are committed on a timer whether or not processing finished, so a crash after a commit loses the records still being processed",
                "set enable.auto.commit=false and commit after processing (commitSync / commitAsync)")
        }

        let reset = lookup(v, ["auto.offset.reset"])
        switch reset?.value.lowercased() {
        case nil:
            add("consumer-auto-offset-reset", "auto.offset.reset", nil, .warning,
                "the default is latest: a new group, or one whose committed offset was deleted by retention, silently skips to the end and never reads the records before it",
                "set auto.offset.reset=earliest (or none to fail loudly) deliberately")
        case "latest", "largest", "end":
            add("consumer-auto-offset-reset", reset?.key ?? "auto.offset.reset", reset?.value, .info,
                "latest skips every record before the end when the group has no valid committed offset (new group, offset deleted by retention)",
                "keep it only if skipping is intended; earliest re-reads instead, none fails loudly")
        case "earliest", "smallest", "beginning", "none", "error", "by_duration":
            break
        default:
            if reset?.value.lowercased().hasPrefix("by_duration:") != true {
                add("consumer-auto-offset-reset", reset?.key ?? "auto.offset.reset", reset?.value, .error,
                    "auto.offset.reset must be earliest, latest or none; the consumer refuses to start", "set auto.offset.reset=earliest")
            }
        }

        let iso = lookup(v, ["isolation.level"])
        let isoValue = iso?.value.lowercased() ?? "read_uncommitted"
        if isoValue == "read_uncommitted" {
            // librdkafka defaults to read_committed; the Java client to read_uncommitted.
            add("consumer-isolation-level", "isolation.level", iso?.value, transactionalProducer ? .warning : .info,
                "read_uncommitted also returns records of aborted and still-open transactions; with transactional producers set read_committed"
                    + (iso == nil ? " (the Java client defaults to read_uncommitted, librdkafka to read_committed)" : ""),
                "set isolation.level=read_committed if the topics are written by transactional producers")
        } else if isoValue != "read_committed" {
            add("consumer-isolation-level", "isolation.level", iso?.value, .error,
                "isolation.level must be read_committed or read_uncommitted; the consumer refuses to start",
                "set isolation.level=read_committed")
        }
        return out
    }
}
