import Foundation
import KafkaOpsCore

/// The replay: the cluster work, run off the main actor; results come back as events.
extension DLQReplayPanel {
    /// Starts the replay job: the audit log is opened first (a failure refuses, nothing is sent); then the
    /// target is checked (`ReplayRunner.prepare`: on a retry, records already written are skipped) and the
    /// started record written before the first record is sent.
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
        let (dlq, plan, target, since, stop) = (self.dlq, self.plan, targetName, checkpoint, self.stop)
        let job = Job("replay", sending: Event.self) { jc in
            let recorder: any ChangeLog
            do { recorder = try jc.operations.openChangeLog() } catch {
                await jc.send(.refused(run, "the audit log cannot be written: \(Fmt.safe(String(describing: error))); nothing was sent"))
                return
            }
            let prepared: ReplayStart
            do {
                prepared = try await ReplayRunner.prepare(start, includeFailed: includeFailed, since: since,
                                                          client: jc.client, timeout: jc.timeout)
            } catch {
                await jc.send(.refused(run, "cannot check the target before sending: \(Fmt.safe(String(describing: error))); nothing was sent"))
                return
            }
            let change: LoggedChange
            do {
                change = try ReplayRunner.auditStarted(recorder, dlq: dlq, start: prepared, target: target)
            } catch {
                await jc.send(.refused(run, "the audit log cannot be written: \(Fmt.safe(String(describing: error))); nothing was sent"))
                return
            }
            let result = await ReplayRunner.run(prepared, client: jc.client,
                                                rate: jc.operations.replayRate, timeout: jc.timeout,
                                                shouldStop: { stop.isRaised || jc.exiting.isRaised },
                                                onBatch: { p in await jc.send(.progressed(run, p)) })
            let unrecorded = ReplayRunner.audit(change, plan: plan, run: result, target: target)
            await jc.send(.finished(run, DLQReplayFinished(result: result, auditPath: change.recorder.path, unrecorded: unrecorded)))
        }
        return PanelOutcome(jobs: [job])
    }
}
