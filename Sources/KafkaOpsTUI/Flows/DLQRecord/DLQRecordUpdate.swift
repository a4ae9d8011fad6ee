import Foundation
import KafkaOpsCore

/// The record view: what each key does at each step.
extension DLQRecordPanel {
    /// The lines shown below the panel's info line.
    static func visible(_ ctx: PanelContext) -> Int { max(1, ctx.content.height - 1) }

    public mutating func update(_ key: Key, _ ctx: PanelContext) -> PanelOutcome {
        if ctx.size.width != width {
            width = ctx.size.width
            rebuild()
        }
        guard case .action(let action) = keys(ctx).lookup(key) else { return .none }
        switch action {
        case .close: return .closed
        case .move(let m): nav.scroll(m, count: lines.count, page: Self.visible(ctx))
        case .record(let by):
            let next = index + by
            guard records.indices.contains(next) else { return .info(by > 0 ? "this is the last record" : "this is the first record") }
            index = next
            nav.reset()
            rebuild()
            return .none
        case .cycleView:
            let all = PayloadMode.allCases
            mode = all[((all.firstIndex(of: mode) ?? 0) + 1) % all.count]
            rebuild()
            return .info("payload view: \(mode.label)")
        case .skip:
            guard let origin else { return .none }
            let target = origin.skipTarget(recordOffset: entry.record.offset)
            let (wizard, opened) = ResetWizardPanel.openSkipping(group: origin.group, partition: origin.partition, target: target, ctx)
            return PanelOutcome(push: wizard, pushJobs: opened.jobs)
        case .rawHex:
            mode = mode == .hex ? .auto : .hex
            rebuild()
            return .info(mode == .hex ? "raw hex (x: decoded)" : "decoded (x: raw hex)")
        }
        return .none
    }
}
