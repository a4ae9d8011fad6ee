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
        case .json:
            try emitJSON(BrokersJSON(md))
        case .table:
            var t = TextTable([("ID", .right), ("HOST", .left), ("PORT", .right), ("RACK", .left), ("CONTROLLER", .left)])
            for b in md.brokers.sorted(by: { $0.id < $1.id }) {
                t.add([String(b.id), b.host, String(b.port), b.rack ?? "-", b.id == md.controllerID ? "yes" : ""])
            }
            emit("Cluster \(Sanitizer.terminal(md.clusterID ?? "-")), \(md.brokers.count) broker(s)\n" + t.render())
        }
    }
}
