import Foundation
import Testing
import TestSupport

/// Issue 13, points 4 and 10, end to end on the demo: the global keys work from inside the DLQ browser (`?`
/// lists its keys and the global ones, `3` opens the groups screen instead of a record), and Ctrl-Z hands the
/// terminal back to the shell while `fg` brings the console back, redrawn.
@Suite(.serialized) struct ConsoleKeysE2ETests {
    @Test func helpAndTheScreenKeysWorkFromTheDLQBrowser() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try ConsoleE2ETests.binary()) --demo", width: 80, height: 24)
        try await tmux.expect("kafka-1.demo")  // loaded: `:dlq` checks the topic against the snapshot
        tmux.keys(":")
        tmux.type("dlq orders-dlt")
        tmux.keys("Enter")
        try await tmux.expect("record(s)")
        tmux.keys("?")
        try await tmux.expect("Keys of DLQ orders-dlt")
        var text = tmux.screen().joined(separator: "\n")
        #expect(text.contains("view the record in full"))
        // The global keys close the list (End scrolls there at 80x24).
        tmux.keys("End")
        try await tmux.expect("1,2,3,4,5")
        tmux.keys("?")
        try await tmux.expect { !$0.joined(separator: "\n").contains("Keys of") && $0.joined(separator: "\n").contains("record(s)") }
        tmux.keys("3")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Groups") }
        text = tmux.screen().joined(separator: "\n")
        #expect(!text.contains("Record 0:") && !text.contains("DLQ orders-dlt"), "\(text)")
        tmux.keys("q")
        try await tmux.waitForExit()
    }

    @Test func ctrlZSuspendsAndFgRedraws() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try await ConsoleE2ETests.startInShell(tmux)
        try await tmux.expect("Overview")
        tmux.keys("2")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Topics") }
        tmux.keys("C-z")
        // The shell has the terminal again: its job is stopped, the console's screen is gone.
        try await tmux.expect { s in s.joined(separator: "\n").contains("Stopped") && !s.contains { $0.hasPrefix("Topics") } }
        tmux.type("fg; echo FG-$?")
        tmux.keys("Enter")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Topics") && $0.joined(separator: "\n").contains("TOPIC") }
        // It still takes keys.
        tmux.keys("4")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Brokers") }
        tmux.keys("q")
        try await tmux.expect("FG-0")
    }
}
