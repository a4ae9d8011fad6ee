import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard: the cluster work, run off the main actor; results come back as events.
extension ResetWizardPanel {
    /// Reads the group (listing, description, commits, metadata).
    static func loadJob(_ group: String) -> Job {
        Job("load", sending: Event.self) { jc in
            let r = await attempt { try await ResetInputs.load(group: group, client: jc.client, deadline: jc.deadline) }
            await jc.send(.loaded(r))
        }
    }

    static func attempt<T: Sendable>(_ body: () async throws -> T) async -> Result<T, Failure> {
        do { return .success(try await body()) } catch {
            return .failure(Failure(message: Fmt.safe(String(describing: error))))
        }
    }

    /// The final step: open the audit log (or refuse), write the undo file (or refuse), commit, read
    /// back, verify and record; every cluster call is in the job.
    mutating func execute(_ plan: ResetPlan, _ ctx: PanelContext) -> PanelOutcome {
        step = .executing
        let group = self.group
        let job = Job("execute", sending: Event.self) { jc in
            let audit: any ChangeLog
            do { audit = try jc.operations.openChangeLog() } catch {
                await jc.send(.executed(.refused("cannot open the audit log: \(Fmt.safe(String(describing: error))); nothing was sent")))
                return
            }
            if let why = await Self.recheck(plan, jc) {
                await jc.send(.executed(.refused(why + "; nothing was sent")))
                return
            }
            guard let undo = ResetUndo.defaultPath(group: group, directory: jc.operations.undoDirectory,
                                                   environment: ProcessInfo.processInfo.environment) else {
                await jc.send(.executed(.refused("no place for the undo file (set HOME or the profile's undo directory); nothing was sent")))
                return
            }
            do throws(ExclusiveFile.Failure) { try ExclusiveFile.create(undo, contents: ResetUndo.contents(plan)) } catch {
                await jc.send(.executed(.refused(Fmt.safe(ResetUndo.cannotWrite(undo, reason: error.reason)))))
                return
            }
            do {
                let done = try await ResetOperation.execute(plan, undoPath: undo, client: jc.client, audit: audit, timeout: jc.timeout)
                await jc.send(.executed(.done(done, auditPath: audit.path)))
            } catch let notStarted as ChangeNotStarted {
                await jc.send(.executed(.refused(Fmt.safe(notStarted.description))))
            } catch let failed as ResetExecutionFailed {
                let why = String(describing: failed.underlying) + (failed.unrecorded.map { "; " + $0 } ?? "")
                await jc.send(.executed(.failed(Fmt.safe(why), undoPath: undo, auditPath: audit.path)))
            } catch {
                await jc.send(.executed(.failed(Fmt.safe(String(describing: error)), undoPath: undo, auditPath: audit.path)))
            }
        }
        return PanelOutcome(jobs: [job])
    }

    /// The group may have changed while the operator read the plan: reads it again and says why the
    /// plan no longer holds (a member joined, or offsets were committed), or nil.
    static func recheck(_ plan: ResetPlan, _ jc: FlowJobContext<Event>) async -> String? {
        let fresh: ResetInputs
        do { fresh = try await ResetInputs.load(group: plan.group, client: jc.client, deadline: jc.deadline) } catch {
            return "cannot read the group again before the reset: \(Fmt.safe(String(describing: error)))"
        }
        do { try fresh.checkInactive() } catch { return ResetPreflight.refusalText(error).joined(separator: " ") }
        let changed = plan.rows.filter { row in fresh.committed[row.topicPartition].flatMap { $0 >= 0 ? $0 : nil } != row.current }
        guard let first = changed.first else { return nil }
        let now = fresh.committed[first.topicPartition].map(String.init) ?? "none"
        return "the committed offsets of \(changed.count) partition(s) changed since the plan (\(Fmt.safe(first.topicPartition.description)): "
            + "\(first.current.map(String.init) ?? "none") → \(now)); Esc and plan again"
    }
}
