import Foundation
import KafkaOpsCore

/// What a `:` command's argument names: Tab completes it from the snapshot.
public enum CommandArgumentKind: Sendable, Hashable {
    case topic, group, broker, profile
}

/// The argument a `:` command accepts.
public struct CommandArgument: Sendable {
    public var kind: CommandArgumentKind
    /// How help shows the command with its argument ("topic NAME").
    public var usage: String
    /// Help for the command with its argument.
    public var help: String
}

/// One `:` command: the parser, Tab completion, the help screen and the "unknown command" message
/// all read `ConsoleCommands.all`.
public struct ConsoleCommand: Sendable {
    public var name: String
    public var aliases: [String]
    /// Help for the command without an argument; nil when help lists only its argument form.
    public var help: String?
    public var argument: CommandArgument?
    /// Runs the command with its argument (nil when none was given).
    let run: @Sendable (inout ConsoleState, String?) -> [Effect]

    /// The name, then the aliases: every spelling the parser accepts.
    public var spellings: [String] { [name] + aliases }
}

public enum ConsoleCommands {
    public static let all: [ConsoleCommand] = [
        ConsoleCommand(name: "overview", aliases: ["o", "cluster"], help: "cluster overview", argument: nil) { s, _ in
            s.perform(.show(.overview))
        },
        ConsoleCommand(name: "topics", aliases: ["topic", "t"], help: "topics",
                       argument: CommandArgument(kind: .topic, usage: "topic NAME", help: "open a topic")) { s, arg in
            guard let arg else { return s.perform(.show(.topics)) }
            guard s.requireTopic(arg) else { return [] }
            s.jump(to: .topics, then: .topicDetail(arg))
            return []
        },
        ConsoleCommand(name: "groups", aliases: ["group", "consumers"], help: "consumer groups",
                       argument: CommandArgument(kind: .group, usage: "group NAME", help: "open a consumer group")) { s, arg in
            guard let arg else { return s.perform(.show(.groups)) }
            guard s.requireGroup(arg) else { return [] }
            s.jump(to: .groups, then: .groupDetail(arg))
            return []
        },
        ConsoleCommand(name: "brokers", aliases: ["broker", "b"], help: "brokers", argument: nil) { s, _ in
            s.perform(.show(.brokers))
        },
        ConsoleCommand(name: "audit", aliases: ["findings"], help: "durability audit of every topic", argument: nil) { s, _ in
            s.perform(.show(.audit))
        },
        ConsoleCommand(name: "create", aliases: ["new"], help: "create a topic", argument: nil) { s, _ in
            s.openPanel(.createTopic)
        },
        ConsoleCommand(name: "dlq", aliases: [], help: "browse a dead-letter queue",
                       argument: CommandArgument(kind: .topic, usage: "dlq TOPIC", help: "browse a topic as a dead-letter queue")) { s, arg in
            if let arg, !s.requireTopic(arg) { return [] }
            return s.openPanel(.dlq(topic: arg))
        },
        ConsoleCommand(name: "records", aliases: [], help: "browse a topic's records, decoded when they carry a schema",
                       argument: CommandArgument(kind: .topic, usage: "records TOPIC", help: "the topic whose records to show")) { s, arg in
            guard let arg else { s.status = StatusMessage(text: "give a topic: :records TOPIC", isError: true); return [] }
            guard s.requireTopic(arg) else { return [] }
            return s.openPanel(.records(topic: arg))
        },
        ConsoleCommand(name: "probe", aliases: [], help: "prove the write path: acks=all writes read back, per broker",
                       argument: CommandArgument(kind: .topic, usage: "probe TOPIC", help: "probe another topic (e.g. an unsafe one)")) { s, arg in
            if let arg, !s.requireTopic(arg) { return [] }
            return s.openPanel(.probe(topic: arg))
        },
        // Without an argument: the broker selected on the brokers screen.
        ConsoleCommand(name: "whatif", aliases: ["what-if"], help: nil,
                       argument: CommandArgument(kind: .broker, usage: "whatif BROKER",
                                                 help: "what if a broker goes down (3,2: and then 2 also)")) { s, arg in
            guard let arg else {
                if case .brokers = s.current.screen { return s.perform(.whatIf) }
                s.status = StatusMessage(text: "usage: :whatif BROKER-ID[,BROKER-ID…]", isError: true); return []
            }
            // An id the cluster does not know is an error on the status line; the screen does not open.
            let parsed = WhatIf.parseBrokerIDs(arg).flatMap { ids in
                s.snapshot.flatMap { WhatIf.unknownBroker(ids, metadata: $0.metadata) }.map { .failure($0) } ?? .success(ids)
            }
            switch parsed {
            case .failure(let e): s.status = StatusMessage(text: Fmt.safe(e.description), isError: true)
            case .success(let ids):
                // A what-if from a what-if (`+`: a second failure) replaces it: Esc goes back to where it started.
                if case .whatIf = s.current.screen, s.stack.count > 1 { s.stack.removeLast() }
                s.open(.whatIf(ids))
            }
            return []
        },
        // Without an argument: the group selected or shown.
        ConsoleCommand(name: "reset", aliases: [], help: nil,
                       argument: CommandArgument(kind: .group, usage: "reset GROUP", help: "reset a group's offsets (wizard)")) { s, arg in
            guard let arg else { return s.openPanel(s.resolve(.resetOffsets(group: ""))) }
            guard s.requireGroup(arg) else { return [] }
            return s.openPanel(.resetOffsets(group: arg))
        },
        ConsoleCommand(name: "ctx", aliases: ["context", "profile"], help: "list the config file's profiles (contexts)",
                       argument: CommandArgument(kind: .profile, usage: "ctx PROFILE", help: "switch to another profile's cluster")) { s, arg in
            s.switchContext(arg)
        },
        ConsoleCommand(name: "acls", aliases: ["acl"], help: "ACLs (read-only; also key 6)", argument: nil) { s, _ in
            s.perform(.show(.acls))
        },
        // Without an argument: the topic shown or the broker selected.
        ConsoleCommand(name: "configs", aliases: [], help: "every config of the topic shown (or the broker selected)",
                       argument: CommandArgument(kind: .topic, usage: "configs TOPIC", help: "every config of a topic with its source")) { s, arg in
            guard let arg else { return s.perform(.showConfigs) }
            guard s.requireTopic(arg) else { return [] }
            s.jump(to: .topics, then: .topicDetail(arg))
            return s.perform(.showConfigs)
        },
        ConsoleCommand(name: "help", aliases: ["?"], help: "help", argument: nil) { s, _ in s.perform(.help) },
        ConsoleCommand(name: "quit", aliases: ["q", "q!", "exit"], help: "quit", argument: nil) { s, _ in s.perform(.quit) },
    ]

