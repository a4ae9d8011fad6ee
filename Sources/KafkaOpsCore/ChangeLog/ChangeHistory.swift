import Foundation

/// The change log read back (the file is read in KafkaOpsFiles: `ChangeLogReader`): every change as its
/// started record and, once it ended, its outcome record. A change whose started record has no outcome is
/// incomplete: the process was killed (SIGKILL, a crash, a power cut) or is still running; the cluster may
/// hold part of it. The next change on the same target says so (`ChangePipeline`), `kafkaops changes`
/// marks it, and a replay reads the target from its started record's offsets before it sends anything.
public struct ChangeHistory: Sendable {
    public struct Entry: Sendable, Hashable {
        /// nil for an outcome record without a started record (a log older than started records).
        public var started: ChangeRecord?
        public var outcome: ChangeRecord?
        /// The change's action without ".started" ("dlq.replay").
        public var action: String
        public var target: String
        public var profile: String

        /// A started record and no outcome.
        public var isIncomplete: Bool { started != nil && outcome == nil }
        public var time: Date { started?.time ?? outcome?.time ?? .distantPast }

        /// "group.reset-offsets of payments-worker started 2026-12-07T10:01:02.123Z by ops@host1 has no outcome
        /// (killed, or still running): it was about to ..." - one line, sanitised.
        public var incompleteDescription: String {
            var s = "an earlier \(action) of \(Sanitizer.terminal(target))"
            if let st = started { s += " started \(ISO8601.string(st.time)) by \(Sanitizer.terminal(st.user))@\(Sanitizer.terminal(st.host))" }
            s += " has no outcome in the audit log (the process was killed, or it is still running)"
            if let what = aboutToHappen { s += "; it was about to happen as its record says: " + what }
            return s
        }

        /// What the started record said was about to happen, in words (its before -> after, its details).
        public var aboutToHappen: String? {
            guard let st = started else { return nil }
            var parts: [String] = []
            if st.before != .null { parts.append("before \(Self.brief(st.before))") }
            if st.after != .null { parts.append("after \(Self.brief(st.after))") }
            if st.details != .null { parts.append("details \(Self.brief(st.details))") }
            return parts.isEmpty ? nil : Sanitizer.terminal("\(st.action): " + parts.joined(separator: ", "))
        }

        /// Compact JSON text of a record's part, at most 300 characters.
        static func brief(_ v: JSONValue) -> String {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = (try? enc.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
            return text.count > 300 ? String(text.prefix(299)) + "…" : text
        }
    }

    /// Every change, in the order its first record appears (newest last).
    public private(set) var entries: [Entry] = []

    /// Pairs records: an outcome record closes the newest open started record of the same profile, action,
    /// target, user and host (one process runs one change at a time; a killed one never gets its outcome).
    public init(_ records: [ChangeRecord]) {
        struct Key: Hashable { var profile, action, target, user, host: String }
        var open: [Key: [Int]] = [:]
        for r in records {
            let isStarted = r.result == "started" && r.action.hasSuffix(".started")
            let action = isStarted ? String(r.action.dropLast(".started".count)) : r.action
            let key = Key(profile: r.profile, action: action, target: r.target, user: r.user, host: r.host)
            if isStarted {
                open[key, default: []].append(entries.count)
                entries.append(Entry(started: r, outcome: nil, action: action, target: r.target, profile: r.profile))
            } else if let i = open[key]?.popLast() {
                entries[i].outcome = r
            } else {
                entries.append(Entry(started: nil, outcome: r, action: action, target: r.target, profile: r.profile))
            }
        }
    }

    /// The incomplete changes of `action` on `target` (on `profile`, when given) that no later change of the
    /// same action and target followed to its outcome: the ones the next change there must name. Oldest first.
    public func unresolvedIncomplete(action: String, target: String, profile: String?) -> [Entry] {
        var out: [Entry] = []
        for e in entries where e.action == action && e.target == target && (profile == nil || e.profile == profile) {
            if e.isIncomplete { out.append(e) }
            else if e.started != nil && e.outcome != nil { out.removeAll() }  // a later change ran to its outcome
        }
        return out
    }
}
