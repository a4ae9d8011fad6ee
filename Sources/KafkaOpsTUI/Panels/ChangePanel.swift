import Foundation
import KafkaOpsCore

/// The result a change job sends back.
public struct ChangeOutcome: Sendable, Hashable {
    public var ok: Bool
    public var lines: [String]
}

/// A previewed, confirmed, audited change: the config fixes (raise min.insync.replicas, unclean
/// leader election off) and preferred leader election. It shows what changes (before → after),
/// the equivalent Kafka command, refuses when the change breaks the policy, asks for the topic
/// name on a protected profile, then runs one job and shows its result.
public struct ChangePanel: FlowPanel {
    public enum Phase: Sendable, Hashable { case preview, running, done(ChangeOutcome) }
    /// What the change's job sends back: its outcome.
    public enum Event: Sendable { case finished(ChangeOutcome) }

    public var title: String
    /// The preview: (text, role) lines.
    public var preview: [(text: String, role: Role)]
    /// Why it cannot be applied (shown instead of the confirmation); nil when it can.
    public var blocked: String?
    /// The topic name to type on a protected profile; nil: Enter (or y) applies.
    public var confirmation: NameConfirmation?
    public var phase: Phase = .preview
    public var nav = ListNavigation()
    let job: Job

    public init(title: String, preview: [(text: String, role: Role)], blocked: String?, confirmName: String?, job: Job) {
        self.title = title; self.preview = preview; self.blocked = blocked; self.job = job
        confirmation = confirmName.map { NameConfirmation(name: $0, refusal: "type the topic name exactly to confirm (profile is protected)") }
    }

    public enum Action: Sendable { case apply, cancel, close, move(ListNavigation.Move) }

    /// The topic name is being typed (a protected profile's confirmation).
    public func isTyping(_ ctx: PanelContext) -> Bool { confirmation != nil && phase == .preview }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        // The list keys scroll; j/k and g/G only when they are not being typed into the name field.
        let scrolling = ListNavigation.bindings(typing: isTyping(ctx)) { Action.move($0) }
        let cancel = FlowBinding<Action>([.escape], .cancel, "cancel: nothing is sent", short: blocked == nil ? "cancel" : "close")
        switch phase {
        case .preview where blocked != nil:
            return FlowKeys([cancel] + scrolling, readOnly: ctx.readOnly)
        case .preview:
            let apply = confirmation == nil
                ? FlowBinding<Action>([.enter, .char("y")], .apply, "apply the change", short: "apply", destructive: true)
                : FlowBinding<Action>([.enter], .apply, "apply the change (after typing the topic name)",
                                      short: "apply (after typing the name)", destructive: true)
            return FlowKeys([apply, cancel] + scrolling, readOnly: ctx.readOnly)
        case .running:
            return FlowKeys([.note("", "applying…", help: "the change is being applied: wait for the cluster's answer")],
                            readOnly: ctx.readOnly)
        case .done:
            return FlowKeys([FlowBinding([.enter, .escape, .char("q")], .close, "close (the cluster view reloads)",
                                         short: "close", label: "Enter/Esc")] + scrolling, readOnly: ctx.readOnly)
        }
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        if phase == .running { return .info("applying… wait for the cluster's answer") }
        switch keys(ctx).lookup(key) {
        case .action(.move(let m)):
            let (lines, room) = layout(ctx.content)
            nav.scroll(m, count: lines.count, page: room)
        case .action(.close):
            return PanelOutcome(close: true, reload: true)
        case .action(.cancel):
            return PanelOutcome(close: true, status: StatusMessage(text: "cancelled: nothing was changed", isError: false))
        case .action(.apply):
            if let why = confirmation?.refusalIfWrong { return .error(why) }
            return start()
        case .readOnly(let b):
            return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound:
            guard phase == .preview else { return .none }
            if let blocked { return .error(blocked) }
            confirmation?.edit(key)
        }
        return .none
    }

    mutating func start() -> PanelOutcome {
        phase = .running
        return PanelOutcome(jobs: [job])
    }

    public var changeInFlight: String? { phase == .running ? "a change is being applied" : nil }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .change(.finished(let r)) = event else { return .none }
        phase = .done(r)
        nav.reset()
        return PanelOutcome(status: StatusMessage(text: r.lines.first ?? (r.ok ? "done" : "failed"), isError: !r.ok), reload: true)
    }

    /// The name field's rows at the bottom (a protected profile's preview).
    var fieldRows: Int { confirmation != nil && phase == .preview && blocked == nil ? 2 : 0 }

    /// The lines to show, wrapped to `area`, and the rows they scroll in (the same for keys and drawing).
    func layout(_ area: PanelArea) -> (lines: [(text: String, role: Role)], room: Int) {
        var lines = preview
        switch phase {
        case .preview:
            lines.append(("", .body))
            if let blocked {
                lines.append(("Refused: " + blocked, .critical))
                lines.append(("Nothing was sent. Esc closes.", .muted))
            } else if confirmation != nil {
                lines.append(("This profile is protected: type the topic name and press Enter to apply (Esc cancels).", .warning))
            } else {
                lines.append(("Press Enter or y to apply, Esc to cancel. Nothing has been sent yet.", .warning))
            }
        case .running:
            lines.append(("", .body))
            lines.append(("Applying… (the audit log is written before the request)", .muted))
        case .done(let r):
            lines.append(("", .body))
            for (i, l) in r.lines.enumerated() { lines.append((l, i == 0 ? (r.ok ? .healthy : .critical) : .body)) }
            lines.append(("Enter or Esc closes (the cluster view reloads).", .muted))
        }
        return (WrappedText.lines(lines.map { (Fmt.safe($0.text), $0.role) }, width: area.width - 2), max(1, area.height - fieldRows))
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let (lines, room) = layout(area)
        let start = min(nav.position, max(0, lines.count - room))
        for (i, l) in lines.dropFirst(start).prefix(room).enumerated() {
            g.put(l.text, x: 1, y: area.y + i, maxWidth: area.width - 2, role: l.role)
        }
        if fieldRows > 0, let confirmation {
            let y = area.y + area.height - 2
            let lx = g.put("Type \(Fmt.safe(confirmation.name)): ", x: 1, y: y, maxWidth: area.width / 2, role: .title)
            confirmation.draw(&g, x: 1 + lx, y: y, width: max(10, min(60, area.width - lx - 3)))
        }
    }
}

