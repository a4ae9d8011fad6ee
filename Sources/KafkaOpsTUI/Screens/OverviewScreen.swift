import Foundation
import KafkaOpsCore

extension Views {
    /// The overview: summary lines, the brokers table, the problems of the snapshot.
    static func overview(_ state: ConsoleState, _ g: inout Grid) {
        let content = Layout.content(state.size)
        let top = content.y
        guard let snap = state.snapshot, let d = state.derived else {
            let text = state.lastError.map { "cannot load the cluster: \(Fmt.safe($0.description))" }
                ?? "loading cluster metadata from \(Fmt.safe(state.profileName))…"
            // Wrapped, not cut: the reason (a TLS certificate problem, say) is the whole point of the line.
            for (i, line) in TextWrap.words(text, width: g.width - 2).prefix(max(1, content.height - 1)).enumerated() {
                g.put(line, x: 1, y: top + i, role: state.lastError == nil ? .muted : .critical)
            }
            return
        }
        let md = snap.metadata
        // Line 1: cluster and brokers.
        var x = 1
        x += g.put("Cluster ", x: x, y: top, role: .title)
        x += g.put(Fmt.safe(md.clusterID ?? "(unknown id)"), x: x, y: top, maxWidth: 40, role: .body)
        x += g.put("   controller ", x: x, y: top, role: .muted)
        x += g.put(md.controllerID.map(String.init) ?? "none", x: x, y: top, role: md.controllerID == nil ? .critical : .body)
        x += g.put("   brokers ", x: x, y: top, role: .muted)
        x += g.put("\(md.liveBrokerCount) live", x: x, y: top, role: .body)
        let down = state.roster.down(md).count
        if down > 0 { g.put(", \(down) DOWN", x: x, y: top, role: .offline) }
        // Line 2: partition health.
        let h = d.clusterHealth
        x = 1
        x += g.put("Partitions ", x: x, y: top + 1, role: .title)
        x += g.put(String(h.partitions), x: x, y: top + 1, role: .body)
        // Short labels when the long ones do not fit: the counts are never cut.
        let long = [("offline", h.offline), ("under min ISR", h.underMinISR), ("under-replicated", h.underReplicated),
                    ("at min ISR", h.atMinISR)]
        let needed = x + long.reduce(0) { $0 + 3 + DisplayWidth.of($1.0) + String($1.1).count }
        let labels = needed < g.width ? long.map(\.0) : ["offline", "<min ISR", "urp", "at min"]
        for (i, (label, bad)) in zip(labels, [Role.offline, .critical, .warning, .warning]).enumerated() {
            let n = long[i].1
            x += g.put("  \(label) ", x: x, y: top + 1, role: .muted)
            x += g.put(String(n), x: x, y: top + 1, role: n > 0 ? bad : .healthy)
        }
        // Line 3: topics and groups.
        x = 1
        let internalCount = d.summaries.filter(\.isInternal).count
        x += g.put("Topics ", x: x, y: top + 2, role: .title)
        x += g.put("\(d.summaries.count - internalCount)", x: x, y: top + 2, role: .body)
        if internalCount > 0 { x += g.put(" (+\(internalCount) internal)", x: x, y: top + 2, role: .muted) }
        x += g.put("   Groups ", x: x, y: top + 2, role: .title)
        if state.snapshotComplete {
            x += g.put(String(d.groupLags.count), x: x, y: top + 2, role: .body)
            x += g.put("   lagging ", x: x, y: top + 2, role: .muted)
            let lagging = state.groupsLagging
            x += g.put(state.lag.rows.isEmpty && !d.groupLags.isEmpty ? "…" : String(lagging), x: x, y: top + 2,
                       role: lagging > 0 ? .warning : .healthy)
            if d.groupsLosingData > 0 {
                x += g.put("   DATA LOST in \(d.groupsLosingData) group(s)", x: x, y: top + 2, role: .critical)
            }
        } else {
            x += g.put("loading…", x: x, y: top + 2, role: .muted)
        }
        lagSummary(state, y: top + 3, &g)
        // Cluster-wide warnings, wrapped (never cut), then the brokers heading.
        let warnings = state.overviewWarnings
        for (i, line) in warnings.enumerated() { g.put(line, x: 1, y: top + 4 + i, role: .critical) }
        let heading = top + 4 + warnings.count
        g.put("Brokers", x: 1, y: heading, role: .title)
        if let audit = d.audit {
            x = 20
            x += g.put("Durability ", x: x, y: heading, role: .title)
            if audit.errorCount == 0 && audit.warningCount == 0 {
                g.put("every topic meets the policy", x: x, y: heading, role: .healthy)
            } else {
                x += g.put("\(audit.errorCount) error(s)", x: x, y: heading, role: audit.errorCount > 0 ? .critical : .healthy)
                x += g.put(", ", x: x, y: heading, role: .muted)
                g.put("\(audit.warningCount) warning(s)", x: x, y: heading, role: audit.warningCount > 0 ? .warning : .healthy)
            }
        }
        currentTable(state, &g)
        // Problems from the snapshot.
        if !snap.problems.isEmpty {
            let area = state.tableArea
            var y = area.y + area.height
            g.put("Problems (\(snap.problems.count))", x: 1, y: y, role: .critical)
            for p in snap.problems.prefix(Layout.overviewProblemRows) {
                y += 1
                g.put("• " + Fmt.safe(p), x: 2, y: y, maxWidth: g.width - 3, role: .warning)
            }
        }
    }

