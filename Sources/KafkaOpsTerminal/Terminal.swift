import Foundation
import KafkaOpsTUI
import CNCurses

/// Runs the console on the terminal until the operator quits; returns the process exit code.
/// Always restores the terminal.
public func runConsole(_ options: ConsoleOptions) async -> Int32 {
    FileHandle.standardError.write("kafkaops: the console is not built yet\n".data(using: .utf8)!)
    return 1
}
