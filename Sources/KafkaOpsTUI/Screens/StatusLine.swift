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
            g.put(s.text, x: 0, y: y, role: s.isError ? .statusError : .statusInfo)
            return
        }
        if let e = state.lastError {
            var text = Fmt.safe(e.description)
            if let snap = state.snapshot {
                text = "refresh failed, showing data from \(Fmt.age(Int(state.now.timeIntervalSince(snap.fetchedAt)))) ago: \(text)"
            }
            g.put(text, x: 0, y: y, role: .statusError)
            return
        }
        if state.loading, let started = state.loadStartedAt {
            let secs = Int(state.now.timeIntervalSince(started))
            let what = state.snapshot == nil ? "loading cluster data" : (state.snapshotComplete ? "refreshing" : "loading offsets and groups")
            g.put("\(what)…" + (secs >= 2 ? " \(secs)s" : ""), x: 0, y: y, role: .statusInfo)
            return
        }
        if let problems = state.snapshot?.problems, !problems.isEmpty {
            g.put("\(problems.count) part(s) could not be loaded: \(Fmt.safe(problems[0]))", x: 0, y: y, role: .warning)
        }
    }
}
