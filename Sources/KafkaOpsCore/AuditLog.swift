import Foundation

/// A JSON value, for the free-form parts of an audit log entry (before, after, details).
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else if let o = try? c.decode([String: JSONValue].self) { self = .object(o) }
        else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value") }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// A string-to-string map (configs) as an object.
    public static func strings(_ m: [String: String]) -> JSONValue { .object(m.mapValues { .string($0) }) }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral v: String) { self = .string(v) }
    public init(integerLiteral v: Int64) { self = .int(v) }
    public init(booleanLiteral v: Bool) { self = .bool(v) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// One mutation, as appended to the audit log (one JSON object per line).
/// Never put secrets in it: `redacted(_:)` blanks values of secret-looking keys.
public struct AuditLogEntry: Hashable, Sendable, Codable {
    public var time: Date
    /// The OS user who ran kafkaops.
    public var user: String
    public var host: String
    public var profile: String
    /// e.g. "topic.create", "topic.alter-config", "group.reset-offsets", "dlq.replay".
    public var action: String
    /// The resource: topic name, group id.
    public var target: String
    public var before: JSONValue
    public var after: JSONValue
    /// "ok", "failed: <reason>", "partial: 3 of 5".
    public var result: String
    public var details: JSONValue

    public init(time: Date, user: String, host: String, profile: String, action: String, target: String,
                before: JSONValue = .null, after: JSONValue = .null, result: String, details: JSONValue = .null) {
        self.time = time; self.user = user; self.host = host; self.profile = profile; self.action = action
        self.target = target; self.before = AuditLog.redacted(before); self.after = AuditLog.redacted(after)
        self.result = result; self.details = AuditLog.redacted(details)
    }

    /// The line to append: compact JSON, keys sorted, time as ISO-8601 UTC with milliseconds, ending in "\n".
    public func jsonLine() throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(AuditLog.iso8601(date))
        }
        // JSONEncoder escapes control characters inside strings, so the line holds no raw newline; bidi
        // controls and other invisible characters are escaped too, so `cat audit.log` shows them.
        let data = Sanitizer.jsonEscapingDangerous(try enc.encode(self))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Parses a line written by `jsonLine()`.
    public static func parse(line: String) throws -> AuditLogEntry {
        let dec = JSONDecoder()
        dec.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let d = AuditLog.parseISO8601(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad time \(s)")
            }
            return d
        }
        return try dec.decode(AuditLogEntry.self, from: Data(line.utf8))
    }
}

/// The audit log's model and location; the executable does the append (O_APPEND, dir 0700, file 0600),
/// since Core does no I/O.
public enum AuditLog {
    public static let directoryPermissions: UInt16 = 0o700
    public static let filePermissions: UInt16 = 0o600

    /// `$XDG_STATE_HOME/kafkaops/audit.log` when XDG_STATE_HOME is an absolute path,
    /// else `$HOME/.local/state/kafkaops/audit.log`; nil without either.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let x = environment["XDG_STATE_HOME"], x.hasPrefix("/") {
            return (x.hasSuffix("/") ? String(x.dropLast()) : x) + "/kafkaops/audit.log"
        }
        if let h = environment["HOME"], !h.isEmpty {
            return (h.hasSuffix("/") ? String(h.dropLast()) : h) + "/.local/state/kafkaops/audit.log"
        }
        return nil
    }

    /// The OS user: `accountName` (the name of the process's real uid, which the executable looks up:
    /// an environment variable can say anything), else USER, else LOGNAME, "unknown" only without any.
    public static func user(environment: [String: String], accountName: String? = nil) -> String {
        accountName.flatMap { $0.isEmpty ? nil : $0 } ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LOGNAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
    }

    /// Key fragments whose values are never logged.
    static let secretMarkers = ["password", "secret", "jaas", "token", "credential", "private.key", "keystore.key",
                                "sasl.oauthbearer", "api.key", "apikey"]

    public static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        return secretMarkers.contains { k.contains($0) } || k.hasSuffix(".pem")
    }

    /// The value with every object member whose key looks secret replaced by "[redacted]".
    public static func redacted(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var r: [String: JSONValue] = [:]
            for (k, x) in o { r[k] = isSecretKey(k) ? .string("[redacted]") : redacted(x) }
            return .object(r)
        case .array(let a): return .array(a.map(redacted))
        default: return v
        }
    }

    /// "2026-11-23T10:15:00.123Z".
    public static func iso8601(_ d: Date) -> String {
        let totalMs = Int64((d.timeIntervalSince1970 * 1000).rounded(.down))
        let ms = ((totalMs % 1000) + 1000) % 1000
        let secs = (totalMs - ms) / 1000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let sod = secs - days * 86_400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func p(_ n: Int64, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(year, 4))-\(p(month, 2))-\(p(day, 2))T\(p(sod / 3600, 2)):\(p(sod % 3600 / 60, 2)):\(p(sod % 60, 2)).\(p(ms, 3))Z"
    }

    public static func parseISO8601(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}

