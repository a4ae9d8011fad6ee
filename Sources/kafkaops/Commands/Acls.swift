import ArgumentParser
import Foundation
import KafkaOpsCore

/// `kafkaops acls`: the cluster's ACLs, read-only (what `kafka-acls.sh --list` shows).
struct Acls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List ACLs (read-only), as kafka-acls.sh --list does.",
        discussion: """
        --topic and --group list every ACL that applies to the resource: its literal name, the wildcard `*` and \
        the PREFIXED patterns it starts with (kafka-acls.sh --resource-pattern-type match). Both together list both.
        An empty answer is not proof that there are no ACLs: librdkafka reports a cluster without an authorizer \
        and a principal that may not describe ACLs as an empty list too.
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions

    @Option(name: .long, help: "Only the ACLs of this principal, as Kafka writes it (User:alice).")
    var principal: String?
    @Option(name: .long, help: "Only the ACLs that apply to this topic.", completion: Completions.topics)
    var topic: String?
    @Option(name: .long, help: "Only the ACLs that apply to this consumer group.", completion: Completions.groups)
    var group: String?

    func validate() throws {
        if let p = principal, let why = AclFilter.principalProblem(p) { throw ValidationError(why) }
        if topic?.isEmpty == true { throw ValidationError("--topic needs a topic name") }
        if group?.isEmpty == true { throw ValidationError("--group needs a group name") }
    }

    /// One filter per resource asked for (DescribeAcls takes one); none: every ACL.
    var filters: [AclFilter] {
        var f: [AclFilter] = []
        if let topic { f.append(.topic(topic, principal: principal)) }
        if let group { f.append(.group(group, principal: principal)) }
        return f.isEmpty ? [.all(principal: principal)] : f
    }

    func run() async throws {
        let s = try Session.open(global)
        let deadline = s.deadline
        var acls: [AclBinding] = []
        for f in filters { acls += try await s.client.describeAcls(f, deadline: deadline) }
        acls = Array(Set(acls)).sorted(by: AclBinding.listed)
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, AclsJSON(acls, principal: principal, topic: topic, group: group))
        case .table:
            emit(AclsTable.render(acls))
        }
    }
}

extension Acls: TimedCommand { var timeoutSeconds: Double { global.timeout } }
