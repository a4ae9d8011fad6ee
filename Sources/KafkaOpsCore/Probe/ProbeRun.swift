import Foundation

/// A probe run that writes (issue 23 point 3): a change like the others, through `ChangePipeline.run`,
/// so every run has a started and an outcome record (`probe.run`), CLI and console alike, and a protected
/// profile asks for the topic's name. Before anything is sent the topic is read: the probe writes only
/// into a topic that holds nothing but probe records (`ProbeTopicContents`), unless the operator passed
/// `--allow-non-probe-topic`. The probe topic's creation stays a change of its own (`topic.create`).
public struct ProbeRun: ClusterChange {
    public var topic: String
    /// The plan as the started record gives it: partitions, rate, duration.
    public var plan: JSONValue
    /// `--allow-non-probe-topic`: write even into a topic that holds other records.
    public var allowNonProbeTopic: Bool
    /// The run itself (the CLI's one report, the console's windows until the screen closes).
    /// The run itself (the CLI's one window, the console's windows until the screen closes). A throw:
    /// the run failed before a record was sent (recorded as failed).
    public var body: @Sendable (any ClusterClient, Duration) async throws -> ProbeRunTotals

    public init(topic: String, plan: JSONValue, allowNonProbeTopic: Bool = false,
                body: @escaping @Sendable (any ClusterClient, Duration) async throws -> ProbeRunTotals) {
        self.topic = topic; self.plan = plan; self.allowNonProbeTopic = allowNonProbeTopic; self.body = body
    }

    public var action: ChangeAction { .probeRun }
    public var target: String { topic }
    public var summary: String { "write probe records to topic \(topic)" }
    public var recordAfter: JSONValue { plan }
    public var recordDetails: JSONValue { .object(["allow_non_probe_topic": .bool(allowNonProbeTopic)]) }

    public func clusterRefusal(client: any ClusterClient, timeout: Duration) async -> String? {
        if allowNonProbeTopic { return nil }
        switch await ProbeTopicContents.check(client: client, topic: topic, timeout: timeout) {
        case .onlyProbeRecords: return nil
        case .foreign(let tp, let offset):
            return "topic \(Sanitizer.terminal(topic)) holds records that are not probe records (partition \(tp.partition), "
                + "offset \(offset)): the probe writes only into its own topic; pass --allow-non-probe-topic to write there anyway"
        case .unknown(let why):
            return "cannot tell whether topic \(Sanitizer.terminal(topic)) holds only probe records (\(why)); "
                + "pass --allow-non-probe-topic to write there anyway"
        }
    }

    /// "ok" when every window passed; else "failed: " and the problems found (lost, refused, ...).
    public func execute(client: any ClusterClient, timeout: Duration) async throws -> ChangeExecution<ProbeRunTotals> {
        let totals = try await body(client, timeout)
        return ChangeExecution(totals, result: totals.problems.isEmpty ? "ok" : "failed: " + totals.problems.joined(separator: "; "),
                               details: totals.record)
    }
}

/// What a probe run did over its windows (the CLI runs one, the console one every few seconds until
/// its screen closes): the sums, the distinct problems, and the last window's report.
public struct ProbeRunTotals: Sendable {
    public private(set) var windows = 0
    public private(set) var sent = 0, acknowledged = 0, failed = 0, received = 0, lost = 0, duplicated = 0
    public private(set) var outOfOrder = 0, unanswered = 0
    /// Each problem once, in the order first seen (at most `problemLimit`).
    public private(set) var problems: [String] = []
    public private(set) var last: ProbeReport?
    static let problemLimit = 20

    public init() {}

    public mutating func add(_ r: ProbeReport) {
        windows += 1
        sent += r.sent; acknowledged += r.acknowledged; failed += r.failed; received += r.received
        lost += r.lost; duplicated += r.duplicated; outOfOrder += r.outOfOrder; unanswered += r.unanswered
        for p in r.problems where !problems.contains(p) && problems.count < Self.problemLimit { problems.append(p) }
        last = r
    }

    /// The outcome record's details: one window's report as it is; several as their sums.
    public var record: JSONValue {
        if windows == 1, let last, let one = try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(last)) {
            return one
        }
        func n(_ v: Int) -> JSONValue { .int(Int64(v)) }
        return .object(["windows": n(windows), "sent": n(sent), "acknowledged": n(acknowledged), "failed": n(failed),
                        "received": n(received), "lost": n(lost), "duplicated": n(duplicated),
                        "out_of_order": n(outOfOrder), "unanswered": n(unanswered)])
    }
}

/// Whether a topic holds only probe records (`ProbePayload`): the first and the last `sample` records
/// of every partition are read (all of them in a partition holding up to twice that many). An empty
/// topic holds only probe records.
public enum ProbeTopicContents {
    public enum Verdict: Sendable, Hashable {
        case onlyProbeRecords
        /// The first record found that is not a probe record.
        case foreign(TopicPartition, offset: Int64)
        /// The topic could not be read: the probe must not assume it is its own.
        case unknown(String)
    }

    public static let sample = 500

    public static func check(client: any ClusterClient, topic: String, timeout: Duration) async -> Verdict {
        do {
            let md = try await client.metadata(deadline: .after(timeout))
            guard let info = md.topics.first(where: { $0.name == topic }) else { return .onlyProbeRecords }
            let tps = info.partitions.map { TopicPartition(topic, $0.id) }.sorted { $0.partition < $1.partition }
            guard !tps.isEmpty else { return .onlyProbeRecords }
            let offsets = try await client.logOffsets(tps, deadline: .after(timeout))
            for tp in tps {
                guard let o = offsets[tp] else { return .unknown("the offsets of partition \(tp.partition) were not read") }
                guard o.count > 0 else { continue }
                var reads = [ReadRequest(topic: topic, partition: tp.partition, start: .offset(o.start), endOffset: o.end,
                                         maxRecords: sample)]
                if o.count > Int64(sample) {
                    let tailStart = max(o.start + Int64(sample), o.end - Int64(sample))
                    reads.append(ReadRequest(topic: topic, partition: tp.partition, start: .offset(tailStart), endOffset: o.end,
                                             maxRecords: sample))
                }
                for r in reads {
                    let records = try await client.readRecords(r, deadline: .after(timeout))
                    if records.isEmpty, o.count > 0, r.start == .offset(o.start) {
                        return .unknown("partition \(tp.partition) holds \(o.count) record(s) but none could be read")
                    }
                    if let foreign = records.first(where: { !isProbeRecord($0) }) { return .foreign(tp, offset: foreign.offset) }
                }
            }
            return .onlyProbeRecords
        } catch {
            return .unknown(Sanitizer.terminal(String(describing: error)))
        }
    }

    /// A record the probe wrote: its value is a `ProbePayload`.
    public static func isProbeRecord(_ r: Record) -> Bool {
        guard let v = r.value else { return false }
        return ProbePayload(bytes: v) != nil
    }
}
