import Foundation
import Testing
import TestSupport

/// End-to-end tests of the console: the real `kafkaops --demo` binary in a detached tmux session,
/// driven with send-keys and read back with capture-pane. They fail (never skip) when the binary
/// or tmux is missing.
@Suite(.serialized) struct ConsoleE2ETests {
    /// `kafkaops`, next to the test bundle (the directory of /proc/self/exe).
    static func binary() throws -> String {
        let dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let bin = dir.appendingPathComponent("kafkaops").path
        try #require(FileManager.default.isExecutableFile(atPath: bin), "the kafkaops binary is missing at \(bin)")
        return bin
    }

    /// An interactive shell in the pane that runs the console and prints its exit status.
    static func startInShell(_ tmux: Tmux) async throws {
        try tmux.start("sh", width: 120, height: 40)
        tmux.type("\(try binary()) --demo; echo EXITED-$?")
        tmux.keys("Enter")
        try await tmux.expect("DEMO")
    }

    @Test func everyScreenIsReachableByKeyboard() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try Self.binary()) --demo", width: 120, height: 40)
        try await tmux.expect("DEMO")
        try await tmux.expect("Overview")
        try await tmux.expect("Brokers")
        #expect(tmux.line(0).contains("updated"))
        tmux.keys("2")
        try await tmux.expect("TOPIC")
        #expect(tmux.line(1).hasPrefix("Topics"))
        tmux.keys("Enter")
        try await tmux.expect("Topics › Topic")
        try await tmux.expect("[Partitions]")
        try await tmux.expect("LEADER")
        tmux.keys("Tab")
        try await tmux.expect("[Configs]")
        tmux.keys("Tab")
        try await tmux.expect("[Groups]")
        tmux.keys("Escape")
        try await tmux.expect { $0[1].hasPrefix("Topics ") && !$0[1].contains("›") }
        tmux.keys("3")
        try await tmux.expect("GROUP")
        #expect(tmux.line(1).hasPrefix("Groups"))
        tmux.keys("4")
        try await tmux.expect { $0[1].hasPrefix("Brokers") }
        tmux.keys("1")
        try await tmux.expect { $0[1].hasPrefix("Overview") }
        tmux.keys(":", "g", "r", "Tab")
        try await tmux.expect(":groups")
        tmux.keys("Enter")
        try await tmux.expect { $0[1].hasPrefix("Groups") }
        tmux.keys("?")
        try await tmux.expect("Groups › Help")
        try await tmux.expect("help: every key of this screen")
        tmux.keys("Escape")
        try await tmux.expect { $0[1].hasPrefix("Groups") && !$0[1].contains("Help") }
        tmux.keys("q")
        try await tmux.waitForExit()
    }

    @Test func filterAndSortTheTopicsTable() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try Self.binary()) --demo", width: 120, height: 40)
        tmux.keys("2")
        try await tmux.expect("TOPIC")
        try await tmux.expect { $0.count > 3 && !$0[3].trimmingCharacters(in: .whitespaces).isEmpty }
        let first = tmux.line(3).trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
        let needle = String(first.prefix(4)).uppercased()  // the filter ignores case
        tmux.keys("/")
        for c in needle { tmux.keys(String(c)) }
        try await tmux.expect("/" + needle)
        tmux.keys("Enter")
        try await tmux.expect("filter: " + needle)
        #expect(tmux.screen().dropFirst(3).prefix(30).allSatisfy {
            $0.isEmpty || $0.lowercased().contains(needle.lowercased()) || $0.hasPrefix("Enter") || $0.contains("▼")
        })
        tmux.keys("Escape")
        try await tmux.expect { !$0[1].contains("filter:") }
        // Worst first by default (ISR); s moves on to the next column.
        try await tmux.expect("sort: worst first")
        tmux.keys("s")
        try await tmux.expect("sorted by URP")
        try await tmux.expect("URP↑")
        tmux.keys("S")
        try await tmux.expect("URP↓")
        tmux.keys("u")
        try await tmux.expect { $0.joined().contains("unhealthy only") || $0.joined().contains("all topics are healthy") }
        tmux.keys("C-c")
        try await tmux.waitForExit()
    }

    @Test func resizeRedrawsAndATooSmallTerminalSaysSo() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try Self.binary()) --demo", width: 120, height: 40)
        try await tmux.expect("Brokers")
        tmux.resize(width: 100, height: 30)
        try await tmux.expect { $0.count == 30 && $0[0].count <= 100 && $0[0].hasSuffix("ago") }
        tmux.resize(width: 60, height: 20)
        try await tmux.expect("terminal too small (need 80x24, have 60x20)")
        tmux.resize(width: 120, height: 40)
        try await tmux.expect("Brokers")
        tmux.keys("q")
        try await tmux.waitForExit()
    }

    @Test func quittingLeavesAUsableShell() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try await Self.startInShell(tmux)
        tmux.keys("2")
        try await tmux.expect("TOPIC")
        tmux.keys("q")
        try await tmux.expect("EXITED-0")
        try await tmux.expectSaneTerminal()
    }

    /// A signal (SIGTERM, SIGHUP, or a crash: SIGABRT, SIGSEGV) ends the console with the signal's
    /// status and the terminal restored.
    @Test(arguments: [SIGTERM, SIGHUP, SIGABRT, SIGSEGV])
    func aSignalRestoresTheTerminal(_ signal: Int32) async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try await Self.startInShell(tmux)
        let panePID = try tmux.run(["display-message", "-p", "-t", tmux.target, "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Tmux.descendant(of: panePID, named: "kafkaops"), "the console process was not found")
        kill(pid, signal)
        try await tmux.expect("EXITED-\(128 + signal)")
        try await tmux.expectSaneTerminal()
    }

    @Test func aBrokenThemeFileIsNamedOnTheStatusLineAndTheConsoleRuns() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-e2e-broken-\(getpid()).yaml").path
        try "roles: { body: [unclosed".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try Self.binary()) --demo --theme \(path)", width: 120, height: 40)
        try await tmux.expect("theme \(path): not valid YAML")
        try await tmux.expect("Brokers")
        tmux.keys("2")
        try await tmux.expect("TOPIC")
        tmux.keys("q")
        try await tmux.waitForExit()
    }

    @Test(arguments: ["default", "light", "high-contrast", "monochrome"])
    func everyShippedThemeStartsWithoutWarnings(_ theme: String) async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try Self.binary()) --demo --theme \(theme)", width: 100, height: 30)
        try await tmux.expect("Brokers")
        #expect(!tmux.screen().joined().contains("theme"))
        tmux.keys("q")
        try await tmux.waitForExit()
    }

    @Test(arguments: ["xterm", "xterm-256color", "screen", "screen-256color", "tmux", "tmux-256color", "linux"])
    func startsOnCommonTerminals(_ term: String) async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("env TERM=\(term) \(try Self.binary()) --demo", width: 100, height: 30)
        try await tmux.expect("DEMO")
        tmux.keys("2")
        try await tmux.expect("TOPIC")
        tmux.keys("q")
        try await tmux.waitForExit()
    }

    @Test func noColorDrawsWithoutColours() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("env TERM=xterm-256color \(try Self.binary()) --demo", width: 100, height: 30)
        try await tmux.expect("DEMO")
        let coloured = try tmux.run(["capture-pane", "-p", "-e", "-t", tmux.target])
        #expect(Tmux.hasColour(coloured))
        tmux.keys("q")
        try await tmux.waitForExit()

        let mono = try Tmux()
        defer { mono.kill() }
        try mono.start("env TERM=xterm-256color NO_COLOR=1 \(try Self.binary()) --demo", width: 100, height: 30)
        try await mono.expect("DEMO")
        let plain = try mono.run(["capture-pane", "-p", "-e", "-t", mono.target])
        #expect(!Tmux.hasColour(plain), "colour sequences with NO_COLOR: \(plain.prefix(400))")
        // Attributes still mark the selected row (reverse video).
        #expect(plain.contains("\u{1b}[7m") || plain.contains(";7m") || plain.contains("[7;"))
        mono.keys("q")
        try await mono.waitForExit()
    }
}

