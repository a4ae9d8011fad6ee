import Foundation
import KafkaOpsCore

/// The replay: drawing (a pure function of the model).
extension DLQReplayPanel {
    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        var y = area.y
        let bottom = area.y + area.height
        let w = area.width - 2
        func line(_ text: String, _ role: Role = .body, x: Int = 1) {
            guard y < bottom else { return }
            g.put(text, x: x, y: y, maxWidth: w - (x - 1), role: role)
            y += 1
        }
        let what = fromMarks ? "marked" : "selected"
        line("Replay \(entries.count) \(what) record(s) from \(Fmt.safe(dlq))", .title)
        switch stage {
        case .preview, .confirm:
            var x = g.put("Target topic: ", x: 1, y: y, role: .body) + 1
            target.draw(&g, x: x, y: y, width: min(30, w - x), focused: stage == .preview)
            x += min(30, w - x) + 1
            if targetName == nil { g.put("(empty: each record's original topic)", x: x, y: y, maxWidth: max(0, w - x), role: .muted) }
            y += 1
            previewLines(ctx, line: line)
            if stage == .confirm {
                y = max(y, bottom - 3)
                let n = retrying ? (progress?.report.remaining.count ?? 0) : plan.items.count
                line((retrying ? "Retry \(n) record(s) not written yet?" : "Replay \(n) record(s)?")
                     + " acks=all, idempotent; nothing is deleted from the DLQ.", .warning)
                if ctx.operations.protected {
                    let lead = g.put("Protected profile: type the DLQ topic name to confirm: ", x: 1, y: y, role: .warning)
                    confirmation.draw(&g, x: 1 + lead, y: y, width: max(4, min(40, w - lead)))
                    y += 1
                } else {
                    line("Press y or Enter to replay, Esc to go back.", .warning)
                }
            } else if let why = blocker(ctx) {
                y = max(y, bottom - 1)
                line(why, .critical)
            } else {
                y = max(y, bottom - 1)
                line("Enter: continue to the confirmation", .muted)
            }
        case .running, .done:
            resultLines(line: line, landingRoom: max(3, area.height - 12))
        }
    }

    func previewLines(_ ctx: PanelContext, line: (String, Role, Int) -> Void) {
        let p = plan.preview
        line("To replay: \(p.total)   not replayable: \(p.notReplayable)", p.total > 0 ? .body : .warning, 1)
        line(columns("TO TOPIC", "PARTITION", "RECORDS"), .tableHeader, 1)
        for d in p.destinations.prefix(5) {
            line(columns(Fmt.safe(d.topic), d.partition.map(String.init) ?? "by key", String(d.count)), .body, 1)
        }
        if p.destinations.count > 5 { line("… \(p.destinations.count - 5) more destination(s)", .muted, 1) }
        if !p.keysSample.isEmpty { line("Keys: " + p.keysSample.map(Fmt.safe).joined(separator: ", "), .body, 1) }
        // A value that is not JSON among JSON values probably failed for that: say so before anything is sent.
        if let odd = plan.nonJSONWarning { line("warning: " + Fmt.safe(odd), .warning, 1) }
        for skip in plan.notReplayable.prefix(2) {
            line("not replayable: \(skip.source.partition):\(skip.source.offset) \(Fmt.safe(skip.reason))", .warning, 1)
        }
        let rate = ctx.operations.replayRate.flatMap { $0 > 0 ? $0 : nil }.map { "\(Int($0)) records/s" } ?? "no limit"
        line("Error headers dropped; kafkaops.replay.source and kafkaops.replay.time added", .muted, 1)
        line("Timestamps: kept (original)  ·  rate: \(rate)  ·  acks=all, idempotent", .muted, 1)
    }

    /// "TOPIC (30 columns)  PARTITION  RECORDS" with the numbers right-aligned.
    func columns(_ topic: String, _ partition: String, _ count: String) -> String {
        let shown = DisplayWidth.of(topic) > 30 ? String(topic.prefix(29)) + "…" : topic
        func right(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        return shown + String(repeating: " ", count: max(0, 30 - DisplayWidth.of(shown))) + " " + right(partition, 9) + " " + right(count, 8)
    }

    /// `landingRoom`: how many lines the landing positions may take (the rest of the result stays visible).
    func resultLines(line: (String, Role, Int) -> Void, landingRoom: Int) {
        guard let progress else { return }
        let rep = progress.report
        let total = progress.items.count
        if stage == .running {
            line("Replaying to " + (targetName.map(Fmt.safe) ?? "the original topics") + "…", .body, 1)
            line("written \(rep.written.count) of \(total)   failed \(rep.failed.count)", .body, 1)
            let width = 40
            let done = total == 0 ? 0 : rep.written.count * width / total
            line("[" + String(repeating: "#", count: done) + String(repeating: ".", count: width - done) + "] "
                 + "\(total == 0 ? 0 : rep.written.count * 100 / total)%", .healthy, 1)
            line(stopping ? "stopping after the current batch…" : "s or Esc stops after the current batch (what was written stays written)", .muted, 1)
            return
        }
        line((rep.isComplete ? "Replay complete: " : "Replay incomplete: ") + rep.summary, rep.isComplete ? .healthy : .critical, 1)
        if let s = stoppedBy { line("Stopped: " + Fmt.safe(s), .warning, 1) }
        line("Written (DLQ offsets): " + (rep.writtenRanges.isEmpty ? "none" : rep.writtenRanges.map(Fmt.safe).joined(separator: "; ")), .body, 1)
        // Where each record landed (DLQ partition:offset → topic/partition@offset), from the delivery reports.
        let landings = rep.landings
        if !landings.isEmpty {
            line("Landed (DLQ partition:offset → topic/partition@offset):", .title, 1)
            let room = max(1, landingRoom)
            for l in landings.prefix(landings.count > room ? room - 1 : room) { line("  " + Fmt.safe(l), .healthy, 1) }
            if landings.count > room {
                line("  … \(landings.count - room + 1) more (the change log lists every written offset)", .muted, 1)
            }
        }
        for f in rep.failed.prefix(6) {
            line("failed \(f.source.partition):\(f.source.offset): \(Fmt.safe(f.reason))", .critical, 1)
        }
        if rep.failed.count > 6 { line("… \(rep.failed.count - 6) more failure(s)", .critical, 1) }
        if !rep.alreadyWritten.isEmpty {
            line("Skipped as already written: " + ReplayOffsetRange.compress(rep.alreadyWritten.map(\.source)).map(Fmt.safe).joined(separator: "; "), .body, 1)
        }
        if !rep.unknown.isEmpty {
            line(ReplayReport.unknownLabel + ": " + ReplayOffsetRange.compress(rep.unknown.map(\.source)).map(Fmt.safe).joined(separator: "; "), .warning, 1)
        }
        if !rep.pending.isEmpty {
            line("Not sent: " + ReplayOffsetRange.compress(rep.pending).map(Fmt.safe).joined(separator: "; "), .warning, 1)
        }
        if !rep.isComplete { line("r retries the \(rep.remaining.count) record(s) not written (the target is checked first: written ones are never sent again)", .muted, 1) }
        if let a = auditPath { line("Audit log: " + Fmt.safe(a), .muted, 1) }
        line("Nothing was deleted from the DLQ.", .muted, 1)
    }
}
