import Foundation
import Testing
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsTUI

/// A cluster with dead-letter topics: FakeCluster plus `orders-dlt` (Spring, Connect, context-free and hostile
/// records, one with a 1 MB value), `bulk-dlq` (150 plain records) and `replayed`; it records every read and
/// produce and can fail the delivery of records with a chosen key.
final class DLQFake: ForwardingCluster, @unchecked Sendable {
    let base = FakeCluster()
    private let lock = NSLock()
    private var _reads: [ReadRequest] = []
    private var _produced: [OutgoingRecord] = []
    private var _failKeys: Set<String> = []
    private var _unknownKeys: Set<String> = []
    private var _landed: [TopicPartition: [Record]] = [:]
    private var _onProduce: (@Sendable () -> Void)?

    var displayName: String { "dlq-fake" }
    var reads: [ReadRequest] { lock.withLock { _reads } }
    var produced: [OutgoingRecord] { lock.withLock { _produced } }
    func failDelivery(ofKey key: String?) { lock.withLock { _failKeys = key.map { [$0] } ?? [] } }
    /// Records with this key are written, but their delivery report never comes (a timeout after sending).
    func loseReport(ofKey key: String?) { lock.withLock { _unknownKeys = key.map { [$0] } ?? [] } }
    /// Called after every produce call.
    func onProduce(_ f: (@Sendable () -> Void)?) { lock.withLock { _onProduce = f } }
    /// Every partition's log starts at 0 and ends at 100 plus what was produced to it.
    static let logBase: Int64 = 100

