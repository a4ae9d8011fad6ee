import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// The console's DLQ browser end to end: the real binary in a tmux pane (80x24) against tansu, DLQ records
/// with hostile keys, values and headers. What a terminal would do with them (change colours, set the window
/// title, write the clipboard) must not happen: the pane shows them as visible text.
@Suite(.serialized) struct ConsoleDLQE2ETests {
    static func be32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static func be64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static let hostileMessage = "bad \u{1b}]52;c;ZXZpbA==\u{07} input \u{1b}]0;pwned-title\u{07} \u{202E}cod.exe"

    /// orders-dlt/0: 0 Spring, 1 Connect, 2 no context with a colour-changing key and value, 3 Spring whose
    /// message sets the clipboard and the window title, with a hostile header.
    static func seed(_ client: KafkaClusterClient) async throws {
        var d: Deadline { .after(.seconds(20)) }  // a fresh budget per call
        for (t, n) in [("orders", Int32(2)), ("orders-dlt", 1), ("replayed", 1)] {
            try await client.createTopic(NewTopic(name: t, partitions: n, replicationFactor: 1), validateOnly: false, deadline: d)
        }
        func spring(_ msg: String, trace: String) -> [RecordHeader] {
            [RecordHeader("kafka_dlt-original-topic", string: "orders"),
             RecordHeader("kafka_dlt-original-partition", be32(1)),
             RecordHeader("kafka_dlt-original-offset", be64(42)),
             RecordHeader("kafka_dlt-exception-fqcn", string: "com.acme.orders.BadOrderException"),
             RecordHeader("kafka_dlt-exception-message", string: msg),
             RecordHeader("trace-id", string: trace)]
        }
        let connect: [RecordHeader] = [
            RecordHeader("__connect.errors.topic", string: "orders"),
            RecordHeader("__connect.errors.partition", string: "0"),
            RecordHeader("__connect.errors.offset", string: "7"),
            RecordHeader("__connect.errors.exception.class.name", string: "org.apache.kafka.connect.errors.DataException"),
            RecordHeader("__connect.errors.exception.message", string: "Converting byte[] to Kafka Connect data failed"),
            RecordHeader("trace-id", string: "t1"),
        ]
        var hostile = spring(hostileMessage, trace: "t3")
        hostile.append(RecordHeader("x-evil", string: "\u{1b}[41mBG\u{1b}[0m"))
        let records = [
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("k0".utf8), value: Array("{\"id\":42}".utf8),
                           headers: spring("order 42 has no customer", trace: "t0")),
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("k1".utf8), value: Array("{\"id\":7}".utf8), headers: connect),
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("\u{1b}[31mred".utf8),
                           value: Array("plain \u{1b}[32mGREEN\u{1b}[0m text".utf8), headers: []),
            OutgoingRecord(topic: "orders-dlt", partition: 0, key: Array("k3".utf8), value: Array("{\"id\":3}".utf8), headers: hostile),
        ]
        for r in records {
            let rep = try await client.produce([r], deadline: d)
            if case .failure(let e) = try #require(rep.first).result { throw e }
        }
    }

    /// SGR sequences in a `capture-pane -e` dump that set a colour (30-38, 40-48, 90-107; 39 and 49, the
    /// defaults, are what tmux writes to reset).
    static func colourCodes(_ dump: String) -> [String] {
        var out: [String] = []
        var rest = Substring(dump)
        while let start = rest.range(of: "\u{1b}[") {
            let after = rest[start.upperBound...]
            guard let m = after.firstIndex(where: { !("0123456789;".contains($0)) }) else { break }
            if after[m] == "m" {
                for p in after[..<m].split(separator: ";") {
                    if let n = Int(p), (30...38).contains(n) || (40...48).contains(n) || (90...107).contains(n) { out.append(String(after[..<m])) }
                }
            }
            rest = after[m...]
        }
        return out
    }

    @Test func hostileRecordsAreShownVisiblyAndAReplayLandsOnTheTarget() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let client = try KafkaClusterClient(settings: ConnectionSettings(
            bootstrapServers: broker.bootstrap, properties: ["batch.num.messages": "1", "linger.ms": "0"]))
        try await Self.seed(client)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-dlq-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }

        let tmux = try Tmux()
        defer { tmux.kill() }
        // No colours at all (NO_COLOR): any colour in the pane would have come from a record.
        try tmux.start("env NO_COLOR=1 HOME=\(home.path) XDG_STATE_HOME=\(home.path)/state \(try ConsoleE2ETests.binary()) --bootstrap \(broker.bootstrap)",
                       width: 80, height: 24)
        try await tmux.expect("Overview")
        let titleBefore = try tmux.run(["display", "-p", "-t", tmux.target, "#{pane_title}"])
        tmux.keys(":")
        tmux.type("dlq orders-dlt")
        tmux.keys("Enter")
        try await tmux.expect("4 record(s) read")
        try await tmux.expect("orders/1/42")
        let screen = tmux.screen()
        #expect(screen.contains { $0.contains(" 0:1 ") && $0.contains("orders/0/7") && $0.contains("DataExcepti") })
        #expect(screen.contains { $0.contains(" 0:2 ") && $0.contains("^[[31m") })
        #expect(screen.contains { $0.contains(" 0:3 ") && $0.contains("BadOrderExc") && $0.contains("bad ^[]52") })

        // The hostile record in full.
        tmux.keys("Down", "Down", "Down", "Enter")
        try await tmux.expect("Record 0:3")
        try await tmux.expect("^[]52;c;ZXZpbA==^G")
        var text = tmux.screen().joined(separator: "\n")
        #expect(text.contains("^[]0;pwned-title^G"))
        #expect(text.contains("\\u{202E}cod.exe"))
        // The headers come after the key and value (issue 13, point 6): the last ones are a page down.
        tmux.keys("PgDn")
        try await tmux.expect("x-evil")
        #expect(tmux.screen().joined(separator: "\n").contains("x-evil = \"^[[41mBG^[[0m\""))
        let titleAfter = try tmux.run(["display", "-p", "-t", tmux.target, "#{pane_title}"])
        #expect(titleAfter == titleBefore)
        #expect(!titleAfter.contains("pwned"))
        var dump = try tmux.run(["capture-pane", "-p", "-e", "-t", tmux.target])
        #expect(Self.colourCodes(dump).isEmpty, "colours on a NO_COLOR screen: \(Self.colourCodes(dump))")

        // The record whose key and value carry colour sequences.
        tmux.keys("Escape", "Up", "Enter")
        try await tmux.expect("Record 0:2")
        try await tmux.expect("1b 5b 33 31 6d 72 65 64")                 // the key: mostly control bytes, as hex
        text = tmux.screen().joined(separator: "\n")
        #expect(text.contains("plain ^[[32mGREEN^[[0m text"))
        dump = try tmux.run(["capture-pane", "-p", "-e", "-t", tmux.target])
        #expect(Self.colourCodes(dump).isEmpty, "colours on a NO_COLOR screen: \(Self.colourCodes(dump))")
        #expect(try tmux.run(["display", "-p", "-t", tmux.target, "#{pane_title}"]) == titleBefore)

        // Replay the two first records to `replayed`, then read it back with kcat.
        tmux.keys("Escape", "Home", "Space", "Space")
        try await tmux.expect("2 marked")
        tmux.keys("p")
        try await tmux.expect("Replay 2 marked record(s) from orders-dlt")
        tmux.type("replayed")
        try await tmux.expect { $0.contains { $0.split(separator: " ") == ["replayed", "by", "key", "2"] } }
        tmux.keys("Enter")
        try await tmux.expect("Replay 2 record(s)?")
        tmux.keys("y")
        try await tmux.expect("Replay complete: written 2, failed 0, not sent 0", timeout: .seconds(30))
        try await tmux.expect("Written (DLQ offsets): orders-dlt/0: 0-1")

        let back = try await Kcat.run(["-b", broker.bootstrap, "-C", "-t", "replayed", "-e", "-J", "-o", "beginning", "-q"])
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(back.count == 2)
        #expect(Set(back.compactMap { $0["key"] as? String }) == ["k0", "k1"])
        #expect(Set(back.compactMap { $0["payload"] as? String }) == ["{\"id\":42}", "{\"id\":7}"])
        var sources: Set<String> = []
        for r in back {
            let flat = r["headers"] as? [String] ?? []
            var h: [String: String] = [:]
            for i in stride(from: 0, to: flat.count - 1, by: 2) { h[flat[i]] = flat[i + 1] }
            sources.insert(h[ReplayPlanner.sourceHeader] ?? "")
            #expect(h[ReplayPlanner.timeHeader] != nil)
            #expect(h["trace-id"] != nil)
            #expect(!h.keys.contains { $0.hasPrefix("kafka_dlt-") || $0.hasPrefix("__connect.errors.") })
        }
        #expect(sources == ["orders-dlt/0/0", "orders-dlt/0/1"])
        // The DLQ still holds every record, and the audit log has the replay.
        let dlq = try await Kcat.run(["-b", broker.bootstrap, "-C", "-t", "orders-dlt", "-e", "-J", "-o", "beginning", "-q"])
        #expect(dlq.split(separator: "\n").count == 4)
        let auditLog = try String(contentsOf: home.appendingPathComponent("state/kafkaops/audit.log"), encoding: .utf8)
        #expect(auditLog.contains("\"action\":\"dlq.replay\""))
        #expect(auditLog.contains("orders-dlt/0: 0-1"))

        tmux.keys("Escape", "Escape")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Overview") && !$0[1].contains("DLQ") }
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