    /// Groups by trend: those at risk of data loss first and loud, then each trend word, worst first.
    static func lagSummary(_ state: ConsoleState, y: Int, _ g: inout Grid) {
        var x = 1
        x += g.put("Lag ", x: x, y: y, role: .title)
        let lag = state.lag
        guard !lag.rows.isEmpty else {
            g.put(state.snapshotComplete && (state.derived?.groupLags.isEmpty ?? true) ? "no consumer groups" : "sampling…",
                  x: x, y: y, role: .muted)
            return
        }
        if !lag.atRisk.isEmpty {
            let first = lag.atRisk[0]
            let soonest = Fmt.millis(lag.rows[first]?.minDataLossInMs)
            x += g.put("! \(lag.atRisk.count) AT RISK OF DATA LOSS (\(Fmt.safe(first)) from \(soonest))  ", x: x, y: y,
                       maxWidth: max(0, g.width - x), role: .critical)
        }
        for trend in LagTrend.allCases {
            guard let n = lag.countsByTrend[trend], n > 0, x < g.width else { continue }
            x += g.put("\(trend.word) ", x: x, y: y, maxWidth: max(0, g.width - x), role: .muted)
            x += g.put("\(n)  ", x: x, y: y, maxWidth: max(0, g.width - x), role: Fmt.role(trend, atRisk: false))
        }
    }
}

extension Tables {
    /// The most rows the overview's "worst now" list holds.
    static let worstNowRows = 12

    /// The overview's table: the brokers (down ones included), then "worst now": what is wrong, worst
    /// first, each row opening its topic or group.
    static func overview(_ snap: ClusterSnapshot?, _ derived: Derived?, _ lag: LagTrends, _ roster: BrokerRoster) -> Table {
        var t = brokers(snap, roster)
        guard snap != nil, let derived else { return t }
        // Span rows still have a (blank) cell per column: code that reads a row's cells by column stays in range.
        let blank = Array(repeating: "", count: t.columns.count)
        t.setRows(t.rows + worstNow(derived, lag).map { r in var r = r; r.cells = blank; return r })
        return t
    }

