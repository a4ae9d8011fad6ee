/// The schema formats of Confluent's schema registry (its `schemaType`; absent means Avro).
public enum SchemaFormat: String, Hashable, Sendable, Codable {
    case avro = "AVRO"
    case protobuf = "PROTOBUF"
    case json = "JSON"

    /// The registry's `schemaType` ("AVRO" when it is absent), or nil for a type this client does not know.
    public init?(registryType: String?) {
        guard let t = registryType else { self = .avro; return }
        self.init(rawValue: t.uppercased())
    }

    /// The file extension of a schema in a local `schemas:` folder.
    public var fileExtension: String {
        switch self { case .avro: "avsc"; case .protobuf: "proto"; case .json: "json" }
    }
}

/// A reference of a registered schema to another (an Avro named type, a Protobuf import, a JSON Schema `$ref`).
public struct SchemaReference: Hashable, Sendable {
    /// The Avro full name, the import path, or the `$ref` URL.
    public var name: String
    public var subject: String
    public var version: Int
    public init(name: String, subject: String, version: Int) { self.name = name; self.subject = subject; self.version = version }
}

/// One schema as the registry (or a local folder) holds it.
public struct RegisteredSchema: Hashable, Sendable {
    public var id: Int?
    public var format: SchemaFormat
    public var text: String
    public var subject: String?
    public var references: [SchemaReference]
    public init(id: Int?, format: SchemaFormat, text: String, subject: String? = nil, references: [SchemaReference] = []) {
        self.id = id; self.format = format; self.text = text; self.subject = subject; self.references = references
    }
}

/// A schema with everything it refers to, in an order where each schema comes after the ones it needs.
public struct ResolvedSchema: Hashable, Sendable {
    public var schema: RegisteredSchema
    /// (reference name, schema), dependencies first; empty when the schema refers to nothing.
    public var dependencies: [SchemaDependency]
    public init(schema: RegisteredSchema, dependencies: [SchemaDependency] = []) { self.schema = schema; self.dependencies = dependencies }
}

public struct SchemaDependency: Hashable, Sendable {
    public var name: String
    public var schema: RegisteredSchema
    public init(name: String, schema: RegisteredSchema) { self.name = name; self.schema = schema }
}

/// Why a schema could not be had: one line for the operator (`schema 42: not found in the registry`).
public struct SchemaSourceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Where schemas come from: the registry (read only), or a local folder. Implementations bound every wait.
public protocol SchemaSource: Sendable {
    func schema(id: Int) async throws(SchemaSourceError) -> ResolvedSchema
}

/// What a wire-format key or value decoded to. `value` nil means it stays shown as hex and `note` says why.
public struct DecodedPayload: Hashable, Sendable {
    public var schemaID: Int
    public var format: SchemaFormat?
    public var subject: String?
    /// The Protobuf message's full name when it is Protobuf.
    public var messageType: String?
    public var value: DecodedJSON?
    /// One line: why it is not decoded, or what to know about the decode ("raw Protobuf decode: no schema").
    public var note: String?

    public init(schemaID: Int, format: SchemaFormat? = nil, subject: String? = nil, messageType: String? = nil,
                value: DecodedJSON? = nil, note: String? = nil) {
        self.schemaID = schemaID; self.format = format; self.subject = subject; self.messageType = messageType
        self.value = value; self.note = note
    }

    /// "Avro · schema 42 · orders-value" for the record view's header.
    public var header: String {
        var parts = [formatName, "schema \(schemaID)"]
        if let subject { parts.append(Sanitizer.terminal(subject)) }
        if let messageType { parts.append(Sanitizer.terminal(messageType)) }
        return parts.joined(separator: " · ")
    }

    public var formatName: String {
        switch format { case .avro: "Avro"; case .protobuf: "Protobuf"; case .json: "JSON Schema"; case nil: "wire format" }
    }
}

/// Turns record keys and values in Confluent's wire format into decoded values (the CLI and the console get one
/// from the schema target; Core and the console only see this seam). Never throws: a failure is a note.
public protocol PayloadDecoding: Sendable {
    /// nil when the bytes are not in the wire format (they are shown as today).
    func decode(_ bytes: [UInt8]?) async -> DecodedPayload?
}
