import Foundation
import KafkaOpsCore

/// The DLQ browser: what its jobs send back, and how the flow takes it (`receive`).
extension DLQPanel {
    /// What the browser's read job sends back.
    public enum Event: Sendable {
        case read(DLQPageRead)
        case readFailed(JobTicket, String)
    }


    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .dlqBrowser(let event) = event else { return .none }
        switch event {
        case .read(let page):
            guard reads.isCurrent(page.ticket) else { return .none }
            loading = false
            partitions = page.partitions
            more = page.full && !newest
            if !page.append { entries = []; rows = []; position = [:]; marked = [] }
            var seen = Set(position.keys)
            for (e, r) in zip(page.entries, page.rows) where seen.insert(e.id).inserted {
                position[e.id] = entries.count
                entries.append(e)
                var r = r
                if replayed[e.id] != nil { r.cells[1] = Self.replayMark }
                rows.append(r)
            }
            if !page.append { groupView = nil }
            refreshList()
            rebuildSummary()
            return .none
        case .readFailed(let ticket, let error):
            guard reads.isCurrent(ticket) else { return .none }
            loading = false
            loadError = error
            return .error("reading \(Fmt.safe(topic ?? "")) failed: \(Fmt.safe(error))")
        }
    }
}

/// A page of records read by a job of the DLQ browser.
public struct DLQPageRead: Sendable {
    var ticket: JobTicket
    var entries: [DLQEntry]
    var rows: [Row]
    /// The partitions read (known after the first page even when the snapshot did not have them).
    var partitions: [Int32]
    var full: Bool
    var append: Bool
}
