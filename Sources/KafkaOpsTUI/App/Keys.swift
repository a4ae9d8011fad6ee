import Foundation

/// A key as the terminal layer reports it.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, lowercase ("c" for Ctrl-C).
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)

    /// How help and the footer show the key.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .function(let n): return "F\(n)"
        }
    }
}

/// What a key does. Dispatch, the footer and `?` help all read the binding tables below.
public enum Action: Hashable, Sendable {
    case quit, help, refresh
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case open, back
    case filter, command
    case sortNext, sortReverse
    case toggleUnhealthy, toggleInternal
    case nextPane, previousPane
    case show(Screen)
    /// Opens a flow (form, wizard, DLQ browser); an empty group or nil topic means "the selected one".
    case openPanel(PanelKind)
    /// What if the selected broker goes down.
    case whatIf
    /// On the what-if screen: one more broker goes down too (`:whatif` prefilled with the brokers shown).
    case whatIfAlso
    /// A durability fix or leader election (previewed and confirmed in a panel).
    case fix(FixKind)
    /// Every config of the topic shown or the broker selected, with its source.
    case showConfigs
    /// Edit the selected config of the topic (previewed and confirmed in the change panel).
    case editConfig
}

/// The changes the console can apply to topics.
public enum FixKind: Hashable, Sendable {
    /// Raise min.insync.replicas to the policy's minimum (below RF).
    case raiseMinISR
    /// unclean.leader.election.enable=false.
    case uncleanOff
    /// Preferred leader election for the topic shown, or for every topic.
    case electLeaders(allTopics: Bool)
    /// Show the kafka-reassign-partitions.sh plan that raises the replication factor (executes nothing).
    case reassignPlan
    /// The fix of the selected audit finding.
    case selectedFinding
    /// More partitions for the topic shown (the count typed, then previewed).
    case addPartitions
    /// Delete the topic shown (its size and the groups that commit to it previewed).
    case deleteTopic
    /// Delete the group shown (only an inactive one, as for a reset).
    case deleteGroup
}

/// One entry of a key table (lazygit's Binding, k9s's KeyAction): `?` help shows `help`, the footer
/// shows `short`.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    /// The footer's word for it (lazygit's ShortDescription); `help` when nil.
    public var short: String?
    /// Shown in the footer of the screen.
    public var footer: Bool
    /// Changes the cluster; such bindings are not registered on a read-only connection.
    public var destructive: Bool
    /// Why the action cannot run now (shown on the status line instead of running it); nil when it can.
    public var disabledReason: (@Sendable (ConsoleState) -> String?)?

    public init(_ keys: [Key], _ action: Action, _ help: String, short: String? = nil, footer: Bool = false,
                destructive: Bool = false, disabledReason: (@Sendable (ConsoleState) -> String?)? = nil) {
        self.keys = keys; self.action = action; self.help = help; self.short = short; self.footer = footer
        self.destructive = destructive; self.disabledReason = disabledReason
    }

    /// The footer's label.
    public var shortLabel: String { short ?? help }

    /// "j/↓"-style label of the keys.
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// The key tables: one per screen plus the keys every screen shares.
public enum KeyTables {
    static let openable: @Sendable (ConsoleState) -> String? = { s in
        guard let row = s.current.table?.selectedRow else { return "nothing selected" }
        return row.target == nil ? "no detail view for this row" : nil
    }
    static let sortable: @Sendable (ConsoleState) -> String? = { s in
        s.current.table == nil ? "nothing to sort here" : nil
    }
    static let notLoading: @Sendable (ConsoleState) -> String? = { s in
        s.loading ? "already loading" : nil
    }
    static let openableBroker: @Sendable (ConsoleState) -> String? = { s in
        s.current.table?.selectedRow.flatMap { Int32($0.id) } == nil ? "select a broker first" : nil
    }
    static let openableConfig: @Sendable (ConsoleState) -> String? = { s in
        guard let name = s.current.table?.selectedRow?.id else { return "select a config first" }
        return s.loaded[s.current.screen]?.configs?.first { $0.name == name }?.isReadOnly == true
            ? "\(Fmt.safe(name)) is read-only on the broker" : nil
    }

