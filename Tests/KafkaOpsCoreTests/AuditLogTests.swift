import Foundation
import Testing
@testable import KafkaOpsCore

@Suite("Audit log entries")
struct AuditLogTests {
    static let entry = AuditLogEntry(
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
        let e = AuditLogEntry(time: Date(timeIntervalSince1970: 0), user: "u", host: "h", profile: "p", action: "a", target: "t",
                              before: ["ssl.key.password": "x", "nested": ["sasl.jaas.config": "secret"]], result: "ok")
        let line = try e.jsonLine()
        #expect(!line.contains("\"x\"") && !line.contains("secret\""))
        #expect(line.contains(#""ssl.key.password":"[redacted]""#))
        #expect(line.contains(#""time":"1970-01-01T00:00:00.000Z""#))
    }

    @Test func roundTrips() throws {
        let parsed = try AuditLogEntry.parse(line: try Self.entry.jsonLine())
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
        #expect(AuditLog.defaultPath(environment: env) == expected)
    }

    @Test(arguments: [(1_795_427_700.999, "2026-11-23T09:55:00.999Z"), (951_782_400, "2000-02-29T00:00:00.000Z"),
                      (-1.5, "1969-12-31T23:59:58.500Z")])
    func timestamps(_ t: Double, _ s: String) {
        #expect(AuditLog.iso8601(Date(timeIntervalSince1970: t)) == s)
    }

    @Test func userFromEnvironment() {
        #expect(AuditLog.user(environment: ["USER": "alice", "LOGNAME": "bob"]) == "alice")
        #expect(AuditLog.user(environment: ["LOGNAME": "bob"]) == "bob")
        #expect(AuditLog.user(environment: [:]) == "unknown")
    }
}
