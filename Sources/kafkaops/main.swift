import ArgumentParser
import Foundation
import KafkaOpsCore

/// Exit codes: 0 ok, 1 cluster error, 2 usage error (not ArgumentParser's 64).
func runMain() async -> Int32 {
    do {
        let names = Set(Kafkaops.configuration.subcommands.map { $0._commandName })
        var command = try Kafkaops.parseAsRoot(ArgumentOrder.subcommandFirst(Array(CommandLine.arguments.dropFirst()),
                                                                             subcommands: names))
        if let seconds = (command as? any TimedCommand)?.timeoutSeconds {
            Watchdog.arm(seconds: seconds + 5)
        }
        if var c = command as? AsyncParsableCommand {
            try await c.run()
        } else {
            try command.run()
        }
        return 0
    } catch let e as ClusterError {
        warn(e.description)
        return 1
    } catch let e as ChangeNotStarted {
        warn(e.description)
        return 1
    } catch let e as UsageError {
        warn(e.description)
        return 2
    } catch let e as ExitCode {
        return e.rawValue
    } catch {
        let code = Kafkaops.exitCode(for: error)
        let message = Kafkaops.fullMessage(for: error)
        if code == .success {
            emit(message + "\n")
            return 0
        }
        if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
        return code == .validationFailure ? 2 : code.rawValue
    }
}

/// Commands expose their --timeout so a last-resort watchdog can end a run that hangs.
protocol TimedCommand { var timeoutSeconds: Double { get } }

/// Ends the process with exit code 1 if a command outlives its timeout by a margin:
/// whatever happens below, the operator gets a message and a prompt back.
enum Watchdog {
    nonisolated(unsafe) static var timer: DispatchSourceTimer?

    /// Arms (or re-arms, from now) the watchdog.
    static func arm(seconds: Double) {
        timer?.cancel()
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + seconds)
        t.setEventHandler {
            FileHandle.standardError.write(Data("kafkaops: the cluster did not answer within the timeout; check the bootstrap address and raise --timeout if it is slow\n".utf8))
            terminate(1)
        }
        t.resume()
        timer = t
    }

    static func cancel() { timer?.cancel(); timer = nil }
}

// `kafkaops --version` (the install check on a bastion) is answered before the argument
// parser builds the command tree; the text is the root command's, so it is written once.
/// Ends the process with `code` once everything printed is out, without running the C library's
/// exit handlers: OpenSSL's would free its state while librdkafka's broker threads may still be
/// in a TLS handshake (a failed handshake ends the command at once while they retry), which
/// crashed a run with SIGSEGV. Output is written unbuffered (FileHandle) or flushed here, and
/// every audit record is synced when written, so nothing waits for an exit handler.
func terminate(_ code: Int32) -> Never {
    fflush(nil)
    _exit(code)
}

if CommandLine.arguments.dropFirst() == ["--version"] {
    print(Kafkaops.configuration.version)
    terminate(0)
}
let code = await runMain()
terminate(code)
