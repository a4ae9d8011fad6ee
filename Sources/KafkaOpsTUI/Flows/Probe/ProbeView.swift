import Foundation
import KafkaOpsCore

/// The probe: drawing (a pure function of the model). At 80 columns: the per-broker table with
/// its sparkline, then why writes are refused, then loss.
extension ProbePanel {
    public func render(_ g: inout Grid, area: PanelArea, _ ctx: PanelContext) {
        var y = area.y
        let bottom = area.y + area.height
        let w = area.width - 2
        func line(_ text: String, _ role: Role = .body) {
            guard y < bottom else { return }
            g.put(text, x: 1, y: y, maxWidth: w, role: role)
            y += 1
        }
        func wrapped(_ text: String, _ role: Role, indent: String = "") {
            for (i, l) in TextWrap.words(text, width: max(10, w - indent.count)).enumerated() {
                line((i == 0 ? "" : indent) + l, role)
            }
        }
        line("acks=all, idempotent writes at \(Self.rateText(rate))/s to every partition, read back as they land", .muted)
        switch stage {
        case .checking:
            line("Reading the metadata of \(Fmt.safe(topic))…", .muted)
        case .creating:
            line("Creating \(Fmt.safe(topic))…", .muted)
        case .stopped(let why):
            wrapped(Fmt.safe(why), .critical)
            line("r: start again   Esc: close", .muted)
        case .missing(let t, let verdict, let refusal):
            line("The probe topic \(Fmt.safe(t.name)) does not exist.", .warning)
            line("Create it: \(t.partitions) partition(s) (one per broker), replication factor \(t.replicationFactor), "
                 + "min.insync.replicas \(t.configs["min.insync.replicas"] ?? "-")", .body)
            line("Policy: \(verdict)", refusal == nil ? .healthy : .critical)
            if let refusal {
                wrapped("Refused: \(Fmt.safe(refusal))", .critical)
                wrapped("Create a topic that passes the policy with `kafkaops topic create`, then open :probe TOPIC.", .muted)
            } else if ctx.readOnly {
                line("read-only connection: the topic cannot be created and the probe cannot write", .critical)
            } else if ctx.operations.protected {
                let lead = g.put("Protected profile: type the topic name to create it: ", x: 1, y: y, role: .warning)
                confirmation.draw(&g, x: 1 + lead, y: y, width: max(4, min(40, w - lead)))
                y += 1
            } else {
                line("c or Enter: create it (checked against the policy, recorded in the audit log)", .muted)
            }
        case .confirming:
            line("Protected profile: the probe writes records to \(Fmt.safe(topic)); each run is recorded in the audit log.", .warning)
            let lead = g.put("Type the topic name to start: ", x: 1, y: y, role: .warning)
            confirmation.draw(&g, x: 1 + lead, y: y, width: max(4, min(40, w - lead)))
            y += 1
        case .running:
            if let ended { wrapped(Fmt.safe(ended), .muted) }
            runningLines(ctx, line: line, wrapped: wrapped, width: w)
        }
    }

    private func runningLines(_ ctx: PanelContext, line: (String, Role) -> Void,
                              wrapped: (String, Role, String) -> Void, width: Int) {
        let t = totals
        let since = startedAt.map { " since " + Self.clockText($0) } ?? ""
        line("Windows: \(windows.count)\(since)   acknowledged \(t.acknowledged)   refused \(t.refused)   lost \(t.lost)"
             + (t.duplicated > 0 ? "   duplicated \(t.duplicated)" : ""), t.lost > 0 ? .critical : t.refused > 0 ? .warning : .healthy)
        // BROKER(6) PARTS(8) ACK p50(9) ACK p99(9) sparkline(rest) ACKED(7) REFUSED(8) LOST(6)
        let fixed = 6 + 1 + 8 + 1 + 9 + 1 + 9 + 1 + 1 + 7 + 1 + 8 + 1 + 6
        let spark = max(4, min(40, width - fixed))
        func cols(_ b: String, _ p: String, _ p50: String, _ p99: String, _ s: String, _ a: String, _ r: String, _ l: String) -> String {
            pad(b, 6, right: true) + " " + pad(p, 8) + " " + pad(p50, 9, right: true) + " " + pad(p99, 9, right: true) + " "
                + pad(s, spark) + " " + pad(a, 7, right: true) + " " + pad(r, 8, right: true) + " " + pad(l, 6, right: true)
        }
        line(cols("BROKER", "PARTS", "ACK p50", "ACK p99", "ACK LATENCY", "ACKED", "REFUSED", "LOST"), .tableHeader)
        for b in brokerTotals {
            let parts = b.partitions.sorted().map(String.init).joined(separator: ",")
            let role: Role = b.lost > 0 ? .critical : (b.refused > 0 || b.broker == nil) ? .warning : .body
            line(cols(b.broker.map(String.init) ?? "none", parts, Self.millisText(b.lastAck?.p50), Self.millisText(b.lastAck?.p99),
                      LagSparkline.render(b.ackP50Micros, width: spark), String(b.acknowledged), String(b.refused), String(b.lost)), role)
        }
        let refusals = lastRefusals
        if refusals.isEmpty {
            line("Refused: none in the last window", .healthy)
        } else {
            line("Refused in the last window:", .warning)
            for r in refusals.prefix(4) {
                wrapped("partition \(r.partition) (leader \(r.leader.map(String.init) ?? "none")): \(Fmt.safe(r.reason)) \(r.count): "
                        + ProbeReason.explain(r.reason), .warning, "    ")
            }
            if refusals.count > 4 { line("… \(refusals.count - 4) more", .muted) }
        }
        line(t.lost == 0 ? "Lost: none (every acknowledged record was read back)"
             : "LOST: \(t.lost) acknowledged record(s) never read back", t.lost == 0 ? .healthy : .critical)
    }

    /// Any Double, infinity and 1e-300 included (an invalid rate is shown in its refusal, never a crash).
    static func rateText(_ r: Double) -> String {
        guard r.isFinite, abs(r) < 1e12 else { return "\(r)" }
        if r == r.rounded() { return String(Int64(r)) }
        return r >= 0.1 ? String(format: "%.1f", r) : "\(r)"
    }

    static func millisText(_ ms: Double?) -> String {
        guard let ms else { return "-" }
        return ms < 10 ? String(format: "%.1fms", ms) : String(format: "%.0fms", ms)
    }

    static func clockText(_ d: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: d)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    private func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let cut = s.count > n ? String(s.prefix(n)) : s
        let fill = String(repeating: " ", count: max(0, n - cut.count))
        return right ? fill + cut : cut + fill
    }
}
