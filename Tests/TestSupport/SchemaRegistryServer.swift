import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The tests' schema registry (schema_registry.py, run with the project venv's python, which has
/// confluent-kafka for the fixtures): on a free loopback port, plain HTTP or HTTPS with the test CA, basic
/// auth when asked, or hanging on every schema GET. Fails, never skips, when it cannot start.
public final class SchemaRegistryServer: @unchecked Sendable {
    public let port: Int
    public let url: String
    public let requestLog: String
    private let process: Subprocess
    private let dir: URL

    public enum Mode: Sendable { case plain, tls(TLSCertificates), basic(String, String), hang }

    /// The venv's python (the one tansu and confluent-kafka are installed in).
    public static func python() throws -> String {
        let tansu = try TansuBroker.binaryPath()
        var url = URL(fileURLWithPath: tansu)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let p = url.appendingPathComponent("bin/python3").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw TansuBroker.StartError(description: "the broker venv's python not found: run scripts/setup.sh")
    }

    static func script(_ name: String) -> String {
        TansuBroker.projectRoot().appendingPathComponent("Tests/TestSupport/\(name)").path
    }

    public static func start(_ mode: Mode = .plain) async throws -> SchemaRegistryServer {
        try await offThread { try SchemaRegistryServer(mode) }
    }

    public init(_ mode: Mode) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-registry-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let portFile = dir.appendingPathComponent("port").path
        requestLog = dir.appendingPathComponent("requests.log").path
        var args = [Self.script("schema_registry.py"), "--port-file", portFile, "--log", requestLog]
        var scheme = "http", host = "127.0.0.1"
        switch mode {
        case .plain: break
        case .tls(let certs):
            args += ["--cert", certs.path("server.pem"), "--key", certs.path("server.key")]
            scheme = "https"; host = "localhost"
        case .basic(let u, let p): args += ["--basic", "\(u):\(p)"]
        case .hang: args += ["--hang"]
        }
        let log = dir.appendingPathComponent("registry.log").path
        process = try Subprocess(try Self.python(), args, stdoutPath: log, stderrPath: log)
        let end = Date().addingTimeInterval(15)
        while Date() < end, process.isRunning {
            if let s = try? String(contentsOfFile: portFile, encoding: .utf8), let p = Int(s) {
                port = p
                url = "\(scheme)://\(host):\(p)"
                return
            }
            usleep(20_000)
        }
        process.signal(SIGKILL)
        process.wait()
        throw TansuBroker.StartError(description: "the test schema registry did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// The requests it served ("GET /schemas/ids/1"), in order.
    public var requests: [String] {
        ((try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Writes records with confluent-kafka's own serializer for `format` (avro, protobuf, json) through this
    /// registry into `topic`; returns what each record holds, as the fixture script prints it (JSON values).
    public func produceFixtures(bootstrap: String, topic: String, format: String) async throws -> [[String: Any]] {
        let out = dir.appendingPathComponent("fixtures-\(format).jsonl").path
        let err = dir.appendingPathComponent("fixtures-\(format).err").path
        let py = try Self.python()
        let args = [Self.script("schema_fixtures.py"), bootstrap, url, topic, format]
        let code = try await offThread { () -> Int32 in
            let p = try Subprocess(py, args, stdoutPath: out, stderrPath: err)
            return p.wait()
        }
        guard code == 0 else {
            throw TansuBroker.StartError(description: "schema_fixtures.py \(format) failed: \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
        }
        return ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.compactMap { $0["value"] as? [String: Any] }
    }

    public func stop() {
        process.signal(SIGKILL)
        process.wait()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: dir)
    }
}
