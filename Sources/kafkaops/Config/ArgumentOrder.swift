import KafkaOpsCore

/// `kafkaops --demo topics` as an operator types it: global options written before the
/// subcommand. The argument parser reads options before a subcommand as the default (console)
/// command's, so they are moved after it, `--config FILE` as `--config-file FILE` (where
/// `topic create` takes `--config k=v` as kafka-topics.sh does).
enum ArgumentOrder {
    /// Options that take a value, as `--name value` (the `--name=value` form is one argument).
    static let valued: Set<String> = ["--profile", "-p", "--bootstrap", "--bootstrap-server", "-b", "--config", "--config-file", "--command-config",
                                      "--timeout", "--output", "-o", "-X", "--theme", "--policy"]

    static func subcommandFirst(_ args: [String], subcommands: Set<String>) -> [String] {
        // `---completion <subcommands> -- ...` is the shell completion hook: its words stay as they are.
        guard let first = args.first, first.hasPrefix("-"), first != "---completion" else { return args }
        var i = 0
        var leading: [String] = []
        while i < args.count, args[i].hasPrefix("-") {
            let a = args[i]
            leading.append(a == "--config" ? "--config-file" : (a.hasPrefix("--config=") ? "--config-file=" + a.dropFirst(9) : a))
            if valued.contains(a), i + 1 < args.count {
                leading.append(args[i + 1])
                i += 2
            } else {
                i += 1
            }
        }
        guard i < args.count, subcommands.contains(args[i]) else { return args }
        return Array(args[i...]) + leading
    }
}

extension ArgumentOrder {
    /// `kafkaops group payments-worker -b H:P`: a command group (`group`, `topic`, `dlq`, `config`) whose next
    /// word is neither one of its subcommands nor an option. The argument parser would report the next option
    /// as unknown ("Unknown option '-b'"); the operator left out the subcommand, so say that. Nil when the
    /// words are fine as they are.
    static func missingSubcommand(_ args: [String], groups: [String: [String]]) -> String? {
        let words = subcommandFirstWords(args)
        guard words.count >= 2, let subs = groups[words[0]], !subs.isEmpty else { return nil }
        let next = words[1]
        if next.hasPrefix("-") || subs.contains(next) || next == "help" { return nil }
        let list = subs.joined(separator: ", ")
        // The one subcommand it can be; `group G` means `group describe G` (its other one, delete, is never guessed).
        if let sub = subs.count == 1 ? subs[0] : (words[0] == "group" && subs.contains("describe") ? "describe" : nil) {
            return "kafkaops \(words[0]): a subcommand is missing before '\(Sanitizer.terminal(next))': "
                + "did you mean 'kafkaops \(words[0]) \(sub) \(Sanitizer.terminal(next))'?"
        }
        return "kafkaops \(words[0]): '\(Sanitizer.terminal(next))' is not a subcommand (one of: \(list))"
    }

    /// The words from the subcommand on, global options that came first skipped.
    private static func subcommandFirstWords(_ args: [String]) -> [String] {
        var i = 0
        while i < args.count, args[i].hasPrefix("-") { i += valued.contains(args[i]) ? 2 : 1 }
        return i < args.count ? Array(args[i...]) : []
    }
}
