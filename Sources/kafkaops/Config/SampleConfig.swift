import Foundation

/// Where the sample config file (every setting, commented) is on this machine, for the message that says a
/// config file is missing: beside the binary as the packages install it (`/usr/bin/kafkaops` ->
/// `/usr/share/kafkaops/samples/`, the tarball's `bin/` -> `share/kafkaops/samples/`), else the repository's
/// `samples/` above a build's binary (`.build/debug/kafkaops`).
enum SampleConfig {
    static let installed = "share/kafkaops/samples/config.yaml"

    /// The sample's path, nil when none is found.
    static func path(executable: URL = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                                                          ?? CommandLine.arguments[0])) -> String? {
        let bin = executable.deletingLastPathComponent()
        var candidates = [bin.deletingLastPathComponent().appendingPathComponent(installed)]
        var dir = bin
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("samples/config.yaml"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: "/usr/" + installed))
        return candidates.map(\.standardizedFileURL.path).first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// "a sample with every setting: /usr/share/kafkaops/samples/config.yaml (copy it to PATH and edit it)".
    static func hint(missing configPath: String) -> String {
        guard let sample = path() else {
            return "the sample with every setting is samples/config.yaml in the kafkaops sources "
                + "(/usr/share/kafkaops/samples/config.yaml where the package is installed)"
        }
        return "a sample with every setting: \(sample) (copy it to \(configPath) and edit it)"
    }
}
