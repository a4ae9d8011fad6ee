import Foundation
import KafkaOpsCore

/// The change panel: the cluster work, run off the main actor; results come back as events.
extension ChangePanel {
    static func auditRefusal(_ why: String) -> Event {
        .finished(ChangeOutcome(ok: false, lines: ["Refused: the audit log cannot be written (\(why)); nothing was changed."]))
    }

    /// Preferred leader election for `candidates` (`target`: the topic, or "*"): the started record, the
    /// election, the outcome record.
    static func electJob(_ candidates: [ElectionCandidate], target: String) -> Job {
        Job("elect", sending: Event.self) { ctx in
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
    }

    /// Sets `set` on `topic` (previewed as `preview`): the started record, the change, the outcome record.
    static func alterConfigJob(topic: String, set: [String: String], preview: ConfigChangePreview) -> Job {
        Job("alter-config", sending: Event.self) { ctx in
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
    }
}
