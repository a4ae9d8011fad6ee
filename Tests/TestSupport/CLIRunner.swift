import Foundation

/// Runs the built `kafkaops` binary (next to the test bundle) as an operator would.
public enum CLI {
    public struct Result: Sendable {
        public let code: Int32
        public let stdout: String
        public let stderr: String
        public let seconds: Double
    }

    public struct NotBuilt: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The products directory of this build: the one holding the test bundle and `kafkaops`.
    public static func binaryPath() throws -> String {
        var dir = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                      ?? CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("kafkaops").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        throw NotBuilt(description: "kafkaops binary not found next to the test bundle: run `swift build` first")
    }

    /// Runs kafkaops with the arguments; HOME and XDG dirs point at a fresh temporary
    /// directory unless `environment` says otherwise, so no user config leaks in.
    public static func run(_ args: [String], environment: [String: String] = [:], stdin: String? = nil) async throws -> Result {
        try await offThread { try runBlocking(args, environment: environment, stdin: stdin) }
    }

    static func runBlocking(_ args: [String], environment: [String: String], stdin: String?) throws -> Result {
        let bin = try binaryPath()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-home-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = home.path
        env["XDG_CONFIG_HOME"] = home.appendingPathComponent(".config").path
        env["XDG_STATE_HOME"] = home.appendingPathComponent(".local/state").path
        env.removeValue(forKey: "LD_LIBRARY_PATH")
        for (k, v) in environment { env[k] = v }
        let start = Date()
        let r = try Subprocess.run(bin, args, environment: env, stdin: stdin)
        return Result(code: r.code, stdout: r.stdout, stderr: r.stderr, seconds: Date().timeIntervalSince(start))
    }

    /// Runs and decodes stdout as JSON (a dictionary).
    public static func json(_ args: [String], environment: [String: String] = [:]) async throws -> (Result, [String: Any]) {
        let r = try await run(args, environment: environment)
        guard r.code == 0 else { throw NotBuilt(description: "kafkaops \(args.joined(separator: " ")) exited \(r.code): \(r.stderr)") }
        guard let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            throw NotBuilt(description: "not a JSON object: \(r.stdout.prefix(500))")
        }
        return (r, obj)
    }
}
