import Foundation

/// A probe that runs until it is stopped, as the console's probe screen and `kafkaops watch --probe` run it:
/// window after window of `ProbeRunner` at a low rate, each ending by reading its records again from where
/// it started, so a record truncated away since it was read (an unclean election) is lost. It follows the
/// topic's partitions as they change. It ends when `keepGoing` says so or the task is cancelled (the window
/// in flight ends first), or when the topic can no longer be read (`stopped` says why, sanitised).
public enum ProbeWindows {
    /// Seconds of sending per window; each window is then read back before the next starts.
    public static let window: Duration = .seconds(2)
    /// Records per second in all when the profile sets no `probe_rate`.
    public static let defaultRate = 10.0

    public static func run(topic: String, rate: Double, window: Duration = ProbeWindows.window,
                           client: any ClusterClient, timeout: Duration,
                           keepGoing: @escaping @Sendable () -> Bool = { true },
                           ended: @escaping @Sendable (ProbeReport) async -> Void,
                           stopped: @escaping @Sendable (String) async -> Void) async -> ProbeRunTotals {
        var totals = ProbeRunTotals()
        var session: ClientProbeSession?
        var partitions: [Int32] = []
        func said(_ e: any Error) -> String { Sanitizer.terminal(String(describing: e)) }
        while !Task.isCancelled, keepGoing() {
            let md: ClusterMetadata
            do { md = try await client.metadata(deadline: .after(timeout)) } catch {
                await stopped("cannot read the metadata: \(said(error))")
                break
            }
            guard let info = md.topics.first(where: { $0.name == topic }), !info.partitions.isEmpty else {
                await stopped("the probe topic \(Sanitizer.terminal(topic)) is gone")
                break
            }
            let (ps, leaders) = ProbeTopic.partitions(of: info)
            if session == nil || ps != partitions {
                await session?.close()
                do {
                    let start = try await client.endOffsets(ps.map { TopicPartition(topic, $0) }, deadline: .after(timeout))
                    session = try await ClientProbeSession.open(client, start: start, deadline: .after(timeout))
                    partitions = ps
                } catch {
                    await stopped("cannot start reading the probe topic: \(said(error))")
                    break
                }
            }
            guard let session else { break }
            var plan = ProbePlan(topic: topic, partitions: ps, leaders: leaders, recordsPerPartition: nil,
                                 duration: window, rate: rate, timeout: timeout)
            if let ends = try? await client.endOffsets(ps.map { TopicPartition(topic, $0) }, deadline: .after(timeout)) {
                plan.startOffsets = Dictionary(uniqueKeysWithValues: ends.map { ($0.key.partition, $0.value) })
            }
            let report = await ProbeRunner.run(session, plan: plan)
            totals.add(report)
            if Task.isCancelled { break }
            await ended(report)
        }
        await session?.close()
        return totals
    }
}