    /// Keys that work on every screen.
    public static let global: [KeyBinding] = [
        KeyBinding([.char("q"), .ctrl("c")], .quit, "quit", short: "quit", footer: true),
        KeyBinding([.char("?"), .function(1)], .help, "help: every key of this screen", short: "help", footer: true),
        KeyBinding([.char("/")], .filter, "filter the table (case-insensitive)", short: "filter", footer: true),
        KeyBinding([.char(":")], .command, "command line: Tab completes (the commands are listed at the end of this help)", short: "cmd", footer: true),
        KeyBinding([.char("r"), .ctrl("r")], .refresh, "refresh now", short: "refresh", footer: true, disabledReason: notLoading),
        KeyBinding([.escape], .back, "back (or clear the filter)"),
        KeyBinding([.up, .char("k")], .moveUp, "move up"),
        KeyBinding([.down, .char("j")], .moveDown, "move down"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page up"),
        KeyBinding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, "page down"),
        KeyBinding([.char("g"), .home], .top, "first row"),
        KeyBinding([.char("G"), .end], .bottom, "last row"),
        KeyBinding([.char("1")], .show(.overview), "cluster overview"),
        KeyBinding([.char("2")], .show(.topics), "topics"),
        KeyBinding([.char("3")], .show(.groups), "consumer groups"),
        KeyBinding([.char("4")], .show(.brokers), "brokers"),
        KeyBinding([.char("5")], .show(.audit), "durability audit"),
        KeyBinding([.char("6")], .show(.acls), "ACLs (read-only)"),
    ]

    /// The keys that mean the same on every screen and in every panel: quit, help, the command line and
    /// the five root screens. The one rule of "global key or panel key" (`ConsoleState.handle`): these win
    /// over a panel's own table unless a text field has the keys (then only F1 and Ctrl-C, which type
    /// nothing, still do), so no panel's key table binds them (KeyRoutingTests checks every panel).
    public static let everywhere: [KeyBinding] = global.filter { b in
        switch b.action {
        case .quit, .help, .command, .show: return true
        default: return false
        }
    }

    /// The global binding `key` triggers in a panel, or nil when the key is the panel's: with a text field
    /// focused only the keys that type nothing (F1, Ctrl-C).
    public static func everywhereBinding(for key: Key, typing: Bool) -> KeyBinding? {
        guard let b = everywhere.first(where: { $0.keys.contains(key) }) else { return nil }
        if typing, case .char = key { return nil }
        return b
    }

    /// The global keys as `?` lines of a panel ("1-6" for the screens).
    public static var everywhereHelp: [(keys: String, help: String)] {
        let screens = everywhere.filter { if case .show = $0.action { return true }; return false }
        let others = everywhere.filter { if case .show = $0.action { return false }; return true }
        return others.map { b in
            (b.keyLabel, b.action == .help ? "this help" : b.action == .command ? "command line (Tab completes; leaves the panel)"
                : b.action == .quit ? "quit" : b.help)
        } + [(screens.map(\.keyLabel).joined(separator: ","), "screens: overview, topics, groups, brokers, audit, ACLs")]
    }

    static let sortKeys: [KeyBinding] = [
        KeyBinding([.char("s")], .sortNext, "sort by the next column", short: "sort", footer: true, disabledReason: sortable),
        KeyBinding([.char("S")], .sortReverse, "reverse the sort order", disabledReason: sortable),
    ]

    static let back = KeyBinding([.escape], .back, "back (or clear the filter)", short: "back", footer: true)

    static let paneKeys: [KeyBinding] = [
        KeyBinding([.tab, .right, .char("l")], .nextPane, "next pane", short: "pane", footer: true),
        KeyBinding([.backTab, .left, .char("h")], .previousPane, "previous pane"),
    ]

