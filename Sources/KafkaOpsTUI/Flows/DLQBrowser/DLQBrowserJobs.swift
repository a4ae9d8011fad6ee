import Foundation
import KafkaOpsCore

/// The DLQ browser: the cluster work, run off the main actor; results come back as events.
extension DLQPanel {
    /// Starts the read job: the first page (from the start, or the newest records), or the next page.
    mutating func load(_ ctx: PanelContext, append: Bool) -> PanelOutcome {
        guard let topic else { return .none }
        let ticket = reads.next()
        loading = true
        loadError = nil
        if partitions.isEmpty, let t = ctx.snapshot?.topic(topic) { partitions = t.partitions.map(\.id).sorted() }
        let starts: [(partition: Int32, start: ReadStart)]
        if append {
            var last: [Int32: Int64] = [:]
            for e in entries { last[e.record.partition] = max(last[e.record.partition] ?? -1, e.record.offset) }
            starts = partitions.map { p in (p, last[p].map { .offset($0 + 1) } ?? .earliest) }
        } else {
            starts = partitions.map { ($0, Self.firstStart(newest: newest, fromTime: fromTime)) }
        }
        let job = Self.readJob(topic: topic, knownPartitions: partitions, starts: starts, newest: newest, fromTime: fromTime,
                               append: append, ticket: ticket, mapping: ctx.operations.dlqHeaders,
                               decoder: ctx.operations.recordDecoder, plain: plainRecords)
        return PanelOutcome(jobs: [job])
    }

    /// Where the first page starts in each partition: at `fromTime`, the newest page, or the log start.
    static func firstStart(newest: Bool, fromTime: Int64?) -> ReadStart {
        if let fromTime { return .timestamp(fromTime) }
        return newest ? .lastN(Int64(pageSize)) : .earliest
    }

    static func readJob(topic: String, knownPartitions: [Int32], starts: [(partition: Int32, start: ReadStart)], newest: Bool,
                        fromTime: Int64? = nil, append: Bool, ticket: JobTicket, mapping: DLQHeaderMapping,
                        decoder: (any PayloadDecoding)? = nil, plain: Bool = false) -> Job {
        let given = starts.map { DLQStart(partition: $0.partition, start: $0.start) }
        return Job("read", sending: Event.self) { ctx in
            do {
                var partitions = knownPartitions
                var starts = given.map { (partition: $0.partition, start: $0.start) }
                if partitions.isEmpty {
                    let md = try await ctx.client.metadata(deadline: ctx.deadline)
                    guard let t = md.topics.first(where: { $0.name == topic }) else {
                        throw ClusterError(.unknownTopic, "topic '\(topic)' does not exist")
                    }
                    partitions = t.partitions.map(\.id).sorted()
                    starts = partitions.map { ($0, firstStart(newest: newest, fromTime: fromTime)) }
                }
                let records = try await DLQReader.read(client: ctx.client, topic: topic, starts: starts, limit: pageSize,
                                                       maxBytes: pageBytes, deadline: ctx.deadline)
                if Task.isCancelled { return }
                var entries = records.map { entry($0, mapping: mapping) }
                if let decoder { entries = await decoded(entries, decoder) }
                if Task.isCancelled { return }
                // A page's rows are seconds of CPU when its values are large (the search text is each whole value,
                // lowercased): the job lets other tasks run between rows rather than hold a thread of the pool.
                var rows: [Row] = []
                rows.reserveCapacity(entries.count)
                for e in entries {
                    rows.append(plain ? recordRow(e) : row(e, marked: false, replayed: nil))
                    await Task.yield()
                }
                await ctx.send(.read(DLQPageRead(ticket: ticket, entries: entries, rows: rows, partitions: partitions,
                                                 full: records.count >= pageSize, append: append)))
            } catch {
                if Task.isCancelled { return }
                let text = String(describing: error)
                await ctx.send(.readFailed(ticket, text))
            }
        }
    }

    /// A start time as the reset wizard takes it: Kafka's date-time (UTC unless a zone is given) or an
    /// ISO-8601 duration back from now (PT1H).
    static func parseTime(_ text: String, now: Date) throws(OffsetTimeError) -> Int64 {
        try OffsetTime.parseTimePoint(text).milliseconds(now: now)
    }

