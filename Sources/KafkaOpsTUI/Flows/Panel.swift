import Foundation
import KafkaOpsCore

// Panels: the console's interactive flows (the topic creation form, the reset wizard, the DLQ
// browser, confirmation dialogs). A panel sits on top of the screen stack, takes every key while
// it is open and draws the content area; the header, status line and footer stay. Panels are
// values changed only by their own `update`/`receive`, like ConsoleState; their cluster work goes
// out as `Job`s that the program runs off the main actor and whose results come back to the panel
// that asked for them (`receive`, typed: `FlowEvent`). Each flow has its folder under Flows/ with
// its Elm parts: Model (state), Events (what its jobs send back, `receive`), Update (keys per step),
// Keys (the key table the footer, `?` help and `update` read), View (drawing), Jobs (cluster work).

/// What the operator's settings allow a mutating flow to do (from the profile).
public struct OperationSettings: Sendable {
    /// Typing the resource name is required before a change (the profile's `protected: true`).
    public var protected: Bool
    /// Bootstrap servers, for the equivalent Kafka CLI command lines ("BOOTSTRAP" in the demo).
    public var bootstrap: String
    /// Opens the audit log before a mutation; a throw refuses the mutation (nothing is sent).
    public var openChangeLog: @Sendable () throws -> any ChangeLog
    /// Where reset undo files go (directory); nil: beside the audit log.
    public var undoDirectory: String?
    /// A reset that skips more records than this needs an extra confirmation (profile `reset_skip_threshold`).
    public var resetSkipThreshold: Int64
    /// Replay rate limit in records/s (profile `replay_rate`); nil: unlimited.
    public var replayRate: Double?
    /// Probe records per second (profile `probe_rate`); nil: the probe screen's default.
    public var probeRate: Double?
    /// Extra DLQ header names from the profile (`dlq_headers`).
    public var dlqHeaders: DLQHeaderMapping
    /// The options that chose the cluster (`--profile P`, `--config F`, `--bootstrap B`), for printed commands
    /// (a reset's undo) that must reach the same cluster.
    public var connectionArguments: [String]
    /// The connection is read-only (the profile's `read_only`, `--read-only`): every change is refused.
    public var readOnly = false
    /// The profile's name, for refusals.
    public var profileName: String?
    /// Reads the audit log back: changes without an outcome, earlier runs of a replay (nil: not read).
    public var readChangeHistory: (@Sendable () throws -> ChangeHistory)?
    /// Takes a replay's run lock (DLQ, target) and returns its release; throws one line when another process holds it.
    public var lockReplay: (@Sendable (_ dlq: String, _ destination: String?) throws -> @Sendable () -> Void)?
    /// Decodes wire-format keys and values (Avro, Protobuf, JSON Schema) in the record browsers' read jobs;
    /// nil: records are shown as their bytes.
    public var recordDecoder: (any PayloadDecoding)?
    /// The brokers earlier runs saw live (the brokers screen's last known host of a broker down since before
    /// this run); nil: nothing is kept (the demo).
    public var brokerMemory: (any BrokerMemory)?

    public init(protected: Bool = false, bootstrap: String = "BOOTSTRAP",
                openChangeLog: @escaping @Sendable () throws -> any ChangeLog = { throw ClusterError.readOnly("no audit log configured") },
                undoDirectory: String? = nil, resetSkipThreshold: Int64 = 0, replayRate: Double? = nil,
                dlqHeaders: DLQHeaderMapping = DLQHeaderMapping(), connectionArguments: [String] = []) {
        self.protected = protected; self.bootstrap = bootstrap; self.openChangeLog = openChangeLog; self.undoDirectory = undoDirectory
        self.resetSkipThreshold = resetSkipThreshold; self.replayRate = replayRate; self.dlqHeaders = dlqHeaders
        self.connectionArguments = connectionArguments
    }
}

/// What a panel may read: the cluster as last loaded and the console's settings.
public struct PanelContext: Sendable {
    public var snapshot: ClusterSnapshot?
    public var derived: Derived?
    public var policy: TopicPolicy
    public var readOnly: Bool
    public var now: Date
    public var size: Size
    public var timeout: Duration
    public var operations: OperationSettings

