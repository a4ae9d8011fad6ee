import Foundation
import KafkaOpsCore

/// Topic creation: drawing (a pure function of the model).
extension CreateTopicPanel {
    /// A finding in a few words, for beside its field.
    static func short(_ f: Finding) -> String {
        switch f.rule {
        case PolicyCheck.formInputRule, TopicName.illegalRule, TopicName.collisionRule, TopicCreation.topicExistsRule:
            return f.reason
        case TopicCreation.rfAboveBrokersRule:
            return "must be \(f.expected)"
        default:
            return "policy: \(f.expected)"
        }
    }

    /// A finding in full, for the focused field's details.
    static func long(_ f: Finding) -> [String] {
        switch f.rule {
        case PolicyCheck.formInputRule, TopicName.illegalRule, TopicName.collisionRule:
            return [f.reason]
        case TopicCreation.topicExistsRule, TopicCreation.rfAboveBrokersRule:
            return [f.reason, "fix: " + f.fix]
        default:
            return ["\(f.rule): now \(f.current), expected \(f.expected)", "why: " + f.reason, "fix: " + f.fix]
        }
    }

    static func mark(_ s: FindingSeverity?) -> (String, Role) {
        switch s {
        case .error?: return ("✗", .critical)
        case .warning?: return ("!", .warning)
        case .info?: return ("i", .muted)
        case nil: return ("✓", .healthy)
        }
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        switch step {
        case .form: renderForm(&g, area: area, ctx)
        case .review, .confirm: renderReview(&g, area: area, ctx)
        }
    }

    func renderForm(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let w = area.width, bottom = area.y + area.height
        let live = Self.facts(ctx).live.map { "\($0) live broker\($0 == 1 ? "" : "s")" } ?? "brokers not loaded yet"
        let p = ctx.policy
        g.put((policyOverride ? "POLICY OVERRIDE ON · " : "")
              + "Checked as you type · policy: RF >= \(p.minReplicationFactor), min ISR >= \(p.minInsyncReplicas) · \(live)",
              x: 1, y: area.y, maxWidth: w - 2, role: policyOverride ? .warning : .muted)
        let shortage = Self.shortage(ctx)
        let labelX = 2, inputX = 23, inputW = 18, markX = inputX + inputW + 1, reasonX = markX + 2
        var y = area.y + 2
        for (i, f) in fields.enumerated() where y < bottom - 1 {
            let focused = i == focus
            if focused { g.put("›", x: 0, y: y, role: .prompt) }
            g.put(f.label, x: labelX, y: y, maxWidth: inputX - labelX - 1, role: focused ? .title : .body)
            f.input.draw(&g, x: inputX, y: y, width: inputW, focused: focused)
            let fs = findings(f.id)
            if let worst = fs.first {
                let (m, role) = Self.mark(worst.severity)
                g.put(m, x: markX, y: y, role: role)
                // Too few live brokers: one reason for both refusals (the policy's RF, the brokers' count), said below.
                let text = shortage.map { sh in
                    f.id == .fixed(.replicationFactor) && [PolicyRule.replicationFactor, TopicCreation.rfAboveBrokersRule].contains(worst.rule)
                        ? "\(sh.needed) needed, \(sh.live) live: see below" : Self.short(worst)
                } ?? Self.short(worst)
                g.put(Fmt.safe(text), x: reasonX, y: y, maxWidth: max(0, w - reasonX - 1), role: role)
            } else if !f.input.text.trimmingCharacters(in: .whitespaces).isEmpty {
                g.put("✓", x: markX, y: y, role: .healthy)
            } else {
                g.put("broker default", x: reasonX, y: y, maxWidth: max(0, w - reasonX - 1), role: .muted)
            }
            y += 1
        }
        // Details: the focused field's help and every finding in full, the broker's refusal first.
        y += 1
        var lines: [(String, Role)] = []
        if let problem { lines += WrappedText.lines(Fmt.safe(problem), width: w - 4).map { ($0, .critical) } }
        if let shortage {
            lines += WrappedText.lines(Fmt.safe(shortage.message(override: "Ctrl-O")), width: w - 4).map { ($0, .warning) }
        }
        if fields.indices.contains(focus) {
            let f = fields[focus]
            lines += WrappedText.lines(Fmt.safe(f.help), width: w - 4).map { ($0, .muted) }
            for finding in findings(f.id) + (focus == 0 ? unplacedFindings : []) {
                let (m, role) = Self.mark(finding.severity)
                for (j, text) in Self.long(finding).enumerated() {
                    for (k, line) in WrappedText.lines(Fmt.safe(text), width: w - 6).enumerated() {
                        lines.append(((j == 0 && k == 0 ? m + " " : "  ") + line, j == 0 ? role : .body))
                    }
                }
            }
        }
        for (text, role) in lines where y < bottom - 1 {
            g.put(text, x: 2, y: y, maxWidth: w - 3, role: role)
            y += 1
        }
        let errors = blocking(check.all, check.proposal).count
        let overridden = check.all.filter { $0.severity == .error }.count - errors
        let warnings = check.all.filter { $0.severity == .warning }.count
        let summary: String
        if errors > 0, let shortage, !policyOverride, shortage.live > 0,
           check.proposal.map({ p in check.all.allSatisfy { $0.severity != .error || TopicCreation.overridable($0, topic: p) } }) ?? false {
            summary = "the policy cannot be met with \(shortage.live) live broker\(shortage.live == 1 ? "" : "s"): Ctrl-O overrides it (audited)"
        } else if errors == 0 && overridden > 0 {
            summary = "policy override: \(overridden) rule\(overridden == 1 ? "" : "s") accepted: Ctrl-S or F2 reviews"
        } else if errors > 0 {
            summary = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"): fix the errors to review"
        } else {
            summary = (warnings > 0 ? "\(warnings) warning\(warnings == 1 ? "" : "s"), no errors" : "no findings")
                + ": Ctrl-S or F2 reviews (Enter on the last field too)"
        }
        g.put(summary, x: 1, y: bottom - 1, maxWidth: w - 2, role: errors > 0 ? .critical : warnings > 0 ? .warning : .healthy)
    }

