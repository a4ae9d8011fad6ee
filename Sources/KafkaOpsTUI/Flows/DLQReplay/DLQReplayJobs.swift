import Foundation
import KafkaOpsCore

/// The replay: the cluster work, run off the main actor; results come back as events.
extension DLQReplayPanel {
    /// Starts the replay job: the target is checked first (`ReplayRunner.prepare`: on a retry, records
    /// already written are skipped), then the run goes through Core's ChangePipeline with a
    /// `ReplayChange`, as `kafkaops dlq replay` does: the change log opened and the started record written
    /// before the first record is sent (a failure refuses, nothing is sent), the loop, the outcome record.
    mutating func start(_ ctx: PanelContext) -> PanelOutcome {
        if let why = blocker(ctx) { return .error(why) }
        let run = runs.next()
        stage = .running
        stopping = false
        stop = StopFlag()
        stoppedBy = nil
        refused = nil
        let start = progress ?? ReplayProgress(plan: plan)
        progress = start
        let includeFailed = retrying
        let confirmation = ctx.operations.protected ? self.confirmation.typed : nil
        let (dlq, plan, target, since, stop) = (self.dlq, self.plan, targetName, checkpoint, self.stop)
        let job = Job("replay", sending: Event.self) { jc in
            // One replay of this DLQ to this target at a time on this machine (the CLI's lock), for the whole run.
            let release: (@Sendable () -> Void)?
            do { release = try jc.operations.lockReplay?(dlq, target) } catch {
                await jc.send(.refused(run, Fmt.safe(String(describing: error))))
                return
            }
            defer { release?() }
            // Earlier runs in the audit log (`ReplayResume`, as the CLI): one with no outcome refuses; a rerun reads
            // the target from where the earlier runs started.
            let resume: ReplayResume
            do {
                let history = try jc.operations.readChangeHistory?() ?? ChangeHistory([])
                let args = jc.operations.connectionArguments
                resume = try ReplayResume.decide(history, profile: jc.operations.profileName, dlq: dlq, destination: target, given: since,
                                                 resumeCommand: { ReplayResume.command(dlq: dlq, connectionArguments: args, offsets: $0.offsetItems,
                                                                                       checkpoint: $0.checkpoint, destination: target) })
            } catch {
                await jc.send(.refused(run, Fmt.safe(String(describing: error))))
                return
            }
            let prepared: ReplayStart
            do {
                prepared = try await ReplayRunner.prepare(start, includeFailed: includeFailed, since: resume.since,
                                                          client: jc.client, timeout: jc.timeout)
            } catch {
                await jc.send(.refused(run, "cannot check the target before sending: \(Fmt.safe(String(describing: error))); nothing was sent"))
                return
            }
            let exiting = jc.exiting
            var change = ReplayChange(dlq: dlq, plan: plan, start: prepared, destination: target, rate: jc.operations.replayRate,
                                      stopReason: { stop.isRaised || exiting.isRaised ? "interrupted" : nil },
                                      onBatch: { p in await jc.send(.progressed(run, p)) })
            change.acknowledged = resume.acknowledged.map(\.entry)
            do {
                let done = try await jc.pipeline.run(change, client: jc.client, timeout: jc.timeout, confirmation: confirmation)
                await jc.send(.finished(run, DLQReplayFinished(result: done.outcome, auditPath: done.logPath, unrecorded: done.unrecorded)))
            } catch ChangeRefused.notStarted(let e) {
                await jc.send(.refused(run, "the audit log cannot be written: \(Fmt.safe(String(describing: e))); nothing was sent"))
            } catch let refused as ChangeRefused {
                await jc.send(.refused(run, Fmt.safe(refused.description)))
            } catch let failed as ChangeFailed {
                await jc.send(.refused(run, "the replay failed: \(Fmt.safe(failed.description))"))
            } catch {
                await jc.send(.refused(run, "the audit log cannot be written: \(Fmt.safe(String(describing: error))); nothing was sent"))
            }
        }
        return PanelOutcome(jobs: [job])
    }
}