    static func be32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static func be64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }

    static let osc52 = "\u{1b}]52;c;ZXZpbA==\u{07}"
    static let osc0 = "\u{1b}]0;pwned\u{07}"
    static let hostileMessage = "bad \(osc52) input \(osc0) \u{202E}txt.exe NUL\u{0} end"
    static let big = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)

    static func spring(_ msg: String, partition: Int32 = 1, offset: Int64 = 42, trace: String) -> [RecordHeader] {
        [RecordHeader("kafka_dlt-original-topic", string: "orders"),
         RecordHeader("kafka_dlt-original-partition", be32(partition)),
         RecordHeader("kafka_dlt-original-offset", be64(offset)),
         RecordHeader("kafka_dlt-original-timestamp", be64(1_763_900_000_000)),
         RecordHeader("kafka_dlt-exception-fqcn", string: "com.acme.orders.BadOrderException"),
         RecordHeader("kafka_dlt-exception-message", string: msg),
         RecordHeader("kafka_dlt-exception-stacktrace", string: "com.acme.orders.BadOrderException: \(msg)\n\tat com.acme.Listener.on(Listener.java:10)\n\tat com.acme.Main.run(Main.java:3)"),
         RecordHeader("trace-id", string: trace)]
    }

    static func connect(offset: Int64, trace: String) -> [RecordHeader] {
        [RecordHeader("__connect.errors.topic", string: "orders"),
         RecordHeader("__connect.errors.partition", string: "0"),
         RecordHeader("__connect.errors.offset", string: String(offset)),
         RecordHeader("__connect.errors.connector.name", string: "jdbc-sink"),
         RecordHeader("__connect.errors.task.id", string: "2"),
         RecordHeader("__connect.errors.stage", string: "VALUE_CONVERTER"),
         RecordHeader("__connect.errors.exception.class.name", string: "org.apache.kafka.connect.errors.DataException"),
         RecordHeader("__connect.errors.exception.message", string: "Converting byte[] to Kafka Connect data failed"),
         RecordHeader("trace-id", string: trace)]
    }

    /// orders-dlt: 0/0 Spring, 0/1 Connect, 0/2 no context (hostile key, invalid UTF-8 value), 0/3 Spring with a
    /// hostile message and header, 0/4 Spring (same group as 0/0) with a 1 MB value; 1/0 Connect, 1/1 Spring key "fail".
    static let store: [String: [Int32: [Record]]] = {
        func r(_ p: Int32, _ o: Int64, _ key: String?, _ value: [UInt8]?, _ h: [RecordHeader]) -> Record {
            Record(topic: "orders-dlt", partition: p, offset: o, timestamp: 1_800_000_000_000 + o * 1000 + Int64(p) * 500,
                   key: key.map { Array($0.utf8) }, value: value, headers: h)
        }
        var hostile = spring(hostileMessage, offset: 44, trace: "t3")
        hostile.append(RecordHeader("x-evil\u{1b}[2J", string: "\u{1b}[31mred\u{1b}]0;title\u{07}"))
        let dlt: [Int32: [Record]] = [
            0: [r(0, 0, "k0", Array("{\"id\":42,\"items\":[1,2]}".utf8), spring("order 42 has no customer", trace: "t0")),
                r(0, 1, "k1", Array("{\"id\":7}".utf8), connect(offset: 7, trace: "t1")),
                r(0, 2, "\u{1b}[31mred", [0xff, 0xfe, 0x00, 0x41], []),
                r(0, 3, "k3", Array("{\"id\":3}".utf8), hostile),
                r(0, 4, "big", big, spring("order 43 has no customer", offset: 43, trace: "t4"))],
            1: [r(1, 0, "k5", Array("{\"id\":8}".utf8), connect(offset: 8, trace: "t5")),
                r(1, 1, "fail", Array("{\"id\":9}".utf8), spring("order 9 has no customer", offset: 9, trace: "t6"))],
        ]
        let bulk = (0..<150).map { i in
            Record(topic: "bulk-dlq", partition: 0, offset: Int64(i), timestamp: 1_800_000_000_000 + Int64(i), key: Array("b\(i)".utf8),
                   value: Array("v\(i)".utf8), headers: [RecordHeader("__connect.errors.topic", string: "orders")])
        }
        return ["orders-dlt": dlt, "bulk-dlq": [0: bulk]]
    }()

    func metadata(deadline: Deadline) async throws -> ClusterMetadata {
        var md = try await base.metadata(deadline: deadline)
        md.topics += [TopicInfo(name: "orders-dlt", partitions: FakeCluster.partitions(2)),
                      TopicInfo(name: "bulk-dlq", partitions: FakeCluster.partitions(1)),
                      TopicInfo(name: "replayed", partitions: FakeCluster.partitions(1))]
        return md
    }

    func logOffsets(_ partitions: [TopicPartition], deadline: Deadline) async throws -> [TopicPartition: LogOffsets] {
        lock.withLock {
            Dictionary(uniqueKeysWithValues: partitions.map { ($0, LogOffsets(start: 0, end: Self.logBase + Int64(_landed[$0]?.count ?? 0))) })
        }
    }

    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        lock.withLock { _reads.append(request) }
        if let landed = lock.withLock({ _landed[TopicPartition(request.topic, request.partition)] }), case .offset(let from) = request.start {
            return Array(landed.filter { $0.offset >= from && $0.offset < (request.endOffset ?? .max) }.prefix(request.maxRecords))
        }
        let all = Self.store[request.topic]?[request.partition] ?? []
        var from: Int64
        switch request.start {
        case .earliest: from = 0
        case .offset(let o): from = o
        case .lastN(let n): from = max(0, Int64(all.count) - n)
        case .timestamp(let t): from = all.first { $0.timestamp >= t }?.offset ?? Int64(all.count)
        }
        return Array(all.filter { $0.offset >= from }.prefix(request.maxRecords))
    }

    func produce(_ records: [OutgoingRecord], deadline: Deadline) async throws -> [DeliveryReport] {
        defer { lock.withLock { _onProduce }?() }
        return lock.withLock {
            var out: [DeliveryReport] = []
            for (i, r) in records.enumerated() {
                let tp = TopicPartition(r.topic, r.partition ?? 0)
                let at = Self.logBase + Int64(_landed[tp]?.count ?? 0)
                if let k = r.key, _failKeys.contains(String(decoding: k, as: UTF8.self)) {
                    out.append(DeliveryReport(index: i, result: .failure(ClusterError(.broker, "NOT_ENOUGH_REPLICAS: fewer in-sync replicas than required"))))
                } else if let k = r.key, _unknownKeys.contains(String(decoding: k, as: UTF8.self)) {
                    _produced.append(r)
                    _landed[tp, default: []].append(Record(topic: r.topic, partition: tp.partition, offset: at, timestamp: 0,
                                                           key: r.key, value: r.value, headers: r.headers))
                    out.append(DeliveryReport(index: i, result: .failure(ClusterError(.timeout, "no delivery report before the deadline")),
                                              outcomeUnknown: true))
                } else {
                    _landed[tp, default: []].append(Record(topic: r.topic, partition: tp.partition, offset: at, timestamp: 0,
                                                           key: r.key, value: r.value, headers: r.headers))
                    _produced.append(r)
                    out.append(DeliveryReport(index: i, result: .success(TopicPartitionOffset(topic: r.topic, partition: r.partition ?? 0,
                                                                                                offset: Int64(_produced.count - 1)))))
                }
            }
            return out
        }
    }

}

@Suite struct DLQPanelTests {
    let fake = DLQFake()
    let audit = MemoryChangeLog()

    func state(readOnly: Bool = false, protected: Bool = false, auditFails: Bool = false) async throws -> ConsoleState {
        var snap = try await SnapshotLoader(client: fake).load(deadline: .seconds(5))
        snap.fetchedAt = t0
        var s = loadedState(snap, readOnly: readOnly)
        let audit = self.audit
        s.operations = OperationSettings(protected: protected, openChangeLog: {
            if auditFails { throw ClusterError(.configuration, "cannot open /nope/audit.log: permission denied") }
            return audit
        })
        return s
    }

