import Foundation
import KafkaOpsCore

/// What the terminal reports besides keys.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    case resized(Size)
    /// SIGHUP (the terminal went away) or SIGTERM arrived.
    case stopSignal(Int32)
    /// SIGTSTP arrived from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    case suspendSignal
}

/// The screen, seen by the program loop. The ncurses implementation lives in KafkaOpsTerminal;
/// tests use an in-memory one.
@MainActor
public protocol Terminal: AnyObject {
    var size: Size { get }
    /// Writes the cells of `grid` that differ from `previous` (all of them when nil) and shows them.
    func draw(_ grid: Grid, previous: Grid?)
    /// Keys and resizes that arrived since the last call; never blocks.
    func poll() -> [TerminalEvent]
    /// Ctrl-Z: gives the terminal back to the shell and stops the process; returns once it is continued
    /// (`fg`), after which the next `draw` must repaint everything (the program passes `previous: nil`).
    func suspend()
    /// Writes `sequence` (an OSC 52 clipboard request, `Clipboard.osc52`) to the terminal as it is.
    func copyToClipboard(_ sequence: String)
}

extension Terminal {
    public func suspend() {}
    public func copyToClipboard(_ sequence: String) {}
}

/// The terminal's clipboard through OSC 52 (xterm, tmux with `set-clipboard`, iTerm2, kitty, ...): the
/// text travels base64-encoded, so no byte of it reaches the terminal as a control character.
public enum Clipboard {
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}

/// The program loop: drains messages, runs update, draws, and runs effects in tasks off the main
/// actor whose results come back as messages. The UI never waits for the cluster.
@MainActor
public final class ConsoleProgram {
    public private(set) var state: ConsoleState
    public let theme: Theme
    private(set) var client: any ClusterClient
    let contexts: ConsoleContexts?
    let terminal: any Terminal
    private var grid: Grid
    private var previous: Grid?
    private let stream: AsyncStream<Msg>
    private let continuation: AsyncStream<Msg>.Continuation
    /// Backend calls and queued messages not yet handled (lazygit's busy counter).
    public private(set) var busy = 0
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var nextTask = 0
    private var pollInterval: Duration
    /// Frames drawn (for tests and benchmarks).
    public private(set) var frames = 0
    private(set) var operations: OperationSettings
    /// Raised on SIGHUP/SIGTERM: running changes stop at their next step (JobContext.exiting).
    private let exiting = StopFlag()
    /// Running panel jobs by (panel, name).
    private var jobs: [JobKey: (seq: Int, task: Task<Void, Never>)] = [:]
    struct JobKey: Hashable { let panel: Int; let name: String }

    public init(options: ConsoleOptions, terminal: any Terminal, theme: Theme = .builtIn, status: String? = nil,
                pollInterval: Duration = .milliseconds(15)) {
        self.client = options.client
        self.contexts = options.contexts
        self.terminal = terminal
        self.theme = theme
        self.pollInterval = pollInterval
        var s = ConsoleState(options: options, size: terminal.size)
        self.operations = options.operations
        if let status { s.status = StatusMessage(text: status, isError: true) }
        self.state = s
        grid = Grid(width: terminal.size.width, height: terminal.size.height)
        (stream, continuation) = AsyncStream.makeStream(of: Msg.self)
    }

    /// Queues a message (from a key reader, a timer or a finished backend call).
    public func send(_ msg: Msg) {
        busy += 1
        continuation.yield(msg)
    }

