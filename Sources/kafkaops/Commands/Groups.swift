import ArgumentParser
import Foundation
import KafkaOpsCore

struct Groups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List consumer groups with type, state, members, topics and lag.",
        discussion: """
            TYPE is what the broker reports: classic, consumer (KIP-848, the default on Kafka 4.x), streams, share or unknown.
            Share groups (KIP-932): librdkafka has no share-group admin API (none up to 2.14.2), so kafkaops cannot describe
            them or read their progress: a share group is shown with its type and its lag unknown, and nothing is changed in it.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @OptionGroup var filter: GroupTypeFilter

    func run() async throws {
        let (snap, rows) = try await loadGroupRows(global, types: filter.types)
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, GroupsJSON(groups: rows, warnings: snap.problems))
        case .table:
            var t = TextTable([("GROUP", .left), ("TYPE", .left), ("STATE", .left), ("MEMBERS", .right), ("TOPICS", .right),
                               ("LAG", .right), ("WORST-PARTITION", .left), ("NO-COMMIT", .right), ("DATA-LOST", .left)])
            for g in rows {
                t.add([g.group, g.type, g.state, String(g.members), String(g.topics.count), lagText(g.total_lag),
                       worstText(g.worst_partition), String(g.partitions_without_commit), dataLostText(g)])
            }
            emit(t.render())
            emitNotes(rows)
            if rows.isEmpty { emit("(no consumer groups)\n") }
        }
        try exitIfLagUnknown(rows)
    }
}

/// `--type`: only groups of these types (repeatable).
struct GroupTypeFilter: ParsableArguments, Sendable {
    @Option(name: .customLong("type"), help: "Only groups of this type: classic, consumer, streams, share, unknown (repeatable).")
    var typeList: [GroupType] = []

    var types: Set<GroupType> { Set(typeList) }
}

extension GroupType: ExpressibleByArgument {}

/// The total lag, or `unknown` for a group whose lag cannot be read from committed offsets (share groups).

/// The groups' notes (undescribable types, listing and description disagreeing), one line each.
func emitNotes(_ rows: [GroupSummaryJSON]) {
    let notes = rows.compactMap { g in g.note.map { "note: \(g.group): \(Sanitizer.terminal($0))" } }
    if !notes.isEmpty { emit(notes.joined(separator: "\n") + "\n") }
}

struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every group's lag: total, worst partition, partitions without a commit, data lost to retention.",
        discussion: """
            Lag = log end offset - committed offset. No commit: lag unknown (-). Committed below the log start: DATA LOST.
            TIME-LAG: now - timestamp of the next record to read. DATA-LOSS: when retention may delete it (from).
            With --window, lag is sampled for that long and TREND says where each group is heading.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @OptionGroup var sampling: WindowOptions
    @OptionGroup var filter: GroupTypeFilter

    func run() async throws {
        let (snap, rows) = try await loadGroupRows(global, window: try sampling.parsed(), types: filter.types)
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, GroupsJSON(groups: rows, warnings: snap.problems))
        case .table:
            var t = TextTable([("GROUP", .left), ("TYPE", .left), ("STATE", .left), ("PARTITIONS", .right), ("TOTAL-LAG", .right),
                               ("WORST-PARTITION", .left), ("WORST-LAG", .right), ("NO-COMMIT", .right), ("DATA-LOST", .left),
                               ("TREND", .left), ("TIME-LAG", .right), ("DATA-LOSS", .left)])
            // Unknown lag first: it may be the largest.
            for g in rows.sorted(by: { ($0.total_lag ?? .max, $1.group) > ($1.total_lag ?? .max, $0.group) }) {
                t.add([g.group, g.type, g.state, String(g.partitions), lagText(g.total_lag), worstText(g.worst_partition),
                       fmt(g.worst_partition?.lag), String(g.partitions_without_commit), dataLostText(g),
                       g.trend + (g.assign_committer ? " (assign() committer)" : ""), fmtMs(g.max_time_lag_ms),
                       dataLossCell(g.min_data_loss_in_ms, atRisk: g.data_loss_risk != nil)])
            }
            emit(t.render())
            emitNotes(rows)
            if rows.isEmpty { emit("(no consumer groups)\n") }
        }
        try exitIfLagUnknown(rows)
    }
}