    /// Runs the jobs among `effects` (and those their results start) to the end, feeding what they send back.
    @discardableResult
    func run(_ s: inout ConsoleState, _ effects: [Effect]) async -> [FlowEvent] {
        var pending = effects
        var all: [FlowEvent] = []
        while !pending.isEmpty {
            let e = pending.removeFirst()
            guard case .job(let job) = e else { continue }
            let inbox = Inbox()
            let client: any ClusterClient = s.readOnly ? ReadOnlyClusterClient(fake) : fake
            await job.run(JobContext(client: client, timeout: testJobTimeout, operations: s.operations) { inbox.append($0) })
            for v in inbox.take() {
                all.append(v)
                pending += s.update(.panelReceived(panelID: job.panelID, value: v))
            }
        }
        return all
    }

    /// Opens `:dlq orders-dlt` and reads the first page.
    func opened(readOnly: Bool = false, protected: Bool = false, auditFails: Bool = false, topic: String = "orders-dlt") async throws -> ConsoleState {
        var s = try await state(readOnly: readOnly, protected: protected, auditFails: auditFails)
        s.press(.char(":"))
        s.type("dlq \(topic)")
        let effects = s.press(.enter)
        #expect(effects.filter { if case .job(let j) = $0 { return j.name == "read" } else { return false } }.count == 1)
        await run(&s, effects)
        return s
    }

    func panel<P: Panel>(_ s: ConsoleState, _ type: P.Type) throws -> P {
        try #require(s.topPanel as? P)
    }

    /// Every cell is a printable character: no C0/C1 control, DEL, bidi override or zero-width character.
    func expectNoRawControls(_ s: ConsoleState, sourceLocation: SourceLocation = #_sourceLocation) {
        let g = s.grid()
        for c in g.cells {
            for u in c.char.unicodeScalars {
                let v = u.value
                let bad = v < 0x20 || (v >= 0x7F && v < 0xA0) || (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v)
                    || (0x2066...0x2069).contains(v)
                #expect(!bad, "raw control U+\(String(v, radix: 16)) on screen", sourceLocation: sourceLocation)
            }
        }
    }

    func line(_ s: ConsoleState, containing text: String) -> String? { s.screenLines().first { $0.contains(text) } }

