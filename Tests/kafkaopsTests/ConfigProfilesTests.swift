import Foundation
import Testing
import TestSupport

/// `kafkaops config profiles` and `config use` on a temporary config file.
@Suite(.serialized)
final class ConfigProfilesTests {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-profiles-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: dir) }

    static let text = """
        # my clusters
        current: dev   # the default
        clusters:
          dev:
            bootstrap: localhost:9092
          prod:
            bootstrap: kafka-1.prod:9093,kafka-2.prod:9093
            read_only: true
            tls: { verify: true }
            sasl: { mechanism: SCRAM-SHA-512, username: ops, password: hunter2 }

        """

    func write(_ text: String = text, mode: Int = 0o600) throws -> String {
        let p = dir.appendingPathComponent("config.yaml").path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        chmod(p, mode_t(mode))
        return p
    }

    @Test func profilesListsEachWithBootstrapAndAuthAndNoSecret() async throws {
        let p = try write()
        let (_, obj) = try await CLI.json(["config", "profiles", "--config", p, "--output", "json"])
        #expect(obj["current"] as? String == "dev")
        let rows = try #require(obj["profiles"] as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["dev", "prod"])
        #expect(rows[0]["current"] as? Bool == true && rows[1]["current"] as? Bool == false)
        #expect(rows[1]["bootstrap"] as? String == "kafka-1.prod:9093,kafka-2.prod:9093")
        #expect(rows[1]["auth"] as? String == "SCRAM-SHA-512")
        #expect(rows[1]["tls"] as? Bool == true)
        #expect(rows[0]["auth"] as? String == "none")
        let table = try await CLI.run(["config", "profiles", "--config", p])
        #expect(table.code == 0, "\(table.stderr)")
        #expect(!table.stdout.contains("hunter2") && !table.stdout.contains("ops "))
        let current = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("*") })
        #expect(current.contains("dev") && current.contains("localhost:9092"))
        let yaml = try await CLI.run(["config", "profiles", "--config", p, "-o", "yaml"])
        #expect(yaml.code == 0 && yaml.stdout.contains("current: \"dev\"") && !yaml.stdout.contains("hunter2"))
    }

    @Test func useSetsCurrentAndKeepsTheRestOfTheFile() async throws {
        let p = try write()
        let r = try await CLI.run(["config", "use", "prod", "--config", p])
        #expect(r.code == 0, "\(r.stderr)")
        let after = try String(contentsOfFile: p, encoding: .utf8)
        #expect(after == Self.text.replacingOccurrences(of: "current: dev   # the default", with: "current: prod   # the default"))
        #expect(ProfileFile.mode(p) == 0o600)
        let (_, obj) = try await CLI.json(["config", "profiles", "--config", p, "--output", "json"])
        #expect(obj["current"] as? String == "prod")
        // The current profile is what a command without --profile uses.
        let check = try await CLI.run(["config", "check", "--config", p, "--output", "json", "--timeout", "1"])
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any], "\(check.stderr)")
        #expect(checked["profile"] as? String == "prod")
        #expect(checked["bootstrap"] as? String == "kafka-1.prod:9093,kafka-2.prod:9093")
    }

    @Test func useAddsCurrentWhenTheFileHasNone() async throws {
        let p = try write("clusters:\n  a:\n    bootstrap: h:1\n  b:\n    bootstrap: h:2\n")
        let r = try await CLI.run(["config", "use", "b", "--config-file", p])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: p, encoding: .utf8) == "current: b\nclusters:\n  a:\n    bootstrap: h:1\n  b:\n    bootstrap: h:2\n")
    }

    @Test func useRefusesAnUnknownNameAndLeavesTheFile() async throws {
        let p = try write()
        let r = try await CLI.run(["config", "use", "staging", "--config", p])
        #expect(r.code == 2)
        #expect(r.stderr.contains("no profile 'staging'") && r.stderr.contains("dev, prod"), "\(r.stderr)")
        #expect(try String(contentsOfFile: p, encoding: .utf8) == Self.text)
    }

    @Test func useReadsTheDefaultConfigUnderXDG() async throws {
        let xdg = dir.appendingPathComponent("xdg")
        try FileManager.default.createDirectory(at: xdg.appendingPathComponent("kafkaops"), withIntermediateDirectories: true)
        let p = xdg.appendingPathComponent("kafkaops/config.yaml").path
        try Self.text.write(toFile: p, atomically: true, encoding: .utf8)
        let r = try await CLI.run(["config", "use", "prod"], environment: ["XDG_CONFIG_HOME": xdg.path])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: p, encoding: .utf8).contains("current: prod   # the default"))
    }
}

enum ProfileFile {
    static func mode(_ p: String) -> Int? {
        ((try? FileManager.default.attributesOfItem(atPath: p)[.posixPermissions]) as? NSNumber).map { $0.intValue & 0o777 }
    }
}
