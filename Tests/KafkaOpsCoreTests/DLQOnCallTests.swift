import Foundation
import Testing
@testable import KafkaOpsCore

/// Issue 13, point 6: the DLQ summary shows what differs first; a replay says where each record landed and
/// warns about a value that is not JSON among JSON values.
@Suite struct DLQOnCallTests {
    static let prefix = "Converting byte[] to Kafka Connect data failed due to serialization error: "

    @Test func twoGroupsThatShareABeginningNeverReadTheSame() {
        let a = Self.prefix + "Unrecognized token <str>: was expecting (JSON String, Number, Array, Object)"
        let b = Self.prefix + "Unexpected end-of-input in field name"
        let c = "order <n> has no customer"
        let all = [a, b, c]
        let shownA = DLQSummary.differingFirst(a, among: all)
        let shownB = DLQSummary.differingFirst(b, among: all)
        #expect(shownA == "Unrecognized token <str>: was expecting (JSON String, Number, Array, Object) ← " + Self.prefix.trimmingCharacters(in: .whitespaces))
        #expect(shownB.hasPrefix("Unexpected end-of-input in field name ← Converting byte[]"))
        // Cut at 40 columns (what an 80-column summary gives the pattern), they still differ.
        #expect(shownA.prefix(40) != shownB.prefix(40))
        // Nothing shared: shown as it is.
        #expect(DLQSummary.differingFirst(c, among: all) == c)
        // One pattern the beginning of another: the longer one shows its extra first, the shorter stays whole.
        #expect(DLQSummary.differingFirst("timeout", among: ["timeout", "timeout: broker 3 down"]) == "timeout")
        #expect(DLQSummary.differingFirst("timeout: broker <n> down", among: ["timeout", "timeout: broker <n> down"])
                == "broker <n> down ← timeout")
        // A shared beginning that ends mid-word is cut at the word's start.
        #expect(DLQSummary.differingFirst("token <str> found", among: ["token <str> found", "token <n> found"]) == "<str> found ← token")
    }

    @Test func theSummaryUsesTheDisplayPatterns() {
        func rec(_ o: Int64, _ msg: String) -> Record {
            Record(topic: "dlq", partition: 0, offset: o, timestamp: o, key: nil, value: nil,
                   headers: [RecordHeader("__connect.errors.topic", string: "orders"),
                             RecordHeader("__connect.errors.exception.class.name", string: "org.apache.kafka.connect.errors.DataException"),
                             RecordHeader("__connect.errors.exception.message", string: msg)])
        }
        let records = [rec(0, Self.prefix + "Unrecognized token 'abc'"), rec(1, Self.prefix + "Unexpected end-of-input")]
        let s = DLQSummary.build(records: records, contexts: records.map { DLQContext.decode(record: $0) })
        #expect(s.byError.count == 2)
        #expect(Set(s.displayPatterns.map { String($0.prefix(12)) }) == ["Unrecognized", "Unexpected e"])
    }

    static func plan(_ values: [String?]) -> ReplayPlan {
        let records = values.enumerated().map { i, v in
            Record(topic: "dlq", partition: 0, offset: Int64(i), timestamp: 1, key: nil, value: v.map { Array($0.utf8) },
                   headers: [RecordHeader("__connect.errors.topic", string: "orders")])
        }
        return ReplayPlanner.plan(records: records, contexts: records.map { DLQContext.decode(record: $0) }, target: .original)
    }

    @Test func aValueThatIsNotJSONAmongJSONValuesIsWarnedAbout() {
        let p = Self.plan(["{\"id\":1}", "{\"id\":2", "[1,2]", nil, "", "{\"id\":4}"])
        #expect(p.nonJSONOutliers == [TopicPartitionOffset(topic: "dlq", partition: 0, offset: 1)])
        #expect(p.nonJSONWarning == "1 value is not valid JSON while 3 others are (likely to fail again): dlq/0: 1")
        // Mostly text: no warning (not a JSON topic).
        #expect(Self.plan(["a", "b", "{\"id\":1}"]).nonJSONWarning == nil)
        // A single JSON neighbour is not enough to judge.
        #expect(Self.plan(["{\"id\":1}", "oops"]).nonJSONWarning == nil)
        #expect(Self.plan(["{\"a\":1}", "{\"b\":2}"]).nonJSONWarning == nil)
    }

    @Test func landingsComeFromTheDeliveryReportsInDLQOrder() {
        let src = { (o: Int64) in TopicPartitionOffset(topic: "dlq", partition: 0, offset: o) }
        let r = ReplayReport(written: [.init(source: src(5), destination: TopicPartitionOffset(topic: "orders", partition: 3, offset: 1042)),
                                       .init(source: src(2), destination: TopicPartitionOffset(topic: "orders", partition: 1, offset: 7))],
                             failed: [], pending: [],
                             alreadyWritten: [.init(source: src(3), destination: TopicPartitionOffset(topic: "orders", partition: 0, offset: 99))])
        #expect(r.landings == ["0:2 → orders/1@7", "0:3 → orders/0@99 (written before)", "0:5 → orders/3@1042"])
    }
}