/// Where mutations are recorded. The executable appends to the audit log file; the console is
/// handed one of these (opened before the mutation, so an unwritable log refuses the change);
/// tests use an in-memory one.
public protocol AuditRecorder: Sendable {
    /// The file the records go to (shown to the operator).
    var path: String { get }
    /// Appends one record and makes it durable (written whole, then synced to disk). Throws
    /// `AuditWriteError` when the record is not durably written.
    func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws
}

/// A record that could not be written durably to the audit log.
public struct AuditWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// What the system said ("No space left on device").
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "cannot write the audit log \(path): \(reason)" }
}

/// The change log could not record the start of a change: nothing was sent to the cluster.
/// The CLI exits 1 with `description`; the console shows it in place of the change.
public struct ChangeNotStarted: Error, Sendable, Hashable, CustomStringConvertible {
    public var action: String
    public var target: String
    public var reason: String
    public init(action: String, target: String, reason: String) { self.action = action; self.target = target; self.reason = reason }
    public var description: String { "refused to \(action) \(target): \(reason); nothing was sent to the cluster" }
}

/// One change as the audit log sees it: a started record ("<action>.started", result "started"),
/// written and synced before the first request that changes anything, then the outcome record
/// ("<action>", result "ok" / "failed: ..." / "partial ..." / "unknown ..."). Every change, from the
/// CLI or the console, takes this path, so the rule "no record, no change" holds in one place.
public struct LoggedChange: Sendable {
    public let recorder: any AuditRecorder
    public let action: String
    public let target: String
    public let before: JSONValue
    public let after: JSONValue

    /// Writes the started record. When it cannot be written durably, throws `ChangeNotStarted`: the
    /// caller must send nothing.
    public static func start(_ recorder: any AuditRecorder, action: String, target: String,
                             before: JSONValue = .null, after: JSONValue = .null,
                             details: JSONValue = .null) throws(ChangeNotStarted) -> LoggedChange {
        do {
            try recorder.record(action: action + ".started", target: target, before: before, after: after,
                                result: "started", details: details)
        } catch {
            throw ChangeNotStarted(action: action, target: target, reason: String(describing: error))
        }
        return LoggedChange(recorder: recorder, action: action, target: target, before: before, after: after)
    }

    /// Writes the outcome record. Returns nil when it was written, else the loud warning to show:
    /// the change was made (as `result` says) but the log does not say so.
    @discardableResult
    public func finish(result: String, before: JSONValue? = nil, after: JSONValue? = nil,
                       details: JSONValue = .null) -> String? {
        do {
            try recorder.record(action: action, target: target, before: before ?? self.before, after: after ?? self.after,
                                result: result, details: details)
            return nil
        } catch {
            return "WARNING: \(action) \(target) finished with result \"\(result)\", but the audit log does not say so: "
                + "\(error). Its started record is there; record the outcome by hand."
        }
    }
}
