import Foundation
import KafkaOpsCore

/// Decodes keys and values in Confluent's wire format with schemas from a `SchemaSource` (the registry or a
/// folder), each schema fetched once per process (a failure is kept for `retryAfter` seconds, so a page of
/// records with a missing schema asks once, not once per record). The CLI and the console's jobs call it;
/// it never throws: what cannot be decoded is a note, and the bytes stay shown as hex.
public final class SchemaDecoder: PayloadDecoding {
    let source: (any SchemaSource)?
    let cache: SchemaCache
    /// Why there is no source, for the note ("no schema registry configured ...").
    let missingSourceNote: String

    public init(source: (any SchemaSource)?, retryAfter: Double = 30,
                missingSourceNote: String = "no schema registry configured (schema_registry: or schemas: in the profile, or --schema-registry URL)") {
        self.source = source
        self.missingSourceNote = missingSourceNote
        cache = SchemaCache(retryAfter: retryAfter)
    }

    public func decode(_ bytes: [UInt8]?) async -> DecodedPayload? {
        guard let bytes, let header = WireFormat.header(bytes) else { return nil }
        let id = header.schemaID
        guard let source else { return DecodedPayload(schemaID: id, note: "schema \(id): \(missingSourceNote)") }
        let entry: SchemaCache.Entry
        switch await cache.entry(id: id, source: source) {
        case .failure(let e): return DecodedPayload(schemaID: id, note: e.message)
        case .success(let e): entry = e
        }
        var out = DecodedPayload(schemaID: id, format: entry.schema.format, subject: entry.schema.subject)
        let body = bytes[header.bodyOffset...]
        do throws(DecodeFailure) {
            switch entry.prepared {
            case .failure(let f):
                out.note = "schema \(id): \(f.message)"
                if entry.schema.format == .protobuf, let (_, at) = try? WireFormat.protobufIndexes(bytes, at: header.bodyOffset),
                   let raw = ProtobufBody.decodeRaw(bytes[at...]) {
                    out.value = raw
                    out.note! += "; shown as a raw Protobuf decode (field numbers)"
                }
            case .success(.avro(let avro)):
                out.value = try avro.decode(body)
            case .success(.protobuf(let files)):
                let (indexes, at): ([Int32], Int)
                do { (indexes, at) = try WireFormat.protobufIndexes(bytes, at: header.bodyOffset) } catch {
                    throw DecodeFailure(message: error.message)
                }
                let (value, type) = try ProtobufBody.decode(files, indexes: indexes, bytes[at...])
                out.value = value
                out.messageType = type
            case .success(.json):
                guard let v = DecodedJSON.parse(Array(body)) else { throw DecodeFailure(message: "the body after the JSON Schema header is not JSON") }
                out.value = v
            }
        } catch {
            out.note = "schema \(id): \(error.message)"
        }
        return out
    }
}

/// Schemas by id for the process, each fetched once even when many records ask at the same time.
actor SchemaCache {
    struct Entry: Sendable {
        var schema: RegisteredSchema
        var prepared: Result<PreparedSchema, DecodeFailure>
    }

    let retryAfter: Double
    var done: [Int: Entry] = [:]
    var failed: [Int: (SchemaSourceError, Date)] = [:]
    var inFlight: [Int: Task<Result<Entry, SchemaSourceError>, Never>] = [:]

    init(retryAfter: Double) { self.retryAfter = retryAfter }

    func entry(id: Int, source: any SchemaSource) async -> Result<Entry, SchemaSourceError> {
        if let e = done[id] { return .success(e) }
        if let (e, at) = failed[id], Date().timeIntervalSince(at) < retryAfter { return .failure(e) }
        if let t = inFlight[id] { return await t.value }
        let task = Task<Result<Entry, SchemaSourceError>, Never> {
            do throws(SchemaSourceError) {
                let resolved = try await source.schema(id: id)
                return .success(Entry(schema: resolved.schema, prepared: Self.prepare(resolved)))
            } catch {
                return .failure(error)
            }
        }
        inFlight[id] = task
        let r = await task.value
        inFlight[id] = nil
        switch r {
        case .success(let e): done[id] = e
        case .failure(let e): failed[id] = (e, Date())
        }
        return r
    }

    static func prepare(_ resolved: ResolvedSchema) -> Result<PreparedSchema, DecodeFailure> {
        switch resolved.schema.format {
        case .avro:
            do throws(DecodeFailure) { return .success(.avro(try AvroBody(resolved))) } catch { return .failure(error) }
        case .protobuf: return .success(.protobuf(ProtobufFiles(resolved)))
        case .json: return .success(.json)
        }
    }
}
