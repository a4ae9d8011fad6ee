import Foundation
import KafkaOpsCore

/// How to reach Confluent's schema registry (the profile's `schema_registry:`, or `--schema-registry URL`).
public struct SchemaRegistryConfig: Sendable {
    public enum Auth: Sendable { case none, basic(username: String, password: String), bearer(token: String) }
    /// One or several base URLs; the next is tried when one cannot be reached.
    public var urls: [String]
    public var auth: Auth
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// Seconds for one request, in all.
    public var timeout: Double

    public init(urls: [String], auth: Auth = .none, caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                timeout: Double = 5) {
        self.urls = urls; self.auth = auth; self.caFile = caFile; self.certFile = certFile; self.keyFile = keyFile
        self.timeout = timeout
    }
}

/// A read-only schema registry client: GET `/schemas/ids/{id}` (the schema), `/schemas/ids/{id}/versions`
/// (its subject) and `/subjects/{subject}/versions/{version}` (each reference). It has no other request:
/// it never registers, deletes or changes a schema. Every request is bounded by the config's timeout.
public struct SchemaRegistryClient: SchemaSource {
    public let config: SchemaRegistryConfig
    let http: HTTPGet

    public init(_ config: SchemaRegistryConfig) {
        self.config = config
        http = HTTPGet(caFile: config.caFile, certFile: config.certFile, keyFile: config.keyFile, timeout: config.timeout)
    }

    public func schema(id: Int) async throws(SchemaSourceError) -> ResolvedSchema {
        let what = "schema \(id)"
        let j = try await getJSON("/schemas/ids/\(id)", what: what)
        var schema = try Self.registered(j, id: id, what: what)
        // The subject is for the operator's eyes only: a registry that does not say is not an error.
        if let v = try? await getJSON("/schemas/ids/\(id)/versions", what: what), case .array(let items) = v {
            schema.subject = items.first?["subject"]?.stringValue
        }
        var deps: [SchemaDependency] = []
        var seen = Set<String>()
        try await resolve(schema.references, into: &deps, seen: &seen, depth: 0, what: what)
        return ResolvedSchema(schema: schema, dependencies: deps)
    }

    func resolve(_ refs: [SchemaReference], into deps: inout [SchemaDependency], seen: inout Set<String>, depth: Int,
                 what: String) async throws(SchemaSourceError) {
        guard depth < 32 else { throw SchemaSourceError("\(what): its references nest more than 32 deep") }
        for r in refs where !seen.contains(r.name) {
            seen.insert(r.name)
            let path = "/subjects/\(Self.pathComponent(r.subject))/versions/\(r.version)"
            let refWhat = "\(what): reference \(r.name) (\(r.subject) version \(r.version))"
            let j = try await getJSON(path, what: refWhat)
            var s = try Self.registered(j, id: nil, what: refWhat)
            s.subject = r.subject
            try await resolve(s.references, into: &deps, seen: &seen, depth: depth + 1, what: what)
            deps.append(SchemaDependency(name: r.name, schema: s))
        }
    }

    static func registered(_ j: DecodedJSON, id: Int?, what: String) throws(SchemaSourceError) -> RegisteredSchema {
        guard let text = j["schema"]?.stringValue else { throw SchemaSourceError("\(what): the registry's answer has no schema") }
        let type = j["schemaType"]?.stringValue
        guard let format = SchemaFormat(registryType: type) else {
            throw SchemaSourceError("\(what): schema type \(Sanitizer.terminal(type ?? "")) is not one kafkaops decodes")
        }
        var refs: [SchemaReference] = []
        if case .array(let items) = j["references"] ?? .array([]) {
            for r in items {
                guard let name = r["name"]?.stringValue, let subject = r["subject"]?.stringValue,
                      case .number(let v)? = r["version"], let version = Int(v) else {
                    throw SchemaSourceError("\(what): a reference in the registry's answer is not name, subject and version")
                }
                refs.append(SchemaReference(name: name, subject: subject, version: version))
            }
        }
        return RegisteredSchema(id: id ?? j["id"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } },
                                format: format, text: text, subject: j["subject"]?.stringValue, references: refs)
    }

    static func pathComponent(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }

    var headers: [String] {
        var h = ["Accept: application/vnd.schemaregistry.v1+json, application/json"]
        switch config.auth {
        case .none: break
        case .basic(let u, let p): h.append("Authorization: Basic " + Data("\(u):\(p)".utf8).base64EncodedString())
        case .bearer(let t): h.append("Authorization: Bearer \(t)")
        }
        return h
    }

    /// GET one path from the first URL that answers. A 404 is an answer (not found); an unreachable URL
    /// or a 5xx moves on to the next. Messages name the URL's origin only, never credentials.
    func getJSON(_ path: String, what: String) async throws(SchemaSourceError) -> DecodedJSON {
        guard !config.urls.isEmpty else { throw SchemaSourceError("\(what): no schema registry URL") }
        var last = ""
        for base in config.urls {
            let url = base.hasSuffix("/") ? String(base.dropLast()) + path : base + path
            let origin = Self.origin(base)
            let r: HTTPGet.Response
            do { r = try await http.get(url, headers: headers) } catch {
                switch error {
                case .timedOut: last = "schema registry \(origin): no answer within \(Self.seconds(config.timeout))"
                case .unreachable(let why): last = "schema registry \(origin): cannot connect: \(Sanitizer.terminal(why))"
                case .tooLarge: last = "schema registry \(origin): the answer is larger than 16 MB"
                case .outOfMemory: last = "schema registry \(origin): out of memory"
                }
                continue
            }
            switch r.status {
            case 200..<300:
                guard let j = DecodedJSON.parse(r.body) else { throw SchemaSourceError("\(what): the registry at \(origin) did not answer JSON") }
                return j
            case 401, 403:
                throw SchemaSourceError("schema registry \(origin) refused the credentials (HTTP \(r.status)): check schema_registry's username and password or token")
            case 404:
                throw SchemaSourceError("\(what): not found in the registry")
            case 500...:
                last = "schema registry \(origin): HTTP \(r.status)"
                continue
            default:
                let message = DecodedJSON.parse(r.body)?["message"]?.stringValue.map { ": " + Sanitizer.terminal(String($0.prefix(200))) } ?? ""
                throw SchemaSourceError("\(what): the registry at \(origin) answered HTTP \(r.status)\(message)")
            }
        }
        throw SchemaSourceError("\(what): \(last)")
    }

    /// scheme://host:port: never the user info, path or query of a URL.
    static func origin(_ s: String) -> String {
        guard let u = URLComponents(string: s), let host = u.host else { return "(the configured URL)" }
        return "\(u.scheme ?? "http")://\(host)\(u.port.map { ":\($0)" } ?? "")"
    }

    static func seconds(_ t: Double) -> String { t == t.rounded() ? "\(Int(t)) s" : String(format: "%.1f s", t) }
}
