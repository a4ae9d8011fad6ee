import Foundation
import KafkaOpsCore

/// The result a change job sends back.
public struct ChangeOutcome: Sendable, Hashable {
    public var ok: Bool
    public var lines: [String]
}

/// A previewed, confirmed, audited change: the config fixes (raise min.insync.replicas, unclean
/// leader election off) and preferred leader election. It shows what changes (before → after),
/// the equivalent Kafka command, refuses when the change breaks the policy, asks for the topic
/// name on a protected profile, then runs one job and shows its result.
public struct ChangePanel: FlowPanel {
    public enum Phase: Sendable, Hashable { case preview, running, done(ChangeOutcome) }

    public var title: String
    /// The preview: (text, role) lines.
    public var preview: [(text: String, role: Role)]
    /// Why it cannot be applied (shown instead of the confirmation); nil when it can.
    public var blocked: String?
    /// The topic name to type on a protected profile; nil: Enter (or y) applies.
    public var confirmation: NameConfirmation?
    public var phase: Phase = .preview
    public var nav = ListNavigation()
    let job: Job

    public init(title: String, preview: [(text: String, role: Role)], blocked: String?, confirmName: String?, job: Job) {
        self.title = title; self.preview = preview; self.blocked = blocked; self.job = job
        confirmation = confirmName.map { NameConfirmation(name: $0, refusal: "type the topic name exactly to confirm (profile is protected)") }
    }

    public var changeInFlight: String? { phase == .running ? "a change is being applied" : nil }
}
