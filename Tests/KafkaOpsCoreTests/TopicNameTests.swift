import Testing
@testable import KafkaOpsCore

@Suite("Topic names as Kafka validates them")
struct TopicNameTests {
    @Test(arguments: [
        ("", "Topic name is illegal, it can't be empty"),
        (".", "Topic name cannot be \".\" or \"..\""),
        ("..", "Topic name cannot be \".\" or \"..\""),
        (String(repeating: "a", count: 250),
         "Topic name is illegal, it can't be longer than 249 characters, topic name: " + String(repeating: "a", count: 250)),
        ("my topic", "Topic name \"my topic\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"),
        ("orders/eu", "Topic name \"orders/eu\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"),
        ("café", "Topic name \"café\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"),
        ("a\u{1b}[2J", "Topic name \"a\u{1b}[2J\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"),
    ])
    func illegal(_ name: String, _ message: String) {
        let issues = TopicName.validate(name)
        #expect(issues.map(\.message) == [message])
        #expect(issues.map(\.severity) == [.error])
        #expect(!TopicName.isValid(name))
    }

    @Test(arguments: [String(repeating: "a", count: 249), "orders", "a.b", "a_b", "A-9", "...", "__consumer_offsets"])
    func legal(_ name: String) {
        #expect(TopicName.validate(name).isEmpty)
        #expect(TopicName.isValid(name))
    }

    @Test func mixingPeriodAndUnderscoreWarns() {
        let issues = TopicName.validate("orders.eu_west")
        #expect(issues.map(\.severity) == [.warning])
        #expect(issues.first?.message.contains("could collide") == true)
        #expect(TopicName.isValid("orders.eu_west"))
    }

    @Test(arguments: [
        ("a.b", ["a_b", "c"], ["a_b"]),
        ("a_b", ["a.b", "a-b"], ["a.b"]),
        ("a_b", ["a_b"], []),          // the same topic is not a collision
        ("a.b.c", ["a_b.c", "a.b_c", "a_b_c"], ["a.b_c", "a_b.c", "a_b_c"]),
        ("ab", ["a.b", "a_b"], []),
    ])
    func collisions(_ name: String, _ existing: [String], _ expected: [String]) {
        #expect(TopicName.collidingTopics(name, existing: existing) == expected)
        let issues = TopicName.collision(name, existing: existing)
        if expected.isEmpty {
            #expect(issues.isEmpty)
        } else {
            #expect(issues.map(\.message) == ["Topic '\(name)' collides with existing topics: \(expected.joined(separator: ", "))"])
            #expect(issues.first?.severity == .error)
        }
    }
}
