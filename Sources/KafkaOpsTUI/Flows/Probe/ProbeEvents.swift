import Foundation
import KafkaOpsCore

/// The probe: what its jobs send back, and how the screen takes it (`receive`).
extension ProbePanel {
    public enum Event: Sendable {
        /// The probe topic does not exist: the checked creation to offer.
        case missing(JobTicket, NewTopic, findings: [Finding], policyName: String)
        /// A window ended: its report (every acknowledged record read back, or the wait over).
        case window(JobTicket, ProbeReport)
        /// The probe stopped: why.
        case stopped(JobTicket, String)
        /// The topic exists on a protected profile: its name must be typed before the probe writes.
        case confirm(JobTicket)
        /// The run ended (the screen closed, the console exiting, or the cluster unreadable) and its
        /// outcome (`result`) was recorded, or `unrecorded` says it could not be.
        case ended(JobTicket, result: String, unrecorded: String?)
        case created(JobTicket, unrecorded: String?)
        case createRefused(JobTicket, String)
    }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .probe(let event) = event else { return .none }
        switch event {
        case .missing(let t, let topic, let findings, let policyName):
            guard runs.isCurrent(t) else { return .none }
            let refusal = CreateTopic(topic, findings: findings, policyName: policyName).policyRefusal(allowOverride: false)
            creation = (findings, policyName)
            stage = .missing(topic, verdict: TopicCreation.verdict(findings), refusal: refusal)
        case .window(let t, let report):
            guard runs.isCurrent(t) else { return .none }
            if startedAt == nil { startedAt = ctx.now }
            stage = .running
            windows.append(report)
            if windows.count > Self.keptWindows { windows.removeFirst(windows.count - Self.keptWindows) }
        case .confirm(let t):
            guard runs.isCurrent(t) else { return .none }
            stage = .confirming
        case .ended(let t, let result, let unrecorded):
            guard runs.isCurrent(t) else { return .none }
            if let unrecorded {
                stage = .stopped(unrecorded)
                return .error(unrecorded)
            }
            ended = "the probe stopped (\(result)); the run is in the audit log"
        case .stopped(let t, let why):
            guard runs.isCurrent(t) else { return .none }
            stage = .stopped(why)
            return .error(why)
        case .created(let t, let unrecorded):
            guard runs.isCurrent(t) else { return .none }
            var out = start(ctx)
            out.status = StatusMessage(text: "created the probe topic \(Fmt.safe(topic))" + (unrecorded.map { "; " + Fmt.safe($0) } ?? ""),
                                       isError: unrecorded != nil)
            out.reload = true
            return out
        case .createRefused(let t, let why):
            guard runs.isCurrent(t) else { return .none }
            stage = .stopped(why)
            return .error(why)
        }
        return .none
    }
}