    @Test func firstPageIsOneJobWithOneReadPerPartitionAndShowsTheColumns() async throws {
        let s = try await opened()
        #expect(fake.reads.count == 2)                      // one read per partition, not per record
        #expect(fake.reads.allSatisfy { $0.maxRecords <= DLQPanel.pageSize })
        let lines = s.screenLines()
        #expect(lines[1].contains("DLQ orders-dlt"))
        let header = try #require(lines.first { $0.contains("P:OFFSET") })
        for col in ["M", "TIME", "KEY", "ORIGIN", "ERROR", "MESSAGE"] { #expect(header.contains(col)) }
        #expect(lines.contains { $0.contains("7 record(s)") })
        let spring = try #require(line(s, containing: " 0:0 "))
        #expect(spring.contains("k0"))
        #expect(spring.contains("orders/1/42"))
        #expect(spring.contains("BadOrderExc"))
        #expect(spring.contains("order 42"))
        #expect(spring.contains("01-15 08:00"))                // MM-dd HH:mm in UTC
        let connect = try #require(line(s, containing: " 0:1 "))
        #expect(connect.contains("orders/0/7"))
        #expect(connect.contains("DataExcepti"))
        let bare = try #require(line(s, containing: " 0:2 "))
        #expect(bare.contains("^[[31m"))                   // the hostile key is shown, not executed
        #expect(bare.contains("(no error"))
        #expect(lines.count == 24)
        #expect(s.screenLines().last?.contains("Space mark") == true)
        expectNoRawControls(s)
    }

    @Test func dOnTheTopicsScreenOpensTheSelectedTopic() async throws {
        var s = try await state()
        s.press(.char("2"))
        s.press(.char("/"))
        s.type("orders-dlt")
        s.press(.enter)
        let effects = s.press(.char("d"))
        let p = try panel(s, DLQPanel.self)
        #expect(p.topic == "orders-dlt")
        await run(&s, effects)
        #expect(line(s, containing: " 1:1 ") != nil)
    }

    @Test func withoutATopicAPickerListsDeadLetterTopicsFirst() async throws {
        var s = try await state()
        s.press(.char(":"))
        s.type("dlq")
        s.press(.enter)
        let lines = s.screenLines()
        #expect(lines[1].contains("DLQ: pick a topic"))
        let firstRow = try #require(lines.firstIndex { $0.contains("TOPIC") }) + 1
        #expect(lines[firstRow].contains("bulk-dlq"))
        #expect(lines[firstRow + 1].contains("orders-dlt"))
        #expect(lines[firstRow].contains("dead letters"))
        s.press(.down)
        let effects = s.press(.enter)
        await run(&s, effects)
        #expect(try panel(s, DLQPanel.self).topic == "orders-dlt")
        #expect(line(s, containing: " 0:4 ") != nil)
        expectNoRawControls(s)
    }

    @Test func summaryGroupsByErrorAndByOriginalTopicWithCounts() async throws {
        var s = try await opened()
        s.press(.tab)
        let lines = s.screenLines()
        #expect(lines.contains { $0.contains("[Summary]") })
        let bad = try #require(lines.first { $0.contains("BadOrderException") && $0.contains("order <n> has no customer") })
        #expect(bad.split(separator: " ").contains("3"))          // 0:0, 0:4 and 1:1
        let data = try #require(lines.first { $0.contains("DataException") })
        #expect(data.split(separator: " ").contains("2"))
        #expect(lines.contains { $0.contains("(no error context)") })
        #expect(lines.contains { $0.contains("by original topic") })
        let orders = try #require(lines.first { $0.contains(" orders ") && $0.contains("offsets") })
        #expect(orders.split(separator: " ").contains("6"))
        expectNoRawControls(s)
    }

    @Test func enterOnASummaryGroupShowsItsRecordsAndNStepsThroughThem() async throws {
        var s = try await opened()
        s.press(.tab, .down)                                      // DataException: 0:1 and 1:0
        s.press(.enter)
        let p = try panel(s, DLQPanel.self)
        #expect(p.pane == .records)
        #expect(p.list.count == 2)
        let lines = s.screenLines()
        #expect(lines.contains { $0.contains("group: DataException (2)") })
        #expect(lines.contains { $0.contains(" 0:1 ") } && lines.contains { $0.contains(" 1:0 ") })
        #expect(!lines.contains { $0.contains(" 0:0 ") })
        // The record view steps through the records shown.
        s.press(.enter)
        #expect(try panel(s, DLQRecordPanel.self).entry.id == "0:1")
        s.press(.char("n"))
        #expect(try panel(s, DLQRecordPanel.self).entry.id == "1:0")
        #expect(s.screenLines()[1].hasSuffix("Record 1:0"))
        s.press(.char("n"))
        #expect(try panel(s, DLQRecordPanel.self).entry.id == "1:0")
        #expect(s.status?.text == "this is the last record")
        s.press(.char("N"), .escape, .escape)
        #expect(try panel(s, DLQPanel.self).list.count == 7)       // Esc shows every record again
        #expect(s.topPanel is DLQPanel)
    }

    @Test func tReadsFromATimeInEveryPartition() async throws {
        var s = try await opened()
        #expect(try panel(s, DLQPanel.self).entries.count == 7)
        // Records are stamped 1_800_000_000_000 + offset s (+ 0.5 s in partition 1): from offset 3's time on,
        // partition 0 has 0:3 and 0:4, partition 1 has nothing that late.
        s.press(.char("t"))
        #expect(s.screenLines().contains { $0.hasPrefix("from (2026-11-24T10:00:00.000, or PT1H back):") })
        s.type("tomorrow")
        var effects = s.press(.enter)
        #expect(effects.isEmpty)
        #expect(s.status?.text.contains("invalid date-time 'tomorrow'") == true)
        s.press(.ctrl("u"))
        s.type(ISO8601.string(milliseconds: 1_800_000_003_000))
        effects = s.press(.enter)
        let reads = fake.reads.count
        await run(&s, effects)
        #expect(fake.reads.count == reads + 2)
        #expect(fake.reads.suffix(2).allSatisfy { $0.start == .timestamp(1_800_000_003_000) })
        let p = try panel(s, DLQPanel.self)
        #expect(p.entries.map(\.id) == ["0:3", "0:4"])
        #expect(s.screenLines().contains { $0.contains("from 2027-01-15T08:00:03.000Z") })
        // A duration reads back from now; an empty time reads from the start again.
        s.press(.char("t"), .ctrl("u"))
        s.type("PT1H")
        await run(&s, s.press(.enter))
        #expect(fake.reads.last?.start == .timestamp(OffsetTime.milliseconds(s.now) - 3_600_000))
        s.press(.char("t"), .ctrl("u"))
        await run(&s, s.press(.enter))
        #expect(try panel(s, DLQPanel.self).entries.count == 7)
        #expect(try panel(s, DLQPanel.self).fromTime == nil)
    }

    @Test func recordViewShowsContextHeadersPayloadViewsAndScrolls() async throws {
        var s = try await opened()
        s.press(.enter)                                           // 0:0
        let p = try panel(s, DLQRecordPanel.self)
        #expect(p.entry.id == "0:0")
        var text = s.screenLines().joined(separator: "\n")
        #expect(s.screenLines()[1].contains("DLQ orders-dlt › Record 0:0"))
        #expect(text.contains("Error context (spring)"))
        #expect(text.contains("orders/1/42"))
        #expect(text.contains("com.acme.orders.BadOrderException"))
        #expect(text.contains("order 42 has no customer"))
        #expect(text.contains("3 lines, in full at the end"))
        // The key and the value follow the error context on the first screen.
        #expect(text.contains("Value · JSON · 23 B"))
        #expect(text.contains("\"items\": ["))                  // pretty JSON
        // Scroll down to the headers and the stack trace.
        s.press(.end)
        text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Headers (8)"))
        #expect(text.contains("kafka_dlt-original-partition = hex 00 00 00 01"))
        #expect(text.contains("trace-id = \"t0\""))
        #expect(text.contains("Stack trace"))
        s.press(.char("v"))
        #expect(s.screenLines().last?.contains("view: text") == true)
        s.press(.home)
        text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Value · text · 23 B"))
        #expect(text.contains("{\"id\":42,\"items\":[1,2]}"))
        s.press(.char("v"))
        s.press(.home)
        text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Value · hex · 23 B"))
        #expect(text.contains("00000000  7b 22 69 64"))
        s.press(.home)
        #expect(s.screenLines()[2].contains("lines 1-"))
        s.press(.down)
        #expect(s.screenLines()[2].contains("lines 2-"))
        s.press(.escape)
        #expect(s.topPanel is DLQPanel)
    }

    @Test func hostileRecordIsShownVisiblyNeverExecuted() async throws {
        var s = try await opened()
        s.press(.down, .down, .down, .enter)                   // 0:3
        #expect(try panel(s, DLQRecordPanel.self).entry.id == "0:3")
        var all: [String] = []
        for _ in 0..<30 {
            all += s.screenLines()
            expectNoRawControls(s)
            s.press(.pageDown)
        }
        let text = all.joined(separator: "\n")
        #expect(text.contains("^[]52;c;ZXZpbA==^G"))            // OSC 52 (clipboard) shown as text
        #expect(text.contains("^[]0;pwned^G"))                   // OSC 0 (window title) shown as text
        #expect(text.contains("\\u{202E}txt.exe"))               // bidi override shown as its code
        #expect(text.contains("NUL^@"))
        #expect(text.contains("x-evil^[[2J = \"^[[31mred^[]0;title^G\""))
        // The record without context: invalid UTF-8 value as hex, hostile key visible.
        s.press(.escape, .up, .enter)
        #expect(try panel(s, DLQRecordPanel.self).entry.id == "0:2")
        var bare: [String] = []
        for _ in 0..<3 { bare += s.screenLines(); expectNoRawControls(s); s.press(.pageDown) }
        let b = bare.joined(separator: "\n")
        #expect(b.contains("no error headers"))
        #expect(b.contains("Key · binary · 8 B"))             // ESC[31mred is mostly control bytes: hex
        #expect(b.contains("1b 5b 33 31 6d 72 65 64"))
        #expect(b.contains("Value · binary · 4 B · not valid UTF-8 at byte 0"))
        #expect(b.contains("ff fe 00 41"))
    }

    @Test func oneMegabyteValueIsBoundedInEveryView() async throws {
        var s = try await opened()
        s.press(.down, .down, .down, .down, .enter)             // 0:4
        var p = try panel(s, DLQRecordPanel.self)
        #expect(p.entry.record.value?.count == 1 << 20)
        #expect(p.lines.count < 2_600)
        s.press(.end)
        #expect(s.screenLines().joined().contains("x"))
        s.press(.char("v"), .char("v"))                           // hex
        p = try panel(s, DLQRecordPanel.self)
        #expect(p.mode == .hex)
        #expect(p.lines.count < 2_100)
        s.press(.end)
        let text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("cut here (2000 lines shown)"))
        expectNoRawControls(s)
    }

