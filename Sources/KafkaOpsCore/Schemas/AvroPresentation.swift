import Foundation

/// The Avro side that needs the schema's own words: Apache Avro's C library decodes the binary (into the
/// compact form `kafkaops_avro_decode` documents: records as arrays, unions as [branch, value], bytes as hex)
/// but keeps no logical types, so this reads the schema JSON and names fields, picks union branches and
/// shows logical types readably: decimal as a decimal string, date as 2026-12-07, time as 09:30:00.000,
/// timestamp-millis/micros as ISO-8601 UTC, local-timestamp without the Z, uuid as the string.
public struct AvroSchema: Sendable {
    public indirect enum Node: Sendable {
        case primitive(String, Logical?)
        case record(fullName: String, fields: [(String, Node)])
        case enumeration
        case array(Node)
        case map(Node)
        case union([Node])
        case fixed(Logical?)
        /// A named type defined elsewhere in the schema (recursive records).
        case named(String)
    }

    public enum Logical: Hashable, Sendable {
        case decimal(scale: Int)
        case date, timeMillis, timeMicros, timestampMillis, timestampMicros, localTimestampMillis, localTimestampMicros
        case uuid
    }

    public struct Invalid: Error, Hashable, Sendable { public var message: String }

    public let root: Node
    let named: [String: Node]
    /// The self-contained schema text for the C library: referenced schemas written in where first used.
    public let inlinedText: String

