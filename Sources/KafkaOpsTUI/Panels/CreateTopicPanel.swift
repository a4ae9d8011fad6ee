import Foundation
import KafkaOpsCore

/// Guided topic creation (`c` on the topics screen, `:create`): a form checked as you type
/// (Kafka's name rules, every policy rule, the live brokers), a review with the policy verdict and
/// the equivalent kafka-topics.sh command line, validate-only on the broker, then the creation
/// after confirmation (the topic name typed on a protected profile), audited like the CLI's.
public struct CreateTopicPanel: FlowPanel {
    /// Where the flow is: editing, reviewing (validate next), or confirming (create next).
    public enum Step: Sendable, Hashable { case form, review, confirm }
    public enum Busy: Sendable, Hashable { case validating, creating }
    /// What the creation jobs send back to the panel.
    public enum Event: Sendable {
        /// The broker accepted the request with validateOnly (nothing was created).
        case validated(NewTopic, JobTicket)
        case validateFailed(NewTopic, String, JobTicket)
        /// The topic exists now; the audit record went to `auditPath`, or could not be written
        /// (`unrecorded`: the loud warning to show).
        case created(NewTopic, auditPath: String, unrecorded: String?)
        case createFailed(NewTopic, String)
        /// Refused before any request was sent (the audit log could not be opened).
        case refused(String)
    }
    public enum FieldID: Sendable, Hashable {
        case fixed(TopicFormField)
        /// cleanup.policy and the other configs the policy requires.
        case config(String)
    }

    public struct Field: Sendable, Hashable {
        public var id: FieldID
        public var label: String
        public var help: String
        public var input: TextField
        /// Typed into by the operator (a fresh snapshot no longer changes its pre-filled value).
        public var edited = false
    }

    public private(set) var fields: [Field]
    public private(set) var focus = 0
    public private(set) var step: Step = .form
    public private(set) var busy: Busy?
    /// The live check of the form as typed.
    public private(set) var check: TopicFormCheck
    /// The topic under review and the findings the CLI would list for it.
    public private(set) var plan: NewTopic?
    public private(set) var planFindings: [Finding] = []
    /// The broker's last refusal, or a refusal before sending; shown until the form changes.
    public private(set) var problem: String?
    /// On a protected profile: the topic name typed again.
    public private(set) var confirmation = Self.nameConfirmation("")
    let configNames: [String]
    /// The broker validation asked for last: an earlier answer (validation stopped, then asked again) is stale.
    var validations = JobTickets()

    public var title: String { step == .form ? "Create topic" : "Create topic › Review" }
    public var changeInFlight: String? { busy == .creating ? "the topic is being created" : nil }


    public static func open(_ ctx: PanelContext) -> (CreateTopicPanel, PanelOutcome) {
        (CreateTopicPanel(ctx), .none)
    }

    init(_ ctx: PanelContext) {
        let facts = Self.facts(ctx)
        let form = TopicCreation.defaults(policy: ctx.policy, brokerConfigs: facts.brokerConfigs, liveBrokers: facts.live)
        configNames = TopicCreation.formConfigNames(ctx.policy)
        var fields = [
            Field(id: .fixed(.name), label: "name", help: "Kafka allows ASCII letters, digits, '.', '_' and '-', at most 249",
                  input: TextField(form.name)),
            Field(id: .fixed(.partitions), label: "partitions", help: "how many partitions (the consumers' parallelism)",
                  input: TextField(form.partitions, maxLength: 12)),
            Field(id: .fixed(.replicationFactor), label: "replication factor",
                  help: "copies of each partition, on different brokers; at most the live brokers",
                  input: TextField(form.replicationFactor, maxLength: 6)),
            Field(id: .fixed(.minInsyncReplicas), label: "min.insync.replicas",
                  help: "replicas that must have a record before an acks=all write succeeds; blank: broker default",
                  input: TextField(form.minInsyncReplicas, maxLength: 6)),
            Field(id: .fixed(.retention), label: "retention.ms",
                  help: "how long records are kept: milliseconds, or 7d, 12h, 30m; -1 keeps them forever; blank: broker default",
                  input: TextField(form.retention, maxLength: 24)),
            Field(id: .fixed(.uncleanLeaderElection), label: "unclean election",
                  help: "unclean.leader.election.enable: true or false (true can lose acknowledged records); blank: broker default",
                  input: TextField(form.uncleanLeaderElection, maxLength: 5)),
        ]
        for name in configNames {
            let help: String
            switch ctx.policy.requiredConfigs[name] {
            case .oneOf(let allowed)?: help = "\(name): the policy allows \(allowed.joined(separator: ", "))"
            case .anyValue?: help = "\(name): the policy requires it to be set on the topic"
            case nil: help = name == KafkaConfig.cleanupPolicy ? "cleanup.policy: delete, compact or compact,delete" : name
            }
            fields.append(Field(id: .config(name), label: name, help: help, input: TextField(form.otherConfigs[name] ?? "")))
        }
        self.fields = fields
        check = TopicCreation.checkForm(form, brokerConfigs: facts.brokerConfigs, existingTopics: facts.existing,
                                        liveBrokers: facts.live, policy: ctx.policy)
    }

