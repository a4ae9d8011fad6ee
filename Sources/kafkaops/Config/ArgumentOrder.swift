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
