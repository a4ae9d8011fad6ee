import Foundation
import KafkaOpsCore

/// The change panel: the cluster work, run off the main actor; results come back as events.
extension ChangePanel {
    static func auditRefusal(_ why: String) -> Event {
        .finished(ChangeOutcome(ok: false, lines: ["Refused: the audit log cannot be written (\(why)); nothing was changed."]))
    }

    /// Runs `change` through Core's ChangePipeline (checks, change log, started record, the request,
    /// outcome record) and sends the panel its outcome: `done` says what a change that ran did.
    static func run<C: ClusterChange>(_ change: C, confirmation: String?, _ ctx: FlowJobContext<Event>,
                                      afterFailure: [String] = [], done: (ChangeDone<C.Outcome>) -> ChangeOutcome) async {
        do {
            let d = try await ctx.pipeline.run(change, client: ctx.client, timeout: ctx.timeout, confirmation: confirmation)
            await ctx.send(.finished(done(d)))
        } catch let failed as ChangeFailed {
            await ctx.send(.finished(ChangeOutcome(ok: false, lines: ["Failed: \(failed.underlying)"] + afterFailure
                                                   + [failed.unrecorded].compactMap { $0 })))
        } catch ChangeRefused.notStarted(let e) {
            await ctx.send(auditRefusal(Fmt.safe(e.reason)))
        } catch let refused as ChangeRefused {
            await ctx.send(.finished(ChangeOutcome(ok: false, lines: ["Refused: " + Fmt.safe(refused.description)])))
        } catch {
            await ctx.send(auditRefusal(Fmt.safe(String(describing: error))))
        }
    }

    /// Preferred leader election for `candidates` of `topic` (nil: every topic).
    static func electJob(_ candidates: [ElectionCandidate], topic: String?, confirmation: String?) -> Job {
        Job("elect", sending: Event.self) { ctx in
            await run(ElectPreferredLeaders(candidates: candidates, topics: topic.map { [$0] }), confirmation: confirmation, ctx) { d in
                let failed = d.outcome.filter { $0.value != "elected" }.sorted { $0.key < $1.key }
                var out = ["Elected \(d.outcome.count - failed.count) of \(candidates.count) partition(s)."]
                for f in failed { out.append("\(f.key): \(f.value)") }
                if let u = d.unrecorded { out.append(u) }
                return ChangeOutcome(ok: failed.isEmpty && d.unrecorded == nil, lines: out)
            }
        }
    }

    /// Sets the previewed configs on the topic.
    static func alterConfigJob(_ preview: ConfigChangePreview, confirmation: String?) -> Job {
        Job("alter-config", sending: Event.self) { ctx in
            await run(AlterTopicConfigs(preview), confirmation: confirmation, ctx, afterFailure: ["Nothing was changed."]) { d in
                // A lost answer was read back: say what the cluster holds, never "Applied" on faith.
                let first = d.outcome.isAnswered
                    ? "Applied: " + preview.changes.map { "\($0.name)=\($0.after ?? "-")" }.joined(separator: ", ")
                    : d.outcome.line("the config change", lost: nil)
                return ChangeOutcome(ok: d.outcome.isAnswered && d.unrecorded == nil,
                                     lines: [first] + (d.unrecorded.map { [$0] } ?? ["Recorded in the audit log:", d.logPath]))
            }
        }
    }
}
