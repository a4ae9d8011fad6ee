import ArgumentParser
import Foundation
import KafkaOpsCore

/// `--output json` or `--output yaml`: the same fields either way. YAML is written from the JSON value:
/// block style, keys sorted as in the JSON, every string double-quoted with JSON's escapes (valid YAML
/// double-quoted scalars), so a value from the cluster can neither change the structure nor reach the
/// terminal as a control or bidi character (`Sanitizer.jsonEscapingDangerous`, as for JSON).
func emitStructured<T: Encodable>(_ format: OutputFormat, _ value: T) throws {
    guard format == .yaml else { return try emitJSON(value) }
    let json = try JSONEncoder().encode(value)
    let tree = try JSONDecoder().decode(JSONValue.self, from: json)
    writeStdout(Data(YAMLText.document(tree).utf8))
}

enum YAMLText {
    static func document(_ v: JSONValue) -> String {
        (isNested(v) ? block(v, indent: 0).joined(separator: "\n") : scalar(v)) + "\n"
    }

    /// A JSON-encoded string: quoted, escaped, dangerous characters as `\u` escapes.
    static func quoted(_ s: String) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? enc.encode(s) else { return "\"\"" }
        return String(decoding: Sanitizer.jsonEscapingDangerous(data), as: UTF8.self)
    }

    static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            guard d.isFinite else { return "null" }
            // YAML 1.1 readers take an exponent only after a decimal point ("1.0e-05", not "1e-05").
            let t = "\(d)"
            return t.contains("e") && !t.contains(".") ? t.replacingOccurrences(of: "e", with: ".0e") : t
        case .string(let s): return quoted(s)
        case .array(let a): return a.isEmpty ? "[]" : "[...]"
        case .object(let o): return o.isEmpty ? "{}" : "{...}"
        }
    }

    /// Keys as plain scalars when they are plain words, else quoted.
    static func key(_ k: String) -> String {
        let plain = !k.isEmpty && k.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "_" || $0 == "-" || $0 == "." }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"].contains(k.lowercased())
            && !(k.first?.isNumber ?? false) && !k.hasPrefix("-")
        return plain ? k : quoted(k)
    }

    static func isNested(_ v: JSONValue) -> Bool {
        switch v {
        case .object(let o): return !o.isEmpty
        case .array(let a): return !a.isEmpty
        default: return false
        }
    }

    /// The lines of a non-empty object or array at `indent` spaces.
    static func block(_ v: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        switch v {
        case .object(let o):
            for k in o.keys.sorted() {
                guard let x = o[k] else { continue }
                if isNested(x) {
                    lines.append(pad + key(k) + ":")
                    // Sequences under a key are indented too, which every YAML reader accepts.
                    lines += block(x, indent: indent + 2)
                } else {
                    lines.append(pad + key(k) + ": " + scalar(x))
                }
            }
        case .array(let a):
            for x in a {
                if isNested(x) {
                    var inner = block(x, indent: indent + 2)
                    // The first line of the item goes after "- ".
                    inner[0] = pad + "- " + inner[0].dropFirst(indent + 2)
                    lines += inner
                } else {
                    lines.append(pad + "- " + scalar(x))
                }
            }
        default:
            lines.append(pad + scalar(v))
        }
        return lines
    }
}

/// One JSON object on one line (JSON Lines, for `jq` and pipes), escaped as `emitJSON` escapes.
func emitJSONLine<T: Encodable>(_ value: T) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var data = Sanitizer.jsonEscapingDangerous(try enc.encode(value))
    data.append(0x0A)
    writeStdout(data)
}

/// The json/yaml document of a command that lists records (`dlq browse`, `elect-leaders`): an object, not a
/// bare array, so that what went wrong on the way (the profile's warnings, a cut at --limit, partitions left
/// out) travels with the records instead of only to stderr.
struct RecordsDocument<R: Encodable>: Encodable {
    let records: [R]
    let warnings: [String]
}

/// The formats of a command that lists records: also `jsonl`, one record per line.
enum RecordOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, yaml, jsonl

    /// The whole-document format for json and yaml.
    var document: OutputFormat { self == .yaml ? .yaml : .json }
}

struct RecordOutputOptions: ParsableArguments, Sendable {
    @Option(name: [.long, .customShort("o")],
            help: "Output format: table, json, yaml, or jsonl (one record per line, for jq and pipes).")
    var output: RecordOutputFormat = .table
}
