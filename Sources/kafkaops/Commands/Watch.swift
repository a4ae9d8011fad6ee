import ArgumentParser
import Foundation
import KafkaOpsCore
import KafkaOpsWatch
#if canImport(Glibc)
import Glibc
#endif

/// `kafkaops watch` (issue 26): the console's durability rules, unattended, for Prometheus and Alertmanager.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refresh unattended and serve the durability rules as Prometheus metrics and Alertmanager alerts.",
        discussion: """
        Read-only: the session is opened read-only whatever the profile says, so nothing is written to \
        the cluster. Refreshes at the profile's refresh_interval (10s by default; --interval overrides) \
        and reads what the console reads: the snapshot, the lag facts, the lag history and trends, the \
        durability audit. --metrics-listen HOST:PORT serves /metrics (Prometheus' text format, or \
        OpenMetrics when the Accept header asks for it) and /healthz from the last refresh: a scrape \
        never waits on the cluster. --alertmanager URL (repeatable) posts alerts for offline partitions, \
        partitions under min ISR, groups at risk of data loss and stopped groups to Alertmanager's v2 \
        API, again at each refresh while they hold and once, resolved, when they clear. Runs until \
        SIGTERM or SIGINT (exit 0). --once refreshes once and prints what a scrape would hold \
        (-o json: the metric families; table: the text format). --probe TOPIC is the one write: the \
        probe's windows (as the console's probe screen runs them, at the profile's probe_rate) prove the \
        write path while watch runs, one audited change (probe.run) from start to stop, refused on a \
        read-only profile, on a protected one without --confirm TOPIC, and into a topic holding other \
        records; its totals, latency histogram and a KafkaopsProbeLosingRecords alert join the scrape.
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var out: OutputOptions
    @Option(name: .long, help: ArgumentHelp("Time between refreshes (10s, 1m, PT10S; default: the profile's refresh_interval, else 10s).",
                                            valueName: "duration"))
    var interval: String?
    @Option(name: .long, help: ArgumentHelp("Serve /metrics and /healthz on this address (127.0.0.1:9308, [::1]:9308; port 0: any free one).",
                                            valueName: "host:port"))
    var metricsListen: String?
    @Option(name: .long, help: ArgumentHelp("Post alerts to this Alertmanager (repeatable).", valueName: "url"))
    var alertmanager: [String] = []
    @Option(name: .long, help: ArgumentHelp("CA file for the Alertmanagers' TLS.", valueName: "file")) var alertmanagerCa: String?
    @Option(name: .long, help: ArgumentHelp("Client certificate for the Alertmanagers (with --alertmanager-key).", valueName: "file"))
    var alertmanagerCert: String?
    @Option(name: .long, help: ArgumentHelp("Client key for the Alertmanagers.", valueName: "file")) var alertmanagerKey: String?
    @Option(name: .long, help: ArgumentHelp("Basic auth user for the Alertmanagers; the password is read from $KAFKAOPS_ALERTMANAGER_PASSWORD. A bearer token: $KAFKAOPS_ALERTMANAGER_TOKEN.",
                                            valueName: "name"))
    var alertmanagerUsername: String?
    @Option(name: .long, help: "The cluster label of the alerts (default: the profile's name).") var cluster: String?
    @Option(name: .long, help: "Policy file (YAML) for the audit; default: the profile's policy or the built-in one.") var policy: String?
    @Flag(name: .long, help: "Also serve per-partition series (ISR size, leader, lag per group and partition): one series per partition.")
    var perPartition = false
    @Flag(name: .long, help: "Refresh once, print what a scrape would hold and exit (1 when the refresh failed).") var once = false
    @Option(name: .long, help: ArgumentHelp("Also prove the write path: probe this topic while watching (it must hold only probe records).",
                                            valueName: "topic"))
    var probe: String?
    @Option(name: .long, parsing: .unconditional, help: "Probe records per second in all (default: the profile's probe_rate, else 10).")
    var probeRate: Double?
    @Option(name: .long, help: "The probe topic's name again, required on a protected profile.") var confirm: String?

    func validate() throws {
        _ = try intervalValue(profileDefault: nil)
        if let metricsListen { _ = try Self.hostPort(metricsListen) }
        for url in alertmanager where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--alertmanager must be an http:// or https:// URL, got '\(url)'")
        }
        if once && (metricsListen != nil || !alertmanager.isEmpty) {
            throw ValidationError("--once prints one refresh; it takes neither --metrics-listen nor --alertmanager")
        }
        if !once && metricsListen == nil && alertmanager.isEmpty {
            throw ValidationError("give --metrics-listen HOST:PORT, --alertmanager URL or --once")
        }
        if probe != nil && once {
            throw ValidationError("--probe writes beside the refreshes until watch stops; use `kafkaops probe` for one run")
        }
        if probe == nil && (probeRate != nil || confirm != nil) {
            throw ValidationError("--probe-rate and --confirm go with --probe TOPIC")
        }
        if let probeRate, let problem = SettingRange.probeRate.problem("--probe-rate", probeRate) { throw ValidationError(problem) }
        if (alertmanagerCert == nil) != (alertmanagerKey == nil) {
            throw ValidationError("--alertmanager-cert and --alertmanager-key go together")
        }
    }

    func intervalValue(profileDefault: Double?) throws -> Duration {
        guard let interval else { return .milliseconds(Int64((profileDefault ?? 10) * 1000)) }
        let ms: Int64
        do { ms = try OffsetTime.parseShortDuration(interval) } catch { throw ValidationError("--interval: \(error.message)") }
        if let problem = SettingRange.refreshInterval.problem("--interval", Double(ms) / 1000) { throw ValidationError(problem) }
        return .milliseconds(ms)
    }

    /// "127.0.0.1:9308", "[::1]:9308", "localhost:0".
    static func hostPort(_ s: String) throws -> (String, UInt16) {
        var host = Substring(s), port = Substring("")
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            host = s[s.index(after: s.startIndex)..<close]
            port = s[s.index(after: close)...].drop { $0 == ":" }
        } else if let colon = s.lastIndex(of: ":") {
            host = s[..<colon]; port = s[s.index(after: colon)...]
        }
        guard !host.isEmpty, let p = UInt16(port) else {
            throw ValidationError("--metrics-listen must be HOST:PORT (127.0.0.1:9308, [::1]:9308), got '\(s)'")
        }
        return (String(host), p)
    }

    func targets(env: [String: String]) throws -> [AlertmanagerTarget] {
        var auth: String?
        if let user = alertmanagerUsername {
            guard let password = env["KAFKAOPS_ALERTMANAGER_PASSWORD"] else {
                throw UsageError("--alertmanager-username needs the password in $KAFKAOPS_ALERTMANAGER_PASSWORD")
            }
            auth = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        } else if let token = env["KAFKAOPS_ALERTMANAGER_TOKEN"], !token.isEmpty {
            auth = "Bearer " + token
        }
        return alertmanager.map {
            AlertmanagerTarget(url: $0, caFile: alertmanagerCa.map(expandingTilde), certFile: alertmanagerCert.map(expandingTilde),
                               keyFile: alertmanagerKey.map(expandingTilde), authorization: auth, timeout: min(global.timeout, 5))
        }
    }

    func run() async throws {
        let opened = try Session.open(global)
        // The probe is the one write, refused up front on a read-only profile.
        if let probe { try requireWritable(opened.resolved, action: "write probe records to \(probe)") }
        // Read-only by construction: whatever the profile says, the pipeline refuses every write.
        let s = Session(resolved: opened.resolved, client: opened.client.readOnly(true), timeout: opened.timeout)
        let (policyValue, _) = try PolicyLoader.load(option: policy, profile: s.resolved.profile)
        let every = try intervalValue(profileDefault: s.resolved.profile.refreshInterval)
        let clusterName = cluster ?? (s.resolved.isDemo ? "demo" : s.resolved.name)
        var collector = WatchCollector(cluster: clusterName, interval: every, perPartition: perPartition)
        let scrape = WatchScrape()
        let report: @Sendable (String) -> Void = { warn($0) }

        if once {
            let loop = WatchLoop(client: s.client, policy: policyValue, timeout: s.timeout, interval: every, scrape: scrape,
                                 poster: nil, report: report)
            let r = await loop.refresh(&collector)
            if let e = r.error { throw ClusterError(.timeout, "the refresh failed: \(e)") }
            switch out.output {
            case .json, .yaml: try emitStructured(out.output, ScrapeJSON(r))
            case .table: emit(MetricsExposition.render(r.families, format: .text))
            }
            return
        }

        let stop = StopSignals()
        let targets = try targets(env: ProcessInfo.processInfo.environment)
        var server: MetricsServer?
        if let metricsListen {
            let (host, port) = try Self.hostPort(metricsListen)
            do {
                server = try await MetricsServer.start(host: host, port: port, scrape: scrape,
                                                       staleAfter: 2 * (WatchLoop.seconds(every) + 2 * global.timeout + 1))
            } catch let e as MetricsServer.CannotListen {
                throw ClusterError(.configuration, e.description)
            }
            warn("serving metrics on http://\(server?.listening ?? metricsListen)/metrics")
        }
        let poster = targets.isEmpty ? nil : AlertPoster(targets, report: report)
        var loop = WatchLoop(client: s.client, policy: policyValue, timeout: s.timeout, interval: every, scrape: scrape,
                             poster: poster, report: report)
        var probing: Task<(any Error)?, Never>?
        if let probe {
            let watched = WatchProbe(topic: probe)
            loop.probe = watched
            probing = Task { await runProbe(watched, writer: opened, rate: probeRate ?? s.resolved.profile.probeRate ?? ProbeWindows.defaultRate,
                                            stop: stop) }
        }
        let refreshing = Task { [collector, loop] in
            var c = collector
            await loop.run(&c)
        }
        let signal = await stop.next()
        // A clean end within 2 s: the refresh in flight is cancelled (never waited for), the probe's window
        // ends and its outcome is recorded, the listener closed.
        refreshing.cancel()
        var probeError: (any Error)?
        if let probing {
            probing.cancel()
            probeError = await WatchLoop.first(within: 1.5) { await probing.value } ?? nil
        }
        if let server { _ = await WatchLoop.first(within: 0.5) { await server.stop() } }
        if let probeError { throw probeError }
        warn("stopped by \(signal)")
    }

    /// `--probe TOPIC`: one `ProbeRun` through the change pipeline (a started record now, the outcome when
    /// watch stops), its windows until then. A refusal (protected profile without --confirm, a topic holding
    /// other records, an audit log that cannot be written) ends watch with it: nothing was written.
    private func runProbe(_ watched: WatchProbe, writer: Session, rate: Double, stop: StopSignals) async -> (any Error)? {
        let topic = watched.topic
        let plan: JSONValue = .object(["rate": .double(rate), "window_ms": .int(Int64(ProbeWindows.window / .milliseconds(1))),
                                       "from": .string("watch")])
        let change = ProbeRun(topic: topic, plan: plan) { client, timeout in
            await ProbeWindows.run(topic: topic, rate: rate, client: client, timeout: timeout,
                                   ended: { watched.add($0) },
                                   stopped: { why in watched.stopped(why); warn("probe stopped: \(why)") })
        }
        let failure: any Error
        do {
            let done = try await writer.pipeline.run(change, client: writer.client, timeout: writer.timeout, confirmation: confirm)
            warnUnrecorded(done.unrecorded)
            warn("probe of \(Sanitizer.terminal(topic)): \(done.result)")
            return nil
        } catch let refused as ChangeRefused {
            failure = refused.commandError(summary: change.summary)
        } catch let failed as ChangeFailed {
            warnUnrecorded(failed.unrecorded)
            failure = failed.underlying
        } catch {
            failure = ClusterError(.configuration, "the audit log cannot be written: \(Sanitizer.terminal(String(describing: error))); nothing was sent")
        }
        watched.stopped(String(describing: failure))
        stop.end("the probe")
        return failure
    }
}

/// SIGTERM and SIGINT, as an awaitable: installed before anything starts, so an early signal is not lost.
final class StopSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init() {
        (stream, continuation) = AsyncStream<String>.makeStream()
        for (sig, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler { [continuation] in continuation.yield(name) }
            src.resume()
            sources.append(src)
        }
    }

    /// Ends watch as a signal would, for a reason of its own (the probe was refused).
    func end(_ why: String) { continuation.yield(why) }

    func next() async -> String {
        for await name in stream { return name }
        return "SIGTERM"
    }
}

/// `kafkaops watch --once -o json`: the metric families a scrape would hold.
struct ScrapeJSON: Encodable {
    struct Family: Encodable {
        struct Sample: Encodable {
            let name: String
            let labels: [String: String]
            let value: Double
        }
        let name: String
        let type: String
        let help: String
        let samples: [Sample]
    }
    let refreshed_at: String
    let refresh_duration_seconds: Double
    let families: [Family]

    init(_ r: WatchRefresh) {
        refreshed_at = ISO8601.string(r.endedAt)
        refresh_duration_seconds = r.durationSeconds
        families = r.families.map { f in
            Family(name: f.name, type: f.kind.rawValue, help: f.help, samples: f.samples.map { s in
                Family.Sample(name: f.name + s.suffix,
                              labels: Dictionary(s.labels.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }), value: s.value)
            })
        }
    }
}
