import Foundation
import Testing
import Yams
@testable import kafkaops
import KafkaOpsCore
import TestSupport

/// `--output yaml` (the fields of json) and `dlq browse --output jsonl` (issue 14, point 6, in part).
@Suite struct StructuredOutputTests {
    /// What Yams makes of a YAML document (quoted scalars stay strings), numbers as Double.
    static func normalised(_ v: Any?) -> JSONValue {
        switch v {
        case nil, is NSNull: return .null
        case let d as [AnyHashable: Any]:
            return .object(Dictionary(uniqueKeysWithValues: d.map { ("\($0.key.base)", normalised($0.value)) }))
        case let a as [Any]: return .array(a.map { normalised($0) })
        case let s as String: return .string(s)
        case let b as Bool: return .bool(b)
        case let i as Int: return .double(Double(i))
        case let d as Double: return .double(d)
        default: return .string("unexpected \(type(of: v!)): \(v!)")
        }
    }

    /// JSON read strictly (JSONDecoder), numbers as Double.
    static func fromJSON(_ text: String) throws -> JSONValue {
        func numbers(_ v: JSONValue) -> JSONValue {
            switch v {
            case .int(let i): return .double(Double(i))
            case .array(let a): return .array(a.map(numbers))
            case .object(let o): return .object(o.mapValues(numbers))
            default: return v
            }
        }
        return numbers(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    static func fromYAML(_ text: String) throws -> JSONValue { normalised(try Yams.load(yaml: text)) }

    @Test func yamlReadsBackAsTheSameValueWhateverTheStrings() throws {
        let tricky: [String] = ["true", "no", "123", "1.5", "null", "~", "a: b", "- x", "#c", "'q'", "\"dq\"", "line\nbreak",
                                "\u{202E}txt.exe", "tab\there", "", " lead", "{x}", "[y]", "*ref", "&a", "!tag", "%d", "@at", "`bt`"]
        let value: JSONValue = .object([
            "strings": .array(tricky.map { .string($0) }),
            "weird key: x": .string("v"), "true": .int(1), "123": .bool(false),
            "empty_array": .array([]), "empty_object": .object([:]), "nothing": .null,
            "numbers": .array([.int(-7), .int(9_007_199_254_740_991), .double(0.25), .double(1e-05), .double(3.0)]),
            "rows": .array([.object(["a": .int(1), "b": .array([.object(["c": .string("d")]), .array([.int(2)])])]), .object([:])]),
            "nested": .object(["inner": .object(["deeper": .array([.string("x")])])]),
        ])
        let yaml = YAMLText.document(value)
        let back = try Self.fromYAML(yaml)
        let json = try Self.fromJSON(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
        #expect(back == json, "\(yaml)")
        // A bidi control from the cluster is escaped, as in JSON.
        #expect(!yaml.unicodeScalars.contains { $0.value == 0x202E })
        #expect(yaml.contains(#"\u202e"#) || yaml.contains(#"\u202E"#))
    }

    /// Every command's yaml has json's fields (the demo cluster moves, so values are not compared).
    @Test(arguments: [["brokers"], ["topics"], ["groups"], ["lag"], ["audit"], ["topic", "describe", "orders"],
                      ["dlq", "browse", "orders-dlt", "--limit", "3"], ["dlq", "summary", "orders-dlt"],
                      ["elect-leaders", "--all-topics"]])
    func yamlHasTheFieldsOfJSON(_ command: [String]) async throws {
        let j = try await CLI.run(command + ["--demo", "--output", "json"])
        let y = try await CLI.run(command + ["--demo", "-o", "yaml"])
        #expect(j.code == y.code, "\(j.stderr) / \(y.stderr)")
        #expect(!y.stdout.isEmpty, "\(y.stderr)")
        #expect(Self.shape(try Self.fromYAML(y.stdout)) == Self.shape(try Self.fromJSON(j.stdout)), "\(y.stdout)")
    }

    /// Object keys, recursively (arrays by their first element), without the values.
    static func shape(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o): return .object(o.mapValues(shape))
        case .array(let a): return .array(a.first.map { [shape($0)] } ?? [])
        default: return .null
        }
    }

    @Test func dlqBrowseJSONLinesIsOneRecordPerLine() async throws {
        let j = try await CLI.run(["dlq", "browse", "orders-dlt", "--demo", "--limit", "5", "--output", "json"])
        let l = try await CLI.run(["dlq", "browse", "orders-dlt", "--demo", "--limit", "5", "-o", "jsonl"])
        #expect(l.code == 0, "\(l.stderr)")
        let lines = l.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(l.stdout.hasSuffix("\n"))
        guard case .object(let doc) = try Self.fromJSON(j.stdout), case .array(let records)? = doc["records"] else {
            Issue.record("json is not {records, warnings}: \(j.stdout)"); return
        }
        #expect(lines.count == records.count && records.count == 5, "\(l.stdout)")
        // The same records with the same fields (the demo's record contents follow the clock: not compared).
        func at(_ v: JSONValue) -> [JSONValue?] {
            guard case .object(let o) = v else { return [] }
            return [o["partition"], o["offset"]]
        }
        for (line, record) in zip(lines, records) {
            let one = try Self.fromJSON(String(line))
            #expect(Self.shape(one) == Self.shape(record))
            #expect(at(one) == at(record) && at(one).allSatisfy { $0 != nil })
        }
        // Cut at --limit: the json says so in its warnings (jsonl stays records only).
        #expect(doc["warnings"] == .array([.string("stopped at 5 records (--limit): more may follow")]), "\(j.stdout)")
        // jsonl is dlq browse's: other commands refuse it.
        let refused = try await CLI.run(["topics", "--demo", "-o", "jsonl"])
        #expect(refused.code == 2, "\(refused.code): \(refused.stderr)")
    }

    /// `dlq browse` and `elect-leaders` json and yaml are objects `{"records": [...], "warnings": [...]}`.
    /// (The demo at 80 s: broker 3 is back, its partitions' leaders still on brokers 1 and 2.)
    @Test(arguments: [["dlq", "browse", "orders-dlt", "--limit", "3"], ["elect-leaders", "--all-topics"]])
    func recordListsAreObjectsWithRecordsAndWarnings(_ command: [String]) async throws {
        for format in ["json", "yaml"] {
            let r = try await CLI.run(command + ["--demo", "-o", format], environment: ["KAFKAOPS_DEMO_AHEAD": "80"])
            #expect(r.code == 0, "\(r.stderr)")
            let v = format == "json" ? try Self.fromJSON(r.stdout) : try Self.fromYAML(r.stdout)
            guard case .object(let o) = v, case .array(let records)? = o["records"], case .array? = o["warnings"] else {
                Issue.record("\(format) is not {records, warnings}: \(r.stdout)"); continue
            }
            #expect(Set(o.keys) == ["records", "warnings"])
            guard case .object(let first)? = records.first else { Issue.record("no records: \(r.stdout)"); continue }
            #expect(first["partition"] != nil && (first["offset"] != nil || first["preferred_leader"] != nil), "\(r.stdout)")
        }
    }

    /// Partitions an election cannot move (preferred replica down: the demo at 35 s) are in the warnings.
    @Test func electLeadersWarnsOfPartitionsItLeavesOut() async throws {
        let r = try await CLI.run(["elect-leaders", "--all-topics", "--demo", "-o", "json"], environment: ["KAFKAOPS_DEMO_AHEAD": "35"])
        #expect(r.code == 0, "\(r.stderr)")
        guard case .object(let o) = try Self.fromJSON(r.stdout), case .array(let warnings)? = o["warnings"] else {
            Issue.record("not {records, warnings}: \(r.stdout)"); return
        }
        #expect(warnings.contains { if case .string(let w) = $0 { w.hasSuffix("preferred replica 3 is not live, left out") } else { false } },
                "\(r.stdout)")
    }
}
