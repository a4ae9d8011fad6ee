import Foundation
import KafkaOpsCore

/// The `/` filter and the `:` command line share one prompt.
public struct Prompt: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case filter, command }
    public var kind: Kind
    public var text: String = ""
    /// The filter before the prompt opened (Esc restores it).
    public var savedFilter: String = ""
    /// Completion candidates of the last Tab.
    public var candidates: [String] = []
}

public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var isError: Bool
}

/// The whole state of the console. Changed only by `update`.
public struct ConsoleState: Sendable {
    public var profileName: String
    public var isDemo: Bool
    public var readOnly: Bool
    public var refreshInterval: Duration
    public var timeout: Duration
    public var policy: TopicPolicy = .default
    public var operations = OperationSettings()
    /// The profiles `:ctx` can switch to.
    public var contextNames: [String] = []

    public var size: Size
    public var now: Date
    public var snapshot: ClusterSnapshot?
    /// False while only the metadata is in.
    public var snapshotComplete = false
    public var derived: Derived?
    /// Every broker seen live in this session and when each left: a broker that left stays a DOWN row.
    public var roster = BrokerRoster()
    /// Lag over time: the window of samples fed by every refresh and the trend rows built from it.
    public var lag: LagTrends
    public var stack: [ScreenState]
    /// The rows the screens that read their own data (ACLs, configs) last read, by screen.
    public var loaded: [Screen: ScreenData] = [:]
    /// Counts the connections (`:ctx`): a screen's rows read from an earlier one are dropped.
    public var connection = 0
    /// Root screens left with their view state (sort, filter, selection), for coming back.
    public var saved: [Screen: ScreenState] = [:]
    public var prompt: Prompt?
    public var status: StatusMessage?
    public var lastError: ClusterError?
    public var loading = false
    public var loadStartedAt: Date?
    public var loadID = 0
    public var refreshID = 0
    public var spinner = 0
    public var quitting = false
    /// Open panels (forms, wizards, the DLQ browser), topmost last; they sit over `stack`.
    public var panels: [PanelEntry] = []
    /// Ctrl-C was pressed once while a change was in flight.
    var quitArmed = false
    /// SIGHUP or SIGTERM arrived: the console exits once no change is in flight (or the wait is over).
    public internal(set) var exitSignal: Int32?
    var nextPanelID = 1

    public init(options: ConsoleOptions, size: Size = Size(width: 80, height: 24), now: Date = Date()) {
        self.init(profileName: options.profileName, isDemo: options.isDemo, readOnly: options.readOnly,
                  refreshInterval: options.refreshInterval, timeout: options.timeout, size: size, now: now)
        policy = options.policy
        operations = options.operations
        contextNames = options.contexts?.names ?? []
    }

    public init(profileName: String, isDemo: Bool = false, readOnly: Bool = false, refreshInterval: Duration = .seconds(10),
                timeout: Duration = .seconds(10), size: Size = Size(width: 80, height: 24), now: Date = Date()) {
        self.profileName = profileName; self.isDemo = isDemo; self.readOnly = readOnly
        self.refreshInterval = refreshInterval; self.timeout = timeout; self.size = size; self.now = now
        lag = LagTrends(interval: refreshInterval)
        stack = []
        stack = [makeScreen(.overview)]
    }

    public var current: ScreenState { stack[stack.count - 1] }

    public var isTooSmall: Bool { size.width < Size.minimum.width || size.height < Size.minimum.height }

    /// Data rows that fit in the current table.
    public var viewportRows: Int {
        max(1, tableArea.height - 1)
    }

    /// Lines under the table that explain the selected row (the durability finding's fix and reason).
    var explainLines: Int {
        guard let t = current.table, t.kind == .findings, !t.rows.isEmpty else { return 0 }
        return max(Layout.findingRows, explainText.count)
    }

    /// The selected finding in full, wrapped (never cut) under the table: (label on its first line, text),
    /// at most half the content's rows.
    var explainText: [(label: String, text: String)] {
        guard let t = current.table, t.kind == .findings, let f = t.selectedRow?.finding else { return [] }
        var out: [(label: String, text: String)] = []
        for (label, text) in [("now", f.now), ("expected", f.expected), ("fix", f.fix), ("why", f.why)] {
            for (i, line) in TextWrap.words(text, width: max(20, size.width - 11)).enumerated() {
                out.append((i == 0 ? label : "", line))
            }
        }
        return Array(out.prefix(max(Layout.findingRows, Layout.content(size).height / 2)))
    }

    /// Where the current table goes.
    public var tableArea: (y: Int, height: Int) {
        let a = Layout.tableArea(current.screen, size: size, problems: snapshot?.problems.count ?? 0,
                                 warnings: current.screen == .overview ? overviewWarnings.count : 0)
        return (a.y, max(2, a.height - explainLines))
    }

    /// The overview's cluster-wide warnings, wrapped to the width (never cut): drawn under its summary.
    var overviewWarnings: [String] {
        guard let snap = snapshot, let d = derived else { return [] }
        let live = snap.metadata.liveBrokerCount
        var text: [String] = []
        if live < d.maxReplicationFactor {
            text.append("! fewer live brokers (\(live)) than the largest replication factor (\(d.maxReplicationFactor)): "
                        + "those partitions stay under-replicated and one more failure can stop acks=all writes")
        }
        return text.flatMap { TextWrap.words($0, width: max(20, size.width - 2)) }
    }

    /// Groups whose lag matters (`LaggingRule`): the overview's "lagging N".
    var groupsLagging: Int { lag.rows.values.reduce(0) { $0 + ($1.isLagging() ? 1 : 0) } }
}