    /// The policy's name for the form and the change record (the console is given the policy, not its file).
    public var policyName: String { policy == .default ? "built-in default policy" : "profile policy" }

    /// The rows a panel draws in (`Layout.content`): the same for a panel's paging and its drawing.
    public var content: PanelArea { Layout.content(size) }
}

/// Everything a job may use while it runs (off the main actor).
public struct JobContext: Sendable {
    public var client: any ClusterClient
    public var timeout: Duration
    public var operations: OperationSettings
    /// Sends an event back to the panel that started the job (progress, then the result). A flow's job
    /// sees it typed (`FlowJobContext.send` takes only that flow's events).
    public var send: @Sendable (FlowEvent) async -> Void
    /// The console is exiting (SIGHUP, SIGTERM): a change that runs in steps (a replay) stops at its next
    /// step, finishes the one in flight and writes its outcome; the console waits for it (bounded).
    public var exiting: StopFlag

    public init(client: any ClusterClient, timeout: Duration, operations: OperationSettings, exiting: StopFlag = StopFlag(),
                send: @escaping @Sendable (FlowEvent) async -> Void) {
        self.client = client; self.timeout = timeout; self.operations = operations; self.exiting = exiting; self.send = send
    }

    public var deadline: Deadline { .after(timeout) }

    /// Core's one path for a change (checks, change log, execute, read back, outcome), with this
    /// console's guard and change log.
    public var pipeline: ChangePipeline {
        var p = ChangePipeline(guardrails: ChangeGuard(readOnly: operations.readOnly, protected: operations.protected,
                                                       profile: operations.profileName),
                               openLog: operations.openChangeLog)
        p.history = operations.readChangeHistory
        return p
    }
}

/// What one flow's job sees: the job context, with a sender that takes only that flow's events, so a
/// job cannot send another flow's result (it does not compile). Every other member is the JobContext's.
@dynamicMemberLookup
public struct FlowJobContext<Event: FlowEvents>: Sendable {
    public let base: JobContext

    public subscript<T>(dynamicMember path: KeyPath<JobContext, T>) -> T { base[keyPath: path] }

    /// Sends `event` to the panel that started the job.
    public func send(_ event: Event) async { await base.send(event.flowEvent) }
}

/// A flag set from one place and read by a running job (a stop key, the console exiting).
public final class StopFlag: Sendable {
    private let raised = Locked(false)
    public init() {}
    public func raise() { raised.set(true) }
    public var isRaised: Bool { raised.value }
}

/// Cluster work a panel asks for. Two jobs are equal when they have the same name for the same
/// panel (the closure is not compared).
public struct Job: Sendable, Hashable {
    /// Names the job within its panel ("validate", "create", "replay"); a new job with the name of
    /// a running one cancels the old one.
    public var name: String
    public var panelID: Int = 0
    public var run: @Sendable (JobContext) async -> Void

    /// A job of the flow whose events are `Event`: its body can send only those.
    public init<Event: FlowEvents>(_ name: String, sending: Event.Type = Event.self,
                                   run: @escaping @Sendable (FlowJobContext<Event>) async -> Void) {
        self.name = name
        self.run = { jc in await run(FlowJobContext(base: jc)) }
    }

    public static func == (a: Job, b: Job) -> Bool { a.name == b.name && a.panelID == b.panelID }
    public func hash(into h: inout Hasher) { h.combine(name); h.combine(panelID) }
}

/// What a panel's key or result handling asks the console to do.
public struct PanelOutcome: Sendable {
    public var jobs: [Job] = []
    /// Names of this panel's jobs to cancel.
    public var cancel: [String] = []
    /// Close this panel.
    public var close = false
    /// Open another panel on top of this one.
    public var push: (any Panel)?
    /// The jobs the pushed panel starts with (what its `open` asked for).
    public var pushJobs: [Job] = []
    public var status: StatusMessage?
    /// Reload the cluster snapshot (after a change).
    public var reload = false
    /// Close this panel and open a screen (e.g. the new topic).
    public var open: Screen?
    /// Text for the terminal's clipboard (OSC 52), asked for by a key.
    public var copy: String?

