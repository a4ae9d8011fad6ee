import Foundation

/// Debian's kcat, run against the project's librdkafka 2.14.2 (Debian's own 2.0.2 cannot talk to
/// tansu): an independent client to cross-check what kafkaops reports.
public enum Kcat {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func path() throws -> String {
        for p in ["/usr/bin/kcat", "/usr/local/bin/kcat", "/usr/bin/kafkacat"] where FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        throw Failure(description: "kcat not found: apt-get install kcat")
    }

    /// Runs kcat with `arguments`; LD_LIBRARY_PATH points at $KAFKAOPS_RDKAFKA_LIBDIR.
    public static func run(_ arguments: [String], timeout: Double = 30) async throws -> String {
        try await offThread { try runBlocking(arguments, timeout: timeout) }
    }

    static func runBlocking(_ arguments: [String], timeout: Double) throws -> String {
        let built = TansuBroker.projectRoot().appendingPathComponent(".cache/librdkafka/lib").path
        guard let libdir = ProcessInfo.processInfo.environment["KAFKAOPS_RDKAFKA_LIBDIR"].flatMap({ $0.isEmpty ? nil : $0 })
                ?? (FileManager.default.fileExists(atPath: built) ? built : nil) else {
            throw Failure(description: "KAFKAOPS_RDKAFKA_LIBDIR is not set: source .cache/env.sh (written by scripts/setup.sh)")
        }
        var env = ProcessInfo.processInfo.environment
        env["LD_LIBRARY_PATH"] = libdir
        let r = try Subprocess.run(try path(), arguments, environment: env, timeout: timeout)
        if r.timedOut {
            throw Failure(description: "kcat \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
        }
        guard r.code == 0 else {
            throw Failure(description: "kcat exited \(r.code): \(r.stderr.suffix(1000))")
        }
        return r.stdout
    }
}
