import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Certificates made with openssl at test time (Tests/TestSupport/make-tls-certs.sh), in a
/// temporary folder: a CA, another CA, server certificates (right host, another host, expired), a client
/// certificate, its key encrypted, and a PKCS#12 keystore. Tests only read them, so one set serves the
/// whole test process (`shared()`), made once, off the test threads: making them is six RSA key
/// generations, seconds of CPU on a loaded machine, and a test that did it on a Swift concurrency
/// thread stalled every other test's timers for that long (two threads on a 2-core CI machine).
public final class TLSCertificates: @unchecked Sendable {
    public let dir: URL
    public let keyPassword = "s3cret-key-pass"
    public let keystorePassword = "p12-pass"

    private static let made = Mutex<Task<TLSCertificates, Error>?>(nil)
    /// The folder of the process's set, removed at exit.
    private static let folder = Mutex<String?>(nil)

    /// The test process's certificates (the folder is removed when the process exits).
    public static func shared() async throws -> TLSCertificates {
        let task = made.withLock { t -> Task<TLSCertificates, Error> in
            if let t { return t }
            let new = Task { try await offThread { try TLSCertificates() } }
            t = new
            return new
        }
        return try await task.value
    }

    private init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-tls-\(UUID().uuidString.prefix(8))")
        let script = TansuBroker.projectRoot().appendingPathComponent("Tests/TestSupport/make-tls-certs.sh").path
        let log = dir.path + ".log"
        let p = try Subprocess("/bin/bash", [script, dir.path], stdoutPath: log, stderrPath: log)
        let code = p.wait()
        defer { try? FileManager.default.removeItem(atPath: log) }
        guard code == 0 else {
            throw TansuBroker.StartError(description: "making test certificates failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        // Made once per process (`shared()`), so this registers once.
        Self.folder.withLock { $0 = dir.path }
        atexit { if let f = TLSCertificates.folder.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: f) } }
    }

    public func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}

/// A real TLS listener in front of a tansu broker: stunnel accepts TLS on `port` and forwards
/// to tansu, which advertises `localhost:port`, so the bootstrap and every later connection go
/// through TLS (tansu's own TLS does not work; see docs/TEST-ENVIRONMENT.md). Fails, never skips,
/// when stunnel cannot start.
public final class TLSListener: @unchecked Sendable {
    public enum ServerCertificate: String, Sendable { case server, wronghost, expired }

    public let port: Int
    public let broker: TansuBroker
    private let stunnel: Subprocess
    private let workDir: URL
    public var bootstrap: String { "localhost:\(port)" }

    public static func start(_ certs: TLSCertificates, serverCertificate: ServerCertificate = .server,
                             requireClientCertificate: Bool = false) async throws -> TLSListener {
        try await offThread { try TLSListener(certs, serverCertificate: serverCertificate, requireClientCertificate: requireClientCertificate) }
    }

    /// A free port can be taken by someone else (an outgoing connection's ephemeral port) before
    /// stunnel binds it: then the pair is started again on another port, up to five times.
    public init(_ certs: TLSCertificates, serverCertificate: ServerCertificate = .server,
                requireClientCertificate: Bool = false) throws {
        guard let bin = ["/usr/bin/stunnel4", "/usr/bin/stunnel"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TansuBroker.StartError(description: "stunnel not found: run scripts/setup.sh (Debian package stunnel4)")
        }
        var lastLog = ""
        for _ in 0..<5 {
            let port = try TansuBroker.freePort()
            let broker = try TansuBroker(advertised: "localhost:\(port)")
            let workDir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-stunnel-\(port)-\(UUID().uuidString.prefix(6))")
            try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
            let conf = workDir.appendingPathComponent("stunnel.conf")
            var text = """
                foreground = yes
                pid =
                debug = 4
                [kafka]
                accept = 127.0.0.1:\(port)
                connect = 127.0.0.1:\(broker.port)
                cert = \(certs.path("\(serverCertificate.rawValue).pem"))
                key = \(certs.path("\(serverCertificate.rawValue).key"))

                """
            if requireClientCertificate { text += "verify = 2\nCAfile = \(certs.path("ca.pem"))\n" }
            try text.write(to: conf, atomically: true, encoding: .utf8)
            let log = workDir.appendingPathComponent("stunnel.log").path
            let p = try Subprocess(bin, [conf.path], stdoutPath: log, stderrPath: log)
            if TansuBroker.waitForPort(port, process: p, timeout: 10) {
                self.port = port
                self.broker = broker
                self.stunnel = p
                self.workDir = workDir
                return
            }
            p.signal(SIGKILL); p.wait(); broker.stop()
            lastLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: workDir)
        }
        throw TansuBroker.StartError(description: "stunnel did not start listening: \(lastLog.suffix(3000))")
    }

    public func stop() {
        if stunnel.isRunning { stunnel.signal(SIGKILL); stunnel.wait() }
        broker.stop()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: workDir)
    }
}
