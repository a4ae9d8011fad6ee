import Testing
@testable import KafkaOpsCore

@Suite("Java .properties parsing")
struct PropertiesParseTests {
    @Test func separatorsCommentsAndWhitespace() {
        let f = PropertiesFile.parse("""
        # a comment
        ! another
          acks = all
        retries:3
        linger.ms 5
        empty=
        \tbootstrap.servers=\tb1:9092
        """)
        #expect(f.entries.map(\.key) == ["acks", "retries", "linger.ms", "empty", "bootstrap.servers"])
        #expect(f.values == ["acks": "all", "retries": "3", "linger.ms": "5", "empty": "", "bootstrap.servers": "b1:9092"])
        #expect(f.entries.map(\.line) == [3, 4, 5, 6, 7])
        #expect(f.problems.isEmpty)
    }

    @Test func continuationsAndEscapes() {
        let f = PropertiesFile.parse("sasl.jaas.config=org.Module required \\\r\n    username=\"u\";\r\nkey\\:with\\=seps=v\\u0041\\tz\nodd=a\\\\\nnext=1")
        #expect(f.values["sasl.jaas.config"] == "org.Module required username=\"u\";")
        #expect(f.values["key:with=seps"] == "vA\tz")
        // An even number of trailing backslashes is an escaped backslash, not a continuation.
        #expect(f.values["odd"] == "a\\")
        #expect(f.line(of: "key:with=seps") == 3)
        #expect(f.line(of: "next") == 5)
    }

    @Test func problemsHaveLineNumbers() {
        let f = PropertiesFile.parse("acks=all\nbad=\\u00ZZ\nacks=1\ntail=x\\")
        #expect(f.problems.map(\.line) == [2, 3, 4])
        #expect(f.problems[0].message.contains("Malformed \\uxxxx encoding"))
        #expect(f.problems[1].message == "duplicate key 'acks': the last value wins")
        #expect(f.problems[2].message == "line continuation at the end of the file")
        #expect(f.values["acks"] == "1")
    }
}