    static func entry(_ r: Record, mapping: DLQHeaderMapping) -> DLQEntry {
        let c = DLQContext.decode(record: r, mapping: mapping)
        let g = DLQSummary.errorGroupKey(c)
        return DLQEntry(record: r, context: c, id: "\(r.partition):\(r.offset)",
                        errorGroup: DLQErrorGroupKey(errorClass: g.errorClass, pattern: g.pattern))
    }

    /// Entries with their wire-format keys and values decoded (in the job: a schema fetch waits here, never on
    /// the UI thread; each schema is fetched once).
    public static func decoded(_ entries: [DLQEntry], _ decoder: any PayloadDecoding) async -> [DLQEntry] {
        var out = entries
        for i in out.indices {
            out[i].decodedKey = await decoder.decode(out[i].record.key)
            out[i].decodedValue = await decoder.decode(out[i].record.value)
        }
        return out
    }

    /// "11-24 09:15" (UTC) from ms since the epoch.
    static func shortTime(_ ms: Int64) -> String {
        let iso = ISO8601.string(milliseconds: ms)  // 2026-11-24T09:15:02.000Z
        let chars = Array(iso)
        guard chars.count >= 16 else { return iso }
        return String(chars[5..<10]) + " " + String(chars[11..<16])
    }

    /// A key or header value for one line: sanitised text, "null", or hex when it is not text.
    public static func oneLine(_ b: [UInt8]?) -> String { ReplayPlanner.keyText(b) }

    /// The text `/` searches: key, value (decoded too, when they carry a schema) and headers (names and values).
    static func searchText(_ e: DLQEntry) -> String {
        let r = e.record
        var s = "\(r.partition):\(r.offset) "
        if let k = r.key { s += String(decoding: k, as: UTF8.self) + " " }
        if let v = r.value { s += String(decoding: v, as: UTF8.self) + " " }
        if let k = e.decodedKey?.value { s += String(decoding: k.jsonBytes, as: UTF8.self) + " " }
        if let v = e.decodedValue?.value { s += String(decoding: v.jsonBytes, as: UTF8.self) + " " }
        for h in r.headers {
            s += h.key + "=" + (h.value.map { String(decoding: $0, as: UTF8.self) } ?? "") + " "
        }
        return s
    }

    /// A row of `:records`: the key and the value, decoded when they carry a schema (else their bytes, or the
    /// first bytes as hex with why they did not decode).
    static func recordRow(_ e: DLQEntry) -> Row {
        let r = e.record
        let value: String
        if let v = e.decodedValue?.value { value = v.oneLine }
        else if let d = e.decodedValue { value = "schema \(d.schemaID): " + Sanitizer.terminal(d.note ?? "not decoded") }
        else { value = oneLine(r.value) }
        return Row(id: e.id, cells: [" ", " ", e.id, shortTime(r.timestamp), e.decodedKey?.value?.oneLine ?? oneLine(r.key),
                                     DisplayWidth.endCut(value, width: 400)],
                   roles: [.highlight, .healthy, .body, .muted, .body, e.decodedValue?.value == nil && e.decodedValue != nil ? .warning : .body],
                   sortKeys: [], search: searchText(e))
    }

    /// `replayed`: where the record landed when it was replayed from here ("orders/3@1042").
    static func row(_ e: DLQEntry, marked: Bool, replayed: String?) -> Row {
        let r = e.record, c = e.context
        let message = (c.message ?? "").split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).first.map(String.init)
            ?? (c.family == .none ? "(no error context)" : "")
        return Row(id: e.id,
                   cells: [marked ? "*" : " ", replayed == nil ? " " : replayMark, e.id, shortTime(r.timestamp), e.decodedKey?.value?.oneLine ?? oneLine(r.key),
                           Fmt.safe(c.originDescription ?? "-"), Fmt.safe(c.shortErrorClass ?? "-"), Fmt.safe(message)],
                   roles: [.highlight, .healthy, .body, .muted, .body, .body, c.errorClass == nil ? .muted : .warning, .body],
                   sortKeys: [], search: searchText(e))
    }
}

/// A (partition, start) pair that can cross into a job.
struct DLQStart: Sendable {
    var partition: Int32
    var start: ReadStart
}