    /// Returns when every queued message is handled and no backend call is running.
    public func idle(timeout: Duration = .seconds(5)) async {
        let end = ContinuousClock.now.advanced(by: timeout)
        while busy > 0 && ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(2)) }
    }

    /// Runs until the operator quits; returns the exit code.
    public func run() async -> Int32 {
        send(.started)
        draw()
        let poller = Task { @MainActor [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                for e in self.terminal.poll() {
                    switch e {
                    case .key(let k): self.send(.keyPressed(k))
                    case .resized(let s): self.send(.resized(s))
                    case .stopSignal(let sig): self.send(.stopSignalReceived(sig))
                    case .suspendSignal: self.send(.keyPressed(.ctrl("z")))
                    }
                }
                try? await Task.sleep(for: self.pollInterval)
            }
        }
        defer { poller.cancel() }
        for await msg in stream {
            busy -= 1
            if case .loadTimedOut(let id) = msg { abandon(id) }
            // `:ctx NAME` connected: every call from now on goes to the new cluster.
            if case .contextSwitched(_, .success(let c)) = msg { client = c.client; operations = c.operations }
            let effects = state.update(msg)
            if case .resized = msg { previous = nil }  // repaint everything at once
            var quit = false
            for e in effects {
                if e == .quit { quit = true } else { run(e) }
            }
            if quit || state.quitting { break }
            draw()
        }
        for (_, t) in tasks { t.cancel() }
        tasks.removeAll()
        for (_, t) in jobs { t.task.cancel() }
        jobs.removeAll()
        for (_, t) in loadsInFlight { t.cancel() }
        loadsInFlight.removeAll()
        continuation.finish()
        // Ended by SIGHUP/SIGTERM: the shell's convention for "killed by" that signal.
        return state.exitSignal.map { 128 + $0 } ?? 0
    }

    func draw() {
        render(state, theme: theme, into: &grid)
        terminal.draw(grid, previous: previous)
        frames += 1
        // What is on screen becomes `previous`; its old buffer is drawn into next (no allocation per frame).
        if var shown = previous {
            previous = nil  // `shown` is now the only reference: swapping copies nothing
            swap(&shown, &grid)
            previous = shown
        } else {
            previous = grid
        }
    }

    /// Loads whose result has not come back yet.
    private var loadsInFlight: [Int: Task<Void, Never>] = [:]

    private func timer(after: Duration, _ msg: @escaping @Sendable () -> Msg) {
        let id = nextTask
        nextTask += 1
        tasks[id] = Task { @MainActor [weak self] in
            try? await Task.sleep(for: after)
            guard let self, !Task.isCancelled else { return }
            self.tasks[id] = nil
            self.send(msg())
        }
    }

    private func contextConnected(_ name: String, _ result: Result<ConsoleConnection, ClusterError>) {
        busy -= 1
        send(.contextSwitched(name, result))
    }

    private func screenLoadFinished(_ msg: Msg) {
        busy -= 1
        send(msg)
    }

    private func loadFinished(_ id: Int, _ msg: Msg) {
        send(msg)
        if loadsInFlight.removeValue(forKey: id) != nil { busy -= 1 }
    }

    func run(_ effect: Effect) {
        switch effect {
        case .quit:
            break
        case .suspend:
            // The process stops inside `suspend` (all of it: jobs too) and goes on after `fg`. Then the whole
            // screen is drawn again, at the terminal's size now (it may have changed while stopped).
            terminal.suspend()
            previous = nil
            send(.resized(terminal.size))
        case .copyToClipboard(let text):
            terminal.copyToClipboard(Clipboard.osc52(text))
        case .scheduleTick(let after):
            timer(after: after) { .ticked(Date()) }
        case .scheduleRefresh(let id, let after):
            timer(after: after) { .refreshDue(id) }
        case .switchContext(let name):
            guard let contexts else { return }
            busy += 1
            Task.detached { [weak self] in
                let result: Result<ConsoleConnection, ClusterError>
                do { result = .success(try await contexts.connect(name)) } catch let e as ClusterError {
                    result = .failure(e)
                } catch {
                    result = .failure(ClusterError(.configuration, String(describing: error)))
                }
                await self?.contextConnected(name, result)
            }
        case .loadScreen(let screen, let connection):
            let client = self.client
            let timeout = state.timeout
            busy += 1
            // Off the main actor, like the snapshot: the result comes back as `.screenLoaded`.
            Task.detached { [weak self] in
                let result = await ScreenLoads.load(screen, client: client, deadline: .after(timeout))
                await self?.screenLoadFinished(.screenLoaded(screen, connection: connection, result))
            }
        case .stopChanges(let waitAtMost):
            exiting.raise()
            timer(after: waitAtMost) { .exitWaitEnded }
        case .job(let job):
            let key = JobKey(panel: job.panelID, name: job.name)
            if let old = jobs.removeValue(forKey: key) { old.task.cancel(); busy -= 1 }
            let panelID = job.panelID
            let ctx = JobContext(client: client, timeout: state.timeout, operations: operations, exiting: exiting) { [weak self] value in
                await self?.send(.panelReceived(panelID: panelID, value: value))
            }
            busy += 1
            let seq = nextTask
            nextTask += 1
            jobs[key] = (seq, Task.detached { [weak self] in
                await job.run(ctx)
                await self?.jobFinished(key, seq: seq)
            })
        case .cancelJob(let panelID, let name):
            if let t = jobs.removeValue(forKey: JobKey(panel: panelID, name: name)) { t.task.cancel(); busy -= 1 }
        case .cancelJobs(let panelID):
            for k in jobs.keys where k.panel == panelID {
                jobs.removeValue(forKey: k)?.task.cancel()
                busy -= 1
            }
        case .loadSnapshot(let id, let metadataFirst):
            let timeout = state.timeout
            let lag = state.lag
            let policy = state.policy
            let client = self.client
            let loader = SnapshotLoader(client: client)
            let memory = state.operations.brokerMemory
            let recall = !state.roster.hasRecalled
            busy += 1
            // Off the main actor: the UI keeps drawing and reading keys while the cluster answers.
            loadsInFlight[id] = Task.detached { [weak self] in
                // The metadata alone paints the first screen while the rest is still loading;
                // both start at once so the complete screen is not delayed by the first.
                async let full = capture { try await loader.load(parts: .all, deadline: .after(timeout)) }
                if metadataFirst {
                    let md = await capture { try await loader.load(parts: [], deadline: .after(timeout)) }
                    if case .success = md { await self?.send(.metadataLoaded(id, md)) }
                }
                let r = await full
                guard case .success(let snap) = r else {
                    await self?.loadFinished(id, .snapshotLoaded(id, r))
                    return
                }
                await self?.send(.snapshotLoaded(id, r))
                // The brokers earlier runs saw (once per connection), then this run's live ones kept for the next.
                if let memory, let cluster = snap.metadata.clusterID {
                    if recall { await self?.send(.brokersRecalled(cluster: cluster, memory.recall(cluster: cluster))) }
                    memory.remember(cluster: cluster, live: snap.metadata.brokers, at: snap.fetchedAt)
                }
                // Lag over time, still off the main actor: the facts one sample cannot tell (time lag,
                // LSO, retention) read from the cluster, this sample fed into the history, the rows built.
                let lags = snap.allGroupLags()
                let (facts, _) = await LagFactsLoader.load(client, lags: lags, broker: snap.metadata.brokers.map(\.id).min(),
                                                           deadline: .after(timeout))
                if Task.isCancelled { return }
                let trends = lag.refreshed(snap, facts: facts, policy: policy, now: Date())
                await self?.loadFinished(id, .lagLoaded(id, trends))
            }
            // A backend that ignores its deadline must not leave the console waiting forever.
            timer(after: timeout + .seconds(1)) { .loadTimedOut(id) }
        }
    }

    /// A job ended by itself (not cancelled or replaced): it no longer counts as busy.
    private func jobFinished(_ key: JobKey, seq: Int) {
        guard let running = jobs[key], running.seq == seq else { return }
        jobs[key] = nil
        busy -= 1
    }

    /// Called when a load timed out: it no longer counts as busy.
    private func abandon(_ id: Int) {
        guard let task = loadsInFlight.removeValue(forKey: id) else { return }
        task.cancel()
        busy -= 1
    }
}
