import Foundation
import KafkaOpsCore

/// How ConsoleState opens, feeds and closes panels.
extension ConsoleState {
    public var panelContext: PanelContext {
        PanelContext(snapshot: snapshot, derived: derived, policy: policy, readOnly: readOnly, now: now, size: size,
                     timeout: timeout, operations: operations)
    }

    /// The topmost open panel.
    public var topPanel: (any Panel)? { panels.last?.panel }

    /// Fills in what a key binding left to the current screen: the selected or shown topic or group.
    func resolve(_ kind: PanelKind) -> PanelKind {
        switch kind {
        case .dlq(nil):
            switch current.screen {
            case .topicDetail(let t): return .dlq(topic: t)
            case .topics: return .dlq(topic: current.table?.selectedRow?.id)
            default: return kind
            }
        case .records(topic: ""):
            if case .topicDetail(let t) = current.screen { return .records(topic: t) }
            return kind
        case .committedRecord(group: "", partition: nil):
            guard case .groupDetail(let g) = current.screen else { return kind }
            let id = current.table?.selectedRow?.id
            return .committedRecord(group: g, partition: derived?.lagByGroup[g]?.partitions.first { $0.partition.description == id }?.partition)
        case .resetOffsets(group: ""):
            switch current.screen {
            case .groupDetail(let g): return .resetOffsets(group: g)
            case .groups: return .resetOffsets(group: current.table?.selectedRow?.id ?? "")
            default: return kind
            }
        default:
            return kind
        }
    }

    /// Opens a panel of `kind` (refused on a read-only connection when the flow changes the cluster).
    public mutating func openPanel(_ kind: PanelKind) -> [Effect] {
        let ctx = panelContext
        let opened: (any Panel, PanelOutcome)
        switch kind {
        case .createTopic:
            if readOnly { status = StatusMessage(text: "read-only connection: topics cannot be created", isError: true); return [] }
            let (p, o) = CreateTopicPanel.open(ctx)
            opened = (p, o)
        case .resetOffsets(let group):
            if readOnly { status = StatusMessage(text: "read-only connection: offsets cannot be reset", isError: true); return [] }
            guard !group.isEmpty else { status = StatusMessage(text: "select a consumer group first", isError: true); return [] }
            let (p, o) = ResetWizardPanel.open(group: group, ctx)
            opened = (p, o)
        case .dlq(let topic):
            let (p, o) = DLQPanel.open(topic: topic, ctx)
            opened = (p, o)
        case .records(let topic):
            guard !topic.isEmpty else { status = StatusMessage(text: "open a topic first, or :records TOPIC", isError: true); return [] }
            let (p, o) = DLQPanel.openRecords(topic: topic, ctx)
            opened = (p, o)
        case .committedRecord(let group, let partition):
            guard let partition, let lag = derived?.lagByGroup[group]?.partitions.first(where: { $0.partition == partition }) else {
                status = StatusMessage(text: "select a partition of the group first", isError: true); return []
            }
            guard let committed = lag.committed else {
                status = StatusMessage(text: "group \(Fmt.safe(group)) has no commit on \(Fmt.safe(partition.description)): no record to open",
                                       isError: true)
                return []
            }
            let (p, o) = CommittedRecordLoader.open(CommittedRecordOrigin(group: group, partition: partition, committed: committed), ctx)
            opened = (p, o)
        case .probe(let topic):
            var p = ProbePanel(topic: topic, rate: ctx.operations.probeRate, ctx)
            let o = p.start(ctx)
            opened = (p, o)
        }
        return push(opened.0, opened.1)
    }

    /// Puts a panel on top and applies what opening it asked for.
    public mutating func push(_ panel: any Panel, _ outcome: PanelOutcome = .none) -> [Effect] {
        let id = nextPanelID
        nextPanelID += 1
        panels.append(PanelEntry(id: id, panel: panel))
        let effects = apply(outcome, from: id)
        if let notice = IncompleteChangeNotice.status(for: panel, panelContext) { status = notice }
        return effects
    }

    /// Carries out what a panel asked for.
    mutating func apply(_ outcome: PanelOutcome, from id: Int) -> [Effect] {
        var effects: [Effect] = []
        if let s = outcome.status { status = s }
        if let text = outcome.copy { effects.append(.copyToClipboard(text)) }
        for name in outcome.cancel { effects.append(.cancelJob(panelID: id, name: name)) }
        for var j in outcome.jobs {
            j.panelID = id
            effects.append(.job(j))
        }
        if outcome.close || outcome.open != nil {
            if let i = panels.firstIndex(where: { $0.id == id }) {
                // Panels opened from this one close with it.
                for e in panels[i...] { effects.append(.cancelJobs(panelID: e.id)) }
                let closed = panels[i].panel
                panels.removeSubrange(i...)
                if i > 0 { panels[i - 1].panel.childClosed(closed, panelContext) }
            }
        }
        if let screen = outcome.open {
            switch screen {
            case .topicDetail: jump(to: .topics, then: screen)
            case .groupDetail: jump(to: .groups, then: screen)
            default: show(screen)
            }
        }
        if let p = outcome.push { effects += push(p, PanelOutcome(jobs: outcome.pushJobs)) }
        if outcome.reload && !loading { effects += startLoad(metadataFirst: false) }
        return effects
    }
}
