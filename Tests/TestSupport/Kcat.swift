import Foundation

/// Debian's kcat, run against the project's librdkafka 2.8.0 (Debian's own 2.0.2 cannot talk to
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try path())
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LD_LIBRARY_PATH"] = libdir
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let handle = out.fileHandleForReading
        let reader = Thread { box.data = handle.readDataToEndOfFile() }
        reader.start()
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            throw Failure(description: "kcat \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
        }
        p.waitUntilExit()
        // Let the reader drain the pipe.
        while !reader.isFinished { usleep(1_000) }
        guard p.terminationStatus == 0 else {
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw Failure(description: "kcat exited \(p.terminationStatus): \(e.suffix(1000))")
        }
        return String(decoding: box.data, as: UTF8.self)
    }
}
