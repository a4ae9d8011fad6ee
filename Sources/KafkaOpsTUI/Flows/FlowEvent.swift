import KafkaOpsCore

/// What a job sends back to the panel that started it: one case per flow, each carrying that flow's
/// own closed set of events. A panel takes its own case and ignores the others; a job sends through
/// `FlowJobContext<Event>`, which accepts only its flow's events (a wrong flow's result does not compile).
public enum FlowEvent: Sendable {
    case createTopic(CreateTopicPanel.Event)
    case resetOffsets(ResetWizardPanel.Event)
    case dlqBrowser(DLQPanel.Event)
    case dlqReplay(DLQReplayPanel.Event)
    case change(ChangePanel.Event)
    case probe(ProbePanel.Event)
    case committedRecord(CommittedRecordLoader.Event)
}

/// A flow's events: how one of them is wrapped into the console's `FlowEvent`.
public protocol FlowEvents: Sendable {
    var flowEvent: FlowEvent { get }
}

extension CreateTopicPanel.Event: FlowEvents { public var flowEvent: FlowEvent { .createTopic(self) } }
extension ResetWizardPanel.Event: FlowEvents { public var flowEvent: FlowEvent { .resetOffsets(self) } }
extension DLQPanel.Event: FlowEvents { public var flowEvent: FlowEvent { .dlqBrowser(self) } }
extension DLQReplayPanel.Event: FlowEvents { public var flowEvent: FlowEvent { .dlqReplay(self) } }
extension ChangePanel.Event: FlowEvents { public var flowEvent: FlowEvent { .change(self) } }
extension ProbePanel.Event: FlowEvents { public var flowEvent: FlowEvent { .probe(self) } }
extension CommittedRecordLoader.Event: FlowEvents { public var flowEvent: FlowEvent { .committedRecord(self) } }