    func renderReview(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        guard let t = plan else { return }
        let w = area.width, textW = max(10, w - 4)
        let name = Fmt.safe(t.name)
        var head: [(String, Role)] = [
            ("Create topic \(name): \(t.partitions) partition\(t.partitions == 1 ? "" : "s"), replication factor \(t.replicationFactor)", .title),
        ]
        let configs = t.configs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        head += WrappedText.lines("configs: " + Fmt.safe(configs.isEmpty ? "(broker defaults)" : configs), width: textW).map { ($0, .body) }
        let verdict = TopicCreation.verdict(planFindings)
        let policyName = ctx.policyName
        let overridden = planFindings.filter { $0.severity == .error }.count
        let verdictRole: Role = planBlocked ? .critical : planFindings.isEmpty ? .healthy : .warning
        head += WrappedText.lines("policy (\(policyName)): \(verdict)"
                                  + (!planBlocked && overridden > 0 ? " · OVERRIDDEN (\(overridden) rule\(overridden == 1 ? "" : "s"), recorded in the audit log)" : ""),
                                  width: textW).map { ($0, verdictRole) }

        var findingLines: [(String, Role)] = []
        for f in planFindings.sorted(by: { $0.severity > $1.severity }) {
            let (m, role) = Self.mark(f.severity)
            findingLines.append(("  \(m) " + Fmt.safe(Self.long(f)[0]), role))
        }

        var tail: [(String, Role)] = [("", .body), ("equivalent command:", .title)]
        tail += WrappedText.lines(Fmt.safe(TopicCreation.kafkaTopicsCommand(t, bootstrap: ctx.operations.bootstrap)), width: textW).map { ("  " + $0, .body) }
        tail.append(("", .body))
        if let problem { tail += WrappedText.lines(Fmt.safe(problem), width: textW).map { ($0, .critical) } }
        switch (step, busy) {
        case (_, .validating?): tail.append(("validating on the broker (validate-only)…", .muted))
        case (_, .creating?): tail.append(("creating the topic…", .muted))
        case (.review, nil):
            tail.append(planBlocked ? ("the policy refuses this topic: Esc goes back to the form", .critical)
                        : ("Enter asks the broker to validate it (validate-only: nothing is created)", .body))
        default:
            tail.append(("✓ the broker accepts the request (validate-only)", .healthy))
            tail.append(policyOverride
                        ? ("policy override: type the topic name, then Enter, to create it:", .warning)
                        : ctx.operations.protected
                        ? ("protected profile: type the topic name, then Enter, to create it:", .warning)
                        : ("Enter creates the topic (recorded in the audit log) · Esc goes back", .body))
        }
        let confirmRow = step == .confirm && busy == nil && needsTypedName(ctx) ? 1 : 0

        let room = max(0, area.height - head.count - tail.count - confirmRow)
        if findingLines.count > room {
            let hidden = findingLines.count - max(0, room - 1)
            findingLines = Array(findingLines.prefix(max(0, room - 1)))
            if room > 0 { findingLines.append(("  … \(hidden) more (kafkaops topic create --dry-run lists them all)", .muted)) }
        }
        var y = area.y
        for (text, role) in head + findingLines + tail where y < area.y + area.height {
            g.put(text, x: 1, y: y, maxWidth: w - 2, role: role)
            y += 1
        }
        if confirmRow == 1, y < area.y + area.height {
            confirmation.draw(&g, x: 3, y: y, width: min(40, w - 4))
        }
    }
}