    /// The command a typed word names: a name or alias exactly, else the one name it is a prefix of.
    public static func find(_ word: String) -> ConsoleCommand? {
        let w = word.lowercased()
        if let exact = all.first(where: { $0.spellings.contains(w) }) { return exact }
        let byPrefix = all.filter { $0.name.hasPrefix(w) }
        return byPrefix.count == 1 ? byPrefix[0] : nil
    }

    /// What Tab offers for a partly typed command word: the names it starts, else the aliases it starts.
    public static func completions(_ prefix: String) -> [String] {
        let p = prefix.lowercased()
        let names = all.map(\.name).filter { $0.hasPrefix(p) }
        return names.isEmpty ? all.flatMap(\.aliases).filter { $0.hasPrefix(p) } : names
    }

    /// The commands, for the "unknown command" message.
    public static var summary: String { all.map { ":" + $0.name }.joined(separator: " ") }
}

extension ConsoleState {
    /// True when the snapshot has topic `name`; otherwise says so on the status line.
    mutating func requireTopic(_ name: String) -> Bool {
        if snapshot?.topic(name) != nil { return true }
        status = StatusMessage(text: "no topic named '\(Fmt.safe(name))'", isError: true)
        return false
    }

    /// True when the snapshot has group `id`; otherwise says so on the status line.
    mutating func requireGroup(_ id: String) -> Bool {
        if derived?.lagByGroup[id] != nil || snapshot?.groups.contains(where: { $0.id == id }) == true { return true }
        status = StatusMessage(text: "no group named '\(Fmt.safe(id))'", isError: true)
        return false
    }
}
