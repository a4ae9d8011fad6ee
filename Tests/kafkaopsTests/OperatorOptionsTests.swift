import Foundation
import Testing
@testable import kafkaops
import KafkaOpsCore

/// The spellings operators bring from Kafka's tools and kcat (-b, --bootstrap-server, -o, -p, -X)
/// and KAFKAOPS_CONFIG / KAFKAOPS_PROFILE, where they become a resolved profile.
@Suite struct OperatorOptionsTests {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-opts-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func options(_ args: [String]) throws -> GlobalOptions { try GlobalOptions.parse(args) }

    /// Two profiles, `current: one`; `two` sets librdkafka properties of its own.
    func config() throws -> (dir: URL, file: String) {
        let d = try tempDir()
        let cfg = d.appendingPathComponent("config.yaml")
        try """
        current: one
        clusters:
          one:
            bootstrap: one:9092
          two:
            bootstrap: two:9092
            properties: { linger.ms: "5", client.rack: r1 }
        """.write(to: cfg, atomically: true, encoding: .utf8)
        return (d, cfg.path)
    }

    @Test func shortAndKafkaToolSpellingsParse() throws {
        #expect(try options(["-b", "h:1"]).bootstrap == "h:1")
        #expect(try options(["--bootstrap-server", "h:2"]).bootstrap == "h:2")
        #expect(try options(["-p", "prod"]).profile == "prod")
        #expect(try OutputOptions.parse(["-o", "json"]).output == .json)
        #expect(try TopicConfigGlobalOptions.parse(["-b", "h:3", "-p", "x", "-X", "a=b"]).properties == ["a=b"])
        #expect(try options(["-X", "client.id=a", "-X", "linger.ms=1"]).properties == ["client.id=a", "linger.ms=1"])
    }

    @Test func globalOptionsBeforeTheSubcommandKeepTheirValues() {
        let args = ["-b", "h:1", "-p", "prod", "-o", "json", "-X", "client.id=a", "--bootstrap-server", "h:2", "topics"]
        #expect(ArgumentOrder.subcommandFirst(args, subcommands: ["topics"]) == ["topics"] + args.dropLast())
    }

    @Test func commandLinePropertiesGoOverTheProfiles() throws {
        let (d, cfg) = try config()
        let r = try ProfileLoader.resolve(try options(["--config", cfg, "-p", "two", "-X", "linger.ms=50", "-X", "client.id=ops",
                                                       "-X", "client.id=oncall"]), environment: ["HOME": d.path])
        let props = try #require(r.settings?.properties)
        #expect(props == ["linger.ms": "50", "client.rack": "r1", "client.id": "oncall"])
    }

    @Test func secretKeysOnTheCommandLineAreRefusedWithoutTheirValue() throws {
        for arg in ["sasl.password=hunter2", "SASL.PASSWORD=hunter2", "sasl.jaas.config=hunter2", "ssl.key.password=hunter2",
                    "sasl.oauthbearer.client.secret=hunter2", "ssl.keystore.password=hunter2", "sasl.password:hunter2"] {
            let e = try #require(throws: UsageError.self) { try ProfileLoader.commandLineProperties(["client.id=a", arg]) }
            #expect(!e.description.contains("hunter2"), "\(e.description)")
            #expect(e.description.contains("secret"), "\(e.description)")
            #expect(!e.description.contains("\n"))
        }
        // The rule is the audit log's: what it redacts, -X refuses.
        #expect(Secrets.isSecretKey("sasl.password"))
    }

    @Test func malformedOrBootstrapPropertiesAreUsageErrors() throws {
        for arg in ["client.id", "=x", "", "bootstrap.servers=h:1", "metadata.broker.list=h:1"] {
            let e = try #require(throws: UsageError.self) { try ProfileLoader.commandLineProperties([arg]) }
            #expect(e.description.hasPrefix("-X"), "\(e.description)")
        }
        #expect(try ProfileLoader.commandLineProperties(["client.id=a=b", "x="]) == ["client.id": "a=b", "x": ""])
        // Refused by resolve before anything else is read, even with --demo.
        #expect(throws: UsageError.self) { try ProfileLoader.resolve(try options(["--demo", "-X", "sasl.password=p"]), environment: [:]) }
    }

    @Test func environmentChoosesConfigAndProfileWhenTheOptionsDoNot() throws {
        let (d, cfg) = try config()
        let env = ["HOME": d.path, "KAFKAOPS_CONFIG": cfg]
        #expect(try ProfileLoader.resolve(try options([]), environment: env).name == "one")
        #expect(try ProfileLoader.resolve(try options([]), environment: env.merging(["KAFKAOPS_PROFILE": "two"]) { $1 }).name == "two")
        // The option wins over the variable.
        #expect(try ProfileLoader.resolve(try options(["-p", "one"]), environment: env.merging(["KAFKAOPS_PROFILE": "two"]) { $1 }).name
                == "one")
        let other = d.appendingPathComponent("other.yaml")
        try "clusters:\n  three:\n    bootstrap: three:9092\n".write(to: other, atomically: true, encoding: .utf8)
        #expect(try ProfileLoader.resolve(try options(["--config", other.path]), environment: env).name == "three")
        // The variable's profile is a default, as `current:` is: -b alone does not use it.
        let b = try ProfileLoader.resolve(try options(["-b", "h:1"]), environment: env.merging(["KAFKAOPS_PROFILE": "two"]) { $1 })
        #expect(b.settings?.bootstrapServers == "h:1")
        #expect(b.profile.properties.isEmpty)
        // An empty variable is unset; a missing file or profile named by one is an error that says so.
        #expect(try ProfileLoader.resolve(try options([]), environment: env.merging(["KAFKAOPS_PROFILE": ""]) { $1 }).name == "one")
        let noFile = try #require(throws: UsageError.self) {
            try ProfileLoader.resolve(try options([]), environment: ["HOME": d.path, "KAFKAOPS_CONFIG": d.path + "/none.yaml"])
        }
        #expect(noFile.description.contains("KAFKAOPS_CONFIG"))
        let noProfile = try #require(throws: UsageError.self) {
            try ProfileLoader.resolve(try options([]), environment: env.merging(["KAFKAOPS_PROFILE": "nine"]) { $1 })
        }
        #expect(noProfile.description.contains("KAFKAOPS_PROFILE"))
    }

    @Test func printedCommandsNameTheClusterTheEnvironmentChose() throws {
        let env = ["KAFKAOPS_CONFIG": "/c.yaml", "KAFKAOPS_PROFILE": "two"]
        #expect(try options(["-X", "client.id=a"]).connectionArguments(environment: env)
                == ["--config", "/c.yaml", "--profile", "two", "-X", "client.id=a"])
        #expect(try options(["-b", "h:1", "--config", "/d.yaml"]).connectionArguments(environment: env)
                == ["--config", "/d.yaml", "--bootstrap", "h:1"])
    }
}
