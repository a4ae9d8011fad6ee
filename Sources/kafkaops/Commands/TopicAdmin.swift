import ArgumentParser
import Foundation
import KafkaOpsCore

/// A topic change refused before anything is read further: bad input exits 2, the cluster's no exits 1.
func thrown(_ r: TopicChangeRefusal) -> any Error {
    r.isUsage ? UsageError(r.description) : ClusterError(.invalidRequest, r.description)
}

/// The preview's last line: how to apply it, and on a protected profile the name to type.
func previewOnlyLine(_ r: ResolvedProfile, verb: String, name: String) -> String {
    "Preview only: run again with --execute to \(verb)"
        + (r.profile.protected ? " (profile \(r.name ?? "(unnamed)") is protected: add --confirm \(Sanitizer.terminal(name)))" : "") + ".\n"
}

extension TopicCommand {
    struct AddPartitions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-partitions",
            abstract: "Raise a topic's partition count (kafka-topics.sh --alter --partitions N), previewed before it is applied.",
            discussion: """
            Without --execute it only prints the preview. Kafka can only add partitions: N must be more than \
            the current count. Records with a key go to a different partition from then on (the partition is \
            the key's hash modulo the count). Internal topics are refused. On a protected profile, repeat the \
            topic's name with --confirm NAME.
            Example: kafkaops topic add-partitions orders --partitions 12 --execute
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "Topic name.", completion: Completions.topics) var name: String
        @Option(name: .long, help: "The partition count to reach (more than the current one).") var partitions: Int32
        @Flag(name: .long, help: "Add the partitions (default: preview only).") var execute = false
        @Option(name: .long, help: "The topic name again, required on a protected profile.") var confirm: String?

        func validate() throws {
            guard partitions > 0 else { throw ValidationError("--partitions must be at least 1") }
        }

        struct PlanJSON: Encodable {
            let topic: String
            let partitions_before: Int
            let partitions_after: Int32
            let warning: String
            let executed: Bool
            let result: String
        }

        func run() async throws {
            let s = try Session.open(global)
            if execute { try requireWritable(s.resolved, action: "add partitions to topic \(name)") }
            let md = try await s.client.metadata(deadline: s.deadline)
            let change: KafkaOpsCore.AddPartitions
            switch KafkaOpsCore.AddPartitions.plan(md, topic: name, partitions: partitions) {
            case .success(let c): change = c
            case .failure(let r): throw thrown(r)
            }
            func report(executed: Bool, result: String) throws {
                switch out.output {
                case .json, .yaml:
                    try emitStructured(out.output, PlanJSON(topic: name, partitions_before: change.current, partitions_after: partitions,
                                                            warning: KafkaOpsCore.AddPartitions.keyedRecordsWarning, executed: executed, result: result))
                case .table:
                    emit("Topic \(Sanitizer.terminal(name)): \(change.current) -> \(partitions) partition(s)\n"
                         + "Warning: \(KafkaOpsCore.AddPartitions.keyedRecordsWarning).\n" + result)
                }
            }
            guard execute else { return try report(executed: false, result: previewOnlyLine(s.resolved, verb: "add them", name: name)) }
            try await s.run(change, confirm: confirm) { done in
                guard done.outcome.isAnswered else {
                    try report(executed: true, result: done.outcome.line("adding the partitions", lost: nil) + "\n")
                    throw ExitCode(1)
                }
                try report(executed: true, result: "Added: topic \(Sanitizer.terminal(name)) has \(partitions) partitions.\n")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a topic and its records (kafka-topics.sh --delete), previewed before it is applied.",
            discussion: """
            Without --execute it only prints the preview: the topic's size (records: log end minus log start, per \
            partition), its end offsets and the groups that still have committed offsets on it. Internal topics \
            (__consumer_offsets, __transaction_state, any name starting with __) are refused. There is no undo. \
            On a protected profile, repeat the topic's name with --confirm NAME.
            Example: kafkaops topic delete old-orders --execute
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions
        @Argument(help: "Topic name.", completion: Completions.topics) var name: String
        @Flag(name: .long, help: "Delete the topic (default: preview only).") var execute = false
        @Option(name: .long, help: "The topic name again, required on a protected profile.") var confirm: String?

        struct PartitionJSON: Encodable {
            let partition: Int32
            let log_start: Int64
            let log_end: Int64
            let records: Int64
        }
        struct PlanJSON: Encodable {
            let topic: String
            let records: Int64
            let partitions: [PartitionJSON]
            let committing_groups: [String]
            let unread_groups: [String]
            let executed: Bool
            let result: String
        }

        func run() async throws {
            let s = try Session.open(global)
            if execute { try requireWritable(s.resolved, action: "delete topic \(name)") }
            let preview: TopicDeletionPreview
            switch try await TopicDeletionPreview.load(topic: name, client: s.client, deadline: s.deadline) {
            case .success(let p): preview = p
            case .failure(let r): throw thrown(r)
            }
            let rows = preview.offsets.sorted { $0.key < $1.key }.map {
                PartitionJSON(partition: $0.key, log_start: $0.value.start, log_end: $0.value.end, records: $0.value.count)
            }
            func report(executed: Bool, result: String) throws {
                switch out.output {
                case .json, .yaml:
                    try emitStructured(out.output, PlanJSON(topic: name, records: preview.records, partitions: rows,
                                                            committing_groups: preview.committingGroups, unread_groups: preview.unreadGroups,
                                                            executed: executed, result: result))
                case .table:
                    var t = TextTable([("PARTITION", .right), ("LOG-START", .right), ("LOG-END", .right), ("RECORDS", .right)])
                    for r in rows { t.add([String(r.partition), String(r.log_start), String(r.log_end), String(r.records)]) }
                    var o = "Topic \(Sanitizer.terminal(name)): \(rows.count) partition(s), \(preview.records) record(s)\n" + t.render()
                    o += preview.committingGroups.isEmpty ? "No group has committed offsets on it.\n"
                        : "Groups that still commit to it: " + preview.committingGroups.map { Sanitizer.terminal($0) }.joined(separator: ", ") + "\n"
                    if !preview.unreadGroups.isEmpty {
                        o += "Groups whose offsets could not be read (they may commit to it too): "
                            + preview.unreadGroups.map { Sanitizer.terminal($0) }.joined(separator: ", ") + "\n"
                    }
                    o += "Deleting a topic deletes its records: there is no undo.\n" + result
                    emit(o)
                }
            }
            guard execute else { return try report(executed: false, result: previewOnlyLine(s.resolved, verb: "delete it", name: name)) }
            try await s.run(DeleteTopic(preview), confirm: confirm) { done in
                let c = done.outcome.confirmation
                guard c.isAnswered else {
                    try report(executed: true, result: c.line("the deletion of topic \(Sanitizer.terminal(name))", lost: nil) + "\n")
                    throw ExitCode(1)
                }
                try report(executed: true, result: done.outcome.stillListed
                    ? "Deleted: the broker accepted it; the topic is still in the metadata (Kafka deletes in the background).\n"
                    : "Deleted: topic \(Sanitizer.terminal(name)) is gone from the metadata.\n")
            }
        }
    }
}