    @Test func searchFiltersOnKeysValuesAndHeadersAndEscClears() async throws {
        var s = try await opened()
        s.press(.char("/"))
        s.type("t5")                                              // a header value (trace-id of 1:0)
        var lines = s.screenLines()
        #expect(lines.contains { $0.hasPrefix("/t5") })
        #expect(lines.contains { $0.contains(" 1:0 ") })
        #expect(!lines.contains { $0.contains(" 0:0 ") })
        s.press(.enter)
        #expect(s.screenLines().contains { $0.contains("filter: t5 (1)") })
        s.press(.escape)
        lines = s.screenLines()
        #expect(lines.contains { $0.contains(" 0:0 ") })
        #expect(s.topPanel is DLQPanel)                           // Esc cleared the filter, the panel stays
        s.press(.char("/"))
        s.type("\"id\":7")                                        // a value
        lines = s.screenLines()
        #expect(lines.contains { $0.contains(" 0:1 ") })
        #expect(!lines.contains { $0.contains(" 1:0 ") })
        s.press(.escape)
        s.press(.char("/"))
        s.type("fail")                                            // a key
        #expect(s.screenLines().contains { $0.contains(" 1:1 ") })
        s.press(.escape)
        s.press(.escape)
        #expect(s.topPanel == nil)
    }

