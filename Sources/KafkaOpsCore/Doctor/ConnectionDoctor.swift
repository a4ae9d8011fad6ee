import Foundation

/// `kafkaops config check`: the connection doctor. Runs each step of reaching a cluster in order
/// (DNS, TCP, TLS, SASL, metadata, the advertised listeners, API versions) and says which failed and
/// what to check; the steps after a failed one are skipped. The probes are injected, so the verdict
/// of each step can be tested on canned results.
public enum ConnectionDoctor {
    public enum Status: String, Sendable, Codable, Equatable {
        case pass, fail, skipped
        /// The step does not apply (no TLS, no SASL configured).
        case notUsed = "not_used"
    }

    public struct Step: Sendable, Codable, Equatable {
        public var step: String
        public var status: Status
        public var detail: String
        public var hint: String?

        public init(_ step: String, _ status: Status, _ detail: String, hint: String? = nil) {
            self.step = step; self.status = status; self.detail = detail; self.hint = hint
        }
    }

    /// The steps, in the order they run.
    public static let stepNames = ["dns", "tcp", "tls", "authentication", "metadata", "listeners", "api_versions"]

    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) { self.host = host; self.port = port }
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

        /// `host:port[,host:port]`, each optionally with a `scheme://` prefix; IPv6 in brackets.
        public static func parseList(_ bootstrap: String) -> [Endpoint] {
            bootstrap.split(separator: ",").compactMap { part in
                var s = Substring(part.trimmingCharacters(in: .whitespaces))
                if let r = s.range(of: "://") { s = s[r.upperBound...] }
                guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]) else { return nil }
                var host = s[..<colon]
                if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
                return host.isEmpty ? nil : Endpoint(host: String(host), port: port)
            }
        }
    }

    /// What the doctor checks: the bootstrap list and which security layers the profile configures.
    public struct Target: Sendable {
        public var bootstrap: [Endpoint]
        public var tls: Bool
        public var verifyCertificates: Bool
        public var verifyHostname: Bool
        /// The SASL mechanism, nil without SASL.
        public var sasl: String?

        public init(bootstrap: [Endpoint], tls: Bool, verifyCertificates: Bool = true, verifyHostname: Bool = true, sasl: String?) {
            self.bootstrap = bootstrap; self.tls = tls; self.verifyCertificates = verifyCertificates
            self.verifyHostname = verifyHostname; self.sasl = sasl
        }
    }

    /// A network probe's failure, in the system's words ("Connection refused").
    public struct ProbeFailure: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// What the doctor asks of the world.
    public protocol Probes: Sendable {
        /// The addresses a host name resolves to.
        func resolve(_ host: String) async -> Result<[String], ProbeFailure>
        /// A TCP connection to host:port, closed at once.
        func connect(_ endpoint: Endpoint) async -> Result<Void, ProbeFailure>
        /// One metadata request through librdkafka (TLS handshake and SASL authentication included).
        func metadata() async -> Result<ClusterMetadata, ClusterError>
        /// The API keys the bootstrap broker lists in its ApiVersions answer.
        func apiKeys() async -> Result<Set<Int>, ClusterError>
        /// What the port speaks: plaintext Kafka or TLS (`ListenerProtocol`).
        func listenerProtocol(_ endpoint: Endpoint) async -> ListenerProtocol
    }

    public static func run(_ target: Target, probes: some Probes, now: Date = Date()) async -> [Step] {
        var steps: [Step] = []
        /// What the first reachable bootstrap server speaks, said on the tls step.
        var listener: (Endpoint, ListenerProtocol)?
        func finish() -> [Step] {
            for name in stepNames.dropFirst(steps.count) {
                steps.append(Step(name, .skipped, "not run: an earlier step failed"))
            }
            if let l = listener { describeListener(&steps, l.0, l.1) }
            return steps
        }
        var resolved: [(String, Result<[String], ProbeFailure>)] = []
        for host in Self.unique(target.bootstrap.map(\.host)) { resolved.append((host, await probes.resolve(host))) }
        steps.append(dns(resolved))
        if steps.last?.status == .fail { return finish() }

        let failedHosts = Set(resolved.filter { if case .failure = $0.1 { true } else { false } }.map(\.0))
        var connected: [(Endpoint, Result<Void, ProbeFailure>)] = []
        for e in target.bootstrap where !failedHosts.contains(e.host) { connected.append((e, await probes.connect(e))) }
        steps.append(tcp(connected))
        if steps.last?.status == .fail { return finish() }

        // A TLS profile on a plaintext listener only times out, a plaintext one on a TLS listener sees the
        // connection closed: what the first reachable bootstrap server speaks says which it is.
        if let e = connected.first(where: { if case .success = $0.1 { true } else { false } })?.0 {
            listener = (e, await probes.listenerProtocol(e))
        }
        if let l = listener, let mismatch = tlsMismatch(target, l.0, l.1) {
            steps.append(mismatch)
            return finish()
        }

        let md = await probes.metadata()
        if case .failure(let e) = md, let unreachable = advertisedUnreachable(e, bootstrap: target.bootstrap) {
            // The bootstrap server answered; the broker it advertises did not (see `advertisedUnreachable`).
            steps.append(target.tls ? Step("tls", .pass, "handshake completed") : tlsNotUsed)
            steps.append(target.sasl.map { Step("authentication", .pass, "authenticated with SASL \($0)") } ?? saslNotUsed)
            steps.append(Step("metadata", .pass, "the bootstrap server answered with the cluster's brokers"))
            steps.append(unreachable)
            return finish()
        }
        for s in afterMetadata(target, md, now: now) {
            steps.append(s)
            if s.status == .fail { return finish() }
        }
        guard case .success(let metadata) = md else { return finish() }

        var listeners: [(Broker, Result<Void, ProbeFailure>)] = []
        for b in metadata.brokers.sorted(by: { $0.id < $1.id }) {
            listeners.append((b, await probes.connect(Endpoint(host: b.host, port: Int(b.port)))))
        }
        steps.append(self.listeners(listeners))
        if steps.last?.status == .fail { return finish() }

        steps.append(apiVersions(await probes.apiKeys()))
        return finish()
    }

    static func unique(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }

    // MARK: verdicts, one per step

    public static func dns(_ results: [(String, Result<[String], ProbeFailure>)]) -> Step {
        guard !results.isEmpty else {
            return Step("dns", .fail, "no bootstrap server given", hint: "give the brokers as host:port (bootstrap, -b)")
        }
        var ok: [String] = [], bad: [String] = []
        for (host, r) in results {
            switch r {
            case .success(let addrs): ok.append("\(host) → \(addrs.prefix(3).joined(separator: ", "))")
            case .failure(let f): bad.append("\(host): \(f.message)")
            }
        }
        if ok.isEmpty {
            return Step("dns", .fail, "cannot resolve " + bad.joined(separator: "; "),
                        hint: "check the host names in bootstrap for typos, this machine's DNS (/etc/resolv.conf) and the VPN")
        }
        return Step("dns", .pass, ok.joined(separator: "; ") + (bad.isEmpty ? "" : "; cannot resolve " + bad.joined(separator: "; ")),
                    hint: bad.isEmpty ? nil : "some bootstrap hosts do not resolve: remove or fix them")
    }

    public static func tcp(_ results: [(Endpoint, Result<Void, ProbeFailure>)]) -> Step {
        var ok: [String] = [], bad: [String] = []
        for (e, r) in results {
            switch r {
            case .success: ok.append(e.description)
            case .failure(let f): bad.append("\(e): \(f.message)")
            }
        }
        if ok.isEmpty {
            return Step("tcp", .fail, "cannot connect to " + bad.joined(separator: "; "),
                        hint: "check the port in bootstrap, that the broker is running, and firewalls or security groups between here and it")
        }
        return Step("tcp", .pass, "connected to " + ok.joined(separator: ", ") + (bad.isEmpty ? "" : "; cannot connect to " + bad.joined(separator: "; ")),
                    hint: bad.isEmpty ? nil : "some bootstrap servers do not answer: check them")
    }

    /// The TLS, authentication and metadata steps: one librdkafka metadata call, its error kind naming the step that failed.
    public static func afterMetadata(_ t: Target, _ md: Result<ClusterMetadata, ClusterError>, now: Date = Date()) -> [Step] {
        switch md {
        case .success(let m):
            return [tlsPassed(t, m, now: now),
                    t.sasl.map { Step("authentication", .pass, "authenticated with SASL \($0)") } ?? saslNotUsed,
                    Step("metadata", .pass, "cluster \(m.clusterID ?? "-"): \(m.brokers.count) broker\(m.brokers.count == 1 ? "" : "s")"
                         + (m.controllerID.map { ", controller \($0)" } ?? "") + ", \(m.topics.count) topic\(m.topics.count == 1 ? "" : "s")")]
        case .failure(let e):
            let silent: Set<ClusterError.Kind> = [.unreachable, .timeout]
            if e.kind == .tls {
                return [Step("tls", .fail, e.message, hint: e.hint ?? "check tls.ca and the broker's certificate")]
            }
            if t.tls && silent.contains(e.kind) {
                return [Step("tls", .fail, "no TLS session with the bootstrap servers: \(e.message)",
                             hint: "check that the port is the broker's TLS listener (SSL or SASL_SSL), not a plaintext one")]
            }
            let tlsStep = t.tls ? Step("tls", .pass, "handshake completed") : tlsNotUsed
            if e.kind == .authentication {
                return [tlsStep, Step("authentication", .fail, e.message,
                                      hint: e.hint ?? "check the SASL mechanism, user name and password (or token settings) the listener expects")]
            }
            if let m = t.sasl, silent.contains(e.kind) {
                return [tlsStep, Step("authentication", .fail, "no answer to SASL \(m): \(e.message)",
                                      hint: "check that the listener expects SASL (security.protocol SASL_SSL or SASL_PLAINTEXT) and enables \(m)")]
            }
            let authStep = t.sasl.map { Step("authentication", .pass, "authenticated with SASL \($0)") } ?? saslNotUsed
            return [tlsStep, authStep, Step("metadata", .fail, e.message, hint: e.hint ?? hint(for: e.kind))]
        }
    }

    static let tlsNotUsed = Step("tls", .notUsed, "plaintext: the profile configures no TLS")

    /// The tls step when the profile's TLS setting and what the listener speaks disagree; nil when they agree
    /// or the listener's protocol is not known.
    public static func tlsMismatch(_ t: Target, _ e: Endpoint, _ speaks: ListenerProtocol) -> Step? {
        switch (t.tls, speaks) {
        case (true, .plaintext):
            return Step("tls", .fail, "\(e) is a plaintext listener (it answered a Kafka request without TLS), and the profile uses TLS",
                        hint: "use the port of the broker's TLS listener (SSL or SASL_SSL in its listeners), or remove tls: "
                            + "from the profile if this plaintext listener is the one to use")
        case (false, .tls):
            return Step("tls", .fail, "\(e) is a TLS listener (it answered a TLS handshake), and the profile configures no TLS",
                        hint: "add tls: to the profile (ca: the CA that signed the broker certificates), or "
                            + "security.protocol=SSL (SASL_SSL with SASL) to --command-config; -b alone connects in plaintext")
        default:
            return nil
        }
    }

    /// Says on the tls step what the listener speaks, when it was told (TLS listener or plaintext one).
    static func describeListener(_ steps: inout [Step], _ e: Endpoint, _ speaks: ListenerProtocol) {
        guard let i = steps.firstIndex(where: { $0.step == "tls" }), steps[i].status == .pass || steps[i].status == .notUsed else { return }
        switch speaks {
        case .tls: steps[i].detail += "; \(e) is a TLS listener"
        case .plaintext: steps[i].detail += "; \(e) is a plaintext listener"
        case .unknown: break
        }
    }
    static let saslNotUsed = Step("authentication", .notUsed, "no SASL: the profile configures no authentication")

    static func hint(for kind: ClusterError.Kind) -> String {
        switch kind {
        case .authorization: return "the principal may not describe the cluster: check its ACLs (DESCRIBE on the cluster and topics)"
        case .timeout: return "the bootstrap server accepted the connection but did not answer a Kafka request: is it a Kafka listener?"
        case .unreachable: return "the bootstrap server accepted the connection but no Kafka session followed: is it a Kafka listener?"
        default: return "run with --verbose for librdkafka's log"
        }
    }

    static func tlsPassed(_ t: Target, _ m: ClusterMetadata, now: Date) -> Step {
        guard t.tls else { return tlsNotUsed }
        guard t.verifyCertificates else {
            return Step("tls", .pass, "handshake completed; certificates NOT verified (tls.verify: false)",
                        hint: "tls.verify: false leaves the brokers unauthenticated: set tls.ca and turn verification on")
        }
        guard let cert = m.brokers.sorted(by: { $0.id < $1.id }).lazy.compactMap(\.certificate).first else {
            return Step("tls", .pass, "handshake completed, certificates verified")
        }
        let host = t.verifyHostname ? "host name matches" : "host name not checked (tls.verify_hostname: false)"
        var detail = "subject \(cert.subject), issuer \(cert.issuer), expires \(cert.notAfterText) (\(cert.daysLeft(now: now)) days); \(host)"
        let warnings = m.brokers.compactMap { b in b.certificate?.expiryWarning(broker: "broker \(b.id)", now: now) }
        if !warnings.isEmpty { detail += "; " + warnings.joined(separator: "; ") }
        return Step("tls", .pass, detail, hint: warnings.isEmpty ? nil : "renew the broker certificates before they expire")
    }

    /// librdkafka (2.10 and later) leaves the bootstrap connection once the metadata names the brokers, so
    /// a broker advertising an address this machine cannot reach may fail the metadata request itself; the
    /// error then names that broker as librdkafka does (`HOST:PORT/ID: Connect to ... failed: ...`). When
    /// that address is not a bootstrap address, it is the listener step that failed, not the metadata.
    static func advertisedUnreachable(_ e: ClusterError, bootstrap: [Endpoint]) -> Step? {
        let text = e.message
        guard let connect = text.range(of: ": Connect to ") else { return nil }
        let before = text[..<connect.lowerBound]
        guard let name = before.split(separator: " ").last else { return nil }
        let parts = name.split(separator: "/")
        guard parts.count == 2, let id = Int32(parts[1]), let colon = parts[0].lastIndex(of: ":"),
              let port = Int(parts[0][parts[0].index(after: colon)...]) else { return nil }
        let host = String(parts[0][..<colon])
        guard !bootstrap.contains(where: { $0.host == host && $0.port == port }) else { return nil }
        let why = text[connect.upperBound...].trimmingCharacters(in: .whitespaces)
        return Step("listeners", .fail, "broker \(id) advertises \(Endpoint(host: host, port: port)): connect to \(why)",
                    hint: listenersHint)
    }

    static let listenersHint = "the bootstrap server answered, but clients then connect to the addresses the brokers advertise, "
        + "which this machine cannot reach: check the brokers' advertised.listeners (a listener for clients "
        + "outside the cluster's network), DNS for those names and the firewalls"

    public static func listeners(_ results: [(Broker, Result<Void, ProbeFailure>)]) -> Step {
        guard !results.isEmpty else {
            return Step("listeners", .fail, "the metadata lists no broker", hint: "the cluster has no live broker: check the brokers' logs")
        }
        var ok: [String] = [], bad: [String] = []
        for (b, r) in results {
            let at = "\(Endpoint(host: b.host, port: Int(b.port)))"
            switch r {
            case .success: ok.append("broker \(b.id) at \(at)")
            case .failure(let f): bad.append("broker \(b.id) advertises \(at): \(f.message)")
            }
        }
        if !bad.isEmpty {
            return Step("listeners", .fail, bad.joined(separator: "; ") + (ok.isEmpty ? "" : " (reachable: \(ok.joined(separator: ", ")))"),
                        hint: listenersHint)
        }
        return Step("listeners", .pass, "every advertised listener answers: " + ok.joined(separator: ", "))
    }

    public static func apiVersions(_ r: Result<Set<Int>, ClusterError>) -> Step {
        switch r {
        case .failure(let e):
            return Step("api_versions", .fail, e.message, hint: e.hint ?? "run with --verbose for librdkafka's log")
        case .success(let keys) where keys.isEmpty:
            return Step("api_versions", .pass, "the broker answered; its API list could not be read")
        case .success(let keys):
            return Step("api_versions", .pass, "\(keys.count) APIs, highest key \(keys.max() ?? 0): \(KafkaVersionRange.implied(by: keys).text)")
        }
    }
}


extension ConnectionDoctor.Probes {
    /// Probes that cannot tell (canned ones in tests) leave the listener's protocol unknown.
    public func listenerProtocol(_ endpoint: ConnectionDoctor.Endpoint) async -> ListenerProtocol { .unknown }
}
