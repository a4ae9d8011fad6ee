import Foundation
import KafkaOpsCore
import KafkaOpsKafka
import KafkaOpsSchemas
import Testing
import TestSupport

/// Records written by confluent-kafka's own AvroSerializer, ProtobufSerializer and JSONSerializer (an
/// independent client) through the test registry into tansu, read back and decoded by kafkaops, compared
/// field by field with what was written.
@Suite(.serialized)
final class SchemaDecodingTansuTests {
    let broker: TansuBroker
    let registry: SchemaRegistryServer
    let client: KafkaClusterClient

    init() async throws {
        broker = try await TansuBroker.start()
        registry = try await SchemaRegistryServer.start()
        client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
    }

    deinit { registry.stop(); broker.stop() }

    func written(_ topic: String, _ format: String) async throws -> (written: [[String: Any]], records: [Record]) {
        try await client.createTopic(NewTopic(name: topic, partitions: 1, replicationFactor: 1), validateOnly: false,
                                     deadline: .after(.seconds(20)))
        let w = try await registry.produceFixtures(bootstrap: broker.bootstrap, topic: topic, format: format)
        let r = try await client.readRecords(ReadRequest(topic: topic, partition: 0, start: .earliest, maxRecords: 100),
                                             deadline: .after(.seconds(20)))
        try #require(r.count == w.count && !w.isEmpty)
        return (w, r)
    }

    var decoder: SchemaDecoder { SchemaDecoder(source: SchemaRegistryClient(SchemaRegistryConfig(urls: [registry.url]))) }

    /// A decoded value as Foundation JSON, for comparing with what the fixture script printed.
    static func foundation(_ v: DecodedJSON) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(v.jsonBytes), options: [.fragmentsAllowed])
    }

    @Test func avroRecordsDecodeFieldByFieldWithUnionDecimalTimestampDateUUIDAndEnum() async throws {
        let (written, records) = try await written("orders-avro", "avro")
        let d = decoder
        for (w, r) in zip(written, records) {
            let p = try #require(await d.decode(r.value))
            #expect(p.note == nil)
            #expect(p.format == .avro)
            #expect(p.subject == "orders-avro-value")
            let value = try #require(p.value)
            let got = try #require(try Self.foundation(value) as? [String: Any])
            #expect(NSDictionary(dictionary: got).isEqual(to: w), "decoded \(got) written \(w)")
        }
        // Field order is the schema's, and a hostile string is sanitised in the drawn lines.
        let second = try #require(await d.decode(records[1].value)?.value)
        if case .object(let members) = second { #expect(members.map(\.0) == ["id", "customer", "amount", "placed", "day", "ref", "status", "tags", "note"]) }
        let lines = second.lines().lines.joined(separator: "\n")
        #expect(!lines.contains("\u{1b}") && !lines.contains("\u{07}"))
        #expect(lines.contains("\"customer\": null"))
    }

    @Test func protobufNestedMessageWithAnImportDecodesByItsMessageIndexes() async throws {
        let (written, records) = try await written("orders-proto", "protobuf")
        let p = try #require(await decoder.decode(records[0].value))
        #expect(p.note == nil)
        #expect(p.format == .protobuf)
        #expect(p.messageType == "shop.Order")
        let value = try #require(p.value)
        let got = try #require(try Self.foundation(value) as? [String: Any])
        #expect(NSDictionary(dictionary: got).isEqual(to: written[0]), "decoded \(got) written \(written[0])")
        // The import was fetched as a reference, by subject and version, with GETs only.
        #expect(registry.requests.contains { $0.hasPrefix("GET /subjects/common%2Fmoney.proto/versions/") || $0.hasPrefix("GET /subjects/common/money.proto") })
    }

    @Test func jsonSchemaRecordsDecodeAsTheJSONAfterTheHeader() async throws {
        let (written, records) = try await written("payments-json", "json")
        let d = decoder
        for (w, r) in zip(written, records) {
            let p = try #require(await d.decode(r.value))
            #expect(p.format == .json && p.note == nil)
            let value = try #require(p.value)
            let got = try #require(try Self.foundation(value) as? [String: Any])
            #expect(NSDictionary(dictionary: got).isEqual(to: w))
        }
        // A 64-bit id keeps its exact spelling.
        let big = try #require(await d.decode(records[1].value)?.value)
        #expect(big["id"] == .number("9007199254740993"))
    }

    @Test func aTruncatedAvroBodyStaysHexWithOneLineSayingWhy() async throws {
        let (_, records) = try await written("orders-avro-cut", "avro")
        let value = try #require(records[0].value)
        let p = try #require(await decoder.decode(Array(value.prefix(value.count - 4))))
        #expect(p.value == nil)
        let note = try #require(p.note)
        #expect(note.contains("schema \(p.schemaID)") && note.contains("does not decode") && !note.contains("\n"))
    }

    @Test func protobufIndexesThatPointNowhereAreOneLine() async throws {
        let (_, records) = try await written("orders-proto-bad", "protobuf")
        var bytes = Array(try #require(records[0].value).prefix(5))
        bytes += [2, 18] + [0x08, 0x01]   // one index: 9 (zig-zag 18); the schema has 2 top-level messages
        let p = try #require(await decoder.decode(bytes))
        #expect(p.value == nil)
        #expect(p.note?.contains("message index 9 points nowhere") == true)
    }
}
