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

    public internal(set) var fields: [Field]
    public internal(set) var focus = 0
    public internal(set) var step: Step = .form
    public internal(set) var busy: Busy?
    /// The live check of the form as typed.
    public internal(set) var check: TopicFormCheck
    /// The topic under review and the findings the CLI would list for it.
    public internal(set) var plan: NewTopic?
    public internal(set) var planFindings: [Finding] = []
    /// The broker's last refusal, or a refusal before sending; shown until the form changes.
    public internal(set) var problem: String?
    /// On a protected profile, or under a policy override: the topic name typed again.
    public internal(set) var confirmation = Self.nameConfirmation("", policyOverride: false)
    /// The operator's policy override (Ctrl-O, offered only when fewer brokers are live than the policy's
    /// replication factor): the CLI's --allow-policy-violation, with the topic name typed to create, and the
    /// overridden rules in the change log.
    public internal(set) var policyOverride = false
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
        (ctx.snapshot?.brokerConfigs ?? [], ctx.snapshot?.metadata.topics.map(\.name) ?? [], ctx.snapshot?.metadata.liveBrokerCount)
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

    static func nameConfirmation(_ topic: String, policyOverride: Bool) -> NameConfirmation {
        NameConfirmation(name: topic, refusal: policyOverride ? "policy override: type the topic name exactly to create it against the policy"
                                                             : "protected profile: type the topic name exactly to create it")
    }

    /// The topic name must be typed to create it: a protected profile, or a policy override.
    func needsTypedName(_ ctx: PanelContext) -> Bool { ctx.operations.protected || policyOverride }

    /// Why the policy's replication factor cannot be met by the live brokers now (nil: it can, or not loaded yet).
    static func shortage(_ ctx: PanelContext) -> TopicCreation.BrokerShortage? {
        ctx.snapshot.flatMap { TopicCreation.brokerShortage(policy: ctx.policy, metadata: $0.metadata) }
    }

    /// The policy override may be offered: the live brokers cannot meet the policy's replication factor.
    static func canOverride(_ ctx: PanelContext) -> Bool { shortage(ctx).map { $0.live > 0 } ?? false }

    /// The errors no policy override accepts (with the override off: every error).
    func blocking(_ findings: [Finding], _ topic: NewTopic?) -> [Finding] {
        findings.filter { f in
            f.severity == .error && !(policyOverride && topic.map { TopicCreation.overridable(f, topic: $0) } ?? false)
        }
    }

    var planBlocked: Bool { !blocking(planFindings, plan).isEmpty }
}
