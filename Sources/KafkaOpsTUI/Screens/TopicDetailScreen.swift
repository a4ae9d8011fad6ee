import Foundation
import KafkaOpsCore

/// Everything the screens show that is derived from a snapshot, computed once when it arrives.
public struct Derived: Sendable {
    public var summaries: [TopicSummary]
    public var groupLags: [GroupLag]
    public var lagByGroup: [String: GroupLag]
    public var clusterHealth: HealthCounts
    public var groupsLagging: Int
    public var groupsLosingData: Int
    /// The durability audit; nil until the snapshot is complete (configs decide most rules).
    public var audit: AuditResult?

    public init(_ snap: ClusterSnapshot, complete: Bool = true, policy: TopicPolicy = .default) {
        groupLags = snap.allGroupLags()
        summaries = snap.topicSummaries(includeInternal: true, groupLags: groupLags)
        lagByGroup = Dictionary(groupLags.map { ($0.group, $0) }, uniquingKeysWith: { a, _ in a })
        var c = HealthCounts()
        for s in summaries { c.add(s.health) }
        clusterHealth = c
        groupsLagging = groupLags.filter { $0.totalLag > 0 }.count
        groupsLosingData = groupLags.filter { $0.partitionsWithDataLoss > 0 }.count
        audit = complete ? DurabilityAudit.run(snap, policy: policy) : nil
    }
}

/// Text helpers shared by the row builders and the views.
public enum Fmt {
    /// Cluster text made safe for a cell.
    @inline(__always)
    public static func safe(_ s: String) -> String { Sanitizer.terminal(s) }

    public static func lag(_ v: Int64?) -> String { v.map(String.init) ?? "-" }

    public static func ids(_ v: [Int32]) -> String { v.map(String.init).joined(separator: ",") }

    /// The compact ISR-health mark of a topic: `ok`, or the counts of each unhealthy state.
    public static func healthMark(_ c: HealthCounts) -> (String, Role) {
        if c.partitions == 0 { return ("-", .muted) }
        if c.isHealthy { return ("ok", .healthy) }
        var parts: [String] = []
        if c.offline > 0 { parts.append("off:\(c.offline)") }
        if c.underMinISR > 0 { parts.append("<min:\(c.underMinISR)") }
        if c.underReplicated > 0 { parts.append("urp:\(c.underReplicated)") }
        if c.atMinISR > 0 { parts.append("=min:\(c.atMinISR)") }
        return (parts.joined(separator: " "), role(c.worst))
    }

    /// The mark of a topic: "?" added when its min.insync.replicas is unknown (configs not read),
    /// since any partition might then be under min ISR.
    public static func healthMark(_ s: TopicSummary) -> (String, Role) {
        let (mark, role) = healthMark(s.health)
        guard s.healthLevel == nil, s.health.partitions > 0 else { return (mark, role) }
        return (s.health.isHealthy ? "? min ISR" : mark + " ?", .warning)
    }

    public static func role(_ level: HealthLevel) -> Role {
        switch level {
        case .healthy: return .healthy
        case .atMinISR, .underReplicated: return .warning
        case .underMinISR, .offline: return .critical
        }
    }

    public static func partitionHealth(_ h: PartitionHealth) -> (String, Role) {
        switch h.worst {
        case .healthy: return ("ok", .healthy)
        case .atMinISR: return ("at-min", .warning)
        case .underReplicated: return ("urp", .warning)
        case .underMinISR: return (h.contains(.offline) ? "offline" : "under-min", .critical)
        case .offline: return ("offline", .critical)
        }
    }