    /// The bindings of one screen, screen-specific first. Destructive bindings (create, fix, elect, reset)
    /// are left out on a read-only connection (k9s' bindDangerousKeys): dispatch, the footer and help
    /// all read this list, so such a key is not there at all.
    public static func bindings(for screen: Screen, readOnly: Bool) -> [KeyBinding] {
        let own: [KeyBinding]
        switch screen {
        case .overview:
            own = [KeyBinding([.enter], .open, "open the worst-now topic or group, or the brokers list", short: "open", footer: true)] + sortKeys
        case .brokers:
            own = [KeyBinding([.char("w"), .enter], .whatIf, "what if the selected broker goes down", short: "what if down", footer: true),
                   KeyBinding([.char("c")], .showConfigs, "the selected broker's configs with their source (read-only)",
                              short: "configs", footer: true, disabledReason: openableBroker)] + sortKeys
        case .audit:
            own = [KeyBinding([.enter], .open, "open the finding's topic or group", short: "open", footer: true, disabledReason: openable),
                   KeyBinding([.char("f")], .fix(.selectedFinding), "fix the selected finding (previewed, confirmed)",
                              short: "fix", footer: true, destructive: true)] + sortKeys
        case .whatIf:
            own = paneKeys + [KeyBinding([.enter], .open, "open the topic", short: "open", footer: true, disabledReason: openable), back,
                              KeyBinding([.char("i")], .toggleInternal, "internal topics and under-replicated-only rows (toggle)",
                                         short: "all rows", footer: true),
                              KeyBinding([.char("+")], .whatIfAlso, "what if another broker goes down too", short: "add a failure",
                                         footer: true)] + sortKeys
        case .topics:
            own = [KeyBinding([.enter], .open, "open the topic", short: "open", footer: true, disabledReason: openable)] + sortKeys + [
                KeyBinding([.char("u")], .toggleUnhealthy, "only unhealthy topics (toggle)", short: "unhealthy", footer: true),
                KeyBinding([.char("i")], .toggleInternal, "show internal topics (toggle)"),
                KeyBinding([.char("c")], .openPanel(.createTopic), "create a topic (guided, checked against the policy)",
                           short: "create", footer: true, destructive: true),
                KeyBinding([.char("d")], .openPanel(.dlq(topic: nil)), "browse the selected topic as a dead-letter queue", short: "dlq",
                           disabledReason: openable),
                KeyBinding([.char("E")], .fix(.electLeaders(allTopics: true)), "preferred leader election for every topic",
                           destructive: true),
            ]
        case .topicDetail:
            own = paneKeys + [KeyBinding([.enter], .open, "open the selected group", short: "open", footer: true, disabledReason: openable),
                              back] + sortKeys + [
                KeyBinding([.char("d")], .openPanel(.dlq(topic: nil)), "browse this topic as a dead-letter queue", short: "dlq", footer: true),
                // `r` is refresh on every screen: the records are on R (and `:records TOPIC`).
                KeyBinding([.char("R")], .openPanel(.records(topic: "")), "browse this topic's records (decoded when they carry a schema)"),
                KeyBinding([.char("m")], .fix(.raiseMinISR), "raise min.insync.replicas to the policy's minimum", destructive: true),
                KeyBinding([.char("U")], .fix(.uncleanOff), "turn unclean leader election off", destructive: true),
                KeyBinding([.char("E")], .fix(.electLeaders(allTopics: false)), "preferred leader election for this topic",
                           destructive: true),
                KeyBinding([.char("P")], .fix(.reassignPlan), "reassignment plan that raises the replication factor"),
                KeyBinding([.char("A")], .fix(.addPartitions), "add partitions to this topic (previewed, confirmed)", destructive: true),
                KeyBinding([.char("D")], .fix(.deleteTopic), "delete this topic (its size and the groups that commit to it previewed)",
                           destructive: true),
                KeyBinding([.char("c")], .showConfigs, "every config of this topic with its source (edit one there)"),
            ]
        case .topicConfigs:
            own = [back] + sortKeys + [
                KeyBinding([.char("e"), .enter], .editConfig, "set the selected config on the topic (previewed, confirmed)",
                           short: "edit", footer: true, destructive: true, disabledReason: openableConfig),
            ]
        case .brokerConfigs, .acls:
            own = [back] + sortKeys
        case .groups:
            own = [KeyBinding([.enter], .open, "open the group", short: "open", footer: true, disabledReason: openable)] + sortKeys + [
                KeyBinding([.char("R")], .openPanel(.resetOffsets(group: "")), "reset the selected group's offsets (wizard)",
                           short: "reset", footer: true, destructive: true, disabledReason: openable),
            ]
        case .groupDetail:
            own = paneKeys + [KeyBinding([.enter], .open, "open the selected topic", short: "open", footer: true, disabledReason: openable),
                              back] + sortKeys + [
                KeyBinding([.char("R")], .openPanel(.resetOffsets(group: "")), "reset this group's offsets (wizard)",
                           short: "reset", footer: true, destructive: true),
                KeyBinding([.char("c")], .openPanel(.committedRecord(group: "", partition: nil)),
                           "the record at the selected partition's committed offset (the one the group reads next; s there skips it)",
                           short: "record", footer: true, disabledReason: openable),
                KeyBinding([.char("D")], .fix(.deleteGroup), "delete this group (only when inactive, as for a reset)", destructive: true),
            ]
        case .help:
            own = [KeyBinding([.escape], .back, "close help", short: "back", footer: true)]
        }
        // A screen's own binding of a key replaces the global one.
        let taken = Set(own.flatMap(\.keys))
        let shared = global.filter { b in !b.keys.contains { taken.contains($0) } }
        return (own + shared).filter { !(readOnly && $0.destructive) }
    }

    /// The binding a key triggers on a screen: the screen's own table first, then the global one.
    public static func binding(for key: Key, on screen: Screen, readOnly: Bool) -> KeyBinding? {
        bindings(for: screen, readOnly: readOnly).first { $0.keys.contains(key) }
    }
}