    /// What the checks read from the cluster as last loaded (live brokers unknown before the first load).
    static func facts(_ ctx: PanelContext) -> (brokerConfigs: [ConfigEntry], existing: [String], live: Int?) {
        (ctx.snapshot?.brokerConfigs ?? [], ctx.snapshot?.metadata.topics.map(\.name) ?? [], ctx.snapshot?.metadata.brokers.count)
    }

    /// The form as typed.
    public var form: TopicForm {
        var f = TopicForm()
        for field in fields {
            let t = field.input.text
            switch field.id {
            case .fixed(.name): f.name = t
            case .fixed(.partitions): f.partitions = t
            case .fixed(.replicationFactor): f.replicationFactor = t
            case .fixed(.minInsyncReplicas): f.minInsyncReplicas = t
            case .fixed(.retention): f.retention = t
            case .fixed(.uncleanLeaderElection): f.uncleanLeaderElection = t
            case .config(let name): f.otherConfigs[name] = t
            }
        }
        return f
    }

    mutating func recheck(_ ctx: PanelContext) {
        let facts = Self.facts(ctx)
        check = TopicCreation.checkForm(form, brokerConfigs: facts.brokerConfigs, existingTopics: facts.existing,
                                        liveBrokers: facts.live, policy: ctx.policy)
    }

    /// The findings shown beside a field, worst first.
    public func findings(_ id: FieldID) -> [Finding] {
        switch id {
        case .fixed(let f): return check.findings(f)
        case .config(let name):
            return check.general.filter { TopicCreation.configName(of: $0, among: configNames) == name }
        }
    }

    /// Findings no field shows (a forbidden config the form has no field for).
    var unplacedFindings: [Finding] {
        check.general.filter { TopicCreation.configName(of: $0, among: configNames) == nil }
    }

    public mutating func snapshotChanged(_ ctx: PanelContext) {
        // Pre-filled values follow the cluster (e.g. the live brokers) until the operator types.
        let facts = Self.facts(ctx)
        let d = TopicCreation.defaults(policy: ctx.policy, brokerConfigs: facts.brokerConfigs, liveBrokers: facts.live)
        for i in fields.indices where !fields[i].edited {
            switch fields[i].id {
            case .fixed(.partitions): fields[i].input = TextField(d.partitions, maxLength: fields[i].input.maxLength)
            case .fixed(.replicationFactor): fields[i].input = TextField(d.replicationFactor, maxLength: fields[i].input.maxLength)
            default: break
            }
        }
        recheck(ctx)
    }

    // MARK: keys

    public enum Action: Sendable { case next, previous, nextOrReview, review, cancel, validate, stopValidating, edit, create }

