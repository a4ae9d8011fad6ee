import Foundation
import KafkaOpsCore

extension Tables {
    // MARK: audit

    /// Every finding of the durability audit (topics, broker defaults, groups), errors first.
    /// The selected finding is shown in full under the table (its `FindingText`).
    static func audit(_ derived: Derived?, complete: Bool) -> Table {
        // RULE and NOW get their width before the target's name (cut in the middle); FIX is shown in full below.
        let columns = [Column("LEVEL", width: 7, priority: Column.vital), .name("TARGET", min: 14),
                       .vital("RULE", width: 18, max: 32), .vital("NOW", width: 14, max: 80),
                       Column("FIX", width: 20, priority: -1, fits: true, maxWidth: 160)]
        var rows: [Row] = []
        let findings = Finding.sortedWorstFirst(derived?.audit?.findings ?? [])
        for f in findings {
            let role = Fmt.role(f.severity)
            let target: Screen? = f.targetKind == .topic ? .topicDetail(f.target)
                : (f.targetKind == .group ? .groupDetail(f.target) : nil)
            // The id finds the finding again (`ConsoleState.selectedFinding`): `f` takes its action, the fix shown here.
            rows.append(Row(
                id: f.id,
                cells: [f.severity.rawValue, Fmt.safe(f.target), Fmt.safe(f.rule), Fmt.safe(f.current), Fmt.safe(f.fix)],
                roles: [role, .body, .body, role, .body],
                sortKeys: [Fmt.sortKey(f.severity), .text(f.target),
                           .text(f.rule), .text(f.current), .text(f.fix)],
                search: "\(Fmt.safe(f.target)) \(f.rule) \(f.fix)", unhealthy: f.severity != .info, target: target,
                finding: FindingText(f)))
        }
        // What could not be read makes the audit incomplete: one row each, above the findings, so the
        // screen never says "meets the policy" on a guess.
        let missing = derived?.audit?.incomplete ?? []
        rows.insert(contentsOf: missing.enumerated().map { i, m in
            Row(id: "incomplete-\(i)",
                cells: ["UNKNOWN", "audit", "incomplete", Fmt.safe(m), "reload (r) or raise the timeout"],
                roles: [.critical, .body, .body, .critical, .body],
                sortKeys: [.number(-3), .text(""), .text(""), .text(m), .text("")],
                search: "incomplete " + Fmt.safe(m), unhealthy: true,
                finding: FindingText(now: Fmt.safe(m), expected: "every part of the cluster read", fix: "reload (r) or raise the timeout",
                                     why: "what could not be read was not checked: it may break the policy"))
        }, at: 0)
        let empty = derived?.audit == nil ? (complete ? "no audit" : "loading configs…") : "every topic meets the durability policy"
        return Table(title: "Audit", kind: .findings, columns: columns, rows: rows, emptyText: empty, sortColumn: nil,
                     sortName: "worst first")
    }
}

extension FindingText {
    /// A durability finding, sanitised for the screen.
    init(_ f: Finding) {
        self.init(now: Fmt.safe(f.current), expected: Fmt.safe(f.expected), fix: Fmt.safe(f.fix), why: Fmt.safe(f.reason))
    }
}
