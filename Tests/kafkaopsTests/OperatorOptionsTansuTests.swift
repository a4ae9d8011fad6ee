import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// The way operators already connect, against tansu: kcat's -b and -X, Kafka's --bootstrap-server,
/// -o/-p, and KAFKAOPS_CONFIG / KAFKAOPS_PROFILE.
@Suite(.serialized)
final class OperatorOptionsTansuTests {
    let broker: TansuBroker
    var b: String { broker.bootstrap }

    init() async throws {
        broker = try await TansuBroker.start()
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: broker.bootstrap))
        try await client.createTopic(NewTopic(name: "orders", partitions: 2, replicationFactor: 1), validateOnly: false,
                                     deadline: .after(.seconds(20)))
    }

    deinit { broker.stop() }

    func topicNames(_ r: CLI.Result) throws -> [String] {
        #expect(r.code == 0, "\(r.code): \(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        return try #require(obj["topics"] as? [[String: Any]]).compactMap { $0["name"] as? String }
    }

    @Test func kcatAndKafkaToolSpellingsReachTheBroker() async throws {
        #expect(try topicNames(try await CLI.run(["topics", "-b", b, "-o", "json"])).contains("orders"))
        #expect(try topicNames(try await CLI.run(["topics", "--bootstrap-server", b, "--output", "json"])).contains("orders"))
        // Written before the subcommand, as with kcat.
        #expect(try topicNames(try await CLI.run(["-b", b, "-o", "json", "topics"])).contains("orders"))
    }

    @Test func environmentNamesTheConfigFileAndTheProfile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-env-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = dir.appendingPathComponent("clusters.yaml")
        // `current:` is a closed port: only KAFKAOPS_PROFILE reaches tansu.
        try """
        current: closed
        clusters:
          closed: { bootstrap: "127.0.0.1:1" }
          local: { bootstrap: "\(b)" }
        """.write(to: cfg, atomically: true, encoding: .utf8)
        let env = ["KAFKAOPS_CONFIG": cfg.path, "KAFKAOPS_PROFILE": "local"]
        #expect(try topicNames(try await CLI.run(["topics", "-o", "json"], environment: env)).contains("orders"))
        // --profile beats the variable.
        let closed = try await CLI.run(["topics", "-p", "closed", "--timeout", "2"], environment: env)
        #expect(closed.code == 1, "\(closed.code): \(closed.stderr)")
        #expect(closed.stderr.contains("127.0.0.1:1"), "\(closed.stderr)")
    }

    @Test func librdkafkaPropertiesGoThroughAndSecretsAreRefused() async throws {
        #expect(try topicNames(try await CLI.run(["topics", "-b", b, "-o", "json", "-X", "client.id=oncall-7",
                                                  "-X", "socket.keepalive.enable=true"])).contains("orders"))
        // -X reaches librdkafka: a property it does not know is its error, not ignored.
        let unknown = try await CLI.run(["topics", "-b", b, "-X", "no.such.property=1"])
        #expect(unknown.code != 0)
        #expect(unknown.stderr.contains("no.such.property"), "\(unknown.stderr)")

        let secret = try await CLI.run(["topics", "-b", b, "-X", "sasl.password=hunter2"])
        #expect(secret.code == 2, "\(secret.code): \(secret.stderr)")
        #expect(secret.stderr.split(separator: "\n").count == 1, "\(secret.stderr)")
        #expect(secret.stderr.contains("sasl.password"))
        #expect(!(secret.stderr + secret.stdout).contains("hunter2"))

        let malformed = try await CLI.run(["topics", "-b", b, "-X", "client.id"])
        #expect(malformed.code == 2, "\(malformed.code): \(malformed.stderr)")
        #expect(malformed.stderr.contains("key=value"), "\(malformed.stderr)")
    }

    /// Kafka's `--command-config client.properties` (issue 14, point 1): bootstrap.servers from the file;
    /// a key with no mapping is listed on stderr, and the command still runs.
    @Test func commandConfigFileReachesTheBroker() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-cc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("client.properties")
        try "# as kafka-topics.sh takes it\nbootstrap.servers=\(b)\nsecurity.protocol=PLAINTEXT\nrequest.timeout.ms=30000\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let r = try await CLI.run(["topics", "--command-config", file.path, "-o", "json"])
        #expect(try topicNames(r).contains("orders"))
        #expect(r.stderr.contains("not used: request.timeout.ms"), "\(r.stderr)")
        // Before the subcommand too, and KAFKAOPS_PROFILE does not pull in another cluster.
        let cfg = dir.appendingPathComponent("config.yaml")
        try "clusters:\n  closed: { bootstrap: \"127.0.0.1:1\" }\n".write(to: cfg, atomically: true, encoding: .utf8)
        #expect(try topicNames(try await CLI.run(["--command-config", file.path, "-o", "json", "topics"],
                                                 environment: ["KAFKAOPS_CONFIG": cfg.path, "KAFKAOPS_PROFILE": "closed"])).contains("orders"))
        // A JKS truststore: exit 2 with the command that converts it, before any connection.
        let jks = dir.appendingPathComponent("trust.jks")
        try Data([0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]).write(to: jks)
        try "bootstrap.servers=\(b)\nsecurity.protocol=SSL\nssl.truststore.location=\(jks.path)\n".write(to: file, atomically: true, encoding: .utf8)
        let refused = try await CLI.run(["topics", "--command-config", file.path])
        #expect(refused.code == 2, "\(refused.code): \(refused.stderr)")
        #expect(refused.stderr.contains("keytool -importkeystore") && refused.stderr.contains("-deststoretype PKCS12"), "\(refused.stderr)")
    }
}