    /// A form field has the keys, or the topic name is typed again on a protected profile.
    public func isTyping(_ ctx: PanelContext) -> Bool {
        busy == nil && (step == .form || (step == .confirm && ctx.operations.protected))
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        if busy == .creating {
            return FlowKeys([.note("", "creating the topic: waiting for the broker")], readOnly: ctx.readOnly)
        }
        let edit = FlowBinding<Action>([.escape], .edit, "back to the form", short: "edit")
        switch step {
        case .form:
            return FlowKeys([
                FlowBinding([.tab, .down], .next, "the next field", short: "next"),
                FlowBinding([.backTab, .up], .previous, "the previous field", short: "previous"),
                // Ctrl-S and F2 both reach the console in tmux and over SSH: the terminal is in raw mode.
                FlowBinding([.ctrl("s"), .function(2)], .review, "review the topic (when the form has no error)", short: "review"),
                FlowBinding([.escape], .cancel, "cancel: nothing is sent", short: "cancel"),
                FlowBinding([.enter], .nextOrReview, "the next field; on the last one, the review"),
            ], readOnly: ctx.readOnly)
        case .review where busy == .validating:
            return FlowKeys([FlowBinding([.escape], .stopValidating, "stop validating (nothing is created)", short: "stop validating")],
                            readOnly: ctx.readOnly)
        case .review:
            return FlowKeys([FlowBinding([.enter], .validate, "ask the broker to validate it (validate-only: nothing is created)",
                                         short: "validate on the broker"), edit], readOnly: ctx.readOnly)
        case .confirm:
            let create = FlowBinding<Action>([.enter], .create, "create the topic (recorded in the audit log)", short: "create",
                                             label: ctx.operations.protected ? "type the name, Enter" : "Enter", destructive: true)
            return FlowKeys([create, edit], readOnly: ctx.readOnly)
        }
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        if busy == .creating { return .info("creating the topic: waiting for the broker's answer") }
        let n = fields.count
        switch keys(ctx).lookup(key) {
        case .action(.cancel):
            return PanelOutcome(close: true, status: StatusMessage(text: "topic creation cancelled: nothing was sent", isError: false))
        case .action(.next):
            focus = (focus + 1) % n
        case .action(.previous):
            focus = (focus + n - 1) % n
        case .action(.nextOrReview):
            if focus == n - 1 { return review(ctx) }
            focus += 1
        case .action(.review):
            return review(ctx)
        case .action(let a):
            return handleReview(a, ctx)
        case .readOnly(let b):
            return .error(FlowKeys<Action>.readOnlyRefusal(b))
        case .unbound:
            switch step {
            case .form:
                if fields[focus].input.edit(key) {
                    fields[focus].edited = true
                    problem = nil
                    recheck(ctx)
                }
            case .review:
                if busy == .validating { return .info("validating on the broker…") }
            case .confirm:
                if ctx.operations.protected { confirmation.edit(key) }
            }
        }
        return .none
    }

    /// Goes to the review when the form has no error; otherwise focuses the first field with one.
    mutating func review(_ ctx: PanelContext) -> PanelOutcome {
        recheck(ctx)
        guard check.canSubmit, let topic = check.proposal else {
            let errors = check.all.filter { $0.severity == .error }
            if let i = fields.firstIndex(where: { f in findings(f.id).contains { $0.severity == .error } }) { focus = i }
            let first = errors.first.map { ": " + Fmt.safe(Self.short($0)) } ?? ""
            return .error("fix \(errors.count) error\(errors.count == 1 ? "" : "s") before the review\(first)")
        }
        let facts = Self.facts(ctx)
        plan = topic
        planFindings = TopicCreation.findings(topic, brokerConfigs: facts.brokerConfigs, existingTopics: facts.existing,
                                              liveBrokers: facts.live ?? Int(topic.replicationFactor), policy: ctx.policy)
        confirmation = Self.nameConfirmation(topic.name)
        step = .review
        return .none
    }

    static func nameConfirmation(_ topic: String) -> NameConfirmation {
        NameConfirmation(name: topic, refusal: "protected profile: type the topic name exactly to create it")
    }

    var planBlocked: Bool { planFindings.contains { $0.severity == .error } }