    /// What is wrong right now, worst first: offline topics, topics under min ISR, groups that lost data
    /// (each group the header's "DATA LOST in N group(s)" counts), groups at risk of data loss, groups
    /// whose lag cannot be known (`?`), stopped or stalled groups, then the largest lags of groups that
    /// are lagging (`LaggingRule`).
    static func worstNow(_ d: Derived, _ lag: LagTrends) -> [Row] {
        var items: [(text: String, role: Role, target: Screen, id: String)] = []
        let byName = d.summaries.sorted { $0.name < $1.name }
        for s in byName.filter({ $0.health.offline > 0 }).sorted(by: { $0.health.offline > $1.health.offline }) {
            items.append(("OFFLINE       topic \(Fmt.safe(s.name)): \(s.health.offline)/\(s.partitions) partitions without a live leader",
                          .offline, .topicDetail(s.name), "topic:" + s.name))
        }
        for s in byName.filter({ $0.health.offline == 0 && $0.health.underMinISR > 0 })
            .sorted(by: { $0.health.underMinISR > $1.health.underMinISR }) {
            items.append(("UNDER MIN ISR topic \(Fmt.safe(s.name)): \(s.health.underMinISR) partitions, acks=all writes fail",
                          .critical, .topicDetail(s.name), "topic:" + s.name))
        }
        for g in d.groupLags where g.partitionsWithDataLoss > 0 {
            let records = g.recordsLost.map(String.init) ?? "?"
            items.append(("DATA LOST     group \(Fmt.safe(g.group)): \(records) unread records deleted", .critical,
                          .groupDetail(g.group), "group:" + g.group))
        }
        for g in lag.atRisk where !items.contains(where: { $0.id == "group:" + g }) {
            let soonest = Fmt.millis(lag.rows[g]?.minDataLossInMs)
            items.append(("AT RISK       group \(Fmt.safe(g)): retention deletes unread records from \(soonest)",
                          .critical, .groupDetail(g), "group:" + g))
        }
        for g in d.groupLags where !items.contains(where: { $0.id == "group:" + g.group }) {
            guard let why = Fmt.unknownLagLine(g) else { continue }
            items.append(("LAG ?         group \(Fmt.safe(g.group)): \(why)", .warning, .groupDetail(g.group), "group:" + g.group))
        }
        let rows = lag.rows.values.sorted { $0.group < $1.group }
        var listed = Set(items.map(\.id))
        for r in rows where !listed.contains("group:" + r.group) && (r.trend == .stopped || r.trend == .stalled) {
            let total = d.lagByGroup[r.group].map(Fmt.lag) ?? "-"
            items.append(("\(r.trend == .stopped ? "STOPPED" : "STALLED")       group \(Fmt.safe(r.group)): lag \(total), not committing",
                          .critical, .groupDetail(r.group), "group:" + r.group))
        }
        listed = Set(items.map(\.id))
        let largest = rows.filter { !listed.contains("group:" + $0.group) && $0.isLagging() }
            .sorted { (d.lagByGroup[$0.group]?.totalLag ?? 0) > (d.lagByGroup[$1.group]?.totalLag ?? 0) }
        for r in largest.prefix(3) {
            let total = d.lagByGroup[r.group].map(Fmt.lag) ?? "-"
            items.append(("LAG           group \(Fmt.safe(r.group)): lag \(total), time lag \(Fmt.millis(r.maxTimeLagMs))",
                          .warning, .groupDetail(r.group), "group:" + r.group))
        }
        var out = [Row(id: "worst:", cells: [], roles: [.title], sortKeys: [], search: "", section: 1,
                       span: items.isEmpty ? "Worst now: nothing is wrong" : "Worst now (Enter opens)")]
        if items.count > worstNowRows {
            let more = items.count - worstNowRows + 1
            items = Array(items.prefix(worstNowRows - 1))
            items.append(("… \(more) more: u on the topics (2) or groups (3) screen lists them", .muted, .audit, "more"))
        }
        for it in items {
            out.append(Row(id: "worst:" + it.id, cells: [], roles: [it.role], sortKeys: [], search: it.text,
                           unhealthy: true, target: it.id == "more" ? nil : it.target, section: 1, span: it.text))
        }
        return out
    }
}