extension ChangePanel {
    static func auditRefusal(_ why: String) -> Event {
        .finished(ChangeOutcome(ok: false, lines: ["Refused: the audit log cannot be written (\(why)); nothing was changed."]))
    }
}

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
            let target = all ? "*" : (topic ?? "")
            let job = Job("elect", sending: ChangePanel.Event.self) { ctx in
                guard let change = await ctx.startChangeOrRefuse(
                    action: PreferredElection.auditAction, target: target, before: PreferredElection.auditBefore(candidates),
                    after: PreferredElection.auditAfter(candidates), refusal: ChangePanel.auditRefusal) else { return }
                do {
                    let results = try await ctx.client.electPreferredLeaders(candidates.map(\.partition), deadline: ctx.deadline)
                    let failed = results.filter { $0.error != nil }
                    let unrecorded = change.finish(result: failed.isEmpty ? "ok" : "partial",
                                                   details: .object(Dictionary(uniqueKeysWithValues: results.map {
                                                       ($0.partition.description, JSONValue.string($0.error.map { "failed: \($0.message)" } ?? "elected"))
                                                   })))
                    var out = ["Elected \(results.count - failed.count) of \(candidates.count) partition(s)."]
                    for f in failed { out.append("\(f.partition): failed: \(f.error?.message ?? "")") }
                    if let unrecorded { out.append(unrecorded) }
                    await ctx.send(.finished(ChangeOutcome(ok: failed.isEmpty && unrecorded == nil, lines: out)))
                } catch {
                    let unrecorded = change.finish(result: "failed: \(error)")
                    await ctx.send(.finished(ChangeOutcome(ok: false, lines: ["Failed: \(error)"] + [unrecorded].compactMap { $0 })))
                }
            }
            return push(ChangePanel(title: "Elect preferred leaders", preview: lines, blocked: nil,
                                    confirmName: all || !operations.protected ? nil : topic, job: job))
        case .reassignPlan:
            guard let topic, let t = snap.topic(topic) else { return [] }
            let rf = t.partitions.map(\.replicas.count).min() ?? 0
            return openReassignPlan(snap, topic: topic, to: max(policy.minReplicationFactor, rf + (rf >= policy.minReplicationFactor ? 1 : 0)))
        case .selectedFinding:
            return []
        }
    }

    /// The preview of setting `set` on `topic`: before → after, the equivalent command, and
    /// `PolicyGate`'s verdict (a refusal is shown instead of the confirmation).
    mutating func openConfigChange(_ snap: ClusterSnapshot, topic: String, set: [String: String], title: String) -> [Effect] {
        let ops = operations
        let preview = ConfigChangePreview.compute(snap, topic: topic, set: set, policy: policy)
        var lines: [(text: String, role: Role)] = [("Topic \(topic)", .title), ("", .body)]
        for c in preview.changes {
            lines.append(("\(c.name): \(c.before ?? "-") (\(c.beforeSource))  →  \(c.after ?? "-") (\(c.afterSource))", .highlight))
        }
        lines.append(("", .body))
        lines.append(("Equivalent: " + preview.kafkaConfigsCommand(bootstrap: ops.bootstrap), .muted))
        if set[KafkaConfig.minInsyncReplicas] != nil {
            lines.append(("With acks=all, producers get NotEnoughReplicas when fewer replicas than this are in sync:", .muted))
            lines.append(("writes stop instead of landing on a single copy.", .muted))
        }
        // The console has no override: whatever the gate refuses is refused here.
        let blocked = preview.verdict.refusal(allowOverride: false)
        let job = Job("alter-config", sending: ChangePanel.Event.self) { ctx in
            guard let change = await ctx.startChangeOrRefuse(
                action: ConfigChangePreview.auditAction, target: topic, before: preview.auditBefore,
                after: preview.auditAfter, refusal: ChangePanel.auditRefusal) else { return }
            do {
                try await ctx.client.alterTopicConfigs(topic, set: set, delete: [], deadline: ctx.deadline)
            } catch {
                let unrecorded = change.finish(result: "failed: \(error)")
                await ctx.send(.finished(ChangeOutcome(ok: false, lines: ["Failed: \(error)", "Nothing was changed."] + [unrecorded].compactMap { $0 })))
                return
            }
            let unrecorded = change.finish(result: "ok")
            await ctx.send(.finished(ChangeOutcome(ok: unrecorded == nil, lines: [
                "Applied: " + preview.changes.map { "\($0.name)=\($0.after ?? "-")" }.joined(separator: ", ")]
                + (unrecorded.map { [$0] } ?? ["Recorded in the audit log:", change.recorder.path]))))
        }
        return push(ChangePanel(title: title, preview: lines, blocked: blocked, confirmName: ops.protected ? topic : nil, job: job))
    }

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

