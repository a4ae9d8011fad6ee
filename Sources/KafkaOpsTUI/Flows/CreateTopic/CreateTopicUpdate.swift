import Foundation
import KafkaOpsCore

/// Topic creation: what each key does at each step.
extension CreateTopicPanel {
    mutating func recheck(_ ctx: PanelContext) {
        let facts = Self.facts(ctx)
        check = TopicCreation.checkForm(form, brokerConfigs: facts.brokerConfigs, existingTopics: facts.existing,
                                        liveBrokers: facts.live, policy: ctx.policy)
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
        case .action(.policyOverride):
            guard Self.canOverride(ctx) else { return .error("no policy override: the live brokers can meet the policy") }
            policyOverride.toggle()
            return .info(policyOverride
                ? "policy override on: the policy's rules are accepted; the topic name is typed to create it, the change log records it"
                : "policy override off")
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
                if needsTypedName(ctx) { confirmation.edit(key) }
            }
        }
        return .none
    }

    /// Goes to the review when the form has no error; otherwise focuses the first field with one.
    mutating func review(_ ctx: PanelContext) -> PanelOutcome {
        recheck(ctx)
        guard let topic = check.proposal, blocking(check.all, topic).isEmpty else {
            let errors = blocking(check.all, check.proposal)
            if let i = fields.firstIndex(where: { f in !blocking(findings(f.id), check.proposal).isEmpty }) { focus = i }
            let first = errors.first.map { ": " + Fmt.safe(Self.short($0)) } ?? ""
            return .error("fix \(errors.count) error\(errors.count == 1 ? "" : "s") before the review\(first)")
        }
        let facts = Self.facts(ctx)
        plan = topic
        planFindings = TopicCreation.findings(topic, brokerConfigs: facts.brokerConfigs, existingTopics: facts.existing,
                                              liveBrokers: facts.live ?? Int(topic.replicationFactor), policy: ctx.policy)
        confirmation = Self.nameConfirmation(topic.name, policyOverride: policyOverride)
        step = .review
        return .none
    }

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
        if needsTypedName(ctx), let why = confirmation.refusalIfWrong { return .error(why) }
        if planBlocked { return .error("the policy refuses this topic: Esc to edit it") }
        busy = .creating
        problem = nil
        let policyName = ctx.policyName
        return PanelOutcome(jobs: [Self.createJob(topic, findings: planFindings, policy: policyName,
                                                  confirmation: ctx.operations.protected ? confirmation.typed : nil,
                                                  allowOverride: policyOverride)],
                            status: StatusMessage(text: "creating topic \(Fmt.safe(topic.name))…", isError: false))
    }
}
