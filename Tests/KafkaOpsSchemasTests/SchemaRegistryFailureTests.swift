import Foundation
import KafkaOpsCore
import KafkaOpsSchemas
import Testing
import TestSupport

/// The registry unknown, refusing, hanging or behind TLS: the record stays hex with one line, in bounded time.
@Suite struct SchemaRegistryFailureTests {
    /// An Avro wire-format value with schema id `id` (the body is never reached when the schema is missing).
    static func wire(_ id: Int, _ body: [UInt8] = [2]) -> [UInt8] {
        [0, UInt8(id >> 24 & 0xFF), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)] + body
    }

    @Test func anUnknownSchemaIDIsNotFoundInTheRegistry() async throws {
        let registry = try await SchemaRegistryServer.start()
        defer { registry.stop() }
        let d = SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(urls: [registry.url])))
        let p = try #require(await d.decode(Self.wire(42)))
        #expect(p.value == nil)
        #expect(p.note == "schema 42: not found in the registry")
        // Asked once for the process, not once per record.
        _ = await d.decode(Self.wire(42))
        #expect(registry.requests.filter { $0 == "GET /schemas/ids/42" }.count == 1)
    }

    @Test func aHangingRegistryIsABoundedTimeoutNotAHang() async throws {
        let registry = try await SchemaRegistryServer.start(.hang)
        defer { registry.stop() }
        let d = SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(urls: [registry.url], timeout: 1)))
        let start = Date()
        let p = try #require(await d.decode(Self.wire(7)))
        // Bounded by the timeout (one per request), not a hang; loose enough for a loaded machine.
        #expect(Date().timeIntervalSince(start) < 15)
        #expect(p.note?.contains("no answer within 1 s") == true)
    }

    @Test func aWrongPasswordIsOneClearLineWithoutThePassword() async throws {
        let registry = try await SchemaRegistryServer.start(.basic("ops", "right-pass"))
        defer { registry.stop() }
        let d = SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(
            urls: [registry.url], auth: .basic(username: "ops", password: "wr0ng-Secret"))))
        let note = try #require(await d.decode(Self.wire(1))?.note)
        #expect(note.contains("refused the credentials (HTTP 401)"))
        #expect(!note.contains("wr0ng-Secret") && !note.contains("\n"))
    }

    @Test func aRegistryThatIsDownMovesToTheNextURL() async throws {
        let registry = try await SchemaRegistryServer.start()
        defer { registry.stop() }
        let down = "http://127.0.0.1:\(try TansuBroker.freePort())"
        let d = SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(urls: [down, registry.url], timeout: 2)))
        #expect(await d.decode(Self.wire(3))?.note == "schema 3: not found in the registry")
        let only = SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(urls: [down], timeout: 2)))
        #expect(await only.decode(Self.wire(3))?.note?.contains("cannot connect") == true)
    }

    @Test func httpsWithTheTestCA() async throws {
        let certs = try await TLSCertificates.shared()
        let registry = try await SchemaRegistryServer.start(.tls(certs))
        defer { registry.stop() }
        let trusted = SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(urls: [registry.url], caFile: certs.path("ca.pem"))))
        #expect(await trusted.decode(Self.wire(5))?.note == "schema 5: not found in the registry")
        let untrusted = SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(urls: [registry.url])))
        let note = try #require(await untrusted.decode(Self.wire(5))?.note)
        #expect(note.contains("cannot connect"))
    }

    @Test func noSourceSaysHowToConfigureOne() async throws {
        let p = try #require(await SchemaDecoder(source: nil).decode(Self.wire(9)))
        #expect(p.note?.contains("schema 9: no schema registry configured") == true)
        #expect(await SchemaDecoder(source: nil).decode(Array("plain".utf8)) == nil)
    }

    @Test func aLocalFolderServesAvscByID() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-schemas-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"type":"record","name":"R","fields":[{"name":"n","type":"int"},{"name":"d","type":{"type":"int","logicalType":"date"}}]}"#
            .write(to: dir.appendingPathComponent("11.avsc"), atomically: true, encoding: .utf8)
        let d = SchemaDecoder(source: SchemaFolder(directory: dir.path))
        // n = 21 (zig-zag 42), d = 1 (2)
        let p = try #require(await d.decode(Self.wire(11, [42, 2])))
        #expect(p.value == .object([("n", .number("21")), ("d", .string("1970-01-02"))]))
        #expect(await d.decode(Self.wire(12))?.note?.contains("schema 12: not found in") == true)
    }
}
