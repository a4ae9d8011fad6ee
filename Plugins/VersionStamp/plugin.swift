import Foundation
import PackagePlugin

/// Generates `KafkaopsVersion.swift` (`let kafkaopsVersion = "<VERSION>"`) from the package's
/// VERSION file, the one place the version is written. The build reruns it when VERSION
/// changes; a VERSION that is not a plain version (digits, letters, . + - ~) fails the build.
@main
struct VersionStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let input = context.package.directoryURL.appending(path: "VERSION")
        let output = context.pluginWorkDirectoryURL.appending(path: "KafkaopsVersion.swift")
        let script = #"""
        v=$(tr -d ' \t\r\n' < "$1") || exit 1
        case "$v" in
          ''|*[!0-9A-Za-z.+~-]*) echo "error: VERSION must hold a version such as 1.2.3, not '$v'" >&2; exit 1 ;;
        esac
        printf '// Generated from VERSION by the VersionStamp plugin.\nlet kafkaopsVersion = "%s"\n' "$v" > "$2"
        """#
        return [.buildCommand(displayName: "Stamping the version from VERSION",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: ["-c", script, "sh", input.path, output.path],
                              inputFiles: [input], outputFiles: [output])]
    }
}