    static let primitives: Set<String> = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]

    /// Reads `resolved` (its references are Avro named types): the schema text for the library and the tree.
    public init(_ resolved: ResolvedSchema) throws(Invalid) {
        guard let main = DecodedJSON.parse(Array(resolved.schema.text.utf8)) ?? Self.bareName(resolved.schema.text) else {
            throw Invalid(message: "the Avro schema is not JSON")
        }
        var library: [String: DecodedJSON] = [:]
        for dep in resolved.dependencies {
            guard let j = DecodedJSON.parse(Array(dep.schema.text.utf8)) else {
                throw Invalid(message: "the referenced Avro schema \(dep.name) is not JSON")
            }
            library[dep.name] = j
            if let full = Self.fullName(of: j, namespace: nil) { library[full] = j }
        }
        var defined = Set<String>()
        let inlined = Self.inline(main, namespace: nil, library: library, defined: &defined, depth: 0)
        var named: [String: Node] = [:]
        root = try Self.node(inlined, namespace: nil, named: &named, depth: 0)
        self.named = named
        inlinedText = String(decoding: inlined.jsonBytes, as: UTF8.self)
    }

    static func bareName(_ text: String) -> DecodedJSON? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty || t.contains(where: { $0 == "{" || $0 == "[" }) ? nil : .string(t)
    }

    static func fullName(of j: DecodedJSON, namespace: String?) -> String? {
        guard let name = j["name"]?.stringValue else { return nil }
        if name.contains(".") { return name }
        let ns = j["namespace"]?.stringValue ?? namespace
        return ns.map { $0.isEmpty ? name : "\($0).\(name)" } ?? name
    }

    static func qualify(_ name: String, _ namespace: String?) -> String {
        name.contains(".") || namespace?.isEmpty != false ? name : "\(namespace!).\(name)"
    }

    /// Writes each referenced named type in at its first use (the C library reads one self-contained schema).
    static func inline(_ j: DecodedJSON, namespace: String?, library: [String: DecodedJSON], defined: inout Set<String>,
                       depth: Int) -> DecodedJSON {
        guard depth < 200 else { return j }
        switch j {
        case .string(let name) where !primitives.contains(name):
            let full = qualify(name, namespace)
            if defined.contains(full) || defined.contains(name) { return j }
            if let dep = library[full] ?? library[name] {
                return inline(dep, namespace: nil, library: library, defined: &defined, depth: depth + 1)
            }
            return j
        case .array(let branches):
            return .array(branches.map { inline($0, namespace: namespace, library: library, defined: &defined, depth: depth + 1) })
        case .object(let members):
            var ns = namespace
            if let full = fullName(of: j, namespace: namespace) {
                defined.insert(full)
                if let dot = full.lastIndex(of: ".") { ns = String(full[..<dot]) } else { ns = j["namespace"]?.stringValue ?? namespace }
            }
            var out: [(String, DecodedJSON)] = []
            for (k, v) in members {
                switch k {
                case "type", "items", "values":
                    out.append((k, inline(v, namespace: ns, library: library, defined: &defined, depth: depth + 1)))
                case "fields":
                    guard case .array(let fields) = v else { out.append((k, v)); continue }
                    out.append((k, .array(fields.map { f in
                        guard case .object(let fm) = f else { return f }
                        return .object(fm.map { fk, fv in
                            fk == "type" ? (fk, inline(fv, namespace: ns, library: library, defined: &defined, depth: depth + 1)) : (fk, fv)
                        })
                    })))
                default: out.append((k, v))
                }
            }
            return .object(out)
        default:
            return j
        }
    }

    static func logical(_ j: DecodedJSON, base: String) -> Logical? {
        guard let l = j["logicalType"]?.stringValue else { return nil }
        switch (l, base) {
        case ("decimal", "bytes"), ("decimal", "fixed"):
            let scale = j["scale"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } } ?? 0
            return .decimal(scale: max(0, scale))
        case ("date", "int"): return .date
        case ("time-millis", "int"): return .timeMillis
        case ("time-micros", "long"): return .timeMicros
        case ("timestamp-millis", "long"): return .timestampMillis
        case ("timestamp-micros", "long"): return .timestampMicros
        case ("local-timestamp-millis", "long"): return .localTimestampMillis
        case ("local-timestamp-micros", "long"): return .localTimestampMicros
        case ("uuid", "string"), ("uuid", "fixed"): return .uuid
        default: return nil   // an unknown logical type is the underlying type, as the spec says
        }
    }

    static func node(_ j: DecodedJSON, namespace: String?, named: inout [String: Node], depth: Int) throws(Invalid) -> Node {
        guard depth < 200 else { throw Invalid(message: "the Avro schema nests too deeply") }
        switch j {
        case .string(let name):
            if primitives.contains(name) { return .primitive(name, nil) }
            return .named(qualify(name, namespace))
        case .array(let branches):
            var nodes: [Node] = []
            for b in branches { nodes.append(try node(b, namespace: namespace, named: &named, depth: depth + 1)) }
            return .union(nodes)
        case .object:
            guard let type = j["type"] else { throw Invalid(message: "an Avro type has no \"type\"") }
            guard case .string(let t) = type else { return try node(type, namespace: namespace, named: &named, depth: depth + 1) }
            switch t {
            case "record", "error":
                let full = fullName(of: j, namespace: namespace) ?? "record"
                let ns = full.lastIndex(of: ".").map { String(full[..<$0]) } ?? namespace
                named[full] = .record(fullName: full, fields: [])   // a recursive reference sees the name
                var fields: [(String, Node)] = []
                if case .array(let fs) = j["fields"] ?? .array([]) {
                    for f in fs {
                        guard let n = f["name"]?.stringValue, let ft = f["type"] else { throw Invalid(message: "an Avro field has no name or type") }
                        fields.append((n, try node(ft, namespace: ns, named: &named, depth: depth + 1)))
                    }
                }
                let r = Node.record(fullName: full, fields: fields)
                named[full] = r
                return r
            case "enum":
                if let full = fullName(of: j, namespace: namespace) { named[full] = .enumeration }
                return .enumeration
            case "array": return .array(try node(j["items"] ?? .string("null"), namespace: namespace, named: &named, depth: depth + 1))
            case "map": return .map(try node(j["values"] ?? .string("null"), namespace: namespace, named: &named, depth: depth + 1))
            case "fixed":
                let n = Node.fixed(logical(j, base: "fixed"))
                if let full = fullName(of: j, namespace: namespace) { named[full] = n }
                return n
            default:
                if primitives.contains(t) { return .primitive(t, logical(j, base: t)) }
                return .named(qualify(t, namespace))
            }
        default:
            throw Invalid(message: "an Avro type is neither a name, a union nor an object")
        }
    }

    // MARK: presentation

    /// The library's compact value, named and readable. A mismatch (which the library should never give) is kept as is.
    public func present(_ compact: DecodedJSON) -> DecodedJSON { present(root, compact, depth: 0) }

    func present(_ n: Node, _ v: DecodedJSON, depth: Int) -> DecodedJSON {
        guard depth < 400 else { return v }
        switch (n, v) {
        case (.named(let name), _):
            guard let target = named[name] else { return v }
            return present(target, v, depth: depth + 1)
        case (.record(_, let fields), .array(let values)) where fields.count == values.count:
            return .object(zip(fields, values).map { ($0.0, present($0.1, $1, depth: depth + 1)) })
        case (.union(let branches), .array(let pair)) where pair.count == 2:
            guard case .number(let s) = pair[0], let i = Int(s), branches.indices.contains(i) else { return v }
            return present(branches[i], pair[1], depth: depth + 1)
        case (.array(let item), .array(let values)):
            return .array(values.map { present(item, $0, depth: depth + 1) })
        case (.map(let item), .object(let members)):
            return .object(members.map { ($0.0, present(item, $0.1, depth: depth + 1)) })
        case (.primitive(_, let l?), _), (.fixed(let l?), _):
            return Self.logicalValue(l, v) ?? v
        default:
            return v
        }
    }

    static func logicalValue(_ l: Logical, _ v: DecodedJSON) -> DecodedJSON? {
        switch (l, v) {
        case (.decimal(let scale), .string(let hex)):
            return AvroLogical.decimal(hex: hex, scale: scale).map { .string($0) }
        case (.uuid, .string(let s)):
            if s.count == 32, s.allSatisfy(\.isHexDigit) {   // fixed(16)
                let c = Array(s)
                return .string([0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(c[$0]) }.joined(separator: "-"))
            }
            return v
        case (_, .number(let s)):
            guard let n = Int64(s) else { return nil }
            switch l {
            case .date: return .string(AvroLogical.date(days: n))
            case .timeMillis: return .string(AvroLogical.timeOfDay(n, digits: 3))
            case .timeMicros: return .string(AvroLogical.timeOfDay(n, digits: 6))
            case .timestampMillis: return .string(AvroLogical.timestamp(n, digits: 3, zone: true))
            case .timestampMicros: return .string(AvroLogical.timestamp(n, digits: 6, zone: true))
            case .localTimestampMillis: return .string(AvroLogical.timestamp(n, digits: 3, zone: false))
            case .localTimestampMicros: return .string(AvroLogical.timestamp(n, digits: 6, zone: false))
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// Avro's logical types as text, without Foundation formatters (a summary decodes 100,000 records).
public enum AvroLogical {
    /// A two's-complement big-endian unscaled integer (hex) with `scale` digits after the point: "-12.50".
    public static func decimal(hex: String, scale: Int) -> String? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var k = 0
        while k < chars.count {
            guard let hi = nibble(chars[k]), let lo = nibble(chars[k + 1]) else { return nil }
            bytes.append(hi << 4 | lo); k += 2
        }
        if bytes.isEmpty { return scale > 0 ? "0." + String(repeating: "0", count: scale) : "0" }
        let negative = bytes[0] & 0x80 != 0
        if negative {   // magnitude = two's complement
            for i in bytes.indices { bytes[i] = ~bytes[i] }
            var i = bytes.count - 1
            while true { let (s, o) = bytes[i].addingReportingOverflow(1); bytes[i] = s; if !o || i == 0 { break }; i -= 1 }
        }
        // Base-256 to base-10 by repeated division.
        var digits: [UInt8] = []
        var mag = bytes
        while mag.contains(where: { $0 != 0 }) {
            var rem = 0
            for i in mag.indices { let cur = rem << 8 | Int(mag[i]); mag[i] = UInt8(cur / 10); rem = cur % 10 }
            digits.append(UInt8(rem))
        }
        if digits.isEmpty { digits = [0] }
        while digits.count <= scale { digits.append(0) }
        var s = negative ? "-" : ""
        for (i, d) in digits.reversed().enumerated() {
            if i == digits.count - scale { s += "." }
            s += String(d)
        }
        return s
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// Days since 1970-01-01 as YYYY-MM-DD (the proleptic Gregorian calendar).
    public static func date(days: Int64) -> String {
        let (y, m, d) = civil(days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    static func civil(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Time of day from milliseconds (digits 3) or microseconds (digits 6) after midnight: 09:30:00.000.
    public static func timeOfDay(_ v: Int64, digits: Int) -> String {
        let unit: Int64 = digits == 3 ? 1_000 : 1_000_000
        let secs = v / unit, frac = v % unit
        return pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2) + "." + pad(abs(frac), digits)
    }

    /// An instant from ms (digits 3) or µs (digits 6) since the epoch: 2026-12-07T09:30:00.000Z.
    public static func timestamp(_ v: Int64, digits: Int, zone: Bool) -> String {
        let unit: Int64 = digits == 3 ? 1_000 : 1_000_000
        var secs = v / unit, frac = v % unit
        if frac < 0 { frac += unit; secs -= 1 }
        var days = secs / 86_400, rest = secs % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        return date(days: days) + "T" + timeOfDay(rest * unit + frac, digits: digits) + (zone ? "Z" : "")
    }
}