/// A detached tmux server of our own (its own socket), killed when the test ends.
final class Tmux: @unchecked Sendable {
    let socket = "kafkaops-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    let target = "e2e"
    let tmux: String
    private var exited = false

    init() throws {
        let candidates = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        tmux = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "tmux is not installed")
    }

    /// Runs a command and returns its output (posix_spawn and waitpid: Foundation's Process can
    /// hang in waitUntilExit inside async tests). The output goes through a file, not a pipe: a
    /// tmux server started by the command would keep a pipe open for ever.
    static func exec(_ path: String, _ args: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-e2e-\(UUID()).out").path
        defer { unlink(file) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    @discardableResult
    func run(_ args: [String]) throws -> String { try Self.exec(tmux, ["-L", socket] + args) }

    /// Starts `command` in a detached session of the given size, inside a shell that prints the
    /// command's exit status when it ends and then keeps the pane open.
    func start(_ command: String, width: Int, height: Int) throws {
        precondition(!command.contains("'"))
        let wrapped = "sh -c 'env -u NO_COLOR \(command); echo CONSOLE-EXIT-$?; sleep 600'"
        try run(["-f", "/dev/null", "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height), wrapped])
    }

    func keys(_ keys: String...) { _ = try? run(["send-keys", "-t", target] + keys) }
    func type(_ text: String) { _ = try? run(["send-keys", "-t", target, "-l", text]) }
    func resize(width: Int, height: Int) {
        _ = try? run(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }

    func screen() -> [String] {
        let s = (try? run(["capture-pane", "-p", "-t", target])) ?? ""
        var lines = s.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    func line(_ i: Int) -> String { let s = screen(); return i < s.count ? s[i] : "" }

    /// Polls the pane until `cond` holds; fails with the screen when it does not within the timeout.
    func expect(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
                _ cond: ([String]) -> Bool) async throws {
        let end = ContinuousClock.now.advanced(by: timeout)
        var last: [String] = []
        while ContinuousClock.now < end {
            last = (try? await offThread { self.screen() }) ?? []
            if !last.isEmpty && cond(last) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record(Comment(rawValue: "condition not met; screen:\n\(last.joined(separator: "\n"))"), sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func expect(_ text: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await expect(timeout: timeout, sourceLocation: sourceLocation) { $0.joined(separator: "\n").contains(text) }
    }

    /// Waits until the console process has ended with status 0.
    func waitForExit(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await expect(sourceLocation: sourceLocation) { $0.joined(separator: "\n").contains("CONSOLE-EXIT-") }
        let text = screen().joined(separator: "\n")
        #expect(text.contains("CONSOLE-EXIT-0"), "the console did not exit with 0:\n\(text)", sourceLocation: sourceLocation)
    }

    /// In the shell of the pane: the terminal is back in cooked mode with echo, and commands run.
    func expectSaneTerminal(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        type("stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ' '; echo; echo ALIVE-$((40+2))")
        keys("Enter")
        try await expect("ALIVE-42", sourceLocation: sourceLocation)
        let text = screen().joined(separator: "\n")
        #expect(text.contains("icanon echo"), "terminal modes after the console:\n\(text)", sourceLocation: sourceLocation)
    }

    func kill() {
        _ = try? run(["kill-session", "-t", target])
        _ = try? run(["kill-server"])
        let dir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(dir)/tmux-\(getuid())/\(socket)")
    }

    /// The first process below `pid` (children, grandchildren, ...) whose command name is `name`.
    static func descendant(of pid: String, named name: String) -> Int32? {
        var frontier = [pid]
        for _ in 0..<4 {
            var next: [String] = []
            for p in frontier {
                let kids = ((try? exec("/usr/bin/pgrep", ["-P", p])) ?? "").split(separator: "\n").map(String.init)
                for k in kids {
                    let comm = (try? String(contentsOfFile: "/proc/\(k)/comm", encoding: .utf8))?
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    if comm == name { return Int32(k) }
                    next.append(k)
                }
            }
            frontier = next
        }
        return nil
    }

    /// Whether captured text (capture-pane -e) sets a foreground or background colour.
    static func hasColour(_ captured: String) -> Bool {
        for seq in captured.components(separatedBy: "\u{1b}[").dropFirst() {
            guard let m = seq.firstIndex(of: "m") else { continue }
            for p in seq[..<m].split(separator: ";").compactMap({ Int($0) }) {
                if (30...37).contains(p) || (40...47).contains(p) || (90...97).contains(p) || (100...107).contains(p)
                    || p == 38 || p == 48 { return true }
            }
        }
        return false
    }
}
