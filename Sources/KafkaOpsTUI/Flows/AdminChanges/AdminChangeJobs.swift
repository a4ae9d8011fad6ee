import Foundation
import KafkaOpsCore

/// The everyday admin changes in the console's change panel: the preview read off the main actor (the
/// topic's offsets and the groups' commits, the group read twice as for a reset), then the change
/// through Core's ChangePipeline, as the CLI runs it.
extension ChangePanel {
    /// Adds partitions to the topic (the preview is the count panel's).
    static func addPartitionsJob(_ change: AddPartitions, confirmation: String?) -> Job {
        Job("add-partitions", sending: Event.self) { ctx in
            await run(change, confirmation: confirmation, ctx, afterFailure: ["Nothing was changed."]) { d in
                confirmed(d.outcome, what: "adding the partitions", applied: "Added: topic \(change.topic) has \(change.wanted) partitions.", d)
            }
        }
    }

    /// Reads what deleting `topic` loses, then offers the deletion.
    static func deleteTopicReadJob(_ topic: String, confirmation: String?) -> Job {
        Job("read", sending: Event.self) { ctx in
            let read: Result<TopicDeletionPreview, TopicChangeRefusal>
            do { read = try await TopicDeletionPreview.load(topic: topic, client: ctx.client, deadline: ctx.deadline) } catch {
                await ctx.send(.previewRead(ChangePreview(lines: [("Topic \(topic)", .title)],
                                                          blocked: "cannot read the topic: \(Fmt.safe(String(describing: error)))", job: nil)))
                return
            }
            switch read {
            case .failure(let r):
                await ctx.send(.previewRead(ChangePreview(lines: [("Topic \(topic)", .title)], blocked: r.description, job: nil)))
            case .success(let p):
                await ctx.send(.previewRead(ChangePreview(lines: deletionLines(p), blocked: nil,
                                                          job: deleteTopicJob(DeleteTopic(p), confirmation: confirmation))))
            }
        }
    }

    static func deletionLines(_ p: TopicDeletionPreview) -> [(text: String, role: Role)] {
        var lines: [(text: String, role: Role)] = [
            ("Delete topic \(p.topic): \(p.offsets.count) partition(s), \(p.records) record(s). There is no undo.", .title), ("", .body)]
        for (partition, o) in p.offsets.sorted(by: { $0.key < $1.key }) {
            lines.append(("partition \(partition): log start \(o.start), end \(o.end), \(o.count) record(s)", .body))
        }
        lines.append(("", .body))
        lines.append(p.committingGroups.isEmpty ? ("No group has committed offsets on it.", .muted)
                     : ("Groups that still commit to it: " + p.committingGroups.joined(separator: ", "), .warning))
        if !p.unreadGroups.isEmpty {
            lines.append(("Groups whose offsets could not be read (they may commit to it too): " + p.unreadGroups.joined(separator: ", "), .warning))
        }
        return lines
    }

    static func deleteTopicJob(_ change: DeleteTopic, confirmation: String?) -> Job {
        Job("delete-topic", sending: Event.self) { ctx in
            await run(change, confirmation: confirmation, ctx, afterFailure: ["Nothing was changed."]) { d in
                confirmed(d.outcome.confirmation, what: "the deletion of topic \(change.target)",
                          applied: d.outcome.stillListed ? "Deleted: the broker accepted it; the topic is still listed (Kafka deletes in the background)."
                                                         : "Deleted: topic \(change.target) is gone from the metadata.", d)
            }
        }
    }

    /// Reads the group as a reset does (two samples for a group without members), then offers its deletion.
    static func deleteGroupReadJob(_ group: String, confirmation: String?) -> Job {
        Job("read", sending: Event.self) { ctx in
            let title: (text: String, role: Role) = ("Delete group \(group) and its committed offsets", .title)
            let read: Result<ResetInputs, GroupDeletionRefusal>
            do {
                read = try await GroupDeletion.load(group: group, topic: nil, client: ctx.client, deadline: ctx.deadline,
                                                    secondSampleAfter: ResetInputs.assignCommitterPause)
            } catch {
                await ctx.send(.previewRead(ChangePreview(lines: [title], blocked: "cannot read the group: \(Fmt.safe(String(describing: error)))", job: nil)))
                return
            }
            switch read {
            case .failure(let r):
                await ctx.send(.previewRead(ChangePreview(lines: [title], blocked: r.description, job: nil)))
            case .success(let inputs):
                var lines: [(text: String, role: Role)] = [title, ("", .body),
                    ("State \(inputs.state?.rawValue ?? "?"), no members; \(inputs.committed.count) committed offset(s):", .body)]
                for (tp, o) in inputs.committed.sorted(by: { $0.key < $1.key }) { lines.append(("\(tp): \(o)", .body)) }
                let change = DeleteGroup(group: group, committed: inputs.committed)
                let job = Job("delete-group", sending: Event.self) { ctx in
                    await run(change, confirmation: confirmation, ctx, afterFailure: ["Nothing was changed."]) { d in
                        confirmed(d.outcome, what: "the deletion of group \(group)", applied: "Deleted: group \(group) and its committed offsets.", d)
                    }
                }
                await ctx.send(.previewRead(ChangePreview(lines: lines, blocked: nil, job: job)))
            }
        }
    }

    /// The outcome of a change confirmed by its answer or read back: never "done" on faith after a lost answer.
    static func confirmed<O>(_ c: ChangeConfirmation, what: String, applied: String, _ d: ChangeDone<O>) -> ChangeOutcome {
        ChangeOutcome(ok: c.isAnswered && d.unrecorded == nil,
                      lines: [c.isAnswered ? applied : c.line(what, lost: nil)] + (d.unrecorded.map { [$0] } ?? ["Recorded in the audit log:", d.logPath]))
    }
}
