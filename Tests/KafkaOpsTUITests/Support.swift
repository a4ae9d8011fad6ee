import Foundation
import KafkaOpsCore
@testable import KafkaOpsTUI

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A snapshot of the fake cluster, fetched at t0.
func fakeSnapshot(_ fc: FakeCluster = FakeCluster()) async throws -> ClusterSnapshot {
    var snap = try await SnapshotLoader(client: fc).load(deadline: .seconds(5))
    snap.fetchedAt = t0
    return snap
}

/// A console state that has loaded `snap` (3 s ago) at the given size.
func loadedState(_ snap: ClusterSnapshot, size: Size = Size(width: 80, height: 24), isDemo: Bool = true,
                 readOnly: Bool = false) -> ConsoleState {
    var s = ConsoleState(profileName: "demo", isDemo: isDemo, readOnly: readOnly, size: size, now: t0)
    _ = s.update(.started)
    _ = s.update(.snapshotLoaded(s.loadID, .success(snap)))
    s.now = t0.addingTimeInterval(3)
    return s
}

extension ConsoleState {
    /// Presses keys in order, returning the effects of the last one.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        var last: [Effect] = []
        for k in keys { last = update(.keyPressed(k)) }
        return last
    }

    mutating func type(_ text: String) {
        for c in text { _ = update(.keyPressed(.char(c))) }
    }

    func screenLines() -> [String] {
        var g = Grid(width: size.width, height: size.height)
        render(self, into: &g)
        return g.lines
    }

    func grid() -> Grid {
        var g = Grid(width: size.width, height: size.height)
        render(self, into: &g)
        return g
    }
}

/// The repository's themes/ directory.
let themesDirectory: URL = {
    var u = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { u.deleteLastPathComponent() }
    return u.appendingPathComponent("themes")
}()

/// An in-memory terminal for the program loop.
@MainActor
final class FakeTerminal: Terminal {
    var size: Size
    var screen: Grid
    var cellsWritten = 0
    var draws = 0
    var events: [TerminalEvent] = []

    init(size: Size = Size(width: 80, height: 24)) {
        self.size = size
        screen = Grid(width: size.width, height: size.height)
    }

    func draw(_ grid: Grid, previous: Grid?) {
        draws += 1
        grid.forEachChange(from: previous) { _, _, _ in cellsWritten += 1 }
        screen = grid
    }

    func poll() -> [TerminalEvent] {
        defer { events = [] }
        return events
    }

    /// The clipboard sequences (OSC 52) the program wrote.
    var copies: [String] = []
    func copyToClipboard(_ sequence: String) { copies.append(sequence) }

    var text: String { screen.lines.joined(separator: "\n") }
}
