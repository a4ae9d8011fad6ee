import Foundation
import KafkaOpsCore

/// Topic creation: the cluster work, run off the main actor; results come back as events.
extension CreateTopicPanel {
    static func validateJob(_ topic: NewTopic, ticket: JobTicket) -> Job {
        Job("validate", sending: Event.self) { jc in
            do {
                try await jc.client.createTopic(topic, validateOnly: true, deadline: jc.deadline)
                await jc.send(.validated(topic, ticket))
            } catch {
                await jc.send(.validateFailed(topic, "\(error)", ticket))
            }
        }
    }

    /// Creates the topic through Core's ChangePipeline (the CLI's path): the change log opened and the
    /// started record written before the request (refused, nothing sent, when either fails), the same
    /// outcome record as `kafkaops topic create`.
    /// `allowOverride`: the operator's policy override (the CLI's --allow-policy-violation).
    static func createJob(_ topic: NewTopic, findings: [Finding], policy: String, confirmation: String?, allowOverride: Bool) -> Job {
        Job("create", sending: Event.self) { jc in
            let change = CreateTopic(topic, findings: findings, policyName: policy)
            do {
                let done = try await jc.pipeline.run(change, client: jc.client, timeout: jc.timeout, confirmation: confirmation,
                                                     allowOverride: allowOverride)
                // A lost answer read back as not created (or not read back) is not a creation.
                guard done.outcome.isApplied == true else {
                    await jc.send(.createFailed(topic, done.outcome.line("the creation of topic \(topic.name)", lost: nil)))
                    return
                }
                await jc.send(.created(topic, auditPath: done.logPath, unrecorded: done.unrecorded))
            } catch let failed as ChangeFailed {
                await jc.send(.createFailed(topic, "\(failed.underlying)" + (failed.unrecorded.map { "; " + $0 } ?? "")))
            } catch ChangeRefused.notStarted(let e) {
                await jc.send(.refused("the audit log cannot be written, so nothing was sent: \(Fmt.safe(e.reason))"))
            } catch let refused as ChangeRefused {
                await jc.send(.refused(Fmt.safe(refused.description)))
            } catch {
                await jc.send(.refused("the audit log cannot be written, so nothing was sent: \(Fmt.safe(String(describing: error)))"))
            }
        }
    }
}
