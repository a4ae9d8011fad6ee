import Foundation
import KafkaOpsCore

/// Where the console opens its changes: a fix for the topic on screen or the selected audit finding, a
/// preferred leader election, a reassignment plan (each previewed in a ChangePanel or a TextPanel).
extension ConsoleState {
    /// The audit finding of the selected row on the audit screen.
    var selectedFinding: Finding? {
        guard current.screen == .audit, let id = current.table?.selectedRow?.id else { return nil }
        return derived?.audit?.findings.first { $0.id == id }
    }

    /// Opens the preview of a fix for the topic on screen (or the selected audit finding).
    mutating func openFix(_ kind: FixKind) -> [Effect] {
        if readOnly { status = StatusMessage(text: "read-only connection: nothing can be changed", isError: true); return [] }
        guard let snap = snapshot else { status = StatusMessage(text: "no cluster data yet", isError: true); return [] }
        var topic: String?
        switch current.screen {
        case .topicDetail(let t): topic = t
        case .audit:
            // The action is the finding's own (`Finding.action`), the one its FIX column shows.
            guard let f = selectedFinding else {
                status = StatusMessage(text: "select a finding first", isError: true); return []
            }
            guard f.targetKind == .topic, let action = f.action else {
                status = StatusMessage(text: "no console fix for \(Fmt.safe(f.rule)): \(Fmt.safe(f.fix))", isError: false); return []
            }
            switch action {
            case .setTopicConfigs(let set):
                return openConfigChange(snap, topic: f.target, set: set, title: "Fix \(f.rule)")
            case .raiseReplicationFactor(let n):
                return openReassignPlan(snap, topic: f.target, to: n)
            }
        default: break
        }
        switch kind {
        case .raiseMinISR, .uncleanOff:
            guard let topic else { return [] }
            let proposed = kind == .raiseMinISR ? DurabilityFix.raiseMinISR(snap, topic: topic, policy: policy)
                : DurabilityFix.uncleanOff(snap, topic: topic)
            switch proposed {
            case .failure(let e): status = StatusMessage(text: e.description, isError: true); return []
            case .success(let set):
                return openConfigChange(snap, topic: topic, set: set,
                                        title: kind == .raiseMinISR ? "Raise min.insync.replicas" : "Unclean leader election off")
            }
        case .electLeaders(let all):
            let scope: Set<String>? = all ? nil : topic.map { [$0] }
            if !all && topic == nil { return [] }
            let candidates = PreferredElection.candidates(snap.metadata, topics: scope)
            guard !candidates.isEmpty else {
                status = StatusMessage(text: "every leader is already its preferred replica (or the preferred replica is not in sync)",
                                       isError: false)
                return []
            }
            var lines: [(text: String, role: Role)] = [
                ("Preferred leader election (kafka-leader-election.sh --election-type PREFERRED) for \(candidates.count) partition(s):", .title),
                ("", .body)]
            for c in candidates {
                lines.append(("\(c.partition): leader \(c.leader.map(String.init) ?? "none") → \(c.preferred)", .body))
            }
            let confirmName = !operations.protected ? nil : all ? ElectPreferredLeaders.allTopicsConfirmation : topic
            let job = ChangePanel.electJob(candidates, topic: all ? nil : topic, confirmation: confirmName)
            return push(ChangePanel(title: "Elect preferred leaders", preview: lines, blocked: nil, confirmName: confirmName, job: job))
        case .reassignPlan:
            guard let topic, let t = snap.topic(topic) else { return [] }
            let rf = t.partitions.map(\.replicas.count).min() ?? 0
            return openReassignPlan(snap, topic: topic, to: max(policy.minReplicationFactor, rf + (rf >= policy.minReplicationFactor ? 1 : 0)))
        case .selectedFinding:
            return []
        case .addPartitions, .deleteTopic, .deleteGroup:
            return openAdminChange(kind, snap)
        }
    }

    /// The preview of setting `set` on `topic`: before → after, the equivalent command, and
    /// `PolicyGate`'s verdict (a refusal is shown instead of the confirmation).
    mutating func openConfigChange(_ snap: ClusterSnapshot, topic: String, set: [String: String], title: String) -> [Effect] {
        let preview = ConfigChangePreview.compute(snap, topic: topic, set: set, policy: policy)
        return push(ChangePanel.configChange(preview, title: title, operations: operations))
    }
}

extension ChangePanel {
    /// The change panel of a topic config change (a fix, an edit on the config screen): before → after, the
    /// equivalent command, the policy's verdict (a refusal replaces the confirmation), the typed name on a
    /// protected profile, and `AlterTopicConfigs` through the pipeline.
    static func configChange(_ preview: ConfigChangePreview, title: String, operations ops: OperationSettings) -> ChangePanel {
        let topic = preview.topic
        var lines: [(text: String, role: Role)] = [("Topic \(topic)", .title), ("", .body)]
        for c in preview.changes {
            lines.append(("\(c.name): \(c.before ?? "-") (\(c.beforeSource))  →  \(c.after ?? "-") (\(c.afterSource))", .highlight))
        }
        lines.append(("", .body))
        lines.append(("Equivalent: " + preview.kafkaConfigsCommand(bootstrap: ops.bootstrap), .muted))
        if preview.set[KafkaConfig.minInsyncReplicas] != nil {
            lines.append(("With acks=all, producers get NotEnoughReplicas when fewer replicas than this are in sync:", .muted))
            lines.append(("writes stop instead of landing on a single copy.", .muted))
        }
        // The console has no override: whatever the gate refuses is refused here.
        let blocked = preview.verdict.refusal(allowOverride: false)
        let job = ChangePanel.alterConfigJob(preview, confirmation: ops.protected ? topic : nil)
        return ChangePanel(title: title, preview: lines, blocked: blocked, confirmName: ops.protected ? topic : nil, job: job)
    }
}

extension ConsoleState {
    /// The kafka-reassign-partitions.sh plan that raises `topic` to `wanted` replicas (executes nothing).
    mutating func openReassignPlan(_ snap: ClusterSnapshot, topic: String, to wanted: Int) -> [Effect] {
        guard let t = snap.topic(topic) else { return [] }
        let rf = t.partitions.map(\.replicas.count).min() ?? 0
        switch ReassignmentPlan.raiseReplicationFactor(topic: topic, to: wanted, metadata: snap.metadata) {
        case .failure(let e):
            status = StatusMessage(text: "cannot plan RF \(wanted): \(e.description)", isError: true)
            return []
        case .success(let plan):
            var lines: [(text: String, role: Role)] = [
                ("Raise the replication factor of \(topic) from \(rf) to \(wanted): kafkaops executes nothing.", .title),
                ("Save this as plan.json and run:", .body),
                ("kafka-reassign-partitions.sh --bootstrap-server \(operations.bootstrap) --reassignment-json-file plan.json --execute", .highlight),
                ("(kafkaops topic reassign-plan \(topic) --replication-factor \(wanted) > plan.json prints the same)", .muted),
                ("", .body)]
            lines += plan.json().split(separator: "\n", omittingEmptySubsequences: false).map { (String($0), Role.body) }
            return push(TextPanel(title: "Reassignment plan", lines: lines))
        }
    }
}
