import Foundation
import KafkaOpsCore
import KafkaOpsFiles

/// The reset wizard: the cluster work, run off the main actor; results come back as events.
extension ResetWizardPanel {
    /// Reads the group (listing, description, commits, metadata).
    static func loadJob(_ group: String) -> Job {
        Job("load", sending: Event.self) { jc in
            // Two samples a moment apart for a group without members: an assign() committer is refused as active (as the CLI does).
            let r = await attempt {
                try await ResetInputs.load(group: group, client: jc.client, deadline: jc.deadline,
                                           secondSampleAfter: ResetInputs.assignCommitterPause)
            }
            await jc.send(.loaded(r))
        }
    }

    static func attempt<T: Sendable>(_ body: () async throws -> T) async -> Result<T, Failure> {
        do { return .success(try await body()) } catch {
            return .failure(Failure(message: Fmt.safe(String(describing: error))))
        }
    }

    /// The final step, through Core's ChangePipeline (the CLI's path): the group read again (refused when
    /// it changed), the change log opened, the undo file written (`prepare`), the started record, the
    /// commit, the read-back and verification, the outcome record. Any refusal sends nothing.
    mutating func execute(_ plan: ResetPlan, _ ctx: PanelContext) -> PanelOutcome {
        step = .executing
        let group = self.group, allowSkips = skipAccepted
        let confirmation = ctx.operations.protected ? self.confirmation.typed : nil
        let job = Job("execute", sending: Event.self) { jc in
            guard let undo = ResetUndo.defaultPath(group: group, directory: jc.operations.undoDirectory,
                                                   environment: ProcessInfo.processInfo.environment) else {
                await jc.send(.executed(.refused("no place for the undo file (set HOME or XDG_STATE_HOME: it goes beside the audit log, in undo/); nothing was sent")))
                return
            }
            // The change log's path, for a failure's message (the pipeline opens the log).
            let logPath = Locked("")
            var pipeline = jc.pipeline
            let open = pipeline.openLog
            pipeline.openLog = {
                do { let log = try open(); logPath.set(log.path); return log } catch { throw LogNotOpened(underlying: error) }
            }
            let change = ResetOffsetsChange(plan: plan, undoPath: undo, skipThreshold: jc.operations.resetSkipThreshold)
            do {
                let done = try await pipeline.run(change, client: jc.client, timeout: jc.timeout, confirmation: confirmation,
                                                  allowOverride: allowSkips, prepare: {
                    do throws(ResetUndoFile.Failure) { try ResetUndoFile.create(plan, at: undo) } catch {
                        throw UndoNotWritten(message: error.description)
                    }
                })
                await jc.send(.executed(.done(done.outcome, auditPath: done.logPath, unrecorded: done.unrecorded)))
            } catch let e as LogNotOpened {
                await jc.send(.executed(.refused("cannot open the audit log: \(Fmt.safe(String(describing: e.underlying))); nothing was sent")))
            } catch let e as UndoNotWritten {
                await jc.send(.executed(.refused(Fmt.safe(e.message))))
            } catch ChangeRefused.cluster(let why) {
                await jc.send(.executed(.refused(Fmt.safe(why) + "; nothing was sent")))
            } catch ChangeRefused.notStarted(let e) {
                await jc.send(.executed(.refused(Fmt.safe(e.description))))
            } catch let refused as ChangeRefused {
                await jc.send(.executed(.refused(Fmt.safe(refused.description))))
            } catch let failed as ChangeFailed {
                let why = String(describing: failed.underlying) + (failed.unrecorded.map { "; " + $0 } ?? "")
                await jc.send(.executed(.failed(Fmt.safe(why), undoPath: undo, auditPath: logPath.value)))
            } catch {
                await jc.send(.executed(.failed(Fmt.safe(String(describing: error)), undoPath: undo, auditPath: logPath.value)))
            }
        }
        return PanelOutcome(jobs: [job])
    }
}

/// The change log could not be opened (nothing was sent).
struct LogNotOpened: Error { var underlying: any Error }
/// The undo file could not be written (nothing was sent).
struct UndoNotWritten: Error { var message: String }
