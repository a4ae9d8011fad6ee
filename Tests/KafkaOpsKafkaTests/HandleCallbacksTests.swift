import Foundation
import Testing
@testable import KafkaOpsKafka
import KafkaOpsCore

/// librdkafka starts connecting inside rd_kafka_new, before a log handler can be set on the new handle:
/// a fast broker's ApiVersions lines came first, the broker-feature probe saw none of them and refused
/// a deletion the broker supports (seen once in CI). Lines logged early are kept and handed over.
@Suite struct HandleCallbacksTests {
    @Test func linesLoggedBeforeTheHandlerIsSetReachIt() {
        let callbacks = HandleCallbacks()
        callbacks.logged("APIVERSION:   ApiKey Metadata (3) Versions 0..12")
        let lines = ApiVersionLines()
        callbacks.onLog { lines.add($0) }
        callbacks.logged("APIVERSION:   ApiKey DeleteGroups (42) Versions 0..2")
        #expect(lines.keys == [3, 42])
    }
}

/// Issue 27 point 8: `--verbose -X debug=conf` printed `sasl.oauthbearer.client.secret = …` from
/// librdkafka's own configuration dump (librdkafka redacts some keys, not this one). Every log line
/// passes the secret filter, on a real librdkafka handle.
@Suite struct LogSecretFilterTests {
    @Test func aRealHandlesConfigurationDumpShowsNoSecretValue() throws {
        let secret = "oidc-client-secret-4711"
        let shortSecret = "ab1"
        let props: [(String, String)] = [
            ("bootstrap.servers", "127.0.0.1:1"), ("debug", "conf"),
            ("sasl.oauthbearer.client.secret", secret),
            ("sasl.password", shortSecret), ("client.id", "log-secret-test"),
        ]
        let ctx = ErrorContext(operation: "connect", bootstrap: "127.0.0.1:1", secrets: [secret, shortSecret])
        let handle = try RdKafkaHandle(.producer, properties: props, verbose: false, context: ctx, logLines: true)
        let lines = Locked<[String]>()
        handle.callbacks.onLog { lines.append($0) }
        let all = lines.value
        // The dump is there (so the test sees librdkafka's own text), and it names the key.
        #expect(all.contains { $0.contains("sasl.oauthbearer.client.secret") }, "no conf dump in \(all.prefix(5))")
        #expect(all.contains { $0.contains("client.id") && $0.contains("log-secret-test") })
        #expect(!all.contains { $0.contains(secret) })
        #expect(!all.contains { $0.contains("sasl.password") && $0.contains(shortSecret) })
        _ = handle
    }

    @Test func theFilterRedactsSecretAssignmentsAndValues() {
        #expect(Secrets.scrub("CONF:   sasl.oauthbearer.client.secret = x1", values: []) == "CONF:   sasl.oauthbearer.client.secret = ***")
        #expect(Secrets.scrub("CONF: ssl.key.password=abc, more", values: []) == "CONF: ssl.key.password=***")
        #expect(Secrets.scrub("CONF:   client.id = rdkafka", values: []) == "CONF:   client.id = rdkafka")
        #expect(Secrets.scrub("auth failed for hunter2-pw at broker", values: ["hunter2-pw"]) == "auth failed for *** at broker")
    }
}

