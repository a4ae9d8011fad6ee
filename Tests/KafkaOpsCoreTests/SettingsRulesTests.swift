import Foundation
import Testing
@testable import KafkaOpsCore

/// The shared rules behind settings files and options: unknown keys with the nearest known one,
/// numeric ranges, and which characters JSON output escapes.
@Suite struct SettingsRulesTests {
    // MARK: unknown keys

    @Test func nearestKeyCatchesTyposAndSwapsButNotUnrelatedWords() {
        let profile = ["bootstrap", "client_id", "read_only", "protected", "tls", "sasl", "properties", "refresh_interval"]
        #expect(KnownKeys.nearest(to: "read_onyl", in: profile) == "read_only")   // two letters swapped
        #expect(KnownKeys.nearest(to: "protectd", in: profile) == "protected")
        #expect(KnownKeys.nearest(to: "read-only", in: profile) == "read_only")
        #expect(KnownKeys.nearest(to: "Bootstrap", in: profile) == "bootstrap")
        #expect(KnownKeys.nearest(to: "refresh_intervall", in: profile) == "refresh_interval")
        #expect(KnownKeys.nearest(to: "colour", in: profile) == nil)
        #expect(KnownKeys.message(unknown: "protectd", known: profile) == "unknown key 'protectd' (did you mean 'protected'?)")
        #expect(KnownKeys.message(unknown: "xyzzy", known: ["b", "a"]) == "unknown key 'xyzzy' (known: a, b)")
    }

    struct Probe: Decodable {
        init(from decoder: any Decoder) throws { try KnownKeys.check(decoder, known: ["read_only", "protected"]) }
    }

    @Test func checkThrowsForTheFirstUnknownKeyAndAcceptsKnownOnes() throws {
        _ = try JSONDecoder().decode(Probe.self, from: Data(#"{"read_only": true, "protected": false}"#.utf8))
        do {
            _ = try JSONDecoder().decode(Probe.self, from: Data(#"{"read_only": true, "protectd": true}"#.utf8))
            Issue.record("an unknown key was accepted")
        } catch DecodingError.dataCorrupted(let c) {
            #expect(c.debugDescription == "unknown key 'protectd' (did you mean 'protected'?)")
        }
    }

    @Test func thePolicyFileSuggestsTheNearestKeyToo() {
        do {
            _ = try JSONDecoder().decode(TopicPolicy.self, from: Data(#"{"min_insync_replica": 2}"#.utf8))
            Issue.record("an unknown policy key was accepted")
        } catch {
            #expect("\(error)".contains("unknown policy key 'min_insync_replica' (did you mean 'min_insync_replicas'?)"))
        }
    }

    @Test func dlqHeaderMappingRefusesUnknownKeys() throws {
        let ok = try JSONDecoder().decode(DLQHeaderMapping.self, from: Data(#"{"error_class": "x-err"}"#.utf8))
        #expect(ok.errorClass == "x-err")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DLQHeaderMapping.self, from: Data(#"{"error_clas": "x-err"}"#.utf8))
        }
    }

    // MARK: ranges

    @Test func rangesRefuseZeroNegativeAndNaNAndSayWhatIsValid() {
        #expect(SettingRange.timeout.problem("--timeout", 0) == "--timeout must be more than 0 and at most 3600 seconds, got 0")
        #expect(SettingRange.timeout.problem("--timeout", -1) != nil)
        #expect(SettingRange.timeout.problem("--timeout", .nan) != nil)
        #expect(SettingRange.timeout.problem("--timeout", 3601) != nil)
        #expect(SettingRange.timeout.problem("--timeout", 0.004) == nil)
        #expect(SettingRange.refreshInterval.problem("refresh_interval", 0)
                == "refresh_interval must be more than 0 and at most 86400 seconds, got 0")
        #expect(SettingRange.replayRate.problem("replay_rate", 0) == "replay_rate must be 0.001 to 1000000 records per second, got 0")
        #expect(SettingRange.replayRate.problem("replay_rate", 2.5) == nil)
        #expect(SettingRange.resetSkipThreshold.problem("reset_skip_threshold", -1)
                == "reset_skip_threshold must be 0 or more records, got -1")
        #expect(SettingRange.resetSkipThreshold.problem("reset_skip_threshold", 0) == nil)
    }

    // MARK: JSON escaping

    @Test func jsonEscapesBidiControlsAndOtherInvisibleCharactersAsTheSameValue() throws {
        let dangerous: [UInt32] = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                                   0x200E, 0x200F, 0x061C, 0x200B, 0xFEFF, 0x7F, 0x85, 0x9B, 0xE0041]
        for v in dangerous {
            let s = "a" + String(Character(Unicode.Scalar(v)!)) + "b"
            let data = Sanitizer.jsonEscapingDangerous(try JSONEncoder().encode([s]))
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.unicodeScalars.contains { $0.value == v }, "U+\(String(v, radix: 16)) left raw in \(text)")
            #expect(try JSONDecoder().decode([String].self, from: data) == [s])     // the same value
        }
        let rlo = String(decoding: Sanitizer.jsonEscapingDangerous(try JSONEncoder().encode(["file\u{202E}gpj.exe"])), as: UTF8.self)
        #expect(rlo == #"["file\u202egpj.exe"]"#)
        // Printable text, CJK and emoji are left alone; so is the layout of pretty-printed JSON.
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        let plain = try enc.encode(["k": "注文 🇯🇵 👨‍👩‍👧 café"])
        let escaped = Sanitizer.jsonEscapingDangerous(plain)
        #expect(try JSONDecoder().decode([String: String].self, from: escaped) == ["k": "注文 🇯🇵 👨‍👩‍👧 café"])
        #expect(String(decoding: escaped, as: UTF8.self).contains("注文 🇯🇵"))
        #expect(String(decoding: escaped, as: UTF8.self).contains("\n"))
    }

    @Test func theAuditLogLineEscapesBidiControls() throws {
        let e = ChangeRecord(time: Date(timeIntervalSince1970: 0), user: "u", host: "h", profile: "p", action: "topic.create",
                              target: "evil\u{202E}txt", result: "ok")
        let line = try e.jsonLine()
        #expect(line.contains(#"evil\u202etxt"#))
        #expect(!line.unicodeScalars.contains { $0.value == 0x202E })
        #expect(try ChangeRecord.parse(line: line).target == "evil\u{202E}txt")
    }
}

/// File errors reach the operator as the system's reason, never as a Foundation error number.
@Suite struct FileErrorsTests {
    @Test func aFoundationWriteErrorBecomesTheSystemsReason() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-fe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("a-file").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        do {
            try FileManager.default.createDirectory(atPath: file + "/undo", withIntermediateDirectories: true)
            Issue.record("a directory was created under a file")
        } catch {
            #expect("\(error.localizedDescription)".contains("512"))      // what the operator used to see
            let m = FileErrors.message("create the directory", path: file + "/undo", error)
            #expect(m == "cannot create the directory \(file)/undo: Not a directory")
        }
        do {
            try "x".write(toFile: dir.path + "/missing/x.csv", atomically: true, encoding: .utf8)
            Issue.record("a file was written into a missing directory")
        } catch {
            #expect(FileErrors.reason(error) == "No such file or directory")
        }
        #expect(FileErrors.reason(POSIXError(.ENOSPC)) == "No space left on device")
        #expect(!FileErrors.reason(CocoaError(.fileWriteUnknown)).contains("NSCocoaErrorDomain"))
    }
}
