import ArgumentParser
import Foundation
import KafkaOpsCore
#if canImport(Glibc)
import Glibc
#endif

/// The CLI's one place for stop signals during a change. Once created, Ctrl-C (SIGINT), an SSH disconnect
/// (SIGHUP) and SIGTERM no longer kill the process: they set this flag, the change stops sending at its next
/// step (a replay between batches, after the batch in flight got its delivery reports), writes its outcome
/// record and reports, and the command exits non-zero. A closed pipe (SIGPIPE) no longer kills it either: a
/// write to it fails instead, so the outcome is still recorded.
final class InterruptFlag: @unchecked Sendable {
    /// The first stop signal that arrived.
    private let caught = Locked<Int32?>(nil)
    private var sources: [DispatchSourceSignal] = []

    static let handled: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGHUP, "SIGHUP"), (SIGTERM, "SIGTERM")]

    init() {
        signal(SIGPIPE, SIG_IGN)
        for (sig, _) in Self.handled {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler { [caught] in caught.withLock { if $0 == nil { $0 = sig } } }
            src.resume()
            sources.append(src)
        }
    }

    var isSet: Bool { caught.value != nil }

    /// Throws `StoppedBeforeStart` once a stop signal arrived: called just before a change's started record.
    func stopIfSet() throws {
        if let name = signalName { throw StoppedBeforeStart(signal: name) }
    }

    /// "SIGHUP", once one of the signals arrived.
    var signalName: String? {
        let sig = caught.value
        return sig.flatMap { s in Self.handled.first { $0.0 == s }?.1 }
    }
}

/// A stop signal arrived before the change's started record was written: nothing was sent.
struct StoppedBeforeStart: Error, CustomStringConvertible {
    let signal: String
    var description: String { "interrupted by \(signal) before the change started; nothing was sent" }
}

/// Runs the part of a CLI change that starts with its pipeline (`ChangePipeline.run`: checks, started record,
/// execution, outcome record) and ends with its report. Stop signals are held from just before the checks:
/// the request in flight gets its answer (bounded by --timeout; the watchdog still ends a hung run), the
/// outcome is recorded, the command reports, and then it exits 1 naming the signal. Before this, a stop
/// signal ends the command at once, with nothing sent; one held before the started record (during the checks'
/// read of the cluster) ends it there, with nothing sent (`StoppedBeforeStart`). A change that runs in steps (a replay) reads
/// `interrupted` to stop between them.
func holdingStopSignals(_ interrupted: InterruptFlag = InterruptFlag(), _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let stopped as StoppedBeforeStart {
        warn(stopped.description)
        throw ExitCode(1)
    } catch {
        if let sig = interrupted.signalName {
            warn(error is ChangeNotStarted || error is ChangeRefused ? "interrupted by \(sig); nothing was sent"
                 : "interrupted by \(sig) during the change; its outcome is in the audit log")
        }
        throw error
    }
    if let sig = interrupted.signalName {
        warn("interrupted by \(sig); the change's outcome is in the audit log")
        throw ExitCode(1)
    }
}