    public static func age(_ seconds: Int) -> String {
        if seconds < 60 { return "\(max(0, seconds))s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h\(seconds % 3600 / 60)m"
    }
}

/// Builds the tables of each screen from a snapshot (once per snapshot, not per frame).
enum Tables {
    static func brokers(_ snap: ClusterSnapshot?) -> Table {
        // CERT (days until the TLS certificate expires) only where the connection is TLS.
        let tls = snap?.metadata.brokers.contains { $0.certificate != nil } ?? false
        let columns = [Column.number("ID", 6), .flex("HOST", min: 12), .number("PORT", 6), Column("RACK", width: 10),
                       Column("ROLE", width: 10), .number("LEADERS", 8), .number("REPLICAS", 8)]
            + (tls ? [Column("CERT", width: 9)] : [])
        var rows: [Row] = []
        if let snap {
            var leaders: [Int32: Int] = [:], replicas: [Int32: Int] = [:]
            for t in snap.metadata.topics {
                for p in t.partitions {
                    if let l = p.leader { leaders[l, default: 0] += 1 }
                    for r in p.replicas { replicas[r, default: 0] += 1 }
                }
            }
            for b in snap.metadata.brokers.sorted(by: { $0.id < $1.id }) {
                let isController = snap.metadata.controllerID == b.id
                let host = Fmt.safe(b.host)
                let rack = b.rack.map(Fmt.safe) ?? "-"
                // Days until the TLS certificate expires: a warning under 30 days, critical once expired.
                let days = b.certificate.map { $0.daysLeft(now: snap.fetchedAt) }
                let cert = days.map { $0 < 0 ? "EXPIRED" : "\($0)d" } ?? "-"
                let certRole: Role = days.map { $0 < 0 ? .critical : ($0 < CertificateFacts.warningDays ? .warning : .healthy) } ?? .muted
                rows.append(Row(
                    id: String(b.id),
                    cells: [String(b.id), host, String(b.port), rack, isController ? "controller" : "",
                            String(leaders[b.id] ?? 0), String(replicas[b.id] ?? 0)] + (tls ? [cert] : []),
                    roles: [.body, .body, .body, .body, isController ? .highlight : .body, .body, .body] + (tls ? [certRole] : []),
                    sortKeys: [.number(Int64(b.id)), .text(host), .number(Int64(b.port)), .text(rack),
                               .number(isController ? 0 : 1), .number(Int64(leaders[b.id] ?? 0)),
                               .number(Int64(replicas[b.id] ?? 0))] + (tls ? [.number(Int64(days ?? Int.max))] : []),
                    search: "\(b.id) \(host) \(rack)"))
            }
        }
        return Table(title: "Brokers", columns: columns, rows: rows,
                     emptyText: snap == nil ? "loading brokers…" : "no brokers in the metadata", sortColumn: 0)
    }

    static func topics(_ derived: Derived?, complete: Bool) -> Table {
        let columns = [Column.flex("TOPIC", min: 16), .number("PARTS", 5), .number("RF", 3), .number("MINISR", 6),
                       Column("ISR", width: 14), .number("URP", 4), .number("END-OFFSETS", 11), .number("LAG", 9)]
        var rows: [Row] = []
        if let derived {
            rows.reserveCapacity(derived.summaries.count)
            for s in derived.summaries {
                let name = Fmt.safe(s.name)
                let (mark, markRole) = Fmt.healthMark(s)
                let minISRRole: Role = s.minISR.map { $0 < 2 || $0 >= s.replicationFactor } ?? true ? .warning : .body
                let rfRole: Role = s.replicationFactor < 3 ? .warning : .body
                let end = s.endOffsetSum.map(String.init) ?? (complete ? "?" : "…")
                rows.append(Row(
                    id: s.name,
                    cells: [name + (s.error != nil ? " (!)" : ""), String(s.partitions), String(s.replicationFactor),
                            s.minISR.map(String.init) ?? "-", mark, String(s.health.underReplicated), end, Fmt.lag(s.totalLag)],
                    roles: [s.error != nil ? .critical : (s.isInternal ? .muted : .body), .body, rfRole, minISRRole,
                            markRole, s.health.underReplicated > 0 ? .warning : .body, .body, .body],
                    sortKeys: [.text(s.name.lowercased()), .number(Int64(s.partitions)), .number(Int64(s.replicationFactor)),
                               s.minISR.map { .number(Int64($0)) } ?? .missing, .number(Int64(s.health.worst.rawValue)),
                               .number(Int64(s.health.underReplicated)), s.endOffsetSum.map { .number($0) } ?? .missing,
                               s.totalLag.map { .number($0) } ?? .missing],
                    search: name, unhealthy: !s.health.isHealthy || s.error != nil, isInternal: s.isInternal,
                    target: .topicDetail(s.name)))
            }
        }
        return Table(title: "Topics", columns: columns, rows: rows,
                     emptyText: derived == nil ? "loading topics…" : "no topics", sortColumn: 0)
    }

