import CAvro
import CProtobuf
import Foundation
import KafkaOpsCore

/// A schema made ready to decode with: read once per id and process.
enum PreparedSchema: Sendable {
    case avro(AvroBody)
    case protobuf(ProtobufFiles)
    case json
}

/// Why a body did not decode (one line), as the record's note.
struct DecodeFailure: Error, Sendable { var message: String }

/// Avro through Apache Avro's C library (the schema parsed once, used under a lock); names and logical types
/// from `AvroSchema` (Core).
final class AvroBody: @unchecked Sendable {
    let schema: AvroSchema
    private let handle: OpaquePointer
    private let lock = NSLock()

    init(_ resolved: ResolvedSchema) throws(DecodeFailure) {
        do { schema = try AvroSchema(resolved) } catch { throw DecodeFailure(message: error.message) }
        var err: UnsafeMutablePointer<CChar>?
        let h = schema.inlinedText.withCString { kafkaops_avro_schema_new($0, strlen($0), &err) }
        defer { kafkaops_avro_free(err) }
        guard let h else { throw DecodeFailure(message: err.map { String(cString: $0) } ?? "out of memory reading the Avro schema") }
        handle = h
    }

    deinit { kafkaops_avro_schema_free(handle) }

    func decode(_ body: ArraySlice<UInt8>) throws(DecodeFailure) -> DecodedJSON {
        var out: UnsafeMutablePointer<CChar>?
        var err: UnsafeMutablePointer<CChar>?
        let rc = lock.withLock {
            body.withUnsafeBufferPointer { b in kafkaops_avro_decode_with(handle, b.baseAddress, b.count, &out, &err) }
        }
        defer { kafkaops_avro_free(out); kafkaops_avro_free(err) }
        guard rc == 0, let out else {
            throw DecodeFailure(message: err.map { String(cString: $0) } ?? (rc == 4 ? "out of memory decoding Avro" : "the Avro body does not decode"))
        }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(out).assumingMemoryBound(to: UInt8.self), count: strlen(out))
        guard let compact = DecodedJSON.parse(Array(bytes)) else {
            throw DecodeFailure(message: "an Avro string is not valid UTF-8")
        }
        return schema.present(compact)
    }
}

/// The `.proto` texts of one schema: its imports first (named as the import lines spell them), the schema last.
struct ProtobufFiles: Sendable {
    var names: [String]
    var texts: [String]

    init(_ resolved: ResolvedSchema) {
        names = resolved.dependencies.map(\.name) + ["kafkaops-schema-\(resolved.schema.id ?? 0).proto"]
        texts = resolved.dependencies.map(\.schema.text) + [resolved.schema.text]
    }
}

/// Protobuf through Google's protobuf C++ library (CProtobuf): the message the indexes name, as JSON; fields
/// the schema does not name kept under "_unknown_fields" (field numbers, as a raw decode shows them).
enum ProtobufBody {
    static func decode(_ files: ProtobufFiles, indexes: [Int32], _ body: ArraySlice<UInt8>) throws(DecodeFailure)
        -> (value: DecodedJSON, type: String) {
        var json: UnsafeMutablePointer<CChar>?, type: UnsafeMutablePointer<CChar>?
        var unknown: UnsafeMutablePointer<CChar>?, err: UnsafeMutablePointer<CChar>?
        let cNames = files.names.map { strdup($0) }
        let cTexts = files.texts.map { strdup($0) }
        defer { cNames.forEach { free($0) }; cTexts.forEach { free($0) } }
        let lens = files.texts.map { $0.utf8.count }
        let rc = cNames.map { UnsafePointer($0) }.withUnsafeBufferPointer { np in
            cTexts.map { UnsafePointer($0) }.withUnsafeBufferPointer { tp in
                lens.withUnsafeBufferPointer { lp in
                    indexes.withUnsafeBufferPointer { ip in
                        body.withUnsafeBufferPointer { b in
                            kafkaops_protobuf_decode(np.baseAddress, tp.baseAddress, lp.baseAddress, np.count, ip.baseAddress, ip.count,
                                                     b.baseAddress, b.count, &json, &type, &unknown, &err)
                        }
                    }
                }
            }
        }
        defer { kafkaops_protobuf_free(json); kafkaops_protobuf_free(type); kafkaops_protobuf_free(unknown); kafkaops_protobuf_free(err) }
        guard rc == 0, let json, let type else {
            throw DecodeFailure(message: err.map { String(cString: $0) } ?? "the Protobuf body does not decode")
        }
        guard var value = DecodedJSON.parse(Array(String(cString: json).utf8)) else {
            throw DecodeFailure(message: "the Protobuf message's JSON does not parse")
        }
        if let unknown, let u = DecodedJSON.parse(Array(String(cString: unknown).utf8)), case .object(let fields) = u, !fields.isEmpty,
           case .object(var members) = value {
            members.append(("_unknown_fields", u))
            value = .object(members)
        }
        return (value, String(cString: type))
    }

    /// `protoc --decode_raw`: field numbers and values, without a schema.
    static func decodeRaw(_ body: ArraySlice<UInt8>) -> DecodedJSON? {
        var json: UnsafeMutablePointer<CChar>?, text: UnsafeMutablePointer<CChar>?, err: UnsafeMutablePointer<CChar>?
        let rc = body.withUnsafeBufferPointer { kafkaops_protobuf_decode_raw($0.baseAddress, $0.count, &json, &text, &err) }
        defer { kafkaops_protobuf_free(json); kafkaops_protobuf_free(text); kafkaops_protobuf_free(err) }
        guard rc == 0, let json else { return nil }
        return DecodedJSON.parse(Array(String(cString: json).utf8))
    }
}
