import Foundation
import Testing
import KafkaOpsCore
import TestSupport

/// Issue 25, point 2: `kafkaops acls` lists ACLs read-only, in Kafka's words. librdkafka drops DescribeAcls'
/// top-level error, so an empty answer is reported as what it may mean (none match, no authorizer, not
/// allowed to describe), never as "no ACLs".
@Suite struct AclsCLITests {
    func acls(_ obj: [String: Any]) throws -> [[String: Any]] { try #require(obj["acls"] as? [[String: Any]]) }

    /// (principal, operation, permission, resource type, resource name, pattern) of each ACL.
    func rows(_ obj: [String: Any]) throws -> Set<String> {
        Set(try acls(obj).map { a in
            ["principal", "operation", "permission_type", "resource_type", "resource_name", "pattern_type"]
                .map { a[$0] as? String ?? "?" }.joined(separator: " ")
        })
    }

    @Test func theDemoListsItsAclsWithKafkasFields() async throws {
        let (_, obj) = try await CLI.json(["acls", "--demo", "-o", "json"])
        let all = try acls(obj)
        #expect(all.count > 10)
        let first = try #require(all.first)
        for field in ["principal", "host", "operation", "permission_type", "resource_type", "resource_name", "pattern_type"] {
            #expect(first[field] is String, "field \(field)")
        }
        #expect(try rows(obj).contains("User:analytics READ DENY TOPIC payments LITERAL"))
        #expect(try rows(obj).contains("User:connect ALL ALLOW TOPIC payments PREFIXED"))
        // Not empty: no hedge.
        #expect(obj["empty_could_mean"] is NSNull)

        let table = try await CLI.run(["acls", "--demo"])
        #expect(table.code == 0)
        let header = try #require(table.stdout.split(separator: "\n").first)
        for word in ["PRINCIPAL", "HOST", "OPERATION", "PERMISSION", "RESOURCE-TYPE", "RESOURCE-NAME", "PATTERN"] {
            #expect(header.contains(word))
        }
        #expect(table.stdout.contains("User:analytics"))
    }

    /// --topic lists what applies to the topic: the literal name, the wildcard and matching prefixes.
    @Test func filtersNarrowTheDemosAcls() async throws {
        let (_, topic) = try await CLI.json(["acls", "--demo", "--topic", "payments", "-o", "json"])
        #expect(try rows(topic) == [
            "User:analytics DESCRIBE ALLOW TOPIC * LITERAL",
            "User:analytics READ DENY TOPIC payments LITERAL",
            "User:connect ALL ALLOW TOPIC payments PREFIXED",
            "User:payment-processor READ ALLOW TOPIC payments LITERAL",
        ])
        let (_, group) = try await CLI.json(["acls", "--demo", "--group", "connect-payments-jdbc-sink", "-o", "json"])
        #expect(try rows(group) == ["User:connect READ ALLOW GROUP connect- PREFIXED"])
        let (_, principal) = try await CLI.json(["acls", "--demo", "--principal", "User:connect", "-o", "json"])
        #expect(try acls(principal).allSatisfy { $0["principal"] as? String == "User:connect" })
        #expect(try acls(principal).count == 2)
        // Both resources: both lists, each narrowed by the principal.
        let (_, both) = try await CLI.json(["acls", "--demo", "--topic", "orders", "--group", "order-service",
                                            "--principal", "User:order-processor", "-o", "json"])
        #expect(try rows(both) == ["User:order-processor READ ALLOW TOPIC orders LITERAL",
                                   "User:order-processor READ ALLOW GROUP order-service LITERAL"])
        #expect((both["filter"] as? [String: Any])?["topic"] as? String == "orders")
    }

    @Test func aFilterThatMatchesNothingIsHedgedNotCalledEmpty() async throws {
        let r = try await CLI.run(["acls", "--demo", "--principal", "User:nobody"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == AclEmptyAnswer.line)
        let (_, obj) = try await CLI.json(["acls", "--demo", "--principal", "User:nobody", "-o", "json"])
        #expect(try acls(obj).isEmpty)
        #expect(obj["empty_could_mean"] as? [String] == AclEmptyAnswer.reasons)
    }

    @Test func aPrincipalThatIsNotTypeColonNameIsAUsageError() async throws {
        let r = try await CLI.run(["acls", "--demo", "--principal", "alice"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("User:alice"))
        #expect(r.stdout.isEmpty)
    }

    /// Shell completion knows the command and completes its --topic and --group from the cluster.
    @Test func completionsKnowAcls() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await CLI.run(["--generate-completion-script", shell])
            #expect(script.code == 0)
            #expect(script.stdout.contains("acls"), "\(shell)")
        }
        let words = ["kafkaops", "acls", "--demo", "--topic", "pay"]
        let r = try await CLI.run(["---completion", "acls", "--", "--topic", String(words.count - 1), "3"] + words)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").contains("payments"), "\(r.stdout)")
        let g = ["kafkaops", "acls", "--demo", "--group", ""]
        let rg = try await CLI.run(["---completion", "acls", "--", "--group", String(g.count - 1), "0"] + g)
        #expect(rg.stdout.split(separator: "\n").contains("payment-processor"), "\(rg.stdout)")
    }

    @Test func yamlHasTheSameFields() async throws {
        let r = try await CLI.run(["acls", "--demo", "--principal", "User:nobody", "-o", "yaml"])
        #expect(r.code == 0)
        #expect(r.stdout.contains("acls: []"))
        #expect(r.stdout.contains("empty_could_mean:"))
        #expect(r.stdout.contains("\"this principal may not describe ACLs\""))
    }
}

/// The same command against tansu, a real Kafka-protocol broker: the librdkafka plumbing of DescribeAcls.
@Suite(.serialized)
final class AclsTansuTests {
    let broker: TansuBroker

    init() async throws { broker = try await TansuBroker.start() }
    deinit { broker.stop() }

    @Test func tansusAnswerIsReportedAsWhatItMayMean() async throws {
        let r = try await CLI.run(["acls", "--bootstrap", broker.bootstrap])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == AclEmptyAnswer.line)
        #expect(!r.stdout.contains("no ACLs\n"))

        let (_, obj) = try await CLI.json(["acls", "--bootstrap", broker.bootstrap, "--topic", "orders", "-o", "json"])
        #expect((obj["acls"] as? [Any])?.isEmpty == true)
        #expect(obj["empty_could_mean"] as? [String] == AclEmptyAnswer.reasons)
        #expect((obj["filter"] as? [String: Any])?["topic"] as? String == "orders")

        // Every filter reaches the broker as an AclBindingFilter librdkafka accepts (principal, GROUP, both resources).
        let (_, filtered) = try await CLI.json(["acls", "--bootstrap", broker.bootstrap, "--principal", "User:alice",
                                                "--topic", "orders", "--group", "billing", "-o", "json"])
        #expect((filtered["acls"] as? [Any])?.isEmpty == true)
        #expect(filtered["empty_could_mean"] as? [String] == AclEmptyAnswer.reasons)
    }
}
