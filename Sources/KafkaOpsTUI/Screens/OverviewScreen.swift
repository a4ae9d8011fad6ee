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
        x += g.put(String(md.brokers.count), x: x, y: top, role: .body)
        let maxRF = d.summaries.map(\.replicationFactor).max() ?? 0
        if md.brokers.count < maxRF {
            g.put("   fewer live brokers than the largest RF (\(maxRF))", x: x, y: top, role: .critical)
        }
        // Line 2: partition health.
        let h = d.clusterHealth
        x = 1
        x += g.put("Partitions ", x: x, y: top + 1, role: .title)
        x += g.put(String(h.partitions), x: x, y: top + 1, role: .body)
        for (label, n, bad) in [("offline", h.offline, Role.critical), ("under min ISR", h.underMinISR, .critical),
                                ("under-replicated", h.underReplicated, .warning), ("at min ISR", h.atMinISR, .warning)] {
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
            x += g.put(String(d.groupsLagging), x: x, y: top + 2, role: d.groupsLagging > 0 ? .warning : .healthy)
            if d.groupsLosingData > 0 {
                x += g.put("   DATA LOST in \(d.groupsLosingData) group(s)", x: x, y: top + 2, role: .critical)
            }
        } else {
            x += g.put("loading…", x: x, y: top + 2, role: .muted)
        }
        lagSummary(state, y: top + 3, &g)
        g.put("Brokers", x: 1, y: top + 4, role: .title)
        if let audit = d.audit {
            x = 20
            x += g.put("Durability ", x: x, y: top + 4, role: .title)
            if audit.errorCount == 0 && audit.warningCount == 0 {
                g.put("every topic meets the policy", x: x, y: top + 4, role: .healthy)
            } else {
                x += g.put("\(audit.errorCount) error(s)", x: x, y: top + 4, role: audit.errorCount > 0 ? .critical : .healthy)
                x += g.put(", ", x: x, y: top + 4, role: .muted)
                g.put("\(audit.warningCount) warning(s)", x: x, y: top + 4, role: audit.warningCount > 0 ? .warning : .healthy)
            }
        }
        currentTable(state, &g)
        // Problems from the snapshot.
        if !snap.problems.isEmpty {
            let area = Layout.tableArea(.overview, size: state.size, problems: snap.problems.count)
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
