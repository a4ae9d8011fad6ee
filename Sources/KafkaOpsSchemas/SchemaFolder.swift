import Foundation
import KafkaOpsCore

/// Schemas from a local folder (the profile's `schemas: DIR`), without a registry: `ID.avsc`, `ID.proto` or
/// `ID.json`. A `.proto`'s imports are read from the same folder (google/protobuf/* come from the library).
public struct SchemaFolder: SchemaSource {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    public func schema(id: Int) async throws(SchemaSourceError) -> ResolvedSchema {
        for format in [SchemaFormat.avro, .protobuf, .json] {
            let path = (directory as NSString).appendingPathComponent("\(id).\(format.fileExtension)")
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SchemaSourceError("schema \(id): cannot read \(path)")
            }
            let schema = RegisteredSchema(id: id, format: format, text: text, subject: nil)
            guard format == .protobuf else { return ResolvedSchema(schema: schema) }
            var deps: [SchemaDependency] = []
            var seen = Set<String>()
            try importsOf(text, into: &deps, seen: &seen, depth: 0, id: id)
            return ResolvedSchema(schema: schema, dependencies: deps)
        }
        throw SchemaSourceError("schema \(id): not found in \(directory) (no \(id).avsc, \(id).proto or \(id).json)")
    }

    func importsOf(_ text: String, into deps: inout [SchemaDependency], seen: inout Set<String>, depth: Int, id: Int) throws(SchemaSourceError) {
        guard depth < 32 else { return }
        for name in Self.imports(text) where !name.hasPrefix("google/protobuf/") && !seen.contains(name) {
            seen.insert(name)
            let path = (directory as NSString).appendingPathComponent(name)
            guard let t = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SchemaSourceError("schema \(id): its import \(name) is not in \(directory)")
            }
            try importsOf(t, into: &deps, seen: &seen, depth: depth + 1, id: id)
            deps.append(SchemaDependency(name: name, schema: RegisteredSchema(id: nil, format: .protobuf, text: t)))
        }
    }

    /// The paths of `import "x.proto";` (and `import public`/`weak`) lines.
    static func imports(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("import "), let a = t.firstIndex(of: "\""), let b = t[t.index(after: a)...].firstIndex(of: "\"") else { return nil }
            return String(t[t.index(after: a)..<b])
        }
    }
}
