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
    /// Flags the root (console) command and every command take, which are never followed by a value.
    static let flags: Set<String> = ["--read-only", "--demo", "--verbose", "--no-color", "--help", "-h", "--version"]
    /// The console's own options that take a value, beyond the global ones in `valued`.
    static let consoleValued: Set<String> = ["--schema-registry"]

    /// `kafkaops topcs`: the first word is not a command. The argument parser would read it as an argument
    /// of the console (the default command) and say "Unexpected argument 'topcs'"; the operator mistyped a
    /// command, so say that, with the nearest one. Nil when the first word is a command or `help`, when
    /// there is none, or when an option the parser must judge comes before it.
    static func unknownCommand(_ args: [String], commands: [String]) -> String? {
        guard args.first != "---completion" else { return nil }
        var i = 0
        while i < args.count, args[i].hasPrefix("-") {
            let a = args[i]
            if valued.contains(a) || consoleValued.contains(a) {
                i += 2
            } else if flags.contains(a) || (a.hasPrefix("--") && a.contains("=")) {
                i += 1
            } else {
                return nil
            }
        }
        guard i < args.count else { return nil }
        let word = args[i]
        if commands.contains(word) || word == "help" { return nil }
        let shown = Sanitizer.terminal(word)
        if let near = KnownKeys.nearest(to: word, in: commands) {
            return "unknown command '\(shown)'; did you mean '\(near)'?"
        }
        return "unknown command '\(shown)' (the commands: \(commands.joined(separator: ", ")))"
    }

    /// `kafkaops group payments-worker -b H:P`: a command group (`group`, `topic`, `dlq`, `config`) whose next
    /// word is neither one of its subcommands nor an option. The argument parser would report the next option
    /// as unknown ("Unknown option '-b'"); the operator left out the subcommand or mistyped it, so say that,
    /// naming the word (`kafkaops topic frob x`: 'frob'), with the nearest subcommand. Global options written
    /// between the group and the word (`kafkaops topic -b H:P frob`) are passed over. Nil when the words are
    /// fine as they are.
    static func missingSubcommand(_ args: [String], groups: [String: [String]]) -> String? {
        let words = subcommandFirstWords(args)
        guard words.count >= 2, let subs = groups[words[0]], !subs.isEmpty else { return nil }
        var i = 1
        while i < words.count, words[i].hasPrefix("-") {
            guard valued.contains(words[i]) || flags.contains(words[i]) || (words[i].hasPrefix("--") && words[i].contains("="))
            else { return nil }
            i += valued.contains(words[i]) ? 2 : 1
        }
        guard i < words.count else { return nil }
        let next = words[i]
        if subs.contains(next) || next == "help" { return nil }
        let shown = Sanitizer.terminal(next)
        if let near = KnownKeys.nearest(to: next, in: subs) {
            return "kafkaops \(words[0]): '\(shown)' is not a subcommand; did you mean '\(near)'?"
        }
        // The one subcommand it can be; `group G` means `group describe G` (its other one, delete, is never guessed).
        if i == 1, let sub = subs.count == 1 ? subs[0] : (words[0] == "group" && subs.contains("describe") ? "describe" : nil) {
            return "kafkaops \(words[0]): a subcommand is missing before '\(shown)': "
                + "did you mean 'kafkaops \(words[0]) \(sub) \(shown)'?"
        }
        return "kafkaops \(words[0]): '\(shown)' is not a subcommand (one of: \(subs.joined(separator: ", ")))"
    }

    /// The words from the subcommand on, global options that came first skipped.
    private static func subcommandFirstWords(_ args: [String]) -> [String] {
        var i = 0
        while i < args.count, args[i].hasPrefix("-") { i += valued.contains(args[i]) ? 2 : 1 }
        return i < args.count ? Array(args[i...]) : []
    }
}
