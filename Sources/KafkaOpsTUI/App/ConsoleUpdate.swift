import Foundation
import KafkaOpsCore

/// Update for what is not a key: start, timers, loads, panel results, stop signals; and the tables
/// rebuilt from each snapshot.
extension ConsoleState {
    public mutating func update(_ msg: Msg) -> [Effect] {
        switch msg {
        case .started:
            return startLoad(metadataFirst: true) + [.scheduleTick(after: .milliseconds(250))]
        case .keyPressed(let key):
            // Exiting on a stop signal: nothing new starts while the change in flight finishes.
            guard exitSignal == nil else { return [] }
            return handle(key)
        case .resized(let s):
            size = s
            modifyTable { [rows = viewportRows] t in t.scrollIntoView(rows) }
            return []
        case .ticked(let date):
            now = date
            spinner &+= 1
            return [.scheduleTick(after: loading ? .milliseconds(150) : .seconds(1))]
        case .refreshDue(let id):
            guard id == refreshID, !loading else { return [] }
            return startLoad(metadataFirst: false)
        case .metadataLoaded(let id, let result):
            guard id == loadID, loading else { return [] }
            if case .success(let snap) = result, !snapshotComplete {
                apply(snap, complete: false)
            }
            return []
        case .snapshotLoaded(let id, let result):
            guard id == loadID, loading else { return [] }
            loading = false
            loadStartedAt = nil
            switch result {
            case .success(let snap):
                lastError = nil
                apply(snap, complete: true)
            case .failure(let e):
                lastError = e
            }
            return armRefresh()
        case .brokersRecalled(let cluster, let brokers):
            // From this connection's cluster only (a `:ctx` switch may have happened meanwhile).
            guard let snap = snapshot, snap.metadata.clusterID == cluster, !roster.hasRecalled else { return [] }
            roster.recall(brokers)
            rebuildTables(snap)
            return []
        case .lagLoaded(let id, let trends):
            // A later load started meanwhile: its history does not have this sample; drop it.
            guard id == loadID, let snap = snapshot else { return [] }
            lag = trends
            if snapshotComplete, let audit = trends.audit { derived?.audit = audit }
            rebuildTables(snap)
            return []
        case .panelReceived(let id, let value):
            guard let i = panels.firstIndex(where: { $0.id == id }) else { return [] }
            let ctx = panelContext
            let outcome = panels[i].panel.receive(value, ctx)
            let effects = apply(outcome, from: id)
            if exitSignal != nil && changeInFlight == nil { quitting = true; return [.quit] }
            return effects
        case .stopSignalReceived(let sig):
            guard exitSignal == nil else { return [] }
            exitSignal = sig
            guard let change = changeInFlight else { quitting = true; return [.quit] }
            // A change cut between its request and its outcome record is the worst end: let it finish.
            status = StatusMessage(text: "\(sig == SIGHUP ? "SIGHUP" : "SIGTERM"): \(change); recording its outcome, then exiting", isError: true)
            return [.stopChanges(waitAtMost: timeout + .seconds(5))]
        case .screenLoaded(let screen, let from, let result):
            // Read from the cluster before a `:ctx` switch: not this cluster's.
            guard from == connection else { return [] }
            screenLoaded(screen, result)
            return []
        case .contextSwitched(let name, let result):
            return contextSwitched(name, result)
        case .exitWaitEnded:
            quitting = true
            return [.quit]
        case .loadTimedOut(let id):
            guard id == loadID, loading else { return [] }
            loading = false
            loadStartedAt = nil
            loadID += 1  // a late answer is ignored
            lastError = ClusterError.timeout("the cluster")
            return armRefresh()
        }
    }

    /// The change an open panel is sending to the cluster now, if any.
    var changeInFlight: String? { panels.lazy.compactMap { $0.panel.changeInFlight }.first }

    mutating func startLoad(metadataFirst: Bool) -> [Effect] {
        loadID += 1
        loading = true
        loadStartedAt = now
        // A screen that reads its own rows (ACLs, configs) reads them again with every refresh.
        return [.loadSnapshot(id: loadID, metadataFirst: metadataFirst)] + loadScreenData()
    }

    mutating func armRefresh() -> [Effect] {
        refreshID += 1
        return [.scheduleRefresh(id: refreshID, after: refreshInterval)]
    }

    /// Takes a new snapshot: derived data and every table are rebuilt once, here.
    mutating func apply(_ snap: ClusterSnapshot, complete: Bool) {
        snapshot = snap
        snapshotComplete = complete
        roster.observe(snap.metadata, at: snap.fetchedAt)
        derived = Derived(snap, complete: complete, policy: policy)
        // Until this refresh's lag facts land, the data-loss risks found with the last ones stay shown.
        if complete, let previous = lag.audit {
            derived?.audit?.findings += previous.findings.filter { $0.rule == PolicyRule.groupDataLossRisk }
        }
        rebuildTables(snap)
    }

    /// Every table (and open panel) rebuilt from the snapshot, the derived data and the lag trends.
    mutating func rebuildTables(_ snap: ClusterSnapshot) {
        for i in stack.indices { refreshTables(&stack[i]) }
        for k in Array(saved.keys) {
            if var s = saved[k] { refreshTables(&s); saved[k] = s }
        }
        let rows = viewportRows
        modifyTable { t in t.scrollIntoView(rows) }
        if !panels.isEmpty {
            let ctx = panelContext
            for i in panels.indices { panels[i].panel.snapshotChanged(ctx) }
        }
    }

    func buildPanes(_ screen: Screen) -> [Table] {
        switch screen {
        case .overview: return [Tables.overview(snapshot, derived, lag, roster)]
        case .brokers: return [Tables.brokers(snapshot, roster)]
        case .topics: return [Tables.topics(derived, complete: snapshotComplete)]
        case .groups: return [Tables.groups(snapshot, derived, lag, complete: snapshotComplete)]
        case .topicDetail(let t): return Tables.topicDetail(t, snapshot, derived, complete: snapshotComplete)
        case .groupDetail(let g): return Tables.groupDetail(g, snapshot, derived, lag, complete: snapshotComplete)
        case .audit: return [Tables.audit(derived, complete: snapshotComplete)]
        case .whatIf(let ids): return Tables.whatIf(ids, snapshot, complete: snapshotComplete)
        case .acls: return [Tables.acls(loaded[screen])]
        case .topicConfigs(let t): return [Tables.configs(loaded[screen], what: "topic " + Fmt.safe(t))]
        case .brokerConfigs(let id): return [Tables.configs(loaded[screen], what: "broker \(id)")]
        case .help:
            let under = stack.count >= 1 ? stack[stack.count - 1].screen : .overview
            return [Tables.help(for: under == .help ? .overview : under, readOnly: readOnly)]
        }
    }

    func makeScreen(_ screen: Screen) -> ScreenState {
        ScreenState(screen: screen, panes: buildPanes(screen))
    }

    func refreshTables(_ s: inout ScreenState) {
        if s.screen == .help { return }
        let fresh = buildPanes(s.screen)
        for i in fresh.indices where i < s.panes.count {
            s.panes[i].setRows(fresh[i].rows)
            s.panes[i].emptyText = fresh[i].emptyText
        }
    }

    mutating func modifyTable(_ body: (inout Table) -> Void) {
        let i = stack.count - 1
        let p = stack[i].pane
        guard stack[i].panes.indices.contains(p) else { return }
        body(&stack[i].panes[p])
    }
}
