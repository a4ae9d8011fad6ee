import Foundation
import KafkaOpsCore

extension Tables {
    static func topicDetail(_ name: String, _ snap: ClusterSnapshot?, _ derived: Derived?, complete: Bool) -> [Table] {
        let partColumns = [Column.number("PART", 5), .number("LEADER", 6), .flex("REPLICAS", min: 10), Column("ISR", width: 10),
                           Column("OSR", width: 8), Column("PREF", width: 4), .vital("HEALTH", width: 9),
                           .number("LOG-START", 10), .number("LOG-END", 10)]
        let cfgColumns = [Column("CONFIG", width: 34), .flex("VALUE", min: 10), Column("SOURCE", width: 8)]
        let grpColumns = [Column.name("GROUP", min: 14), Column("STATE", width: 12), .number("LAG", 10),
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
        let durColumns = [Column("LEVEL", width: 7), .vital("RULE", width: 16, max: 30), .vital("NOW", width: 22, max: 80),
                          Column("EXPECTED", width: 14), .flex("FIX", min: 10)]
        var durability: [Row] = []
        for (i, f) in (derived?.audit?.findings(forTopic: name) ?? []).enumerated() {
            let role = Fmt.role(f.severity)
            durability.append(Row(
                id: "\(i)",
                cells: [f.severity.rawValue, Fmt.safe(f.rule), Fmt.safe(f.current), Fmt.safe(f.expected), Fmt.safe(f.fix)],
                roles: [role, .body, role, .body, .body, .body, .body],
                sortKeys: [Fmt.sortKey(f.severity), .text(f.rule),
                           .text(f.current), .text(f.expected), .text(f.fix)],
                search: "\(f.rule) \(f.fix)", unhealthy: f.severity != .info,
                finding: FindingText(f)))
        }
        let missing = snap == nil ? "loading…" : "topic \(Fmt.safe(name)) does not exist (any more)"
        return [
            Table(title: "Partitions", columns: partColumns, rows: parts,
                  emptyText: topic == nil ? missing : "no partitions", sortColumn: 6, descending: true, sortName: "worst first"),
            Table(title: "Configs", columns: cfgColumns, rows: cfgs,
                  emptyText: topic == nil ? missing : (complete ? "no configs described" : "loading configs…"), sortColumn: 0),
            Table(title: "Groups", columns: grpColumns, rows: grps,
                  emptyText: topic == nil ? missing : (complete ? "no consumer groups read this topic" : "loading consumer groups…"),
                  sortColumn: 0),
            Table(title: "Durability", kind: .findings, columns: durColumns, rows: durability,
                  emptyText: topic == nil ? missing : (derived?.audit == nil ? "loading configs…" : "meets the durability policy"),
                  sortColumn: 0, sortName: "errors first"),
        ]
    }
}

extension Views {
    static func detailSummary(topic name: String, _ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.content(state.size).y
        guard let s = state.derived?.summaries.first(where: { $0.name == name }) else { return }
        var x = 1
        let (mark, role) = Fmt.healthMark(s)
        let minISR = s.minISR.map { "\($0) (\(s.minISRSource?.summary ?? "default"))" } ?? "unknown (configs not read)"
        x += g.put("\(s.partitions) partitions  RF \(s.replicationFactor)  min ISR \(minISR)  ISR ",
                   x: x, y: y, role: .body)
        x += g.put(mark, x: x, y: y, maxWidth: 24, role: role)
        // What the lag adds up: the groups that read the topic (the Groups pane's rows).
        let readers = state.derived?.groupLags.filter { $0.topics.contains(name) }.count ?? 0
        let over = readers == 0 ? "" : " (\(readers) group\(readers == 1 ? "" : "s"))"
        x += g.put("  lag \(Fmt.lag(s.totalLag))" + over, x: x, y: y, role: (s.totalLag ?? 0) > 0 ? .warning : .body)
        if s.health.leaderNotPreferred > 0 {
            g.put("  leader not preferred: \(s.health.leaderNotPreferred)", x: x, y: y, role: .warning)
        }
    }
}
