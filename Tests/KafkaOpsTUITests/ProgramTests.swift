import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// Suites that run the program loop or many frames run one at a time, so that they do not
/// compete for the two cores.
@Suite(.serialized) struct TimingSensitive {}

extension TimingSensitive {
@MainActor
@Suite struct ProgramTests {
    /// Waits until `cond` holds; a timeout fails the test, saying what was awaited.
    func waitFor(_ what: String, timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation,
                 _ cond: () -> Bool) async -> Bool {
        let end = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < end {
            if cond() { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        if cond() { return true }
        Issue.record("timed out after \(timeout) waiting for \(what)", sourceLocation: sourceLocation)
        return false
    }

    @Test func waitForFailsWithWhatItWaitedFor() async {
        await withKnownIssue {
            _ = await waitFor("the never screen", timeout: .milliseconds(20)) { false }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("waiting for the never screen") }
        }
        #expect(await waitFor("now") { true })
    }

    @Test func loadsDrawsAndQuits() async throws {
        let term = FakeTerminal()
        let program = ConsoleProgram(options: ConsoleOptions(client: FakeCluster(), profileName: "demo", readOnly: false, isDemo: true),
                                     terminal: term)
        let run = Task { await program.run() }
        #expect(await waitFor("data") { term.text.contains("kafka-1.example") && program.state.snapshotComplete })
        await program.idle()
        term.events = [.key(.char("2"))]
        #expect(await waitFor("topics") { program.state.current.screen == .topics && term.text.contains("payments") })
        // Only what changed is written: moving the selection rewrites two rows and the position, not the screen.
        let before = term.cellsWritten
        term.events = [.key(.char("j"))]
        #expect(await waitFor("moved") { term.text.contains("2/7") }, "\(term.text)")
        #expect(term.cellsWritten - before < 400)
        term.events = [.key(.char("q"))]
        #expect(await run.value == 0)
    }

    @Test func keysAreHandledAndDrawnWhileTheBackendHangs() async throws {
        let term = FakeTerminal()
        let program = ConsoleProgram(options: ConsoleOptions(client: FakeCluster(mode: .hangMetadata), profileName: "stuck",
                                                             readOnly: false, isDemo: false, timeout: .seconds(60)),
                                     terminal: term)
        let run = Task { await program.run() }
        #expect(await waitFor("frame") { term.text.contains("loading cluster metadata from stuck") })
        for (key, expected) in [(Key.char("2"), "Topics"), (.char("3"), "Groups"), (.char("?"), "Groups › Help")] {
            program.send(.keyPressed(key))
            #expect(await waitFor(expected) { term.screen.line(1).hasPrefix(expected) })
            // Drawn while the cluster call is still outstanding: the UI did not wait for it.
            #expect(program.state.loading)
        }
        #expect(term.text.contains("loading cluster data…"))
        program.send(.keyPressed(.ctrl("c")))
        #expect(await run.value == 0)
    }

    @Test func aHungBackendTimesOutIntoAnErrorOnTheStatusLine() async throws {
        let term = FakeTerminal()
        let program = ConsoleProgram(options: ConsoleOptions(client: FakeCluster(mode: .hangMetadata), profileName: "stuck",
                                                             readOnly: false, isDemo: false, timeout: .milliseconds(100)),
                                     terminal: term)
        let run = Task { await program.run() }
        #expect(await waitFor("timeout", timeout: .seconds(5)) { term.text.contains("did not answer in time") })
        #expect(!program.state.loading)
        program.send(.keyPressed(.char("q")))
        #expect(await run.value == 0)
    }

    @Test func anUnreachableClusterIsShownAndTheConsoleStillWorks() async throws {
        let term = FakeTerminal()
        let program = ConsoleProgram(options: ConsoleOptions(client: FakeCluster(mode: .failMetadata), profileName: "prod",
                                                             readOnly: true, isDemo: false), terminal: term)
        let run = Task { await program.run() }
        #expect(await waitFor("error") { term.text.contains("cannot load the cluster: no broker answered at fake:9092") })
        await program.idle()
        #expect(program.busy == 0)
        term.events = [.key(.char("2"))]
        #expect(await waitFor("topics") { term.text.contains("no data: the cluster did not answer") })
        program.send(.keyPressed(.char("q")))
        #expect(await run.value == 0)
    }

    @Test func aResizeRepaintsEverything() async throws {
        let term = FakeTerminal()
        let program = ConsoleProgram(options: ConsoleOptions(client: FakeCluster(), profileName: "demo", readOnly: false, isDemo: true),
                                     terminal: term)
        let run = Task { await program.run() }
        #expect(await waitFor("data") { program.state.snapshotComplete })
        term.size = Size(width: 60, height: 20)
        term.events = [.resized(term.size)]
        #expect(await waitFor("small") { term.text.contains("terminal too small (need 80x24, have 60x20)") })
        term.size = Size(width: 100, height: 30)
        term.events = [.resized(term.size)]
        #expect(await waitFor("big") { term.screen.width == 100 && term.text.contains("kafka-3.example") })
        program.send(.keyPressed(.char("q")))
        #expect(await run.value == 0)
    }
}
}
