import Foundation
import KafkaOpsCore

/// What a screen that is not built from the snapshot read from the cluster for itself: the ACLs
/// (DescribeAcls), one topic's or one broker's configs (DescribeConfigs, every config with its source).
public enum ScreenData: Sendable {
    case loading
    case acls([AclBinding])
    case configs([ConfigEntry])
    /// The read failed; `previous` is what the screen showed before (kept, marked stale).
    indirect case failed(ClusterError, previous: ScreenData?)

    /// The last rows read, if any (a failed reload keeps showing them).
    var acls: [AclBinding]? {
        switch self {
        case .acls(let a): return a
        case .failed(_, let p): return p?.acls
        default: return nil
        }
    }

    var configs: [ConfigEntry]? {
        switch self {
        case .configs(let c): return c
        case .failed(_, let p): return p?.configs
        default: return nil
        }
    }

    var error: ClusterError? {
        if case .failed(let e, _) = self { return e }
        return nil
    }
}

extension Screen {
    /// The screen reads its rows itself (a job off the main actor), on opening and on every refresh.
    var loadsOwnData: Bool {
        switch self {
        case .acls, .topicConfigs, .brokerConfigs: return true
        default: return false
        }
    }
}

/// The reads behind those screens, run by the program off the main actor (`Effect.loadScreen`).
public enum ScreenLoads {
    public static func load(_ screen: Screen, client: any ClusterClient, deadline: Deadline) async -> Result<ScreenData, ClusterError> {
        do {
            switch screen {
            case .acls:
                return .success(.acls(try await client.describeAcls(.all(), deadline: deadline)))
            case .topicConfigs(let topic):
                let configs = try await client.topicConfigs([topic], deadline: deadline)
                guard let entries = configs[topic] else {
                    return .failure(ClusterError(.unknownTopic, "the configs of topic '\(topic)' could not be described",
                                                 hint: "the topic may have been deleted, or this principal may not describe its configs"))
                }
                return .success(.configs(entries))
            case .brokerConfigs(let id):
                return .success(.configs(try await client.brokerConfigs(id, deadline: deadline)))
            default:
                return .success(.loading)
            }
        } catch let e as ClusterError {
            return .failure(e)
        } catch {
            return .failure(ClusterError(.broker, String(describing: error)))
        }
    }
}

extension ConsoleState {
    /// The read of the current screen's own rows, when it has some (marked loading until they come).
    mutating func loadScreenData() -> [Effect] {
        let screen = current.screen
        guard screen.loadsOwnData else { return [] }
        if loaded[screen] == nil {
            loaded[screen] = .loading
            refreshTables(&stack[stack.count - 1])
        }
        return [.loadScreen(screen, connection: connection)]
    }

    /// A screen's rows arrived (or the read failed): every open copy of the screen is rebuilt.
    mutating func screenLoaded(_ screen: Screen, _ result: Result<ScreenData, ClusterError>) {
        switch result {
        case .success(let data): loaded[screen] = data
        case .failure(let e):
            let previous = loaded[screen].flatMap { d -> ScreenData? in
                if case .loading = d { return nil }
                if case .failed(_, let p) = d { return p }
                return d
            }
            loaded[screen] = .failed(e, previous: previous)
        }
        for i in stack.indices where stack[i].screen == screen { refreshTables(&stack[i]) }
        if var s = saved[screen] { refreshTables(&s); saved[screen] = s }
        let rows = viewportRows
        modifyTable { $0.scrollIntoView(rows) }
    }
}
