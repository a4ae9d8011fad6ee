import ArgumentParser
import Foundation
import KafkaOpsCore

struct Groups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List consumer groups with state, members, topics and lag.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions

    func run() async throws {
        let (snap, rows) = try await loadGroupRows(global)
        switch out.output {
        case .json:
            try emitJSON(GroupsJSON(groups: rows, warnings: snap.problems))
        case .table:
            var t = TextTable([("GROUP", .left), ("STATE", .left), ("MEMBERS", .right), ("TOPICS", .right),
                               ("LAG", .right), ("WORST-PARTITION", .left), ("NO-COMMIT", .right), ("DATA-LOST", .left)])
            for g in rows {
                t.add([g.group, g.state, String(g.members), String(g.topics.count), String(g.total_lag),
                       worstText(g.worst_partition), String(g.partitions_without_commit), dataLostText(g)])
            }
            emit(t.render())
            if rows.isEmpty { emit("(no consumer groups)\n") }
        }
    }
}

struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every group's lag: total, worst partition, partitions without a commit, data lost to retention.",
        discussion: "Lag = log end offset - committed offset. No commit: lag unknown (-). Committed below the log start: DATA LOST.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions

    func run() async throws {
        let (snap, rows) = try await loadGroupRows(global)
        switch out.output {
        case .json:
            try emitJSON(GroupsJSON(groups: rows, warnings: snap.problems))
        case .table:
            var t = TextTable([("GROUP", .left), ("STATE", .left), ("PARTITIONS", .right), ("TOTAL-LAG", .right),
                               ("WORST-PARTITION", .left), ("WORST-LAG", .right), ("NO-COMMIT", .right), ("DATA-LOST", .left)])
            for g in rows.sorted(by: { ($0.total_lag, $1.group) > ($1.total_lag, $0.group) }) {
                t.add([g.group, g.state, String(g.partitions), String(g.total_lag), worstText(g.worst_partition),
                       fmt(g.worst_partition?.lag), String(g.partitions_without_commit), dataLostText(g)])
            }
            emit(t.render())
            if rows.isEmpty { emit("(no consumer groups)\n") }
        }
    }
}

/// Every group with its lag, for `groups` and `lag`: log offsets only for the partitions groups
/// consume (start and end: data lost to retention), not for every partition of the cluster.
func loadGroupRows(_ global: GlobalOptions) async throws -> (ClusterSnapshot, [GroupSummaryJSON]) {
    let s = try Session.open(global)
    let snap = try await s.loadSnapshot(parts: [.groups, .logOffsets, .groupStartOffsets], topics: [])
    return (snap, groupRows(snap))
}

func groupRows(_ snap: ClusterSnapshot) -> [GroupSummaryJSON] {
    let descs = Dictionary(snap.groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    return snap.allGroupLags().map { GroupSummaryJSON($0, description: descs[$0.group]) }
}

func worstText(_ w: WorstPartitionJSON?) -> String {
    guard let w else { return "-" }
    return "\(w.topic)-\(w.partition)"
}

func dataLostText(_ g: GroupSummaryJSON) -> String {
    g.partitions_with_data_loss > 0 ? "YES: \(g.records_lost) records in \(g.partitions_with_data_loss) partition(s)" : "no"
}

struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Look at one consumer group.", subcommands: [Describe.self])

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members, and per partition: committed offset, log end, lag, consumer (as kafka-consumer-groups.sh --describe).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "Group id.") var name: String

        func run() async throws {
            let s = try Session.open(global)
            let c = s.client
            let d = s.deadline
            async let listingR = c.listGroups(deadline: d)
            async let descR = c.describeGroups([name], deadline: d)
            async let committedR = c.committedOffsets(group: name, deadline: d)
            let listing = try await listingR
            var desc = try await descR.first ?? GroupDescription(id: name, state: .dead)
            let committed = try await committedR
            guard let state = GroupState.of(name, description: desc, listing: listing, committed: committed),
                  state != .dead else {
                throw ClusterError(.unknownGroup, "consumer group '\(name)' does not exist",
                                   hint: "list groups with: kafkaops groups", code: "GROUP_ID_NOT_FOUND")
            }
            desc.state = state
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
            let parts = lag.partitions.map { GroupPartitionJSON($0, member: desc.member(for: $0.partition)) }
            switch out.output {
            case .json:
                try emitJSON(GroupDescribeJSON(
                    group: name, state: desc.state.rawValue, protocol_type: desc.protocolType, assignor: desc.assignor,
                    coordinator: desc.coordinator, members: desc.members.map(MemberJSON.init), partitions: parts,
                    total_lag: lag.totalLag, worst_partition: WorstPartitionJSON(lag.worst),
                    partitions_without_commit: lag.partitionsWithoutCommit, partitions_with_data_loss: lag.partitionsWithDataLoss,
                    records_lost: lag.recordsLost, warnings: problems))
            case .table:
                var o = "Group: \(Sanitizer.terminal(name))  State: \(desc.state.rawValue)  Members: \(desc.members.count)  "
                    + "Total lag: \(lag.totalLag)\n"
                if lag.partitionsWithDataLoss > 0 {
                    o += "DATA LOST: committed offsets below the log start in \(lag.partitionsWithDataLoss) partition(s); "
                        + "\(lag.recordsLost) records were deleted by retention before this group read them\n"
                }
                o += "\n"
                var t = TextTable([("TOPIC", .left), ("PARTITION", .right), ("CURRENT-OFFSET", .right), ("LOG-END-OFFSET", .right),
                                   ("LAG", .right), ("CONSUMER-ID", .left), ("HOST", .left), ("CLIENT-ID", .left), ("NOTE", .left)])
                for p in parts {
                    let note: String
                    switch p.status {
                    case "data_lost": note = "DATA LOST: \(p.records_lost ?? 0) records below log start \(fmt(p.log_start_offset))"
                    case "no_commit": note = "no committed offset"
                    case "ahead_of_log_end": note = "committed offset is past the log end"
                    case "unknown_offsets": note = "log offsets unknown"
                    default: note = ""
                    }
                    t.add([p.topic, String(p.partition), fmt(p.current_offset), fmt(p.log_end_offset), fmt(p.lag),
                           p.consumer_id ?? "-", p.host ?? "-", p.client_id ?? "-", note])
                }
                o += parts.isEmpty ? "(no partitions: nothing committed and no assignment)\n" : t.render()
                if !desc.members.isEmpty {
                    o += "\nMembers:\n"
                    var m = TextTable([("CONSUMER-ID", .left), ("HOST", .left), ("CLIENT-ID", .left), ("PARTITIONS", .right)])
                    for x in desc.members { m.add([x.memberID, x.host, x.clientID, String(x.assignment.count)]) }
                    o += m.render()
                }
                emit(o)
            }
        }
    }
}
