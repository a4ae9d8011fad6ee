import ArgumentParser
import Foundation
import KafkaOpsCore

extension GroupCommand {
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an inactive consumer group, or with --topic only its committed offsets for that topic (kafka-consumer-groups.sh --delete / --delete-offsets).",
            discussion: """
            Without --execute it only prints the preview. Only a group that is inactive (Empty or Dead, no members, \
            its committed offsets not moving) is deleted: the same rule as reset-offsets, checked again just before \
            the request is sent. On a protected profile, repeat the group's name with --confirm NAME.
            Example: kafkaops group delete old-billing --execute
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "Group id.", completion: Completions.groups) var name: String
        @Option(name: .long, help: "Delete only the group's committed offsets for this topic (Kafka's --delete-offsets).",
                completion: Completions.topics) var topic: String?
        @Flag(name: .long, help: "Delete (default: preview only).") var execute = false
        @Option(name: .long, help: "The group name again, required on a protected profile.") var confirm: String?

        struct PlanJSON: Encodable {
            let group: String
            @NullEncoded var topic: String?
            let committed: [String: Int64]
            let executed: Bool
            let result: String
        }

        func run() async throws {
            let s = try Session.open(global)
            let what = topic.map { "delete the committed offsets of group \(name) for topic \($0)" } ?? "delete group \(name)"
            if execute { try requireWritable(s.resolved, action: what) }
            let inputs: ResetInputs
            switch try await GroupDeletion.load(group: name, topic: topic, client: s.client, deadline: s.deadline,
                                                secondSampleAfter: ResetInputs.assignCommitterPause) {
            case .success(let i): inputs = i
            case .failure(let r):
                switch r {
                case .unknownGroup: throw ClusterError(.unknownGroup, r.description, hint: "list groups with: kafkaops groups")
                case .notInactive: throw ClusterError(.groupNotEmpty, r.description)
                case .noOffsets: throw ClusterError(.invalidRequest, r.description)
                }
            }
            let scoped = topic.map { t in inputs.committed.filter { $0.key.topic == t } } ?? inputs.committed
            func report(executed: Bool, result: String, rows: [TopicPartition: String] = [:]) throws {
                switch out.output {
                case .json, .yaml:
                    try emitStructured(out.output, PlanJSON(group: name, topic: topic,
                                                            committed: Dictionary(uniqueKeysWithValues: scoped.map { ($0.key.description, $0.value) }),
                                                            executed: executed, result: result))
                case .table:
                    var t = TextTable([("TOPIC", .left), ("PARTITION", .right), ("COMMITTED", .right), ("RESULT", .left)])
                    for (tp, o) in scoped.sorted(by: { $0.key < $1.key }) {
                        t.add([tp.topic, String(tp.partition), String(o), rows[tp] ?? (executed ? "" : "would delete")])
                    }
                    var o = "Group \(Sanitizer.terminal(name)) (\(inputs.state?.rawValue ?? "?"), no members): "
                    o += topic.map { "its committed offsets for topic \(Sanitizer.terminal($0)):\n" } ?? "\(scoped.count) committed offset(s):\n"
                    o += scoped.isEmpty ? "" : t.render()
                    emit(o + result)
                }
            }
            let verb = topic == nil ? "delete the group" : "delete these offsets"
            guard execute else { return try report(executed: false, result: previewOnlyLine(s.resolved, verb: verb, name: name)) }
            if let topic {
                try await s.run(DeleteGroupTopicOffsets(group: name, topic: topic, committed: inputs.committed), confirm: confirm) { done in
                    let ok = done.result == "ok"
                    try report(executed: true, result: ok ? "Deleted.\n" : "Outcome: \(Sanitizer.terminal(done.result))\n", rows: done.outcome)
                    if !ok { throw ExitCode(1) }
                }
            } else {
                try await s.run(DeleteGroup(group: name, committed: inputs.committed), confirm: confirm) { done in
                    guard done.outcome.isAnswered else {
                        try report(executed: true, result: done.outcome.line("the deletion of group \(Sanitizer.terminal(name))", lost: nil) + "\n")
                        throw ExitCode(1)
                    }
                    try report(executed: true, result: "Deleted: group \(Sanitizer.terminal(name)) and its committed offsets.\n")
                }
            }
        }
    }
}