/// A read-only page of text with scrolling (the reassignment plan).
public struct TextPanel: FlowPanel {
    public enum Action: Sendable { case close, move(ListNavigation.Move) }

    public var title: String
    public var lines: [(text: String, role: Role)]
    public var nav = ListNavigation()

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([.note("↑↓", "scroll")] + ListNavigation.bindings { Action.move($0) } + [
            FlowBinding([.char(" ")], .move(.pages(1)), "down a page"),
            FlowBinding([.escape, .enter, .char("q")], .close, "close", short: "close", label: "Esc"),
        ], readOnly: ctx.readOnly)
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        switch keys(ctx).lookup(key) {
        case .action(.close): return .closed
        case .action(.move(let m)): nav.scroll(m, count: wrapped(ctx.content).count, page: ctx.content.height)
        default: break
        }
        return .none
    }

    func wrapped(_ area: PanelArea) -> [(text: String, role: Role)] {
        WrappedText.lines(lines.map { (Fmt.safe($0.text), $0.role) }, width: area.width - 2)
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let wrapped = wrapped(area)
        let start = min(nav.position, max(0, wrapped.count - area.height))
        for (i, l) in wrapped.dropFirst(start).prefix(area.height).enumerated() {
            g.put(l.text, x: 1, y: area.y + i, maxWidth: area.width - 2, role: l.role)
        }
    }
}
