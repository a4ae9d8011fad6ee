import Foundation
import KafkaOpsCore

/// Editing one config of a topic from its config screen: the new value is typed here, then the change
/// goes to the change panel (`ChangePanel.configChange`): the preview before → after, the policy's
/// verdict, the typed name on a protected profile, and `AlterTopicConfigs` through the one pipeline.
public struct ConfigEditPanel: FlowPanel {
    public var topic: String
    /// The config as the config screen read it.
    public var entry: ConfigEntry
    /// The topic's configs as the config screen read them (fresher than the snapshot's).
    public var configs: [ConfigEntry]
    public var field: TextField

    public init(topic: String, entry: ConfigEntry, configs: [ConfigEntry]) {
        self.topic = topic; self.entry = entry; self.configs = configs
        // A sensitive value is never shown, so never prefilled.
        field = TextField(entry.isSensitive ? "" : entry.value ?? "")
    }

    public var title: String { "Edit \(Fmt.safe(entry.name))" }

    /// The value typed, as it will be sent.
    var typed: String { field.text }
}

extension ConsoleState {
    /// `e` on a topic's config screen: edit the selected config (refused on a read-only connection, for a
    /// config the broker marks read-only, and before the configs are read).
    mutating func openConfigEdit() -> [Effect] {
        if readOnly { status = StatusMessage(text: "read-only connection: nothing can be changed", isError: true); return [] }
        guard case .topicConfigs(let topic) = current.screen else { return [] }
        guard let configs = loaded[current.screen]?.configs else {
            status = StatusMessage(text: "the configs are not read yet", isError: true); return []
        }
        guard let name = current.table?.selectedRow?.id, let entry = configs.first(where: { $0.name == name }) else {
            status = StatusMessage(text: "select a config first", isError: true); return []
        }
        if entry.isReadOnly {
            status = StatusMessage(text: "\(Fmt.safe(name)) is read-only on the broker: it cannot be set on a topic", isError: true)
            return []
        }
        return push(ConfigEditPanel(topic: topic, entry: entry, configs: configs))
    }
}
