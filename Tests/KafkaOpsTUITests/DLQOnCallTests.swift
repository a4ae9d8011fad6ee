import Foundation
import Testing
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsTUI

/// Issue 13, point 6: the record view reads error context, key and value, then headers; the summary shows what
/// differs first; a replay says where each record landed, the list marks replayed records, and a value that is
/// not JSON among JSON values is warned about before sending.
extension DLQPanelTests {
    func resized(_ s: ConsoleState, _ w: Int, _ h: Int) -> ConsoleState {
        var s = s
        _ = s.update(.resized(Size(width: w, height: h)))
        return s
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func theRecordViewShowsTheErrorContextThenKeyAndValueThenHeaders(_ w: Int, _ h: Int) async throws {
        var s = resized(try await opened(), w, h)
        s.press(.enter)                                           // 0:0, Spring, with a stack trace header
        let p = try panel(s, DLQRecordPanel.self)
        let all = p.lines.map(\.text)
        func at(_ prefix: String) throws -> Int { try #require(all.firstIndex { $0.hasPrefix(prefix) }, "no line \(prefix)") }
        let context = try at("── Error context"), key = try at("── Key"), value = try at("── Value"), headers = try at("── Headers (8)")
        let trace = try at("── Stack trace")
        #expect(context < key && key < value && value < headers && headers < trace)
        // The stack trace header refers to the trace; it is not repeated as ^J^Iat … inside the headers.
        let traceHeader = try #require(all.first { $0.hasPrefix("kafka_dlt-exception-stacktrace = ") })
        #expect(traceHeader == "kafka_dlt-exception-stacktrace = (the stack trace: 3 lines, at the end)")
        #expect(!all[headers...].prefix(while: { !$0.hasPrefix("── Stack trace") }).contains { $0.contains("^J") })
        // The first screen answers "why, and what": the error context, then the key and the value's start.
        let screen = s.screenLines().joined(separator: "\n")
        #expect(screen.contains("order 42 has no customer"))
        #expect(screen.contains("3 lines, in full at the end"))
        #expect(screen.contains("Key · text"))
        if h >= 50 {
            #expect(screen.contains("\"items\": ["))
            #expect(screen.contains("Headers (8)"))
        }
        expectNoRawControls(s)
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func aReplayShowsWhereEachRecordLandedAndTheListMarksThem(_ w: Int, _ h: Int) async throws {
        var s = resized(try await opened(), w, h)
        s.press(.char(" "), .char(" "))                           // 0:0 (Spring → orders/1) and 0:1 (Connect → orders/0)
        s.press(.char("p"), .enter)
        await run(&s, s.press(.char("y")))
        let text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Replay complete: written 2"))
        #expect(text.contains("Landed (DLQ partition:offset → topic/partition@offset):"))
        #expect(text.contains("0:0 → orders/1@0"))
        #expect(text.contains("0:1 → orders/0@1"))
        // Back in the list: both carry the R mark, their marks are gone, the info line counts them.
        s.press(.escape)
        let browser = try panel(s, DLQPanel.self)
        #expect(browser.replayed == ["0:0": "orders/1@0", "0:1": "orders/0@1"])
        #expect(browser.marked.isEmpty)
        let lines = s.screenLines()
        let header = try #require(lines.first { $0.contains("P:OFFSET") })
        let rCol = try #require(header.range(of: " R ")).lowerBound
        let col = header.distance(from: header.startIndex, to: rCol) + 1
        func mark(_ id: String) throws -> Character {
            let l = try #require(lines.first { $0.contains(" \(id) ") })
            return Array(l)[col]
        }
        #expect(try mark("0:0") == "R" && mark("0:1") == "R" && mark("0:2") == " ")
        #expect(lines.contains { $0.contains("2 replayed (R)") })
        // The record view says where it went.
        s.press(.home, .enter)
        #expect(s.screenLines().contains { $0.contains("replayed to") && $0.contains("orders/1@0 (from this console)") })
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func aValueThatIsNotJSONAmongJSONValuesIsWarnedAboutBeforeSending(_ w: Int, _ h: Int) async throws {
        var s = resized(try await opened(), w, h)
        s.press(.char("a"), .char("p"))                           // every record: 0:4's value is 1 MB of "x"
        let warning = "1 value is not valid JSON while 5 others are (likely to fail again): orders-dlt/0: 4"
        #expect(s.flowing.contains("warning: " + warning) || s.screenLines().contains { $0.contains("warning: 1 value is not valid JSON") })
        #expect(try panel(s, DLQReplayPanel.self).plan.nonJSONWarning == warning)
        s.press(.enter)
        #expect(s.screenLines().contains { $0.contains("warning: 1 value is not valid JSON") })   // still there to confirm
        #expect(fake.produced.isEmpty)
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func theSummaryShowsThePartThatDiffersFirst(_ w: Int, _ h: Int) async throws {
        let connect = ConnectDLQ()
        var snap = try await SnapshotLoader(client: connect).load(deadline: .seconds(5))
        snap.fetchedAt = t0
        var s = loadedState(snap, size: Size(width: w, height: h))
        s.press(.char(":")); s.type("dlq connect-dlq")
        _ = await s.runJobs(s.press(.enter), client: connect)
        s.press(.tab)
        let lines = s.screenLines()
        let a = try #require(lines.first { $0.contains("DataException") && $0.contains("Unrecognized token") })
        let b = try #require(lines.first { $0.contains("DataException") && $0.contains("Unexpected end-of-input") })
        #expect(a != b)
        // The shared beginning comes after what differs (cut at 80 columns, shown in full at 200).
        #expect(a.range(of: "Unrecognized")!.lowerBound < (a.range(of: "Converting")?.lowerBound ?? a.endIndex))
        if w >= 200 { #expect(b.contains("Unexpected end-of-input in field name ← Converting byte[] to Kafka Connect data failed")) }
    }
}

/// A Connect DLQ whose two errors share a long beginning and differ in the root cause at the end.
struct ConnectDLQ: ForwardingCluster {
    let base = FakeCluster()
    var displayName: String { "connect-dlq" }
    static let prefix = "Converting byte[] to Kafka Connect data failed due to serialization error: "
    static let records: [Record] = [
        Self.prefix + "com.fasterxml.jackson.core.JsonParseException: Unrecognized token 'abc': was expecting JSON",
        Self.prefix + "com.fasterxml.jackson.core.JsonParseException: Unexpected end-of-input in field name",
        Self.prefix + "com.fasterxml.jackson.core.JsonParseException: Unrecognized token 'xyz': was expecting JSON",
    ].enumerated().map { i, msg in
        Record(topic: "connect-dlq", partition: 0, offset: Int64(i), timestamp: 1_800_000_000_000, key: Array("k\(i)".utf8),
               value: Array("abc".utf8), headers: [
                   RecordHeader("__connect.errors.topic", string: "orders"),
                   RecordHeader("__connect.errors.partition", string: "0"),
                   RecordHeader("__connect.errors.offset", string: String(i)),
                   RecordHeader("__connect.errors.exception.class.name", string: "org.apache.kafka.connect.errors.DataException"),
                   RecordHeader("__connect.errors.exception.message", string: msg)])
    }

    func metadata(deadline: Deadline) async throws -> ClusterMetadata {
        var md = try await base.metadata(deadline: deadline)
        md.topics.append(TopicInfo(name: "connect-dlq", partitions: FakeCluster.partitions(1)))
        return md
    }

    func readRecords(_ request: ReadRequest, deadline: Deadline) async throws -> [Record] {
        guard request.topic == "connect-dlq", request.partition == 0 else { return [] }
        var from: Int64 = 0
        if case .offset(let o) = request.start { from = o }
        return Array(Self.records.filter { $0.offset >= from }.prefix(request.maxRecords))
    }
}
