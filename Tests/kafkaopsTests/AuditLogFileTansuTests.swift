import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import KafkaOpsFiles
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 23 point 4 and issue 27 points 4 and 5: the change log is the file its path names, and it holds
/// whole lines only. A link, FIFO, directory or device as `audit_log` is one line and exit 1 with nothing
/// sent (a FIFO without a reader answers at once instead of blocking); /dev/null is warned about, and
/// refused on a protected profile; a record that does not fit on a full disk is cut off again and the
/// change refused; a line torn by an earlier crash does not swallow the next record.
@Suite(.serialized)
final class AuditLogFileTansuTests {
    let broker: TansuBroker
    let client: KafkaClusterClient
    let dir: URL
    var d: Deadline { .after(.seconds(20)) }

    init() async throws {
        broker = try await TansuBroker.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-auditfile-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit {
        broker.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// A profile that sends the audit log to `auditLog`; `protected` makes it a protected profile.
    func config(auditLog: String, protected: Bool = false) throws -> String {
        let path = dir.appendingPathComponent("config-\(UUID().uuidString.prefix(6)).yaml").path
        try "clusters:\n  t:\n    bootstrap: \(broker.bootstrap)\n    audit_log: \(auditLog)\n    protected: \(protected)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    /// `topic create NAME` with the audit log at `auditLog`, bounded by 30 s (a FIFO once blocked forever).
    struct Run { let code: Int32; let stdout: String; let stderr: String; let seconds: Double }

    func create(_ name: String, auditLog: String, protected: Bool = false) async throws -> Run {
        let policy = dir.appendingPathComponent("policy.yaml")
        try "min_replication_factor: 1\nmin_insync_replicas: 1\nrequire_rf_above_min_isr: false\n".write(to: policy, atomically: true, encoding: .utf8)
        let args = ["topic", "create", name, "--partitions", "1", "--replication-factor", "1",
                    "--config", "min.insync.replicas=1", "--config", "retention.ms=1209600000", "--config", "cleanup.policy=delete",
                    "--policy", policy.path, "--config-file", try config(auditLog: auditLog, protected: protected)]
            + (protected ? ["--confirm", name] : [])
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = dir.path
        env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
        env["XDG_CONFIG_HOME"] = dir.appendingPathComponent("config").path
        env.removeValue(forKey: "LD_LIBRARY_PATH")
        let bin = try CLI.binaryPath(), environment = env
        let start = Date()
        let r = try await offThread { try Subprocess.run(bin, args, environment: environment, timeout: 30) }
        #expect(!r.timedOut, "kafkaops did not return within 30 s")
        return Run(code: r.code, stdout: r.stdout, stderr: r.stderr, seconds: Date().timeIntervalSince(start))
    }

    func exists(_ topic: String) async throws -> Bool {
        try await client.metadata(deadline: d).topics.contains { $0.name == topic }
    }

    func records(_ path: String) throws -> [ChangeRecord] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
    }

    @Test(arguments: ["symlink", "dangling-symlink", "fifo", "fifo-with-reader", "directory", "/dev/full"])
    func anAuditLogThatIsNotARegularFileRefusesTheChange(kind: String) async throws {
        let precious = dir.appendingPathComponent("precious.log").path
        try "keep me\n".write(toFile: precious, atomically: false, encoding: .utf8)
        chmod(precious, 0o644)
        var path = dir.appendingPathComponent("audit-\(kind).log").path
        var reader: Int32 = -1
        switch kind {
        case "symlink": try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: precious)
        case "dangling-symlink":
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: dir.appendingPathComponent("elsewhere.log").path)
        case "fifo", "fifo-with-reader":
            #expect(mkfifo(path, 0o600) == 0)
            if kind == "fifo-with-reader" { reader = open(path, O_RDONLY | O_NONBLOCK) }
        case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        default: path = kind
        }
        defer { if reader >= 0 { close(reader) } }
        let topic = "never-\(kind.filter(\.isLetter))"
        let r = try await create(topic, auditLog: path)
        #expect(r.code == 1, "\(kind): exit \(r.code): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(kind): \(r.stderr)")
        #expect(r.stderr.hasPrefix("kafkaops: cannot use the audit log \(path): "), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was changed"), "\(r.stderr)")
        #expect(r.seconds < 15, "\(kind) took \(r.seconds) s")
        #expect(try await !exists(topic))
        // Nothing written or chmod-ed through the link, nothing created at its target.
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == "keep me\n")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: precious)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o644)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("elsewhere.log").path))
    }

    /// /dev/null keeps nothing: said in a warning on an ordinary profile (the change goes ahead), refused
    /// on a protected one with nothing sent.
    @Test func devNullIsWarnedAboutAndRefusedOnAProtectedProfile() async throws {
        let ok = try await create("logged-nowhere", auditLog: "/dev/null")
        #expect(ok.code == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("the audit log is /dev/null, the null device: this change will not be recorded"), "\(ok.stderr)")
        #expect(try await exists("logged-nowhere"))

        let refused = try await create("protected-nowhere", auditLog: "/dev/null", protected: true)
        #expect(refused.code == 1, "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("is protected"), "\(refused.stderr)")
        #expect(try await !exists("protected-nowhere"))
    }

    /// A full disk with room for part of the started record only: the part written is cut off again (the log
    /// is byte for byte what it was), the change is refused with nothing sent; once there is room, the next
    /// change's records are whole lines after the old ones.
    @Test func aStartedRecordThatDoesNotFitIsCutOffAndTheChangeRefused() async throws {
        let disk = try FullTmpfs()
        let log = disk.path("audit.log")
        // The log's one block nearly full (60 bytes left), every other block taken.
        let before = String(repeating: "#", count: 4096 - 61) + "\n"
        try before.write(toFile: log, atomically: false, encoding: .utf8)
        chmod(log, 0o600)
        disk.fill()
        let r = try await create("not-on-a-full-disk", auditLog: log)
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("No space left on device"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was sent"), "\(r.stderr)")
        #expect(try await !exists("not-on-a-full-disk"))
        #expect(try String(contentsOfFile: log, encoding: .utf8) == before, "a torn line was left in the log")

        disk.free()
        let ok = try await create("after-the-disk-was-freed", auditLog: log)
        #expect(ok.code == 0, "\(ok.stderr)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.hasPrefix(before))
        let entries = try text.dropFirst(before.count).split(separator: "\n").map { try ChangeRecord.parse(line: String($0)) }
        #expect(entries.map(\.action) == ["topic.create.started", "topic.create"])
    }

    /// A log whose last line was torn by an earlier crash (no newline at its end): the next record starts on
    /// a line of its own, so the started record is still there, line by line.
    @Test func aTornLastLineDoesNotSwallowTheNextRecord() async throws {
        let log = dir.appendingPathComponent("torn.log").path
        try "{\"action\":\"topic.create\",\"resu".write(toFile: log, atomically: false, encoding: .utf8)
        chmod(log, 0o600)
        let r = try await create("after-a-torn-line", auditLog: log)
        #expect(r.code == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        let entries = try lines.dropFirst().map(ChangeRecord.parse(line:))
        #expect(entries.map(\.action) == ["topic.create.started", "topic.create"])
        #expect(entries.map(\.result) == ["started", "ok"])
    }

    /// A log deleted (or replaced) after it was opened is noticed: the record is refused, not written into a
    /// file nobody will find.
    @Test func aLogDeletedAfterItWasOpenedIsNoticed() throws {
        let path = dir.appendingPathComponent("deleted.log").path
        let log = try ChangeLogFile.open(path: path, profile: "t", warn: { _ in })
        try log.record(action: "topic.create.started", target: "a", result: "started")
        unlink(path)
        #expect(throws: ChangeLogWriteError.self) { try log.record(action: "topic.create", target: "a", result: "ok") }
        #expect(!FileManager.default.fileExists(atPath: path))
        // Replaced by another file: noticed too, and the other file is left alone.
        let again = try ChangeLogFile.open(path: path, profile: "t", warn: { _ in })
        let other = dir.appendingPathComponent("other.log").path
        try "other\n".write(toFile: other, atomically: false, encoding: .utf8)
        #expect(rename(other, path) == 0)
        #expect(throws: ChangeLogWriteError.self) { try again.record(action: "topic.create.started", target: "b", result: "started") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "other\n")
    }
}
