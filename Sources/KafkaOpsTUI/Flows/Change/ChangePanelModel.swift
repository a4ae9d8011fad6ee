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
    /// `reading`: the preview is being read off the main actor (`reading(title:...)`); nothing can be applied yet.
    public enum Phase: Sendable, Hashable { case reading, preview, running, done(ChangeOutcome) }

    public var title: String
    /// The preview: (text, role) lines.
    public var preview: [(text: String, role: Role)]
    /// Why it cannot be applied (shown instead of the confirmation); nil when it can.
    public var blocked: String?
    /// The topic name to type on a protected profile; nil: Enter (or y) applies.
    public var confirmation: NameConfirmation?
    public var phase: Phase = .preview
    public var nav = ListNavigation()
    /// What the operator types on a protected profile: "topic name", "group name".
    public var nameKind = "topic name"
    /// The change's job; nil while the preview is being read.
    var job: Job?

    public init(title: String, preview: [(text: String, role: Role)], blocked: String?, confirmName: String?, job: Job,
                nameKind: String = "topic name") {
        self.title = title; self.preview = preview; self.blocked = blocked; self.job = job; self.nameKind = nameKind
        confirmation = confirmName.map { NameConfirmation(name: $0, refusal: "type the \(nameKind) exactly to confirm (profile is protected)") }
    }

    /// A panel whose preview (and the change it confirms) `read` reads off the main actor and sends as
    /// `.previewRead`: until it comes, only Esc works and nothing can be applied.
    public static func reading(title: String, confirmName: String?, nameKind: String, read: Job) -> (ChangePanel, PanelOutcome) {
        var p = ChangePanel(title: title, preview: [], blocked: nil, confirmName: confirmName, job: read, nameKind: nameKind)
        p.job = nil
        p.phase = .reading
        return (p, PanelOutcome(jobs: [read]))
    }

    public var changeInFlight: String? { phase == .running ? "a change is being applied" : nil }
}
