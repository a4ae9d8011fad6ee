import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// An in-memory terminal that counts suspends and full repaints (`previous: nil`); its size can change while
/// "stopped".
@MainActor
final class SuspendingTerminal: Terminal {
    var size: Size
    var screen: Grid
    var events: [TerminalEvent] = []
    var suspends = 0
    var fullDraws = 0
    /// The size the terminal has once continued (the window was resized while the console was stopped).
    var sizeAfterResume: Size?

    init(size: Size = Size(width: 80, height: 24)) {
        self.size = size
        screen = Grid(width: size.width, height: size.height)
    }

    func draw(_ grid: Grid, previous: Grid?) {
        if previous == nil { fullDraws += 1 }
        screen = grid
    }

    func poll() -> [TerminalEvent] {
        defer { events = [] }
        return events
    }

    func suspend() {
        suspends += 1
        if let s = sizeAfterResume { size = s }
    }

    var text: String { screen.lines.joined(separator: "\n") }
}

extension TimingSensitive {
@MainActor
@Suite struct SuspendTests {
    func waitFor(_ what: String, _ cond: () -> Bool) async -> Bool {
        let end = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < end {
            if cond() { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("timed out waiting for \(what)")
        return false
    }

    /// Ctrl-Z (a key in raw mode) and SIGTSTP from outside suspend; back from `fg`, the whole screen is
    /// drawn again at the terminal's size now.
    @Test func ctrlZSuspendsAndTheScreenIsRepaintedAfterwards() async throws {
        let term = SuspendingTerminal()
        let program = ConsoleProgram(options: ConsoleOptions(client: FakeCluster(), profileName: "demo", readOnly: false, isDemo: true),
                                     terminal: term)
        let run = Task { await program.run() }
        #expect(await waitFor("data") { term.text.contains("kafka-1.example") && program.state.snapshotComplete })
        await program.idle()
        let full = term.fullDraws
        term.sizeAfterResume = Size(width: 100, height: 30)
        term.events = [.key(.ctrl("z"))]
        #expect(await waitFor("suspended and repainted") { term.suspends == 1 && term.fullDraws > full && term.screen.width == 100 })
        #expect(term.text.contains("kafka-1.example"))
        // kill -TSTP from outside: the same.
        term.events = [.suspendSignal]
        #expect(await waitFor("second suspend") { term.suspends == 2 })
        program.send(.keyPressed(.char("q")))
        #expect(await run.value == 0)
    }
}
}
