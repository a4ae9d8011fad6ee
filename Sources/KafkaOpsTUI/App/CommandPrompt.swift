import Foundation
import KafkaOpsCore

/// The `/` filter and `:` command prompt: editing, Tab completion, running a command.
extension ConsoleState {
    mutating func handlePrompt(_ key: Key) -> [Effect] {
        guard var p = prompt else { return [] }
        switch key {
        case .escape:
            if p.kind == .filter { modifyTable { $0.setFilter(p.savedFilter) } }
            prompt = nil
            return []
        case .enter:
            prompt = nil
            if p.kind == .command { return run(command: p.text) }
            return []
        case .backspace, .ctrl("h"):
            if p.text.isEmpty { prompt = nil; return [] }
            p.text.removeLast()
        case .ctrl("u"):
            p.text = ""
        case .tab:
            if p.kind == .command { complete(&p) }
        case .char(let c):
            p.text.append(c)
        default:
            return []
        }
        if p.kind == .filter {
            let text = p.text
            let rows = viewportRows
            modifyTable { $0.setFilter(text); $0.scrollIntoView(rows) }
        } else if key != .tab {
            p.candidates = []
        }
        prompt = p
        return []
    }

    /// Tab's candidates: the command word from `ConsoleCommands`, then the argument its kind names.
    func completions(_ prefix: String) -> [String] {
        let words = prefix.split(separator: " ", omittingEmptySubsequences: false)
        let head = words.first.map(String.init)?.lowercased() ?? ""
        if words.count <= 1 { return ConsoleCommands.completions(head) }
        // `:topic NAME`, `:group NAME`, `:dlq TOPIC`, `:reset GROUP`, `:whatif BROKER` complete the argument.
        let arg = words.dropFirst().joined(separator: " ")
        let names: [String]
        switch ConsoleCommands.find(head)?.argument?.kind {
        case .topic?: names = snapshot?.metadata.topics.map(\.name).sorted() ?? []
        case .group?:
            // Every group the snapshot lists, with or without lag.
            names = Set((derived?.groupLags.map(\.group) ?? []) + (snapshot?.groups.map(\.id) ?? [])).sorted()
        case .broker?: names = snapshot?.metadata.brokers.map { String($0.id) }.sorted() ?? []
        case .profile?: names = contextNames
        case nil: names = []
        }
        return names.filter { $0.hasPrefix(arg) }.map { "\(head) \($0)" }
    }

    mutating func complete(_ p: inout Prompt) {
        let c = completions(p.text)
        guard !c.isEmpty else {
            p.candidates = []
            status = StatusMessage(text: "no completion for '\(Fmt.safe(p.text))'", isError: false)
            return
        }
        if c.count == 1 {
            // A command word that takes an argument gets its space, so the next Tab offers the arguments.
            let takesArgument = !c[0].contains(" ") && ConsoleCommands.find(c[0])?.argument != nil
            p.text = c[0] + (takesArgument ? " " : "")
            p.candidates = []
            return
        }
        var common = c[0]
        for s in c.dropFirst() { common = String(common.commonPrefix(with: s)) }
        if common.count > p.text.count { p.text = common }
        p.candidates = c
    }

    mutating func run(command raw: String) -> [Effect] {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let head = parts.first else { return [] }
        let arg = parts.count > 1 ? parts[1] : nil
        guard let command = ConsoleCommands.find(head) else {
            status = StatusMessage(text: "unknown command ':\(Fmt.safe(text))' (commands: \(ConsoleCommands.summary))",
                                   isError: true)
            return []
        }
        // Typed over a panel, a command leaves the panels first (as `1`-`5` do); quitting asks for itself.
        if !panels.isEmpty && command.name != "quit" {
            guard let closed = leavePanels() else { return [] }
            return closed + command.run(&self, arg)
        }
        return command.run(&self, arg)
    }
}
