import ArgumentParser
import Foundation
import KafkaOpsCore

struct Brokers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the brokers and the controller.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions

    func run() async throws {
        let s = try Session.open(global)
        let md = try await s.client.metadata(deadline: s.deadline)
        switch out.output {
        case .json, .yaml:
            try emitStructured(out.output, BrokersJSON(md))
        case .table:
            let tls = md.brokers.contains { $0.certificate != nil }
            var cols: [(String, TextTable.Align)] = [("ID", .right), ("HOST", .left), ("PORT", .right), ("RACK", .left), ("CONTROLLER", .left),
                                                     ("STATE", .left)]
            if tls { cols += [("CERT EXPIRES", .left), ("CERT SUBJECT", .left), ("ISSUER", .left)] }
            var t = TextTable(cols)
            for b in md.brokers.sorted(by: { $0.id < $1.id }) {
                var cells = [String(b.id), b.host, String(b.port), b.rack ?? "-", b.id == md.controllerID ? "yes" : "", "live"]
                if tls {
                    cells += b.certificate.map { ["\($0.notAfterText) (\($0.daysLeft())d)", $0.subject, $0.issuer] } ?? ["-", "-", "-"]
                }
                t.add(cells)
            }
            // A broker that is down is absent from the metadata: the partitions naming it as a replica tell it.
            let down = BrokerRoster.down(md)
            for d in down {
                t.add([String(d.id), "-", "-", "-", "", "DOWN (replica of \(d.replicas) partition\(d.replicas == 1 ? "" : "s"))"]
                      + (tls ? ["-", "-", "-"] : []))
            }
            emit("Cluster \(Sanitizer.terminal(md.clusterID ?? "-")), \(md.liveBrokerCount) live broker(s)"
                 + (down.isEmpty ? "" : ", \(down.count) DOWN") + "\n" + t.render())
            for w in BrokersJSON.certificateWarnings(md) { warn("warning: " + w) }
        }
    }
}
