import Foundation
import Testing
@testable import KafkaOpsCore

@Suite("Change log records")
struct ChangeLogTests {
    static let entry = ChangeRecord(
        time: Date(timeIntervalSince1970: 1_795_427_700.123), user: "alice", host: "bastion-1", profile: "prod",
        action: "topic.alter-config", target: "orders",
        before: ["min.insync.replicas": "1"], after: ["min.insync.replicas": "2"], result: "ok",
        details: ["note": "line one\nline two", "partitions": [0, 1, 2], "sasl.password": "hunter2", "dry_run": false])

    @Test func oneLineWithSortedKeys() throws {
        let line = try Self.entry.jsonLine()
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(line == #"{"action":"topic.alter-config","after":{"min.insync.replicas":"2"},"before":{"min.insync.replicas":"1"},"details":{"dry_run":false,"note":"line one\nline two","partitions":[0,1,2],"sasl.password":"[redacted]"},"host":"bastion-1","profile":"prod","result":"ok","target":"orders","time":"2026-11-23T09:55:00.123Z","user":"alice"}"# + "\n")
    }

    @Test func secretsAreNeverLogged() throws {
        let e = ChangeRecord(time: Date(timeIntervalSince1970: 0), user: "u", host: "h", profile: "p", action: "a", target: "t",
                              before: ["ssl.key.password": "x", "nested": ["sasl.jaas.config": "secret"]], result: "ok")
        let line = try e.jsonLine()
        #expect(!line.contains("\"x\"") && !line.contains("secret\""))
        #expect(line.contains(#""ssl.key.password":"[redacted]""#))
        #expect(line.contains(#""time":"1970-01-01T00:00:00.000Z""#))
    }

    @Test func roundTrips() throws {
        let parsed = try ChangeRecord.parse(line: try Self.entry.jsonLine())
        #expect(parsed.action == "topic.alter-config")
        #expect(parsed.details == Self.entry.details)
        #expect(abs(parsed.time.timeIntervalSince(Self.entry.time)) < 0.001)
    }

    @Test(arguments: [
        (["XDG_STATE_HOME": "/var/state", "HOME": "/home/a"], "/var/state/kafkaops/audit.log"),
        (["XDG_STATE_HOME": "/var/state/", "HOME": "/home/a"], "/var/state/kafkaops/audit.log"),
        (["XDG_STATE_HOME": "relative", "HOME": "/home/a"], "/home/a/.local/state/kafkaops/audit.log"),
        (["HOME": "/home/a"], "/home/a/.local/state/kafkaops/audit.log"),
        ([:], nil),
    ] as [([String: String], String?)])
    func defaultPath(_ env: [String: String], _ expected: String?) {
        #expect(ChangeLogFiles.defaultPath(environment: env) == expected)
    }

    @Test(arguments: [(1_795_427_700.999, "2026-11-23T09:55:00.999Z"), (951_782_400, "2000-02-29T00:00:00.000Z"),
                      (-1.5, "1969-12-31T23:59:58.500Z")])
    func timestamps(_ t: Double, _ s: String) {
        #expect(ISO8601.string(Date(timeIntervalSince1970: t)) == s)
    }

    @Test func userFromEnvironment() {
        #expect(ChangeLogFiles.user(environment: ["USER": "alice", "LOGNAME": "bob"]) == "alice")
        #expect(ChangeLogFiles.user(environment: ["LOGNAME": "bob"]) == "bob")
        #expect(ChangeLogFiles.user(environment: [:]) == "unknown")
        #expect(ChangeLogFiles.user(environment: [:], accountName: "carol") == "carol", "the uid's account when USER is unset")
        #expect(ChangeLogFiles.user(environment: ["USER": "mallory"], accountName: "carol") == "carol", "the uid wins over USER")
    }
}

/// The change log's rule (issue 10 point 2): no started record, no change; a lost outcome record
/// is a loud warning that says what was done.
@Suite struct LoggedChangeTests {
    final class Log: ChangeLog, @unchecked Sendable {
        let path = "/test/audit.log"
        var failAfter: Int
        var lines: [(action: String, result: String)] = []
        init(failAfter: Int) { self.failAfter = failAfter }
        func record(action: String, target: String, before: JSONValue, after: JSONValue, result: String, details: JSONValue) throws {
            guard lines.count < failAfter else { throw ChangeLogWriteError(path: path, reason: "No space left on device") }
            lines.append((action, result))
        }
    }

    @Test func theStartedRecordComesFirstAndTheOutcomeSecond() throws {
        let log = Log(failAfter: 2)
        let change = try LoggedChange.start(log, action: .alterTopicConfig, target: "orders")
        #expect(change.finish(result: "ok") == nil)
        #expect(log.lines.map(\.action) == ["topic.alter-config.started", "topic.alter-config"])
        #expect(log.lines.map(\.result) == ["started", "ok"])
    }

    @Test func aStartedRecordThatCannotBeWrittenThrows() {
        let log = Log(failAfter: 0)
        #expect(throws: ChangeNotStarted.self) {
            _ = try LoggedChange.start(log, action: .resetOffsets, target: "billing")
        }
        do {
            _ = try LoggedChange.start(log, action: .resetOffsets, target: "billing")
        } catch {
            #expect(error.description.contains("No space left on device"))
            #expect(error.description.contains("nothing was sent"))
        }
    }

    @Test func aLostOutcomeRecordIsALoudWarningNamingTheResult() throws {
        let log = Log(failAfter: 1)
        let change = try LoggedChange.start(log, action: .replayDLQ, target: "orders-dlt")
        let warning = try #require(change.finish(result: "ok"))
        #expect(warning.hasPrefix("WARNING"))
        #expect(warning.contains("\"ok\""))
        #expect(warning.contains("/test/audit.log"))
    }
}

@Suite struct CertificateFactsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    func cert(daysLeft: Double) -> CertificateFacts {
        CertificateFacts(subject: "CN=k", issuer: "CN=ca", altNames: "", notBefore: now.addingTimeInterval(-86_400 * 100),
                         notAfter: now.addingTimeInterval(86_400 * daysLeft))
    }

    @Test func expiryWarnsUnderThirtyDaysAndOnceExpired() {
        #expect(cert(daysLeft: 45).expiryWarning(broker: "broker 1", now: now) == nil)
        #expect(cert(daysLeft: 30.5).expiryWarning(broker: "broker 1", now: now) == nil)
        #expect(cert(daysLeft: 29.5).daysLeft(now: now) == 29)
        #expect(cert(daysLeft: 29.5).expiryWarning(broker: "broker 1", now: now)?.contains("broker 1 expires in 29 days") == true)
        #expect(cert(daysLeft: -1).expiryWarning(broker: "broker 1", now: now)?.contains("expired on") == true)
    }
}