    @Test func markingOneAllShownAndAWholeGroup() async throws {
        var s = try await opened()
        s.press(.char(" "))
        var p = try panel(s, DLQPanel.self)
        #expect(p.marked == ["0:0"])
        #expect(s.screenLines().contains { $0.contains("1 marked") })
        #expect(try #require(line(s, containing: " 0:0 ")).hasPrefix(" *"))
        s.press(.up, .char(" "))
        p = try panel(s, DLQPanel.self)
        #expect(p.marked.isEmpty)
        // All of a group from the summary pane: the group's count of records gets marked.
        s.press(.tab)
        let rows = s.screenLines()
        let first = try #require(rows.firstIndex { $0.contains("COUNT") }) + 1
        #expect(rows[first].contains("BadOrderException"))
        s.press(.char(" "))
        p = try panel(s, DLQPanel.self)
        #expect(p.marked == ["0:0", "0:4", "1:1"])
        #expect(s.screenLines().contains { $0.contains("3 marked") })
        #expect(s.screenLines()[first].hasPrefix(" *"))
        s.press(.char("a"))                                       // again: unmarks the group
        #expect(try panel(s, DLQPanel.self).marked.isEmpty)
        s.press(.tab, .char("a"))
        #expect(try panel(s, DLQPanel.self).marked.count == 7)
        s.press(.char("c"))
        #expect(try panel(s, DLQPanel.self).marked.isEmpty)
    }

    @Test func replayPreviewConfirmProgressResultAndAudit() async throws {
        var s = try await opened()
        s.press(.char(" "), .char(" "))                           // 0:0 (Spring, orders/1) and 0:1 (Connect, orders/0)
        s.press(.char("p"))
        var r = try panel(s, DLQReplayPanel.self)
        #expect(r.plan.items.count == 2)
        var text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Replay 2 marked record(s) from orders-dlt"))
        #expect(text.contains("To replay: 2"))
        let words = s.screenLines().map { $0.split(separator: " ").map(String.init) }
        #expect(words.contains(["orders", "0", "1"]))
        #expect(words.contains(["orders", "1", "1"]))
        #expect(text.contains("Keys: k0, k1"))
        // A target topic override.
        s.type("replayed")
        r = try panel(s, DLQReplayPanel.self)
        #expect(Set(r.plan.items.map(\.record.topic)) == ["replayed"])
        #expect(s.screenLines().map { $0.split(separator: " ").map(String.init) }.contains(["replayed", "by", "key", "2"]))
        s.press(.enter)
        #expect(try panel(s, DLQReplayPanel.self).stage == .confirm)
        #expect(s.screenLines().joined().contains("Replay 2 record(s)?"))
        #expect(fake.produced.isEmpty)
        let effects = s.press(.char("y"))
        #expect(try panel(s, DLQReplayPanel.self).stage == .running)
        #expect(s.screenLines().joined().contains("written 0 of 2"))
        let sent = await run(&s, effects)
        #expect(sent.contains { if case .dlqReplay(.progressed) = $0 { return true } else { return false } })
        r = try panel(s, DLQReplayPanel.self)
        #expect(r.stage == .done)
        text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Replay complete: written 2, failed 0, not sent 0"))
        #expect(text.contains("Written (DLQ offsets): orders-dlt/0: 0-1"))
        #expect(text.contains("Nothing was deleted from the DLQ."))
        // What was produced: same key/value, error headers dropped, replay headers added, timestamp kept.
        let out = fake.produced
        #expect(out.count == 2)
        #expect(out.map(\.topic) == ["replayed", "replayed"])
        #expect(out.map { String(decoding: $0.key ?? [], as: UTF8.self) } == ["k0", "k1"])
        #expect(out[0].value == Array("{\"id\":42,\"items\":[1,2]}".utf8))
        for o in out {
            #expect(!o.headers.contains { DLQContext.isErrorHeader($0.key) && !$0.key.hasPrefix("kafkaops.replay.") })
            #expect(o.headers.contains { $0.key == "trace-id" })
        }
        #expect(out[0].headers.first { $0.key == ReplayPlanner.sourceHeader }?.value == Array("orders-dlt/0/0".utf8))
        #expect(out[1].headers.contains { $0.key == ReplayPlanner.timeHeader })
        #expect(out[0].timestamp == 1_763_900_000_000)
        // The audit records, as the CLI writes them: what is about to be sent, then what was.
        #expect(audit.entries.map(\.action) == ["dlq.replay.started", "dlq.replay"])
        let started = try #require(audit.entries.first)
        #expect(started.before == .object(["dlq_offsets": .array([.string("orders-dlt/0: 0-1")])]))
        let entry = try #require(audit.entries.last)
        #expect(entry.action == "dlq.replay")
        #expect(entry.target == "orders-dlt")
        #expect(entry.result == "ok")
        #expect(entry.before == .object(["dlq_offsets": .array([.string("orders-dlt/0: 0-1")])]))
        if case .object(let d) = entry.details {
            #expect(d["written"] == .int(2))
            #expect(d["target"] == .string("replayed"))
            #expect(d["written_offsets"] == .array([.string("orders-dlt/0: 0-1")]))
        } else {
            Issue.record("details is not an object")
        }
        s.press(.escape)
        #expect(s.topPanel is DLQPanel)
        expectNoRawControls(s)
    }

