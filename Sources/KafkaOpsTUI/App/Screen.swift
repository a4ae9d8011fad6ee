import Foundation
import KafkaOpsCore

/// The console's screens.
public enum Screen: Hashable, Sendable {
    case overview, brokers, topics, groups
    case topicDetail(String)
    case groupDetail(String)
    /// The durability audit of every topic against the policy.
    case audit
    /// What happens to every partition if these brokers go down (some may be down already).
    case whatIf([Int32])
    /// The cluster's ACLs (DescribeAcls), read-only.
    case acls
    /// Every config of a topic with its source (DescribeConfigs); one can be edited.
    case topicConfigs(String)
    /// Every config of a broker with its source, read-only.
    case brokerConfigs(Int32)
    case help

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .brokers: return "Brokers"
        case .topics: return "Topics"
        case .groups: return "Groups"
        case .topicDetail(let t): return "Topic " + Fmt.safe(t)
        case .groupDetail(let g): return "Group " + Fmt.safe(g)
        case .audit: return "Audit"
        case .whatIf(let ids):
            return ids.count == 1 ? "What if broker \(ids[0]) goes down" : "What if brokers \(Fmt.ids(ids)) go down"
        case .acls: return "ACLs"
        case .topicConfigs: return "Configs"
        case .brokerConfigs(let id): return "Broker \(id) configs"
        case .help: return "Help"
        }
    }

    var isRoot: Bool {
        switch self {
        case .overview, .brokers, .topics, .groups, .audit, .acls: return true
        default: return false
        }
    }
}

/// One screen on the navigation stack: its tables (panes) and which one has the focus.
public struct ScreenState: Sendable {
    public var screen: Screen
    public var panes: [Table]
    public var pane: Int = 0

    public var table: Table? { panes.indices.contains(pane) ? panes[pane] : nil }
}