    static func groups(_ snap: ClusterSnapshot?, _ derived: Derived?, complete: Bool) -> Table {
        // The loud columns first: at 80 columns the last ones (worst partition, topics) are cut.
        let columns = [Column.flex("GROUP", min: 20), Column("STATE", width: 11), .number("MEMB", 4),
                       .number("LAG", 9), Column("DATA-LOST", width: 12), Column("WORST", width: 15), .number("TOPICS", 6)]
        var rows: [Row] = []
        if let snap, let derived {
            let states = Dictionary(snap.groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for g in derived.groupLags {
                let d = states[g.group]
                let id = Fmt.safe(g.group)
                let known = g.partitions.contains { $0.lag != nil }
                let lag: Int64? = known ? g.totalLag : nil
                let worst = g.worst.map { "\(Fmt.safe($0.partition.description)):\($0.lag ?? 0)" } ?? "-"
                let lost = g.partitionsWithDataLoss > 0 ? "LOST \(g.recordsLost)" : ""
                let state = d?.state.rawValue ?? "Unknown"
                rows.append(Row(
                    id: g.group,
                    cells: [id, state, String(d?.members.count ?? 0), Fmt.lag(lag), lost, worst, String(g.topics.count)],
                    roles: [g.partitionsWithDataLoss > 0 ? .critical : .body, stateRole(d?.state), .body,
                            (lag ?? 0) > 0 ? .warning : .body, .critical, .body, .body],
                    sortKeys: [.text(g.group.lowercased()), .text(state), .number(Int64(d?.members.count ?? 0)),
                               lag.map { .number($0) } ?? .missing, .number(g.recordsLost),
                               g.worst?.lag.map { .number($0) } ?? .missing, .number(Int64(g.topics.count))],
                    search: id, unhealthy: g.partitionsWithDataLoss > 0 || (lag ?? 0) > 0,
                    target: .groupDetail(g.group)))
            }
        }
        let empty = derived == nil || !complete ? "loading consumer groups…" : "no consumer groups"
        return Table(title: "Groups", columns: columns, rows: rows, emptyText: empty, sortColumn: 0)
    }

    static func stateRole(_ s: GroupState?) -> Role {
        switch s {
        case .stable?: return .healthy
        case .empty?, .dead?, nil, .unknown?: return .muted
        default: return .warning
        }
    }

    // MARK: topic detail

    static func topicDetail(_ name: String, _ snap: ClusterSnapshot?, _ derived: Derived?, complete: Bool) -> [Table] {
        let partColumns = [Column.number("PART", 5), .number("LEADER", 6), .flex("REPLICAS", min: 10), Column("ISR", width: 10),
                           Column("OSR", width: 8), Column("PREF", width: 4), Column("HEALTH", width: 9),
                           .number("LOG-START", 10), .number("LOG-END", 10)]
        let cfgColumns = [Column("CONFIG", width: 34), .flex("VALUE", min: 10), Column("SOURCE", width: 8)]
        let grpColumns = [Column.flex("GROUP", min: 14), Column("STATE", width: 12), .number("LAG", 10),
                          .number("PARTS", 6), Column("DATA-LOST", width: 12)]
        var parts: [Row] = [], cfgs: [Row] = [], grps: [Row] = []
        let topic = snap?.topic(name)
        if let snap, let topic {
            let live = snap.metadata.liveBrokerIDs
            // Unknown until the configs are read: no partition is called at or under min ISR on a guess.
            let minISR = snap.knownMinISR(topic: name).map { Int($0.value) ?? 1 }
            parts.reserveCapacity(topic.partitions.count)
            for p in topic.partitions {
                let h = PartitionHealth.evaluate(p, minISR: minISR, liveBrokers: live)
                let (hText, hRole) = Fmt.partitionHealth(h)
                let osr = p.replicas.filter { !p.isr.contains($0) }
                let tp = TopicPartition(name, p.id)
                let start = snap.logOffsets[tp]?.start
                let end = snap.logEnd(tp)
                let leader = p.leader.map { live.contains($0) ? String($0) : "\($0)!" } ?? "none"
                let preferred = p.leader != nil && p.leader == p.replicas.first
                parts.append(Row(
                    id: String(p.id),
                    cells: [String(p.id), leader, Fmt.ids(p.replicas), Fmt.ids(p.isr), osr.isEmpty ? "" : Fmt.ids(osr),
                            preferred ? "yes" : "no", hText, start.map(String.init) ?? "-", end.map(String.init) ?? "-"],
                    roles: [.body, p.leader == nil ? .critical : .body, .body, osr.isEmpty ? .body : .warning,
                            .critical, preferred ? .body : .warning, hRole, .body, .body],
                    sortKeys: [.number(Int64(p.id)), .number(Int64(p.leader ?? -1)), .text(Fmt.ids(p.replicas)),
                               .number(Int64(p.isr.count)), .number(Int64(osr.count)), .number(preferred ? 1 : 0),
                               .number(Int64(h.worst.rawValue)), start.map { .number($0) } ?? .missing,
                               end.map { .number($0) } ?? .missing],
                    search: String(p.id), unhealthy: h.worst != .healthy))
            }
            // Configs: what the broker described, plus the effective value of the durability settings.
            var entries = snap.topicConfigs[name] ?? []
            let key = [KafkaConfig.minInsyncReplicas, KafkaConfig.uncleanLeaderElection, KafkaConfig.retentionMs,
                       KafkaConfig.cleanupPolicy]
            for k in key where !entries.contains(where: { $0.name == k }) {
                if let e = snap.effectiveConfig(k, topic: name) {
                    entries.append(ConfigEntry(name: k, value: e.value, source: e.source))
                }
            }
            for e in entries.sorted(by: { $0.name < $1.name }) {
                let override = e.source == .topic
                let value = e.isSensitive ? "(sensitive)" : Fmt.safe(e.value ?? "")
                let r: Role = override ? .highlight : .body
                cfgs.append(Row(id: e.name, cells: [Fmt.safe(e.name), value, e.source.summary],
                                roles: [r, r, override ? .highlight : .muted],
                                sortKeys: [.text(e.name), .text(value), .text(e.source.summary)],
                                search: "\(e.name) \(value)"))
            }
            if let derived {
                for g in derived.groupLags where g.topics.contains(name) {
                    let mine = g.partitions.filter { $0.partition.topic == name }
                    let known = mine.contains { $0.lag != nil }
                    let lag: Int64? = known ? mine.reduce(0) { $0 + ($1.lag ?? 0) } : nil
                    let lost = mine.filter { $0.status == .dataLost }
                    let lostCount = lost.reduce(Int64(0)) { $0 + ($1.recordsLost ?? 0) }
                    let state = snap.groups.first { $0.id == g.group }?.state
                    grps.append(Row(
                        id: g.group,
                        cells: [Fmt.safe(g.group), state?.rawValue ?? "Unknown", Fmt.lag(lag), String(mine.count),
                                lost.isEmpty ? "" : "LOST \(lostCount)"],
                        roles: [lost.isEmpty ? .body : .critical, stateRole(state), (lag ?? 0) > 0 ? .warning : .body,
                                .body, .critical],
                        sortKeys: [.text(g.group.lowercased()), .text(state?.rawValue ?? ""), lag.map { .number($0) } ?? .missing,
                                   .number(Int64(mine.count)), .number(lostCount)],
                        search: Fmt.safe(g.group), unhealthy: !lost.isEmpty, target: .groupDetail(g.group)))
                }
            }
        }
        let durColumns = [Column("LEVEL", width: 7), Column("RULE", width: 16), Column("NOW", width: 22),
                          Column("EXPECTED", width: 14), .flex("FIX", min: 10)]
        var durability: [Row] = []
        for (i, f) in (derived?.audit?.findings(forTopic: name) ?? []).enumerated() {
            let role: Role = f.severity == .error ? .critical : (f.severity == .warning ? .warning : .muted)
            durability.append(Row(
                id: "\(i)",
                // Cells past the columns (the target, the reason) are shown under the table for the selected row.
                cells: [f.severity.rawValue, Fmt.safe(f.rule), Fmt.safe(f.current), Fmt.safe(f.expected), Fmt.safe(f.fix),
                        Fmt.safe(f.target), Fmt.safe(f.reason)],
                roles: [role, .body, role, .body, .body, .body, .body],
                sortKeys: [.number(-Int64(f.severity == .error ? 2 : f.severity == .warning ? 1 : 0)), .text(f.rule),
                           .text(f.current), .text(f.expected), .text(f.fix)],
                search: "\(f.rule) \(f.fix)", unhealthy: f.severity != .info))
        }
        let missing = snap == nil ? "loading…" : "topic \(Fmt.safe(name)) does not exist (any more)"
        return [
            Table(title: "Partitions", columns: partColumns, rows: parts,
                  emptyText: topic == nil ? missing : "no partitions", sortColumn: 0),
            Table(title: "Configs", columns: cfgColumns, rows: cfgs,
                  emptyText: topic == nil ? missing : (complete ? "no configs described" : "loading configs…"), sortColumn: 0),
            Table(title: "Groups", columns: grpColumns, rows: grps,
                  emptyText: topic == nil ? missing : (complete ? "no consumer groups read this topic" : "loading consumer groups…"),
                  sortColumn: 0),
            Table(title: "Durability", columns: durColumns, rows: durability,
                  emptyText: topic == nil ? missing : (derived?.audit == nil ? "loading configs…" : "meets the durability policy"),
                  sortColumn: 0),
        ]
    }

    // MARK: group detail

    static func groupDetail(_ id: String, _ snap: ClusterSnapshot?, _ derived: Derived?, complete: Bool) -> [Table] {
        let partColumns = [Column.flex("TOPIC", min: 12), .number("PART", 5), .number("COMMITTED", 11), .number("LOG-END", 11),
                           .number("LAG", 9), Column("STATUS", width: 16), Column("CLIENT", width: 14), Column("HOST", width: 16)]
        let memberColumns = [Column.flex("MEMBER", min: 14), Column("CLIENT", width: 18), Column("HOST", width: 18),
                             .number("ASSIGNED", 8)]
        var parts: [Row] = [], members: [Row] = []
        let desc = snap?.groups.first { $0.id == id }
        if let lag = derived?.lagByGroup[id] {
            for p in lag.partitions {
                let m = desc?.member(for: p.partition)
                let (status, sRole): (String, Role) = {
                    switch p.status {
                    case .ok: return ("", .body)
                    case .noCommit: return ("no commit", .muted)
                    case .dataLost: return ("DATA LOST \(p.recordsLost ?? 0)", .critical)
                    case .aheadOfLogEnd: return ("ahead of log end", .warning)
                    case .unknownOffsets: return ("offsets unknown", .warning)
                    }
                }()
                let topic = Fmt.safe(p.partition.topic)
                parts.append(Row(
                    id: p.partition.description,
                    cells: [topic, String(p.partition.partition), p.committed.map(String.init) ?? "-",
                            p.logEnd.map(String.init) ?? "-", Fmt.lag(p.lag), status,
                            m.map { Fmt.safe($0.clientID) } ?? "-", m.map { Fmt.safe($0.host) } ?? "-"],
                    roles: [p.status == .dataLost ? .critical : .body, .body, .body, .body,
                            (p.lag ?? 0) > 0 ? .warning : .body, sRole, .body, .body],
                    sortKeys: [.text(p.partition.topic), .number(Int64(p.partition.partition)),
                               p.committed.map { .number($0) } ?? .missing, p.logEnd.map { .number($0) } ?? .missing,
                               p.lag.map { .number($0) } ?? .missing, .text(status), .text(m?.clientID ?? ""), .text(m?.host ?? "")],
                    search: "\(topic) \(p.partition.partition) \(m.map { Fmt.safe($0.clientID) } ?? "")",
                    unhealthy: p.status == .dataLost, target: .topicDetail(p.partition.topic)))
            }
        }
        for m in desc?.members ?? [] {
            let mid = Fmt.safe(m.memberID)
            members.append(Row(
                id: m.memberID,
                cells: [mid, Fmt.safe(m.clientID), Fmt.safe(m.host), String(m.assignment.count)],
                sortKeys: [.text(m.memberID), .text(m.clientID), .text(m.host), .number(Int64(m.assignment.count))],
                search: "\(mid) \(Fmt.safe(m.clientID)) \(Fmt.safe(m.host))"))
        }
        let loading = snap == nil || !complete
        return [
            Table(title: "Partitions", columns: partColumns, rows: parts,
                  emptyText: loading ? "loading…" : "no committed offsets or assignments", sortColumn: 0),
            Table(title: "Members", columns: memberColumns, rows: members,
                  emptyText: loading ? "loading…" : "no active members", sortColumn: 0),
        ]
    }

    // MARK: help

    static func help(for screen: Screen, readOnly: Bool) -> Table {
        let columns = [Column("KEYS", width: 22), .flex("ACTION", min: 20), Column("SCOPE", width: 8)]
        let own = KeyTables.bindings(for: screen, readOnly: readOnly)
        var rows: [Row] = []
        for (i, b) in own.enumerated() {
            let isGlobal = KeyTables.global.contains { $0.action == b.action && $0.keys == b.keys }
            rows.append(Row(id: "\(i)", cells: [b.keyLabel, b.help, isGlobal ? "all" : "screen"],
                            roles: [.keyLabel, .body, .muted],
                            sortKeys: [.number(Int64(i)), .text(b.help), .text(isGlobal ? "b" : "a")],
                            search: "\(b.keyLabel) \(b.help)"))
        }
        // The `:` commands, from the same list the command line completes from.
        for (name, help) in KeyTables.commands.filter({ $0.name != "q" }) + KeyTables.commandsWithArgument {
            let i = rows.count
            rows.append(Row(id: "\(i)", cells: [":" + name, help, "command"], roles: [.keyLabel, .body, .muted],
                            sortKeys: [.number(Int64(i)), .text(help), .text("c")], search: ":\(name) \(help)"))
        }
        return Table(title: "Help: \(screen.title)", columns: columns, rows: rows, emptyText: "no keys", sortColumn: nil)
    }
}
