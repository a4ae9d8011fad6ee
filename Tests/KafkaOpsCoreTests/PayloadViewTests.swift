import Foundation
import Testing
@testable import KafkaOpsCore

@Suite struct PayloadViewTests {
    @Test func nullAndEmptyAreDistinct() {
        let null = PayloadView.render(nil)
        #expect(null.kind == .null && null.lines.isEmpty && null.summary == "null")
        let empty = PayloadView.render([])
        #expect(empty.kind == .empty && empty.summary == "empty")
    }

    @Test func prettyPrintsJSONKeepingKeyOrderAndNumbers() {
        let v = PayloadView.render(Array(#"{"zeta":1,"alpha":[true,null,1.50e3],"empty":{},"list":[],"s":"a\"b"}"#.utf8))
        #expect(v.kind == .json)
        #expect(v.lines == [
            "{",
            "  \"zeta\": 1,",
            "  \"alpha\": [",
            "    true,",
            "    null,",
            "    1.50e3",
            "  ],",
            "  \"empty\": {},",
            "  \"list\": [],",
            "  \"s\": \"a\\\"b\"",
            "}",
        ])
        #expect(!v.truncated)
    }

    @Test(arguments: [#"{"a":1,}"#, #"{"a" 1}"#, "[1 2]", "[01]", #"{"a":tru}"#, "42", #""str""#, "{\"a\":\"x\ny\"}"])
    func invalidOrScalarJSONIsText(text: String) {
        #expect(PayloadView.render(Array(text.utf8)).kind == .text)
    }

    @Test func jsonStringsAreSanitised() {
        let v = PayloadView.render(Array("{\"name\":\"evil\u{202E}txt\"}".utf8))
        #expect(v.kind == .json)
        #expect(v.lines[1] == "  \"name\": \"evil\\u{202E}txt\"")
    }

    @Test func textIsSanitisedLineByLine() {
        let v = PayloadView.render(Array("hello\r\nwörld \u{1B}[31mred\n\tindented\n".utf8))
        #expect(v.kind == .text)
        #expect(v.lines == ["hello", "wörld ^[[31mred", "    indented"])
    }

    @Test func invalidUTF8IsAHexDumpNeverMangled() {
        let bytes: [UInt8] = Array("Hello".utf8) + [0xC3, 0x28, 0x00, 0xFF] + Array("world, more bytes!".utf8)
        let v = PayloadView.render(bytes)
        #expect(v.kind == .binary)
        #expect(v.note == "not valid UTF-8 at byte 5: shown as hex")
        #expect(v.lines == [
            "00000000  48 65 6c 6c 6f c3 28 00  ff 77 6f 72 6c 64 2c 20  |Hello.(..world, |",
            "00000010  6d 6f 72 65 20 62 79 74  65 73 21                 |more bytes!|",
        ])
        #expect(v.lines.allSatisfy { $0.count <= 78 })
    }

    @Test func mostlyControlBytesAreBinary() {
        // Confluent wire format: magic byte 0 + schema id + Avro.
        let v = PayloadView.render([0x00, 0x00, 0x00, 0x00, 0x2A, 0x06, 0x66, 0x6F, 0x6F])
        #expect(v.kind == .binary)
        #expect(v.summary == "binary · 9 B")
    }

    @Test func oneMegabyteValueIsTruncatedQuickly() {
        let line = Array("{\"k\":\"0123456789abcdef0123456789abcdef0123456789abcdef\"}\n".utf8)
        var big: [UInt8] = []
        big.reserveCapacity(1 << 20)
        while big.count < (1 << 20) { big += line }
        var views: [PayloadView] = []
        do { // speed: scripts/bench.sh measures it, tests do not time it
            views.append(PayloadView.render(big, maxLines: 40))
            var binary = big; binary[10] = 0xFF
            views.append(PayloadView.render(binary, maxLines: 40))
            views.append(PayloadView.render(Array(repeating: UInt8(ascii: "x"), count: 1 << 20), maxLines: 40, maxLineBytes: 100))
        }
        #expect(views[0].kind == .text && views[0].lines.count == 40 && views[0].truncated)
        #expect(views[0].summary == "text · 1.0 MB")
        #expect(views[1].kind == .binary && views[1].lines.count == 40 && views[1].truncated)
        #expect(views[2].lines == [String(repeating: "x", count: 100) + " … (1048476 more bytes)"])
    }

    @Test func bigJSONIsValidatedButOnlyTheFirstLinesRendered() {
        var json = "["
        for i in 0..<20_000 { json += (i == 0 ? "" : ",") + "{\"i\":\(i)}" }
        json += "]"
        let v = PayloadView.render(Array(json.utf8), maxLines: 5)
        #expect(v.kind == .json)
        #expect(v.lines == ["[", "  {", "    \"i\": 0", "  },", "  {"])
        #expect(v.truncated)
    }

    @Test(arguments: [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KB"), (1 << 20, "1.0 MB")] as [(Int, String)])
    func byteCounts(n: Int, text: String) {
        #expect(PayloadView.byteCount(n) == text)
    }
}
