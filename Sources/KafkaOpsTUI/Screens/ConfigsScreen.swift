import Foundation
import KafkaOpsCore

extension Tables {
    /// Every config of a topic or a broker as DescribeConfigs returned it: the value (sensitive ones
    /// masked) and the source as operators reason with it (`topic`, `broker`, `default`), the ones not at
    /// Kafka's default first. Long names and values are cut in the middle.
    static func configs(_ data: ScreenData?, what: String) -> Table {
        let columns = [Column("CONFIG", width: 34, minWidth: 16, priority: Column.name, cut: .middle),
                       Column("VALUE", width: 0, minWidth: 12, priority: Column.name, cut: .middle),
                       .vital("SOURCE", width: 7, max: 8)]
        var rows: [Row] = []
        for e in data?.configs ?? [] {
            let set = e.source != .defaultConfig
            let value = ConfigRows.shownValue(e)
            let r: Role = set ? .highlight : .body
            rows.append(Row(id: e.name, cells: [Fmt.safe(e.name), value, e.source.summary],
                            roles: [r, e.isSensitive ? .muted : r, set ? .highlight : .muted],
                            sortKeys: [.text(e.name), .text(value), .text(e.source.summary)],
                            search: "\(Fmt.safe(e.name)) \(value) \(e.source.summary)", section: set ? 0 : 1))
        }
        let empty: String
        switch data {
        case nil, .loading?: empty = "loading the configs of \(what)…"
        case .failed(let e, _)?: empty = "could not read the configs of \(what): " + Fmt.safe(e.message)
        default: empty = "no configs described for \(what)"
        }
        return Table(title: "Configs", columns: columns, rows: rows, emptyText: empty, sortColumn: 0)
    }
}

/// One rule for how a config's value is shown on the config screens and the edit panel.
enum ConfigRows {
    /// Sensitive values are never shown (the broker does not return them; masked whatever it sent).
    static func shownValue(_ e: ConfigEntry) -> String {
        e.isSensitive ? "(sensitive)" : Fmt.safe(e.value ?? "-")
    }

    /// "DYNAMIC_TOPIC_CONFIG (topic override)": Kafka's exact source and what it means.
    static func sourceDetail(_ s: ConfigSource) -> String {
        switch s {
        case .topic: return "DYNAMIC_TOPIC_CONFIG (set on the topic)"
        case .dynamicBroker: return "DYNAMIC_BROKER_CONFIG (set on this broker at run time)"
        case .dynamicDefaultBroker: return "DYNAMIC_DEFAULT_BROKER_CONFIG (cluster-wide broker default set at run time)"
        case .staticBroker: return "STATIC_BROKER_CONFIG (server.properties)"
        case .defaultConfig: return "DEFAULT_CONFIG (Kafka's default)"
        case .unknown: return "UNKNOWN"
        }
    }
}

extension Views {
    /// Above a config table: the counts, then the selected config's exact source (and whether it can be edited).
    static func configSummary(_ screen: Screen, _ state: ConsoleState, _ g: inout Grid) {
        let area = Layout.content(state.size)
        let data = state.loaded[screen]
        var first: (String, Role)
        if let configs = data?.configs {
            let set = configs.filter { $0.source != .defaultConfig }.count
            first = ("\(Fmt.counted(configs.count, "config")), \(set) not at Kafka's default (listed first)"
                     + (data?.error.map { "  · reload failed: " + Fmt.safe($0.message) } ?? ""), data?.error == nil ? .body : .warning)
        } else {
            first = (data?.error.map { "could not read the configs: " + Fmt.safe($0.message) } ?? "loading…",
                     data?.error == nil ? .muted : .critical)
        }
        g.put(first.0, x: 1, y: area.y, maxWidth: area.width - 2, role: first.1)
        guard let name = state.current.table?.selectedRow?.id, let e = data?.configs?.first(where: { $0.name == name }) else { return }
        var second = DisplayWidth.middleCut(Fmt.safe(e.name), width: 30) + ": " + ConfigRows.sourceDetail(e.source)
        if e.isReadOnly { second += ", read-only" }
        if e.isSensitive { second += ", sensitive" }
        g.put(second, x: 1, y: area.y + 1, maxWidth: area.width - 2, role: .muted)
    }
}