    public init(jobs: [Job] = [], cancel: [String] = [], close: Bool = false, push: (any Panel)? = nil, pushJobs: [Job] = [],
                status: StatusMessage? = nil, reload: Bool = false, open: Screen? = nil, copy: String? = nil) {
        self.jobs = jobs; self.cancel = cancel; self.close = close; self.push = push; self.pushJobs = pushJobs; self.status = status
        self.reload = reload; self.open = open; self.copy = copy
    }

    public static let none = PanelOutcome()
    public static let closed = PanelOutcome(close: true)
    public static func info(_ text: String) -> PanelOutcome { PanelOutcome(status: StatusMessage(text: text, isError: false)) }
    public static func error(_ text: String) -> PanelOutcome { PanelOutcome(status: StatusMessage(text: text, isError: true)) }
}

/// An interactive flow drawn over the content area.
public protocol Panel: Sendable {
    /// Shown on the title line ("Create topic", "Reset offsets › orders-svc").
    var title: String { get }
    /// The footer's key hints: (key, word); a flow's come from its key table.
    func footer(_ ctx: PanelContext) -> [(key: String, help: String)]
    /// The `?` overlay's lines: (keys, what they do); a flow's come from its key table.
    func keyHelp(_ ctx: PanelContext) -> [(keys: String, help: String)]
    /// A text field has the keys: the global keys `?`, `:`, `1`-`5` and q are typed into it (F1 and
    /// Ctrl-C still act).
    func isTyping(_ ctx: PanelContext) -> Bool
    /// The flow's own key handling: every key while the panel is open but the global ones
    /// (`KeyTables.everywhere`, decided in one place by `ConsoleState.handle`), which its table never binds.
    mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome
    /// An event a job of this panel sent back (each flow takes its own case and ignores the others).
    mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome
    /// A fresh snapshot arrived (live checks against the cluster).
    mutating func snapshotChanged(_ ctx: PanelContext)
    /// The panel this one opened (`push`) closed, as it was last: its result, read as a value (the DLQ
    /// browser marks the records a replay wrote).
    mutating func childClosed(_ child: any Panel, _ ctx: PanelContext)
    /// Draws the panel into `area` (rows y..<y+height, full width).
    func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext)
    /// What change this panel is sending to the cluster right now ("a replay is running"); nil when
    /// none. Ctrl-C then asks to be pressed again instead of quitting in the middle of it.
    var changeInFlight: String? { get }
}

extension Panel {
    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome { .none }
    public mutating func snapshotChanged(_ ctx: PanelContext) {}
    public mutating func childClosed(_ child: any Panel, _ ctx: PanelContext) {}
    public var changeInFlight: String? { nil }
    public func isTyping(_ ctx: PanelContext) -> Bool { false }
}

/// A panel whose keys are a table (`FlowKeys`): its footer and `?` help are read from the table, and
/// its `update` dispatches through it.
public protocol FlowPanel: Panel {
    associatedtype Action: Sendable
    /// The key table for where the flow is now (its step, the connection).
    func keys(_ ctx: PanelContext) -> FlowKeys<Action>
}

extension FlowPanel {
    public func footer(_ ctx: PanelContext) -> [(key: String, help: String)] { keys(ctx).footer }
    public func keyHelp(_ ctx: PanelContext) -> [(keys: String, help: String)] { keys(ctx).help }
}

/// The rows a panel draws into.
public struct PanelArea: Sendable, Hashable {
    public var y: Int
    public var height: Int
    public var width: Int
}

/// An open panel and its id (job results are routed by id; a closed panel's results are dropped).
public struct PanelEntry: Sendable {
    public var id: Int
    public var panel: any Panel
}

/// The panels the console's keys open; each flow's file provides its `make`.
public enum PanelKind: Sendable, Hashable {
    case createTopic
    case resetOffsets(group: String)
    case dlq(topic: String?)
    /// Any topic's records (`:records TOPIC`).
    case records(topic: String)
    /// The probe screen on a topic (nil: kafkaops-probe).
    case probe(topic: String?)
    /// The record at a group's committed offset on a partition (nil: the selected row of the group's partitions).
    case committedRecord(group: String, partition: TopicPartition?)
}