    /// The review's and the confirmation's actions.
    mutating func handleReview(_ action: Action, _ ctx: PanelContext) -> PanelOutcome {
        guard let topic = plan else { step = .form; return .none }
        switch action {
        case .stopValidating:
            busy = nil
            validations.expire()
            return PanelOutcome(cancel: ["validate"], status: StatusMessage(text: "validation stopped: nothing was created", isError: false))
        case .edit:
            step = .form
            return .none
        case .validate:
            if planBlocked { return .error("the policy refuses this topic: Esc to edit it") }
            busy = .validating
            problem = nil
            return PanelOutcome(jobs: [Self.validateJob(topic, ticket: validations.next())])
        case .create:
            break
        default:
            return .none
        }
        if ctx.operations.protected, let why = confirmation.refusalIfWrong { return .error(why) }
        busy = .creating
        problem = nil
        let policyName = ctx.policy == .default ? "built-in default policy" : "profile policy"
        return PanelOutcome(jobs: [Self.createJob(topic, policy: policyName, verdict: TopicCreation.verdict(planFindings))],
                            status: StatusMessage(text: "creating topic \(Fmt.safe(topic.name))…", isError: false))
    }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .createTopic(let event) = event else { return .none }
        switch event {
        case .validated(let t, let ticket):
            guard validations.isCurrent(ticket), t == plan, busy == .validating else { return .none }
            busy = nil
            step = .confirm
            return .info("the broker accepts the request (validate-only); nothing is created yet")
        case .validateFailed(let t, let reason, let ticket):
            guard validations.isCurrent(ticket), t == plan, busy == .validating else { return .none }
            busy = nil
            step = .form
            problem = "the broker refused it (validate-only): " + reason
            return .error("the broker refused the topic: " + Fmt.safe(reason))
        case .created(let t, let path, let unrecorded):
            busy = nil
            let text = unrecorded.map { "created topic \(Fmt.safe(t.name)); " + Fmt.safe($0) }
                ?? "created topic \(Fmt.safe(t.name)); audit: \(Fmt.safe(path))"
            return PanelOutcome(status: StatusMessage(text: text, isError: unrecorded != nil),
                                reload: true, open: .topicDetail(t.name))
        case .createFailed(_, let reason):
            busy = nil
            step = .form
            problem = "the broker refused to create it, nothing was created: " + reason
            return .error("create failed: " + Fmt.safe(reason))
        case .refused(let reason):
            busy = nil
            problem = reason
            return .error(Fmt.safe(reason))
        }
    }

    // MARK: jobs

    static func validateJob(_ topic: NewTopic, ticket: JobTicket) -> Job {
        Job("validate", sending: Event.self) { jc in
            do {
                try await jc.client.createTopic(topic, validateOnly: true, deadline: jc.deadline)
                await jc.send(.validated(topic, ticket))
            } catch {
                await jc.send(.validateFailed(topic, "\(error)", ticket))
            }
        }
    }

    /// Opens the audit log (refusing, with nothing sent, when it cannot), creates, records the
    /// same entry as `kafkaops topic create`.
    static func createJob(_ topic: NewTopic, policy: String, verdict: String) -> Job {
        Job("create", sending: Event.self) { jc in
            guard let change = await jc.startChangeOrRefuse(
                action: TopicCreation.auditAction, target: topic.name, after: TopicCreation.auditAfter(topic),
                refusal: { .refused("the audit log cannot be written, so nothing was sent: \($0)") }) else { return }
            do {
                try await jc.client.createTopic(topic, validateOnly: false, deadline: jc.deadline)
            } catch {
                let unrecorded = change.finish(result: "failed: \(error)")
                await jc.send(.createFailed(topic, "\(error)" + (unrecorded.map { "; " + $0 } ?? "")))
                return
            }
            let unrecorded = change.finish(result: "ok", details: TopicCreation.auditDetails(policy: policy, verdict: verdict))
            await jc.send(.created(topic, auditPath: change.recorder.path, unrecorded: unrecorded))
        }
    }

    // MARK: drawing

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
        g.put("Checked as you type · policy: RF >= \(p.minReplicationFactor), min ISR >= \(p.minInsyncReplicas) · \(live)",
              x: 1, y: area.y, maxWidth: w - 2, role: .muted)
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
                g.put(Fmt.safe(Self.short(worst)), x: reasonX, y: y, maxWidth: max(0, w - reasonX - 1), role: role)
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
        let errors = check.all.filter { $0.severity == .error }.count
        let warnings = check.all.filter { $0.severity == .warning }.count
        let summary: String
        if errors > 0 {
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
        let policyName = ctx.policy == .default ? "built-in default policy" : "profile policy"
        head.append(("policy (\(policyName)): \(verdict)", planBlocked ? .critical : planFindings.isEmpty ? .healthy : .warning))

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
            tail.append(ctx.operations.protected
                        ? ("protected profile: type the topic name, then Enter, to create it:", .warning)
                        : ("Enter creates the topic (recorded in the audit log) · Esc goes back", .body))
        }
        let confirmRow = step == .confirm && busy == nil && ctx.operations.protected ? 1 : 0

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