    @Test func failedDeliveriesAreListedWithTheReasonAndRetried() async throws {
        fake.failDelivery(ofKey: "fail")
        var s = try await opened()
        s.press(.end, .char(" "), .char("p"))                 // 1:1, key "fail"; to its original topic
        s.press(.enter)
        var effects = s.press(.enter)
        await run(&s, effects)
        var text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Replay incomplete: written 0, failed 1, not sent 0"))
        #expect(text.contains("failed 1:1:"))
        #expect(text.contains("NOT_ENOUGH_REPLICAS"))
        #expect(text.contains("r retries"))
        #expect(audit.entries.last?.result == "partial: written 0, failed 1, not sent 0")
        fake.failDelivery(ofKey: nil)
        s.press(.char("r"))
        #expect(s.screenLines().joined().contains("Retry 1 record(s) not written yet?"))
        effects = s.press(.enter)
        await run(&s, effects)
        text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Replay complete: written 1, failed 0, not sent 0"))
        #expect(fake.produced.count == 1)
        #expect(fake.produced.first?.partition == 1)          // Spring's original partition
        #expect(audit.entries.map(\.action) == ["dlq.replay.started", "dlq.replay", "dlq.replay.started", "dlq.replay"])
        #expect(audit.entries.last?.result == "ok")
    }

    @Test func protectedProfileNeedsTheDLQNameTyped() async throws {
        var s = try await opened(protected: true)
        s.press(.char("p"), .enter)
        #expect(s.screenLines().joined().contains("type the DLQ topic name"))
        var effects = s.press(.char("y"))
        #expect(effects.isEmpty)
        effects = s.press(.enter)                                 // "y" is not the name
        #expect(!effects.contains { if case .job = $0 { return true } else { return false } })
        #expect(s.status?.isError == true)
        s.press(.ctrl("u"))
        s.type("orders-dlt")
        effects = s.press(.enter)
        #expect(effects.contains { if case .job(let j) = $0 { return j.name == "replay" } else { return false } })
        await run(&s, effects)
        #expect(fake.produced.count == 1)
    }

    @Test func readOnlyCannotReplay() async throws {
        var s = try await opened(readOnly: true)
        #expect(!(s.screenLines().last ?? "").contains("p replay"))
        let effects = s.press(.char("p"))
        #expect(effects.isEmpty)
        #expect(s.topPanel is DLQPanel)
        #expect(s.status?.text.contains("read-only") == true)
        s.press(.tab, .char("p"))
        #expect(s.topPanel is DLQPanel)
        #expect(fake.produced.isEmpty)
        #expect(audit.entries.isEmpty)
    }

    @Test func anAuditLogThatCannotBeOpenedRefusesTheReplay() async throws {
        var s = try await opened(auditFails: true)
        s.press(.char("p"), .enter)
        let effects = s.press(.char("y"))
        await run(&s, effects)
        #expect(fake.produced.isEmpty)
        #expect(s.status?.text.contains("the audit log cannot be written") == true)
        #expect(try panel(s, DLQReplayPanel.self).stage == .preview)
    }

    /// Issue 10 point 2: the log opens, but "dlq.replay.started" cannot be written (a full disk).
    @Test func aStartedRecordThatCannotBeWrittenRefusesTheReplay() async throws {
        var s = try await opened()
        audit.failWrites = true
        s.press(.char("p"), .enter)
        await run(&s, s.press(.char("y")))
        #expect(fake.produced.isEmpty)
        #expect(s.status?.text.contains("No space left on device") == true)
        #expect(s.status?.text.contains("nothing was sent") == true)
        #expect(try panel(s, DLQReplayPanel.self).stage == .preview)
    }

    @Test func unknownTargetTopicIsRefusedInThePreview() async throws {
        var s = try await opened()
        s.press(.char("p"))
        s.type("nope")
        #expect(s.screenLines().joined().contains("target topic(s) do not exist: nope"))
        s.press(.enter)
        #expect(try panel(s, DLQReplayPanel.self).stage == .preview)
    }

    @Test func scrollingToTheEndLoadsTheNextPageAndClosingCancelsTheRead() async throws {
        var s = try await opened(topic: "bulk-dlq")
        #expect(try panel(s, DLQPanel.self).entries.count == 100)
        #expect(s.screenLines().contains { $0.contains("100 record(s)+") })
        let effects = s.press(.end)
        #expect(effects.contains { if case .job(let j) = $0 { return j.name == "read" } else { return false } })
        await run(&s, effects)
        #expect(try panel(s, DLQPanel.self).entries.count == 150)
        #expect(Set(try panel(s, DLQPanel.self).entries.map(\.id)).count == 150)
        #expect(s.screenLines().contains { $0.contains("150 record(s)") && !$0.contains("150 record(s)+") })
        // Re-reading (n: newest) starts a job; Esc closes the panel and cancels it.
        let reread = s.press(.char("n"))
        let id = try #require(reread.compactMap { if case .job(let j) = $0 { return j.panelID } else { return nil } }.first)
        let closing = s.press(.escape)
        #expect(closing.contains(.cancelJobs(panelID: id)))
        #expect(s.topPanel == nil)
    }

