import Foundation
import KafkaOpsCore

extension Views {
    static func statusLine(_ state: ConsoleState, _ g: inout Grid) {
        let y = Layout.statusRow(state.size)
        if let p = state.prompt {
            let lead = p.kind == .filter ? "/" : ":"
            var x = g.put(lead, x: 0, y: y, role: .prompt)
            x += g.put(Fmt.safe(p.text), x: x, y: y, maxWidth: g.width - 2, role: .body)
            g.put("█", x: x, y: y, role: .prompt)
            if !p.candidates.isEmpty {
                let c = "  " + Fmt.safe(p.candidates.joined(separator: " "))
                g.put(c, x: x + 1, y: y, role: .muted)
            }
            return
        }
        if let s = state.status {
            wrappedStatus(s.text, y: y, role: s.isError ? .statusError : .statusInfo, &g)
            return
        }
        if let e = state.lastError {
            var text = Fmt.safe(e.description)
            if let snap = state.snapshot {
                text = "refresh failed, showing data from \(Fmt.age(Int(state.now.timeIntervalSince(snap.fetchedAt)))) ago: \(text)"
            }
            wrappedStatus(text, y: y, role: .statusError, &g)
            return
        }
        if state.loading, let started = state.loadStartedAt {
            let secs = Int(state.now.timeIntervalSince(started))
            let what = state.snapshot == nil ? "loading cluster data" : (state.snapshotComplete ? "refreshing" : "loading offsets and groups")
            g.put("\(what)…" + (secs >= 2 ? " \(secs)s" : ""), x: 0, y: y, role: .statusInfo)
            return
        }
        if let problems = state.snapshot?.problems, !problems.isEmpty {
            // The overview lists them above; elsewhere the first is said in full.
            let text = state.current.screen == .overview ? "\(problems.count) part(s) could not be loaded (listed above)"
                : "\(problems.count) part(s) could not be loaded: \(Fmt.safe(problems[0]))"
            wrappedStatus(text, y: y, role: .warning, &g)
        }
    }

    /// A status text wrapped, never cut: its last line on the status row, the lines before it over
    /// the rows above (at most a third of the screen; a message is read once, then replaced).
    static func wrappedStatus(_ text: String, y: Int, role: Role, _ g: inout Grid) {
        let lines = TextWrap.words(text, width: g.width)
        let shown = lines.prefix(max(1, g.height / 3))
        for (i, line) in shown.enumerated() {
            let row = y - (shown.count - 1) + i
            if shown.count > 1 { g.fill(y: row, role: role == .warning ? .body : role) }
            g.put(line, x: 0, y: row, role: role)
        }
    }
}
