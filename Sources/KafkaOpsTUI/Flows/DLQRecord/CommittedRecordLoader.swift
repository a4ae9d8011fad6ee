import Foundation
import KafkaOpsCore

/// Where a record view opened from a consumer group came from: the group, the partition and the offset it
/// committed (the next record it reads: the one it is stuck on when it does not move).
public struct CommittedRecordOrigin: Sendable, Hashable {
    public var group: String
    public var partition: TopicPartition
    public var committed: Int64

    /// What skipping the record shown means for the reset wizard: shift-by 1 when the record is at the
    /// committed offset; past it (a transaction marker or a compacted record at the commit) to the offset
    /// after the record shown.
    func skipTarget(recordOffset: Int64) -> ResetTarget {
        recordOffset == committed ? .shiftBy(1) : .toOffset(recordOffset + 1)
    }
}

/// `c` on a group's partition row: reads the record at the group's committed offset (off the main actor), then
/// gives its place to the record view (`DLQRecordPanel` with the origin, where `s` opens the reset wizard).
public struct CommittedRecordLoader: FlowPanel {
    public enum Action: Sendable { case close }

    public enum Event: Sendable {
        case read(DLQEntry?)
        case failed(String)
    }

    public let origin: CommittedRecordOrigin
    /// Why nothing is shown (already sanitised); nil while reading.
    public internal(set) var problem: String?

    public var title: String { "Record at \(Fmt.safe(origin.group))'s commit" }

    public static func open(_ origin: CommittedRecordOrigin, _ ctx: PanelContext) -> (CommittedRecordLoader, PanelOutcome) {
        (CommittedRecordLoader(origin: origin), PanelOutcome(jobs: [readJob(origin, mapping: ctx.operations.dlqHeaders,
                                                                             decoder: ctx.operations.recordDecoder)]))
    }

    static func readJob(_ origin: CommittedRecordOrigin, mapping: DLQHeaderMapping, decoder: (any PayloadDecoding)?) -> Job {
        Job("read", sending: Event.self) { ctx in
            do {
                let records = try await DLQReader.read(client: ctx.client, topic: origin.partition.topic,
                                                       starts: [(partition: origin.partition.partition, start: .offset(origin.committed))],
                                                       limit: 1, maxBytes: DLQPanel.pageBytes, deadline: ctx.deadline)
                if Task.isCancelled { return }
                var entries = records.prefix(1).map { DLQPanel.entry($0, mapping: mapping) }
                if let decoder { entries = await DLQPanel.decoded(entries, decoder) }
                if Task.isCancelled { return }
                await ctx.send(.read(entries.first))
            } catch {
                if Task.isCancelled { return }
                await ctx.send(.failed(String(describing: error)))
            }
        }
    }

    public func keys(_ ctx: PanelContext) -> FlowKeys<Action> {
        FlowKeys([FlowBinding([.escape, .backspace], .close, "back to the group", short: "back", label: "Esc")], readOnly: ctx.readOnly)
    }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        guard case .action(.close) = keys(ctx).lookup(key) else { return .none }
        return .closed
    }

    public mutating func receive(_ event: FlowEvent, _ ctx: PanelContext) -> PanelOutcome {
        guard case .committedRecord(let event) = event else { return .none }
        switch event {
        case .failed(let text):
            problem = "cannot read \(Fmt.safe(origin.partition.description)) at offset \(origin.committed): " + Sanitizer.terminal(text)
        case .read(nil):
            problem = "no record at offset \(origin.committed) of \(Fmt.safe(origin.partition.description)) yet: "
                + "the group has read everything the partition holds"
        case .read(let entry?):
            // The record view takes this panel's place: Esc from it goes back to the group.
            let view = DLQRecordPanel(records: [entry], index: 0, dlqTopic: origin.partition.topic, width: ctx.size.width, origin: origin)
            return PanelOutcome(close: true, push: view)
        }
        return .none
    }

    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        let text = problem ?? "reading \(Fmt.safe(origin.partition.description)) at offset \(origin.committed), "
            + "the offset group \(Fmt.safe(origin.group)) committed …"
        for (i, line) in WrappedText.lines(text, width: max(10, area.width - 2), .characters).prefix(area.height).enumerated() {
            g.put(line, x: 1, y: area.y + i, maxWidth: area.width - 2, role: problem == nil ? .muted : .warning)
        }
    }
}