/// A lag or total for a table cell: `?` when it cannot be known (the warnings say why).
func lagText(_ v: Int64?) -> String { v.map(String.init) ?? "?" }

/// A run that cannot know a lag (a commit past the log end, log offsets unreadable) or the records
/// lost to retention says which and why, after its output, and exits 1, as the audit does when a part
/// cannot be read: unknown is never reported as 0 or "no".
func exitIfLagUnknown(_ rows: [GroupSummaryJSON]) throws {
    try exitIfLagUnknown(rows.filter { ($0.total_lag == nil || $0.records_lost == nil) && $0.type != GroupType.share.rawValue }.map { ($0.group, $0.lag_unknown_reason) })
}

/// The groups whose lag or records lost are unknown, with the lag's reason (nil: the log start offsets).
func exitIfLagUnknown(_ unknown: [(group: String, reason: String?)]) throws {
    guard !unknown.isEmpty else { return }
    for g in unknown {
        warn("lag unknown for group \(g.group): " + (g.reason ?? "log start offsets unreadable (records lost unknown)"))
    }
    warn("the lag of \(unknown.count) group(s) cannot be known: exit 1")
    throw ExitCode(1)
}

/// Every group with its lag, for `groups` and `lag`: log offsets only for the partitions groups
/// consume (start and end: data lost to retention), not for every partition of the cluster.
/// With `window`, samples that long first (issue 11); the trend, time lag and data-loss time come
/// from the history and the last sample.
func loadGroupRows(_ global: GlobalOptions, window: (window: TimeInterval, interval: TimeInterval)? = nil,
                   types: Set<GroupType> = []) async throws -> (ClusterSnapshot, [GroupSummaryJSON]) {
    let s = try Session.open(global)
    let (snap, history) = try await sampleLag(window, timeout: global.timeout) { () -> (ClusterSnapshot, [(lag: GroupLag, hasMembers: Bool)]) in
        let snap = try await s.loadSnapshot(parts: [.groups, .logOffsets, .groupStartOffsets], topics: [])
        let members = Dictionary(snap.groups.map { ($0.id, $0.isActive) }, uniquingKeysWith: { a, _ in a })
        return (snap, snap.allGroupLags().map { ($0, members[$0.group] ?? false) })
    }
    let lags = snap.allGroupLags()
    let (facts, problems) = await loadLagFacts(s, lags: lags, broker: snap.metadata.brokers.map(\.id).min(), timeout: global.timeout)
    let descs = Dictionary(snap.groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let now = Date()
    var snapOut = snap
    snapOut.problems += problems
    // The reconciled type (the listing's, else the description's) decides the filter.
    return (snapOut, lags.filter { types.isEmpty || types.contains(descs[$0.group]?.type ?? .unknown) }.map { lag in
        var row = GroupSummaryJSON(lag, description: descs[lag.group])
        row.add(LagAnalysis.group(lag, history: history, hasMembers: descs[lag.group]?.isActive ?? false,
                                  facts: facts, now: now))
        return row
    })
}

func worstText(_ w: WorstPartitionJSON?) -> String {
    guard let w else { return "-" }
    return "\(w.topic)-\(w.partition)"
}

func dataLostText(_ g: GroupSummaryJSON) -> String {
    if g.partitions_with_data_loss > 0 {
        return "YES: \(g.records_lost.map { "\($0) records" } ?? "records") in \(g.partitions_with_data_loss) partition(s)"
            + (g.records_lost == nil ? ", others unknown" : "")
    }
    return g.records_lost == nil ? "unknown" : "no"
}

struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Look at one consumer group, or delete an inactive one.", subcommands: [Describe.self, Delete.self])

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members, and per partition: committed offset, log end, lag, consumer (as kafka-consumer-groups.sh --describe).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @OptionGroup var sampling: WindowOptions
        @Argument(help: "Group id.", completion: Completions.groups) var name: String

        struct Read: Sendable {
            var desc: GroupDescription
            var lag: GroupLag
            var problems: [String]
        }

        func run() async throws {
            let window = try sampling.parsed()
            let s = try Session.open(global)
            let c = s.client
            let name = self.name
            let (read, history) = try await sampleLag(window, timeout: global.timeout) { () -> (Read, [(lag: GroupLag, hasMembers: Bool)]) in
                let r = try await Self.readOnce(name, client: c, deadline: s.deadline)
                return (r, [(r.lag, r.desc.isActive)])
            }
            let desc = read.desc, lag = read.lag
            var problems = read.problems
            let (facts, factProblems) = await loadLagFacts(s, lags: [lag], timeout: global.timeout)
            problems += factProblems
            let trend = LagAnalysis.group(lag, history: history, hasMembers: desc.isActive, facts: facts, now: Date())
            let rows = Dictionary(trend.partitions.map { ($0.partition, $0) }, uniquingKeysWith: { a, _ in a })
            let parts = lag.partitions.map { p -> GroupPartitionJSON in
                var j = GroupPartitionJSON(p, member: desc.member(for: p.partition))
                j.add(rows[p.partition])
                return j
            }
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, GroupDescribeJSON(
                    group: name, type: desc.type.rawValue, state: desc.state.rawValue, note: desc.note, group_epoch: desc.groupEpoch,
                    protocol_type: desc.protocolType, assignor: desc.assignor,
                    coordinator: desc.coordinator, members: desc.members.map(MemberJSON.init), partitions: parts,
                    total_lag: lag.totalLag, worst_partition: WorstPartitionJSON(lag.worst),
                    partitions_without_commit: lag.partitionsWithoutCommit, partitions_with_data_loss: lag.partitionsWithDataLoss,
                    records_lost: lag.recordsLost, partitions_with_unknown_lag: lag.partitionsWithUnknownLag,
                    lag_unknown_reason: lag.lagUnknownReason, trend: trend.trend.word, max_time_lag_ms: trend.maxTimeLagMs,
                    min_data_loss_in_ms: trend.minDataLossInMs, offsets_retention_ms: facts.offsetsRetentionMs,
                    offsets_retention_source: facts.offsetsRetentionFromBroker ? "broker" : "default",
                    assign_committer: trend.assignCommitter, warnings: problems))
            case .table:
                let totalLag = GroupReconciliation.lagUnknown(desc.type) ? "?" : lagText(lag.totalLag)
                var o = "Group: \(Sanitizer.terminal(name))  Type: \(desc.type.rawValue)  State: \(desc.state.rawValue)  "
                    + "Members: \(desc.members.count)  " + (desc.groupEpoch.map { "Epoch: \($0)  " } ?? "")
                    + "Total lag: \(totalLag)  Trend: \(trend.trend.word)  Time lag: \(fmtMs(trend.maxTimeLagMs))\n"
                if let note = desc.note { o += "NOTE: \(Sanitizer.terminal(note))\n" }
                if trend.assignCommitter {
                    o += "ASSIGN() COMMITTER: no members, yet committed offsets moved between samples: a consumer using assign() is active\n"
                }
                if desc.isInactive && !trend.assignCommitter {
                    o += "Committed offsets of an empty group expire \(fmtMs(facts.offsetsRetentionMs)) after it became empty "
                        + "(offsets.retention.minutes, \(facts.offsetsRetentionFromBroker ? "from the broker" : "Kafka's default: the broker config could not be read"))\n"
                }
                if let r = trend.partitions.filter(\.atRisk).min(by: { ($0.dataLossInMs ?? 0) < ($1.dataLossInMs ?? 0) }) {
                    o += "AT RISK OF DATA LOSS: retention may delete unread records of \(Sanitizer.terminal(r.partition.description)) from \(fmtMs(r.dataLossInMs)) on, "
                        + "before this group reads them\n"
                }
                if lag.partitionsWithDataLoss > 0 {
                    o += "DATA LOST: committed offsets below the log start in \(lag.partitionsWithDataLoss) partition(s); "
                        + "\(lag.recordsLost.map(String.init) ?? "an unknown number of") records were deleted by retention before this group read them\n"
                }
                if let why = lag.lagUnknownReason {
                    o += "LAG UNKNOWN (?) on \(lag.partitionsWithUnknownLag) partition(s): \(why)\n"
                }
                o += "\n"
                var t = TextTable([("TOPIC", .left), ("PARTITION", .right), ("CURRENT-OFFSET", .right), ("LOG-END-OFFSET", .right),
                                   ("LAG", .right), ("CONSUMER-ID", .left), ("HOST", .left), ("CLIENT-ID", .left), ("NOTE", .left),
                                   ("TIME-LAG", .right), ("TREND", .left), ("ETA", .right), ("DATA-LOSS", .left), ("LSO", .right)])
                for p in parts {
                    let row = rows[TopicPartition(p.topic, p.partition)]
                    let note: String
                    switch p.status {
                    case "data_lost": note = "DATA LOST: \(p.records_lost ?? 0) records below log start \(fmt(p.log_start_offset))"
                    case "no_commit": note = "no committed offset"
                    case "ahead_of_log_end", "unknown_offsets": note = "lag unknown: " + (p.lag_unknown_reason ?? "")
                    default: note = ""
                    }
                    var notes = note.isEmpty ? [] : [note]
                    if row?.trend == .stalled { notes.append("stalled: look at the record at the committed offset (a poison record?)") }
                    if p.open_transaction_holds_back { notes.append("an open transaction holds back read_committed consumers") }
                    t.add([p.topic, String(p.partition), fmt(p.current_offset), fmt(p.log_end_offset),
                           p.lag_unknown_reason == nil ? fmt(p.lag) : "?",
                           p.consumer_id ?? "-", p.host ?? "-", p.client_id ?? "-", notes.joined(separator: "; "),
                           fmtMs(p.time_lag_ms), p.trend, fmtMs(p.eta_ms), dataLossCell(p.data_loss_in_ms, atRisk: row?.atRisk ?? false),
                           fmt(p.last_stable_offset)])
                }
                o += parts.isEmpty ? "(no partitions: nothing committed and no assignment)\n" : t.render()
                if !desc.members.isEmpty {
                    o += "\nMembers:\n"
                    var m = TextTable([("CONSUMER-ID", .left), ("HOST", .left), ("CLIENT-ID", .left), ("PARTITIONS", .right),
                                       ("TARGET", .right)])
                    for x in desc.members {
                        m.add([x.memberID, x.host, x.clientID, String(x.assignment.count),
                               x.targetAssignment.map { String($0.count) + (x.isReconciling ? " (reconciling)" : "") } ?? "-"])
                    }
                    o += m.render()
                }
                emit(o)
            }
            if lag.totalLag == nil || lag.recordsLost == nil { try exitIfLagUnknown([(name, lag.lagUnknownReason)]) }
        }

        /// One sample of the group: its state, members, committed offsets and log offsets.
        static func readOnce(_ name: String, client c: any ClusterClient, deadline d: Deadline) async throws -> Read {
            async let listingR = c.listGroups(deadline: d)
            async let descR = c.describeGroups([name], deadline: d)
            async let committedR = c.committedOffsets(group: name, deadline: d)
            let listing = try await listingR
            let described = try await descR.first ?? GroupDescription(id: name, state: .dead)
            let committed = try await committedR
            guard let desc = GroupReconciliation.reconcile(name, listing: listing, description: described, committed: committed),
                  desc.state != .dead || desc.isActive else {
                throw ClusterError(.unknownGroup, "consumer group '\(name)' does not exist",
                                   hint: "list groups with: kafkaops groups", code: "GROUP_ID_NOT_FOUND")
            }
            var tps = Set(committed.keys)
            for m in desc.members { tps.formUnion(m.assignment) }
            var problems: [String] = []
            var offsets: [TopicPartition: LogOffsets] = [:]
            if !tps.isEmpty {
                do { offsets = try await c.logOffsets(Array(tps), deadline: d) } catch {
                    problems.append("log offsets: \(error)")
                    warn("warning: log offsets: \(error)")
                }
            }
            let lag = GroupLag.compute(group: name, description: desc, committed: committed, offsets: offsets)
            return Read(desc: desc, lag: lag, problems: problems)
        }
    }
}
