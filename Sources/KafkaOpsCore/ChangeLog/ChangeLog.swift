import Foundation

/// One record of the change log (one JSON object per line): a change started, or how it ended.
/// Never put secrets in it: `Secrets.redacted` blanks the values of secret-looking keys.
public struct ChangeRecord: Hashable, Sendable, Codable {
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
        self.target = target; self.before = Secrets.redacted(before); self.after = Secrets.redacted(after)
        self.result = result; self.details = Secrets.redacted(details)
    }

    /// The line to append: compact JSON, keys sorted, time as ISO-8601 UTC with milliseconds, ending in "\n".
    public func jsonLine() throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ISO8601.string(date))
        }
        // JSONEncoder escapes control characters inside strings, so the line holds no raw newline; bidi
        // controls and other invisible characters are escaped too, so `cat audit.log` shows them.
        let data = Sanitizer.jsonEscapingDangerous(try enc.encode(self))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Parses a line written by `jsonLine()`.
    public static func parse(line: String) throws -> ChangeRecord {
        let dec = JSONDecoder()
        dec.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let d = ISO8601.date(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad time \(s)")
            }
            return d
        }
        return try dec.decode(ChangeRecord.self, from: Data(line.utf8))
    }
}

/// Where the change log lives and who writes it. The file itself is written outside Core
/// (`KafkaOpsFiles.ChangeLogFile`: O_APPEND, directory 0700, file 0600, synced), since Core does no I/O.
/// Operators know it as the audit log (`audit_log` in a profile, `audit.log` on disk).
public enum ChangeLogFiles {
    public static let directoryPermissions: UInt16 = 0o700
    public static let filePermissions: UInt16 = 0o600

    /// `audit.log` in the state directory (`XDGPaths.stateDirectory`); nil without one.
    public static func defaultPath(environment: [String: String]) -> String? {
        XDGPaths.stateDirectory(environment).map { $0 + "/audit.log" }
    }

    /// The OS user: `accountName` (the name of the process's real uid, which the executable looks up:
    /// an environment variable can say anything), else USER, else LOGNAME, "unknown" only without any.
    public static func user(environment: [String: String], accountName: String? = nil) -> String {
        accountName.flatMap { $0.isEmpty ? nil : $0 } ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LOGNAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
    }
}

/// Where changes are recorded: `ChangeLogFile` appends to the audit log file (opened before the change,
/// so an unwritable log refuses it); tests use an in-memory one.
public protocol ChangeLog: Sendable {
    /// The file the records go to (shown to the operator).
    var path: String { get }
    /// Appends one record and makes it durable (written whole, then synced to disk). Throws
    /// `ChangeLogWriteError` when the record is not durably written.
    func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws
}

/// A record that could not be written durably to the audit log.
public struct ChangeLogWriteError: Error, Sendable, Hashable, CustomStringConvertible {
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

/// One change as the change log sees it: a started record (`ChangeAction.startedName`, result
/// "started"), written and synced before the first request that changes anything, then the outcome
/// record (the action, result "ok" / "failed: ..." / "partial ..." / "unknown ..."). Only
/// `ChangePipeline` writes them, so the rule "no record, no change" holds in one place.
struct LoggedChange: Sendable {
    let recorder: any ChangeLog
    let action: ChangeAction
    let target: String
    let before: JSONValue
    let after: JSONValue

    /// Writes the started record. When it cannot be written durably, throws `ChangeNotStarted`: the
    /// caller must send nothing.
    static func start(_ recorder: any ChangeLog, action: ChangeAction, target: String,
                             before: JSONValue = .null, after: JSONValue = .null,
                             details: JSONValue = .null) throws(ChangeNotStarted) -> LoggedChange {
        do {
            try recorder.record(action: action.startedName, target: target, before: before, after: after,
                                result: "started", details: details)
        } catch {
            throw ChangeNotStarted(action: action.rawValue, target: target, reason: String(describing: error))
        }
        return LoggedChange(recorder: recorder, action: action, target: target, before: before, after: after)
    }

    /// Writes the outcome record. Returns nil when it was written, else the loud warning to show:
    /// the change was made (as `result` says) but the log does not say so.
    @discardableResult
    func finish(result: String, before: JSONValue? = nil, after: JSONValue? = nil,
                       details: JSONValue = .null) -> String? {
        do {
            try recorder.record(action: action.rawValue, target: target, before: before ?? self.before, after: after ?? self.after,
                                result: result, details: details)
            return nil
        } catch {
            return "WARNING: \(action.rawValue) \(target) finished with result \"\(result)\", but the audit log does not say so: "
                + "\(error). Its started record is there; record the outcome by hand."
        }
    }
}
