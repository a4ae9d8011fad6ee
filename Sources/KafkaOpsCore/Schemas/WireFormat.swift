/// Confluent's wire format: byte 0 is the magic 0, bytes 1-4 the schema id (big-endian), then the Avro,
/// Protobuf or JSON body. Protobuf puts the message indexes (zig-zag varints: a count, then that many
/// indexes; a count of 0 means the first message, [0]) between the id and the body.
public enum WireFormat {
    public struct Header: Hashable, Sendable {
        public var schemaID: Int
        /// Where the body (or, for Protobuf, the message indexes) starts: always 5.
        public var bodyOffset: Int
        public init(schemaID: Int, bodyOffset: Int) { self.schemaID = schemaID; self.bodyOffset = bodyOffset }
    }

    /// The header, or nil when the bytes are not in the wire format (too short, or byte 0 is not 0).
    public static func header(_ bytes: [UInt8]) -> Header? {
        guard bytes.count >= 5, bytes[0] == 0 else { return nil }
        let id = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
        return Header(schemaID: id, bodyOffset: 5)
    }

    public struct IndexError: Error, Hashable, Sendable {
        public var message: String
    }

    /// Protobuf's message indexes at `offset`: the path to the message and where its body starts.
    /// A count past what the bytes can hold, a varint cut short or a negative index is an error, never a crash.
    public static func protobufIndexes(_ bytes: [UInt8], at offset: Int) throws(IndexError) -> (indexes: [Int32], bodyOffset: Int) {
        var i = offset
        let count = try zigzag(bytes, &i)
        if count == 0 { return ([0], i) }
        guard count > 0, count <= Int64(bytes.count - i) else {
            throw IndexError(message: "the Protobuf message index count \(count) does not fit the record")
        }
        var path: [Int32] = []
        path.reserveCapacity(Int(count))
        for _ in 0..<count {
            let v = try zigzag(bytes, &i)
            guard v >= 0, v <= Int64(Int32.max) else { throw IndexError(message: "Protobuf message index \(v) points nowhere") }
            path.append(Int32(v))
        }
        return (path, i)
    }

    static func zigzag(_ b: [UInt8], _ i: inout Int) throws(IndexError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < b.count else { throw IndexError(message: "the Protobuf message indexes are cut short") }
            let byte = b[i]; i += 1
            guard shift < 64 else { throw IndexError(message: "a Protobuf message index is not a varint") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }
}