@Suite("Client config linter")
struct ClientLintTests {
    func find(_ text: String, _ rule: String, kind: ClientKind = .auto) -> ClientLintFinding? {
        ClientLint.lint(properties: text, kind: kind).findings.first { $0.rule == rule }
    }

    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var rule: String
        var severity: FindingSeverity?
        var current: String?
        var description: String { "\(text.replacingOccurrences(of: "\n", with: "; ")) -> \(rule)" }
    }

    @Test(arguments: [
        Case(text: "acks=all\nenable.idempotence=true", rule: "producer-acks", severity: nil, current: nil),
        Case(text: "acks=-1\nenable.idempotence=true", rule: "producer-acks", severity: nil, current: nil),
        Case(text: "enable.idempotence=true\nlinger.ms=5", rule: "producer-acks", severity: .info, current: "(default)"),
        Case(text: "acks=0", rule: "producer-acks", severity: .error, current: "0"),
        Case(text: "acks=1", rule: "producer-acks", severity: .error, current: "1"),
        Case(text: "request.required.acks=1", rule: "producer-acks", severity: .error, current: "1"),
        Case(text: "acks=all\nenable.idempotence=false", rule: "producer-idempotence", severity: .warning, current: "false"),
        Case(text: "acks=all", rule: "producer-idempotence", severity: .info, current: "(default)"),
        Case(text: "acks=1\nretries=5", rule: "producer-idempotence", severity: .warning, current: "(default)"),
        Case(text: "acks=1\nenable.idempotence=true", rule: "producer-idempotence", severity: .error, current: "true"),
        Case(text: "acks=all\nretries=0", rule: "producer-retries", severity: .error, current: "0"),
        Case(text: "acks=all\nretries=2147483647\nenable.idempotence=true", rule: "producer-retries", severity: nil, current: nil),
        Case(text: "acks=all\nenable.idempotence=true\nmax.in.flight.requests.per.connection=6",
             rule: "producer-max-in-flight", severity: .error, current: "6"),
        Case(text: "acks=all\nenable.idempotence=true\nmax.in.flight.requests.per.connection=5",
             rule: "producer-max-in-flight", severity: nil, current: nil),
        Case(text: "acks=all\nenable.idempotence=false\nmax.in.flight.requests.per.connection=2",
             rule: "producer-max-in-flight", severity: .warning, current: "2"),
        Case(text: "acks=all\nenable.idempotence=false\nmax.in.flight.requests.per.connection=1",
             rule: "producer-max-in-flight", severity: nil, current: nil),
        Case(text: "acks=all\ndelivery.timeout.ms=10000", rule: "producer-delivery-timeout", severity: .error, current: "10000"),
        Case(text: "acks=all\ndelivery.timeout.ms=20000\nrequest.timeout.ms=5000\nlinger.ms=0",
             rule: "producer-delivery-timeout", severity: .warning, current: "20000"),
        Case(text: "acks=all\ndelivery.timeout.ms=120000", rule: "producer-delivery-timeout", severity: nil, current: nil),
        Case(text: "acks=all\nmessage.timeout.ms=5000", rule: "producer-delivery-timeout", severity: .warning, current: "5000"),
        Case(text: "group.id=g", rule: "consumer-auto-commit", severity: .warning, current: "(default)"),
        Case(text: "group.id=g\nenable.auto.commit=true", rule: "consumer-auto-commit", severity: .warning, current: "true"),
        Case(text: "group.id=g\nenable.auto.commit=false", rule: "consumer-auto-commit", severity: nil, current: nil),
        Case(text: "group.id=g", rule: "consumer-auto-offset-reset", severity: .warning, current: "(default)"),
        Case(text: "group.id=g\nauto.offset.reset=latest", rule: "consumer-auto-offset-reset", severity: .info, current: "latest"),
        Case(text: "group.id=g\nauto.offset.reset=none", rule: "consumer-auto-offset-reset", severity: nil, current: nil),
        Case(text: "group.id=g\nauto.offset.reset=earliest", rule: "consumer-auto-offset-reset", severity: nil, current: nil),
        Case(text: "group.id=g\nauto.offset.reset=oldest", rule: "consumer-auto-offset-reset", severity: .error, current: "oldest"),
        Case(text: "group.id=g", rule: "consumer-isolation-level", severity: .info, current: "(default)"),
        Case(text: "group.id=g\nisolation.level=read_uncommitted\ntransactional.id=tx",
             rule: "consumer-isolation-level", severity: .warning, current: "read_uncommitted"),
        Case(text: "group.id=g\nisolation.level=read_committed", rule: "consumer-isolation-level", severity: nil, current: nil),
    ])
    func rule(_ c: Case) {
        let f = find(c.text, c.rule)
        #expect(f?.severity == c.severity)
        #expect(f?.current == c.current)
        if let f {
            #expect(!f.reason.isEmpty && !f.fix.isEmpty)
        }
    }

    @Test func cleanFilesHaveNoFindings() {
        let producer = ClientLint.lint(properties: """
        # payments producer
        bootstrap.servers=b1:9092,b2:9092
        acks=all
        enable.idempotence=true
        max.in.flight.requests.per.connection=5
        key.serializer=org.apache.kafka.common.serialization.StringSerializer
        """)
        #expect(producer.findings.isEmpty)
        #expect(producer.producerChecked && !producer.consumerChecked)
        let consumer = ClientLint.lint(properties: """
        group.id=billing
        enable.auto.commit=false
        auto.offset.reset=earliest
        isolation.level=read_committed
        """)
        #expect(consumer.findings.isEmpty)
        #expect(consumer.consumerChecked && !consumer.producerChecked)
        #expect(!consumer.hasErrors)
    }

    @Test func findingsCarryTheLineOfTheKey() {
        let r = ClientLint.lint(properties: "# producer\nbootstrap.servers=x\nacks=0\n")
        #expect(r.findings.first { $0.rule == "producer-acks" }?.line == 3)
        #expect(r.findings.first { $0.rule == "producer-idempotence" }?.line == nil)
        #expect(r.hasErrors)
    }

    @Test func kindIsDetectedOrForced() {
        let unknown = ClientLint.lint(properties: "bootstrap.servers=x\nsecurity.protocol=SSL")
        #expect(unknown.findings.map(\.rule) == ["kind-unknown"])
        #expect(!unknown.producerChecked && !unknown.consumerChecked)
        let forced = ClientLint.lint(properties: "bootstrap.servers=x", kind: .consumer)
        #expect(forced.findings.map(\.rule) == ["consumer-auto-commit", "consumer-auto-offset-reset", "consumer-isolation-level"])
        let both = ClientLint.lint(properties: "acks=1\ngroup.id=g")
        #expect(both.producerChecked && both.consumerChecked)
    }

    @Test func parseProblemsAreReported() {
        let r = ClientLint.lint(properties: "acks=all\nacks=0")
        #expect(r.parseProblems.map(\.line) == [2])
        #expect(r.findings.first { $0.rule == "producer-acks" }?.current == "0")
    }
}
