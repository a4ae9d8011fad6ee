import ArgumentParser
import Foundation
import KafkaOpsCore

extension ConfigCommand {
    /// The connection doctor: each step of reaching the cluster, which one failed and what to check.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the connection step by step: DNS, TCP, TLS, SASL, metadata, the advertised listeners, API versions.",
            discussion: "Exit 0 when every step passes, 1 when one fails (the steps after it are skipped).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var out: OutputOptions

        func run() async throws {
            let r = try ProfileLoader.resolve(global)
            for w in r.warnings { warn("warning: \(w)") }
            guard !r.isDemo, let s = r.settings else {
                throw UsageError("config check needs a real cluster (a profile, --bootstrap or --command-config), not the demo")
            }
            // security.protocol under properties: wins over what tls:/sasl: imply, as it does for librdkafka.
            let proto = (s.properties["security.protocol"] ?? s.securityProtocol).lowercased()
            let mechanism = s.awsMSKIAM != nil ? "AWS_MSK_IAM"
                : s.sasl?.mechanism.rawValue ?? s.properties["sasl.mechanism"] ?? s.properties["sasl.mechanisms"] ?? "GSSAPI"
            let target = ConnectionDoctor.Target(
                bootstrap: ConnectionDoctor.Endpoint.parseList(s.bootstrapServers), tls: proto.hasSuffix("ssl"),
                verifyCertificates: s.tls?.verify ?? true, verifyHostname: s.tls?.verifyHostname ?? true,
                sasl: proto.hasPrefix("sasl") ? mechanism : nil)
            let steps = await ConnectionDoctor.run(target, probes: LiveDoctorProbes(settings: s, timeout: global.timeoutDuration))
            let ok = !steps.contains { $0.status == .fail || $0.status == .skipped }
            switch out.output {
            case .json, .yaml:
                try emitStructured(out.output, CheckJSON(profile: r.name, bootstrap: s.bootstrapServers, ok: ok, steps: steps))
            case .table:
                var t = TextTable([("STEP", .left), ("STATUS", .left), ("DETAIL", .left)])
                for st in steps {
                    t.add([st.step, st.status.rawValue.uppercased(), st.detail])
                    if let h = st.hint, st.status != .skipped { t.add(["", "", "→ " + h]) }
                }
                emit("Connection check of \(Sanitizer.terminal(r.name)) (\(Sanitizer.terminal(s.bootstrapServers)))\n" + t.render())
                if let f = steps.first(where: { $0.status == .fail }) { warn("check failed at the \(f.step) step") }
            }
            if !ok { throw ExitCode(1) }
        }
    }
}

struct CheckJSON: Encodable {
    var profile: String
    var bootstrap: String
    var ok: Bool
    var steps: [ConnectionDoctor.Step]
}

extension ConfigCommand.Check: TimedCommand {
    /// Every step may take the timeout (DNS, TCP to each server and broker, metadata, API versions).
    var timeoutSeconds: Double { global.timeout * 8 }
}
