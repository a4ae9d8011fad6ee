import Foundation

// Where a replay run reads its target from before it sends (the checkpoint of `ReplayRunner.prepare`), from
// the change log: a rerun of the same replay (same profile, DLQ and target) never writes again what an earlier
// run wrote, whether that run finished, stopped at --limit or was killed. One rule for the CLI and the console.

/// An earlier run of the same replay, as its started record says.
public struct ReplayEarlierRun: Sendable, Hashable {
    public var entry: ChangeHistory.Entry
    /// Where the target partitions ended when that run's first run started (`target_offsets_at_start`).
    public var checkpoint: ReplayCheckpoint
    /// The DLQ offsets it was about to send (its started record's `dlq_offsets`), as `--offsets` items ("0:0-299").
    public var offsetItems: [String]
}

/// What the change log says a replay run must do before it sends.
public struct ReplayResume: Sendable, Hashable {
    /// Where to read the target from (nil: a first run, nothing to check).
    public var since: ReplayCheckpoint?
    /// Earlier runs whose started record has no outcome, read from `since` (the operator's --since-offsets).
    public var acknowledged: [ReplayEarlierRun] = []
    /// Said before the run: why the target is read first.
    public var notes: [String] = []

    /// The change log's label of a replay's target (`details.target` of its records).
    public static func targetLabel(_ destination: String?) -> String { destination ?? "original topics" }

    /// The earlier runs of this replay in `history`: same profile, DLQ and target. `incompleteOnly`: only those
    /// with no outcome that no later run followed to its end.
    public static func earlierRuns(_ history: ChangeHistory, profile: String?, dlq: String, destination: String?,
                                   incompleteOnly: Bool) -> [ReplayEarlierRun] {
        let label = targetLabel(destination)
        let entries = incompleteOnly
            ? history.unresolvedIncomplete(action: ChangeAction.replayDLQ.rawValue, target: dlq, profile: profile)
            : history.entries.filter { $0.action == ChangeAction.replayDLQ.rawValue && $0.target == dlq && (profile == nil || $0.profile == profile) }
        return entries.compactMap { e in
            guard let st = e.started, case .object(let det) = st.details, det["target"] == .string(label) else { return nil }
            return ReplayEarlierRun(entry: e, checkpoint: checkpoint(det["target_offsets_at_start"]),
                                    offsetItems: offsetItems(st.before, dlq: dlq))
        }
    }

    /// Decides where a run reads the target from. `given` is the operator's --since-offsets (or a console retry's
    /// checkpoint). An earlier run with no outcome refuses a run without `given`, and one whose `given` starts
    /// later than that run's checkpoint (its writes would not be checked); the refusal names the run and
    /// `resumeCommand(run)` (the caller's printed command). Without `given`, every earlier run's checkpoint
    /// (the earliest offset per partition) is where a plain rerun reads from.
    public static func decide(_ history: ChangeHistory, profile: String?, dlq: String, destination: String?,
                              given: ReplayCheckpoint?, resumeCommand: (ReplayEarlierRun) -> String?) throws(ReplayResumeRefusal) -> ReplayResume {
        let incomplete = earlierRuns(history, profile: profile, dlq: dlq, destination: destination, incompleteOnly: true)
        for run in incomplete {
            let cmd = resumeCommand(run).map { "; resume with: " + $0 } ?? ""
            guard let given else {
                throw ReplayResumeRefusal(description: "refused: \(run.entry.incompleteDescription); it may have written some of them"
                                          + " to the target\(cmd); nothing was sent")
            }
            for (tp, at) in run.checkpoint.offsets where (given.offsets[tp] ?? .max) > at {
                throw ReplayResumeRefusal(description: "refused: --since-offsets does not reach back to where \(run.entry.incompleteDescription)"
                                          + " started writing (\(tp.topic)/\(tp.partition)=\(at)), so what it wrote would not be found\(cmd); nothing was sent")
            }
        }
        if let given {
            // The pipeline names the acknowledged runs before the started record (`ChangePipeline.history`).
            return ReplayResume(since: given, acknowledged: incomplete)
        }
        let earlier = earlierRuns(history, profile: profile, dlq: dlq, destination: destination, incompleteOnly: false)
        guard !earlier.isEmpty else { return ReplayResume(since: nil) }
        var merged: [TopicPartition: Int64] = [:]
        for run in earlier { for (tp, o) in run.checkpoint.offsets { merged[tp] = min(merged[tp] ?? .max, o) } }
        let since = ReplayCheckpoint(merged)
        return ReplayResume(since: since, notes: [
            "\(earlier.count) earlier run(s) of this replay are in the audit log: reading the target from \(since.argument) first; records already there are skipped"])
    }

    /// The replay command for `items` (`--offsets`), runnable as printed: `kafkaops dlq replay DLQ <connection>
    /// --offsets ITEMS [--since-offsets CP] [--to T] <extra> --execute`; nil without items.
    public static func command(dlq: String, connectionArguments: [String], offsets items: [String], checkpoint: ReplayCheckpoint?,
                               destination: String?, extra: [String] = []) -> String? {
        guard !items.isEmpty else { return nil }
        var cmd = "kafkaops dlq replay \(shellQuote(dlq))"
        for a in connectionArguments { cmd += " " + shellQuote(a) }
        cmd += " --offsets \(items.joined(separator: ","))"
        if let checkpoint, !checkpoint.offsets.isEmpty { cmd += " --since-offsets \(shellQuote(checkpoint.argument))" }
        if let destination { cmd += " --to \(shellQuote(destination))" }
        for a in extra { cmd += " " + shellQuote(a) }
        return cmd + " --execute"
    }

    /// The run lock's key (`RunLock`): one replay of a DLQ to a target on a cluster at a time on this machine.
    public static func lockKey(cluster: String, dlq: String, destination: String?) -> String {
        "dlq.replay \(cluster) \(dlq) -> \(targetLabel(destination))"
    }

    /// `{"orders/0": 120}` -> the checkpoint (items that do not parse are left out).
    static func checkpoint(_ v: JSONValue?) -> ReplayCheckpoint {
        guard case .object(let o)? = v else { return ReplayCheckpoint() }
        var out: [TopicPartition: Int64] = [:]
        for (k, v) in o {
            guard case .int(let off) = v, let slash = k.lastIndex(of: "/"), let p = Int32(k[k.index(after: slash)...]) else { continue }
            out[TopicPartition(String(k[..<slash]), p)] = off
        }
        return ReplayCheckpoint(out)
    }

    /// The started record's `before.dlq_offsets` (["dlq/0: 0-119, 121"]) as `--offsets` items (["0:0-119", "0:121"]).
    static func offsetItems(_ before: JSONValue, dlq: String) -> [String] {
        guard case .object(let o) = before, case .array(let ranges)? = o["dlq_offsets"] else { return [] }
        var items: [String] = []
        for case .string(let r) in ranges {
            guard r.hasPrefix(dlq + "/"), let colon = r.lastIndex(of: ":"),
                  let p = Int32(r[r.index(r.startIndex, offsetBy: dlq.count + 1)..<colon]) else { continue }
            for part in r[r.index(after: colon)...].split(separator: ",") {
                items.append("\(p):" + part.trimmingCharacters(in: .whitespaces))
            }
        }
        return items
    }
}

/// A replay refused because of an earlier run in the change log (nothing was sent). One line.
public struct ReplayResumeRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}
