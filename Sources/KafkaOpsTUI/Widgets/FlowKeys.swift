/// One key binding of a flow (lazygit's Binding): the keys, the flow's own action, the help label
/// (the `?` overlay), the short label (the footer; nil: not in the footer) and whether the action
/// changes the cluster. A binding without keys is a note: the footer shows it (what the flow waits
/// for, what to type), no key runs it.
public struct FlowBinding<Action: Sendable>: Sendable {
    public var keys: [Key]
    public var action: Action?
    public var help: String
    public var short: String?
    /// How the footer and help show the keys ("Enter/y"); by default their labels joined with "/".
    public var keyLabel: String
    /// Changes the cluster: not registered on a read-only connection (k9s' bindDangerousKeys).
    public var destructive: Bool
    /// Listed by the `?` overlay (a footer-only summary such as "↑↓ scroll" is not).
    public var inHelp = true

    public init(_ keys: [Key], _ action: Action, _ help: String, short: String? = nil, label: String? = nil,
                destructive: Bool = false) {
        self.keys = keys; self.action = action; self.help = help; self.short = short
        self.keyLabel = label ?? keys.map(\.label).joined(separator: "/"); self.destructive = destructive
    }

    /// A footer note: `label` is shown as the key, `short` beside it; with `help`, the `?` overlay lists
    /// it too (without: it only sums up bindings the overlay lists one by one, "↑↓ scroll").
    public static func note(_ label: String, _ short: String, help: String? = nil) -> FlowBinding {
        FlowBinding(label: label, short: short, help: help)
    }

    private init(label: String, short: String, help: String?) {
        keys = []; action = nil; self.help = help ?? short; self.short = short; keyLabel = label; destructive = false
        inHelp = help != nil
    }
}

/// A flow's key table for where it is now: footer, `?` help and dispatch all read it. On a read-only
/// connection the destructive bindings are withheld: no key runs them and neither the footer nor the
/// help lists them; their keys answer that the connection is read-only.
public struct FlowKeys<Action: Sendable>: Sendable {
    /// The bindings registered (in footer and help order).
    public let bindings: [FlowBinding<Action>]
    /// The destructive bindings withheld on a read-only connection.
    public let withheld: [FlowBinding<Action>]

    public init(_ all: [FlowBinding<Action>], readOnly: Bool) {
        bindings = readOnly ? all.filter { !$0.destructive } : all
        withheld = readOnly ? all.filter(\.destructive) : []
    }

    /// What a key finds in the table.
    public enum Lookup {
        case action(Action)
        /// A destructive binding's key on a read-only connection.
        case readOnly(FlowBinding<Action>)
        case unbound
    }

    public func lookup(_ key: Key) -> Lookup {
        if let b = bindings.first(where: { $0.keys.contains(key) }), let a = b.action { return .action(a) }
        if let b = withheld.first(where: { $0.keys.contains(key) }) { return .readOnly(b) }
        return .unbound
    }

    /// The footer's hints: (key label, short label).
    public var footer: [(key: String, help: String)] {
        bindings.compactMap { b in b.short.map { (b.keyLabel, $0) } }
    }

    /// The `?` overlay's lines: (key label, help label).
    public var help: [(keys: String, help: String)] {
        bindings.filter(\.inHelp).map { ($0.keyLabel, $0.help) }
    }

    /// The status line's answer to a withheld key.
    public static func readOnlyRefusal(_ b: FlowBinding<Action>) -> String {
        "read-only connection: \(b.help) is not available"
    }
}
