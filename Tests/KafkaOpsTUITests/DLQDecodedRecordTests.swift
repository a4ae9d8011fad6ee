import Foundation
import KafkaOpsCore
import Testing
import TestSupport
@testable import KafkaOpsTUI

/// A decoder standing in for the schema registry: every value decodes as one Avro record (schema 42,
/// subject orders-value) whose `customer` field holds a hostile string.
struct FakeAvroDecoder: PayloadDecoding {
    func decode(_ bytes: [UInt8]?) async -> DecodedPayload? {
        guard let bytes, !bytes.isEmpty else { return nil }
        return DecodedPayload(schemaID: 42, format: .avro, subject: "orders-value",
                              value: .object([("customer", .string("zed-wonder \u{1b}]52;c;ZXZpbA==\u{07}")), ("amount", .string("1234.50"))]))
    }
}

/// The DLQ browser and record view on wire-format records, at 80x24: the decoded value in the view with its
/// format, schema id and subject in the heading, `x` to the raw hex and back, `/` matching decoded text.
@Suite struct DLQDecodedRecordTests {
    let fake = DLQFake()

    func opened() async throws -> ConsoleState {
        var snap = try await SnapshotLoader(client: fake).load(deadline: .seconds(5))
        snap.fetchedAt = t0
        var s = loadedState(snap)
        s.operations = OperationSettings()
        s.operations.recordDecoder = FakeAvroDecoder()
        s.press(.char(":"))
        s.type("dlq orders-dlt")
        await run(&s, s.press(.enter))
        return s
    }

    func run(_ s: inout ConsoleState, _ effects: [Effect]) async {
        var pending = effects
        while !pending.isEmpty {
            guard case .job(let job) = pending.removeFirst() else { continue }
            let inbox = Inbox()
            await job.run(JobContext(client: fake, timeout: testJobTimeout, operations: s.operations) { inbox.append($0) })
            for v in inbox.take() { pending += s.update(.panelReceived(panelID: job.panelID, value: v)) }
        }
    }

    @Test func theRecordViewShowsTheDecodedValueAndXTogglesTheRawHex() async throws {
        var s = try await opened()
        s.press(.enter)
        var text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Avro · schema 42 · orders-value"), "\(text)")
        s.press(.pageDown)
        text += s.screenLines().joined(separator: "\n")
        s.press(.home)
        let all = try #require(s.topPanel as? DLQRecordPanel).lines.map(\.text).joined(separator: "\n")
        #expect(all.contains("\"amount\": \"1234.50\""))
        #expect(!all.contains("\u{1b}") && !all.contains("\u{07}"))   // sanitised like every record text
        s.press(.char("x"))
        let hex = try #require(s.topPanel as? DLQRecordPanel).lines.map(\.text).joined(separator: "\n")
        #expect(hex.contains("Value · hex"))
        #expect(!hex.contains("\"amount\""))
        s.press(.char("x"))
        #expect(try #require(s.topPanel as? DLQRecordPanel).lines.map(\.text).joined(separator: "\n").contains("\"amount\": \"1234.50\""))
    }

    @Test func searchMatchesDecodedText() async throws {
        var s = try await opened()
        let before = try #require(s.topPanel as? DLQPanel).list.count
        #expect(before > 0)
        s.press(.char("/"))
        s.type("zed-wonder")
        s.press(.enter)
        #expect(try #require(s.topPanel as? DLQPanel).list.count == before)   // every value decodes with it
        s.press(.escape)
    }
}

/// `:records TOPIC`: any topic's records, the value column decoded, without the DLQ columns.
@Suite struct RecordsCommandTests {
    let fake = DLQFake()

    @Test func recordsShowsTheDecodedValueColumnWithoutDLQColumns() async throws {
        var snap = try await SnapshotLoader(client: fake).load(deadline: .seconds(5))
        snap.fetchedAt = t0
        var s = loadedState(snap)
        s.operations = OperationSettings()
        s.operations.recordDecoder = FakeAvroDecoder()
        s.press(.char(":"))
        s.type("records orders-dlt")
        var pending = s.press(.enter)
        while !pending.isEmpty {
            guard case .job(let job) = pending.removeFirst() else { continue }
            let inbox = Inbox()
            await job.run(JobContext(client: fake, timeout: testJobTimeout, operations: s.operations) { inbox.append($0) })
            for v in inbox.take() { pending += s.update(.panelReceived(panelID: job.panelID, value: v)) }
        }
        let p = try #require(s.topPanel as? DLQPanel)
        #expect(p.plainRecords && p.title == "Records orders-dlt")
        let text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("VALUE") && !text.contains("ORIGIN"))
        #expect(text.contains("{\"customer\":\"zed-wonder"))
        #expect(!text.contains("\u{1b}"))
        // Nothing is committed: the fake saw no offset commits.
        #expect(fake.reads.count > 0)
    }
}

extension RecordsCommandTests {
    @Test func capitalROnATopicDetailOpensItsRecords() async throws {
        var snap = try await SnapshotLoader(client: fake).load(deadline: .seconds(5))
        snap.fetchedAt = t0
        var s = loadedState(snap)
        s.operations = OperationSettings()
        s.perform(.show(.topicDetail("orders-dlt")))
        let effects = s.press(.char("R"))
        #expect(effects.contains { if case .job(let j) = $0 { return j.name == "read" } else { return false } })
        #expect((s.topPanel as? DLQPanel)?.title == "Records orders-dlt")
    }
}
