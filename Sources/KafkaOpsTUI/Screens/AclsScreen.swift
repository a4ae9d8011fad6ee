import Foundation
import KafkaOpsCore

extension Tables {
    /// The ACLs (read-only), in Kafka's words: principal, host, operation, permission, resource type, name, pattern.
    static func acls(_ data: ScreenData?) -> Table {
        // At 80 columns: Kafka's words in full (OPERATION, TYPE and PATTERN fit their longest value: a PREFIXED
        // pattern changes what the row means), the principal and the resource name cut in the middle.
        // HOST stays whole: an entry that applies from one host only reads differently; the principal gives way first.
        let columns = [Column("PRINCIPAL", width: 14, minWidth: 10, priority: Column.name, fits: true, maxWidth: 28, cut: .middle),
                       .vital("HOST", width: 4, max: 15),
                       .vital("OPERATION", width: 9, max: 16), .vital("PERMISSION", width: 10), .vital("TYPE", width: 5, max: 16),
                       .name("RESOURCE", min: 8), .vital("PATTERN", width: 8, max: 8)]
        var rows: [Row] = []
        for (i, a) in (data?.acls ?? []).enumerated() {
            let deny = a.permission == .deny
            let principal = Fmt.safe(a.principal), name = Fmt.safe(a.resourceName), host = Fmt.safe(a.host)
            // A grant to every principal or every resource is worth a second look.
            let wide = a.principal.hasSuffix(":*") || (a.resourceName == AclFilter.wildcard && a.patternType == .literal)
            rows.append(Row(
                id: String(i),
                cells: [principal, host, a.operation.rawValue, a.permission.rawValue, a.resourceType.rawValue, name,
                        a.patternType.rawValue],
                roles: [wide ? .warning : .body, .body, .body, deny ? .critical : .healthy, .body, wide ? .warning : .body, .muted],
                sortKeys: [.text(a.principal), .text(a.host), .text(a.operation.rawValue), .text(a.permission.rawValue),
                           .text(a.resourceType.rawValue), .text(a.resourceName), .text(a.patternType.rawValue)],
                search: "\(principal) \(host) \(a.operation.rawValue) \(a.permission.rawValue) \(a.resourceType.rawValue) \(name)"))
        }
        let empty: String
        switch data {
        case nil, .loading?: empty = "loading ACLs…"
        case .failed(let e, _)?: empty = "could not read the ACLs: " + Fmt.safe(e.message)
        default: empty = "no ACLs returned (see above: that is not proof there are none)"
        }
        return Table(title: "ACLs", columns: columns, rows: rows, emptyText: empty, sortColumn: 4, sortName: "by resource")
    }
}

extension Views {
    /// Above the ACL table: what was read, or what an empty answer can mean (librdkafka drops the reason).
    static func aclSummary(_ state: ConsoleState, _ g: inout Grid) {
        let area = Layout.content(state.size)
        let data = state.loaded[.acls]
        var lines: [(String, Role)] = []
        if let e = data?.error {
            lines.append(("could not read the ACLs: " + Fmt.safe(e.description), .critical))
        }
        if let acls = data?.acls {
            if acls.isEmpty {
                lines.append((AclEmptyAnswer.line, .warning))
            } else {
                let deny = acls.filter { $0.permission == .deny }.count
                lines.append(("\(Fmt.counted(acls.count, "ACL")): \(acls.count - deny) ALLOW, \(deny) DENY  (read-only; / filters)", .body))
            }
        }
        let wrapped = lines.flatMap { l in TextWrap.words(l.0, width: max(20, area.width - 2)).map { ($0, l.1) } }
        for (i, l) in wrapped.prefix(Layout.aclSummaryRows).enumerated() {
            g.put(l.0, x: 1, y: area.y + i, maxWidth: area.width - 2, role: l.1)
        }
    }
}