    /// Issue 10 point 7: a record sent without a delivery report is "unknown", not failed; `r` reads the target
    /// from where it ended when the first run started and skips what is already there: never sent twice.
    @Test func aRetryChecksTheTargetFirstAndNeverSendsAWrittenRecordAgain() async throws {
        fake.loseReport(ofKey: "k0")                          // 0:0 lands on orders/1, but no report comes
        var s = try await opened()
        s.press(.char(" "), .char(" "), .char("p"), .enter)   // 0:0 and 0:1, to their original topics
        await run(&s, s.press(.char("y")))
        var text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Replay incomplete: written 1, unknown (will be checked before any resend) 1"))
        #expect(text.contains("unknown (will be checked before any resend): orders-dlt/0: 0"))
        #expect(!text.contains("failed 0:0"))
        #expect(audit.entries.last?.result == "partial: written 1, unknown (will be checked before any resend) 1, failed 0, not sent 0")
        let started = try #require(audit.entries.first)
        if case .object(let d) = started.details {
            #expect(d["target_offsets_at_start"] == .object(["orders/0": .int(100), "orders/1": .int(100)]))
        } else {
            Issue.record("details is not an object")
        }
        fake.loseReport(ofKey: nil)
        s.press(.char("r"))
        #expect(s.screenLines().joined().contains("Retry 1 record(s) not written yet?"))
        await run(&s, s.press(.enter))
        text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Replay complete: written 1, skipped as already written 1, failed 0, not sent 0"))
        #expect(text.contains("Skipped as already written: orders-dlt/0: 0"))
        // k0 was produced once (by the first run), never again; the retry read orders/1 from the checkpoint.
        #expect(fake.produced.map { String(decoding: $0.key ?? [], as: UTF8.self) } == ["k0", "k1"])
        #expect(fake.reads.contains { $0.topic == "orders" && $0.partition == 1 && $0.start == .offset(100) })
        #expect(audit.entries.map(\.action) == ["dlq.replay.started", "dlq.replay", "dlq.replay.started", "dlq.replay"])
        #expect(audit.entries.last?.result == "ok")
        if case .object(let d) = audit.entries.last?.details {
            #expect(d["skipped_already_written"] == .int(1))
            #expect(d["written"] == .int(0))
        }
    }

    /// Issue 10 point 8: SIGHUP/SIGTERM while a replay runs: the console does not quit at once; the replay stops
    /// after its batch in flight, writes its outcome, and then the console quits.
    @Test func aStopSignalLetsTheReplayRecordItsOutcomeBeforeTheConsoleQuits() async throws {
        var s = try await opened(topic: "bulk-dlq")
        s.operations.replayRate = 30                           // batches of 30
        s.press(.tab, .char("a"))                              // the 100 records read
        #expect(try panel(s, DLQPanel.self).marked.count == 100)
        s.press(.char("p"))
        s.type("replayed")
        s.press(.enter)
        let effects = s.press(.char("y"))
        let job = try #require(effects.compactMap { if case .job(let j) = $0 { return j } else { return nil } }.first)
        let exitEffects = s.update(.stopSignalReceived(SIGHUP))
        #expect(exitEffects.contains { if case .stopChanges = $0 { return true } else { return false } })
        #expect(!exitEffects.contains(.quit))
        #expect(!s.quitting)
        #expect(s.status?.text.contains("SIGHUP") == true)
        #expect(s.update(.keyPressed(.char("s"))).isEmpty, "no key starts or stops anything while exiting")
        // The program raises the flag on .stopChanges; here it is raised once the first batch is sent.
        let exiting = StopFlag()
        fake.onProduce { exiting.raise() }
        let inbox = Inbox()
        await job.run(JobContext(client: fake, timeout: testJobTimeout, operations: s.operations, exiting: exiting) { inbox.append($0) })
        var quit = false
        for v in inbox.take() { quit = quit || s.update(.panelReceived(panelID: job.panelID, value: v)).contains(.quit) }
        #expect(quit)
        #expect(s.quitting)
        #expect(fake.produced.count == 30)
        #expect(audit.entries.map(\.action) == ["dlq.replay.started", "dlq.replay"])
        #expect(audit.entries.last?.result == "partial: written 30, failed 0, not sent 70")
        #expect(s.exitSignal == SIGHUP)
    }

    @Test func aStopSignalWithNoChangeInFlightQuitsAtOnce() async throws {
        var s = try await opened()
        #expect(s.update(.stopSignalReceived(SIGTERM)) == [.quit])
        #expect(s.exitSignal == SIGTERM)
    }
}
