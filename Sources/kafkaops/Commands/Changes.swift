import ArgumentParser
import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// `kafkaops changes`: the change log (the audit log) read back, newest last. A change whose started record has
/// no outcome (the process was killed, or it still runs) is marked incomplete. Reads only the local file.
struct Changes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the change log's records (the audit log), newest last; changes with no outcome are marked incomplete.",
        discussion: """
        Every change kafkaops makes writes a started record before it sends anything and an outcome record after. \
        A started record with no outcome (STATUS incomplete) means the process was killed or is still running: the \
        cluster may hold part of that change. The next change on the same target says so too. Nothing is sent to \
        the cluster.
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @Option(name: .long, help: "Show at most the newest this many records.") var limit: Int = 100
    @Flag(name: .long, help: "Only the started records of incomplete changes.") var incomplete = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    struct RecordJSON: Encodable {
        let time: String
        let user: String
        let host: String
        let profile: String
        let action: String
        let target: String
        let result: String
        /// A started record whose change has no outcome.
        let incomplete: Bool
        let before: JSONValue
        let after: JSONValue
        let details: JSONValue
    }

    struct ChangesJSON: Encodable {
        let audit_log: String
        let records: [RecordJSON]
        let shown: Int
        let total: Int
        let incomplete: Int
        let unreadable_lines: Int
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        // The profile's audit_log; with no cluster named and none configured, the default log.
        let configured: String?
        do { configured = try ProfileLoader.resolve(global).profile.auditLog } catch let e as UsageError {
            guard global.profile == nil && global.bootstrap == nil && global.configFile == nil && !global.demo else { throw e }
            configured = nil
        }
        guard let path = ChangeLogReader.path(configured: configured, environment: env) else {
            throw UsageError("no audit log path: set audit_log in the profile or HOME/XDG_STATE_HOME")
        }
        let contents: ChangeLogReader.Contents
        do { contents = try ChangeLogReader.read(path: path) } catch { throw ClusterError(.configuration, String(describing: error)) }
        let history = ChangeHistory(contents.records)
        // Started records of changes with no outcome (compared as values: the records are the history's own).
        let open = Set(history.entries.filter(\.isIncomplete).compactMap(\.started))
        var records = contents.records
        if incomplete { records = records.filter { open.contains($0) } }
        let shown = Array(records.suffix(limit))
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, ChangesJSON(
                audit_log: path,
                records: shown.map { RecordJSON(time: ISO8601.string($0.time), user: $0.user, host: $0.host, profile: $0.profile,
                                                action: $0.action, target: $0.target, result: $0.result, incomplete: open.contains($0),
                                                before: $0.before, after: $0.after, details: $0.details) },
                shown: shown.count, total: records.count, incomplete: open.count, unreadable_lines: contents.unreadableLines))
        case .table:
            var o = ""
            if shown.isEmpty {
                o += "No records in \(Sanitizer.terminal(path))" + (incomplete ? " of incomplete changes" : "") + ".\n"
            } else {
                // 80 columns: the time to the second, the action (a started record says so in STATUS), the user.
                var t = TextTable([("TIME (UTC)", .left), ("ACTION", .left), ("TARGET", .left), ("STATUS", .left), ("USER", .left)])
                t.maxWidth[2] = 20
                t.maxWidth[3] = 24
                t.maxWidth[4] = 10
                for rec in shown {
                    let started = rec.result == "started" && rec.action.hasSuffix(".started")
                    let when = ISO8601.string(rec.time).prefix(19).replacingOccurrences(of: "T", with: " ")
                    t.add([when, started ? String(rec.action.dropLast(".started".count)) : rec.action, Sanitizer.terminal(rec.target),
                           open.contains(rec) ? "INCOMPLETE" : Sanitizer.terminal(rec.result), Sanitizer.terminal(rec.user)])
                }
                o += t.render()
            }
            if shown.count < records.count { o += "Showing the newest \(shown.count) of \(records.count) record(s); --limit N shows more.\n" }
            if contents.unreadableLines > 0 { o += "warning: \(contents.unreadableLines) line(s) of the audit log are not whole records\n" }
            if !open.isEmpty {
                o += "\(open.count) change(s) INCOMPLETE: a started record and no outcome (killed, or still\n"
                    + "running); the cluster may hold part of each. What each was about to do:\n"
                    + "kafkaops changes --incomplete -o json\n"
            }
            emit(o)
        }
    }
}
