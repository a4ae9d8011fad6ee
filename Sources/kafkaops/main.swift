import ArgumentParser
import Foundation
import KafkaOpsCore

/// Exit codes: 0 ok, 1 cluster error, 2 usage error (not ArgumentParser's 64).
func runMain() async -> Int32 {
    do {
        let names = Set(Kafkaops.configuration.subcommands.map { $0._commandName })
        let groups = Dictionary(Kafkaops.configuration.subcommands.map { ($0._commandName, $0.configuration.subcommands.map { $0._commandName }) },
                                uniquingKeysWith: { a, _ in a })
        let args = Array(CommandLine.arguments.dropFirst())
        if let why = ArgumentOrder.unknownCommand(args, commands: Kafkaops.configuration.subcommands.map { $0._commandName }) {
            throw UsageError(why)
        }
        if let why = ArgumentOrder.missingSubcommand(args, groups: groups) { throw UsageError(why) }
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
    } catch let e as LocalFileError {
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

/// Ends the process with exit code 1 if a command outlives its bound: whatever happens below, the operator
/// gets a message and a prompt back. Two things are not a hang: output that is flowing (each write to stdout
/// pushes the end out by the bound again, and a write blocked on a slow reader is waited for), and a change
/// between its started and outcome records: the change's run arms it for the whole change (`arm(seconds:change:)`),
/// and if even that bound passes, the watchdog first writes the change's outcome record (unknown) and says so.
enum Watchdog {
    /// What the watchdog says and records when it ends the process during a change: `finish` writes the
    /// outcome record (nil when it was written, else why not).
    struct PendingChange {
        var what: String
        /// When the change is between its started and outcome records: writes its outcome record (unknown,
        /// no answer within `seconds`) and returns the line saying where it is (or that it could not be
        /// written); nil when no change is open.
        var finish: @Sendable (_ seconds: Double) -> String?
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var timer: DispatchSourceTimer?
    nonisolated(unsafe) private static var bound: Double = 0
    nonisolated(unsafe) private static var deadline: DispatchTime = .distantFuture
    nonisolated(unsafe) private static var writing = 0
    nonisolated(unsafe) private static var change: PendingChange?

    /// Arms (or re-arms, from now) the watchdog to end the run `seconds` from now, or from the last output.
    static func arm(seconds: Double) {
        lock.withLock {
            bound = seconds
            deadline = .now() + seconds
            if timer == nil {
                let t = DispatchSource.makeTimerSource(queue: .global())
                t.setEventHandler { check() }
                t.resume()
                timer = t
            }
            timer?.schedule(deadline: deadline)
        }
    }

    /// A command that has a watchdog re-arms it for a change (its checks, requests and read-back) and names
    /// the change, so that the watchdog records its outcome before it ends the run. A command without one (a
    /// replay, bounded by its own steps) keeps none.
    static func arm(seconds: Double, change pending: PendingChange) {
        guard lock.withLock({ timer != nil }) else { return }
        lock.withLock { change = pending }
        arm(seconds: seconds)
    }

    static func cancel() {
        lock.withLock { timer?.cancel(); timer = nil; change = nil }
    }

    /// Writes `data` to stdout; the write and the output before it are progress, not a hang.
    static func writingOutput(_ write: () -> Void) {
        lock.withLock { writing += 1 }
        write()
        lock.withLock {
            writing -= 1
            if timer != nil {
                deadline = max(deadline, .now() + bound)
                timer?.schedule(deadline: deadline)
            }
        }
    }

    private static func check() {
        let pending: PendingChange?? = lock.withLock {
            if writing > 0 || DispatchTime.now() < deadline {
                // Output is flowing (or a write waits for a slow reader): look again a bound later.
                timer?.schedule(deadline: max(deadline, .now() + min(bound, 1)))
                return .none
            }
            return .some(change)
        }
        guard let pending else { return }
        let seconds = bound
        if let c = pending, let recorded = c.finish(seconds) {
            let message = "kafkaops: no answer within \(format(seconds)) s to \(c.what); its outcome is UNKNOWN: "
                + "check the cluster before retrying\nkafkaops: \(recorded)\n"
            FileHandle.standardError.write(Data(message.utf8))
        } else {
            FileHandle.standardError.write(Data("kafkaops: the cluster did not answer within the timeout; check the bootstrap address and raise --timeout if it is slow\n".utf8))
        }
        terminate(1)
    }

    private static func format(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s) }
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
