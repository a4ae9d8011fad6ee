import Foundation
import Testing
@testable import KafkaOpsCore

func be32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
func be64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

enum DLQFixtures {
    static func connectRecord(offset: Int64 = 7, message: String = "Failed to deserialize data for topic orders to Avro") -> Record {
        Record(topic: "dlq-orders-sink", partition: 0, offset: offset, timestamp: 1_795_428_900_000, key: Array("k1".utf8),
               value: Array("{\"id\":1}".utf8), headers: [
                RecordHeader("trace-id", string: "abc"),
                RecordHeader("__connect.errors.topic", string: "orders"),
                RecordHeader("__connect.errors.partition", string: "3"),
                RecordHeader("__connect.errors.offset", string: "1042"),
                RecordHeader("__connect.errors.connector.name", string: "orders-sink"),
                RecordHeader("__connect.errors.task.id", string: "0"),
                RecordHeader("__connect.errors.stage", string: "VALUE_CONVERTER"),
                RecordHeader("__connect.errors.class.name", string: "io.confluent.connect.avro.AvroConverter"),
                RecordHeader("__connect.errors.exception.class.name", string: "org.apache.kafka.connect.errors.DataException"),
                RecordHeader("__connect.errors.exception.message", string: message),
                RecordHeader("__connect.errors.exception.stacktrace", string: "org.apache.kafka.connect.errors.DataException: boom\n\tat X.y(X.java:1)"),
               ])
    }

    static func springRecord(partitionBytes: [UInt8] = be32(2), offsetBytes: [UInt8] = be64(5_000_000_000)) -> Record {
        Record(topic: "payments-dlt", partition: 2, offset: 11, timestamp: 1_795_428_999_000, key: nil, value: Array("x".utf8), headers: [
            RecordHeader("kafka_dlt-original-topic", string: "payments"),
            RecordHeader("kafka_dlt-original-partition", partitionBytes),
            RecordHeader("kafka_dlt-original-offset", offsetBytes),
            RecordHeader("kafka_dlt-original-timestamp", be64(1_795_428_900_123)),
            RecordHeader("kafka_dlt-original-timestamp-type", string: "CreateTime"),
            RecordHeader("kafka_dlt-original-consumer-group", string: "payments-app"),
            RecordHeader("kafka_dlt-exception-fqcn", string: "org.springframework.kafka.listener.ListenerExecutionFailedException"),
            RecordHeader("kafka_dlt-exception-cause-fqcn", string: "java.lang.IllegalStateException"),
            RecordHeader("kafka_dlt-exception-message", string: "Listener failed; amount 12.50 exceeds limit"),
            RecordHeader("kafka_dlt-exception-stacktrace", string: "java.lang.IllegalStateException: ...\n\tat ..."),
        ])
    }
}

@Suite struct DLQContextTests {
    @Test func decodesConnectContext() {
        let c = DLQContext.decode(record: DLQFixtures.connectRecord())
        #expect(c.family == .connect)
        #expect(c.originalTopic == "orders")
        #expect(c.originalPartition == 3)
        #expect(c.originalOffset == 1042)
        #expect(c.connectorName == "orders-sink")
        #expect(c.taskID == "0")
        #expect(c.stage == "VALUE_CONVERTER")
        #expect(c.executingClass == "io.confluent.connect.avro.AvroConverter")
        #expect(c.errorClass == "org.apache.kafka.connect.errors.DataException")
        #expect(c.shortErrorClass == "DataException")
        #expect(c.message == "Failed to deserialize data for topic orders to Avro")
        #expect(c.stackTrace?.contains("\n\tat X.y") == true)
        #expect(c.problems.isEmpty)
        #expect(c.originDescription == "orders/3/1042")
    }

    @Test func connectUnknownPartitionAndTopicAreNil() {
        var r = DLQFixtures.connectRecord()
        r.headers = [RecordHeader("__connect.errors.topic", string: ""), RecordHeader("__connect.errors.partition", string: "-1"),
                     RecordHeader("__connect.errors.offset", string: "-1")]
        let c = DLQContext.decode(record: r)
        #expect(c.family == .connect)
        #expect(c.originalTopic == nil && c.originalPartition == nil && c.originalOffset == nil)
    }

    @Test func decodesSpringBinaryHeaders() {
        let c = DLQContext.decode(record: DLQFixtures.springRecord())
        #expect(c.family == .spring)
        #expect(c.originalTopic == "payments")
        #expect(c.originalPartition == 2)
        #expect(c.originalOffset == 5_000_000_000)
        #expect(c.originalTimestamp == 1_795_428_900_123)
        #expect(c.originalTimestampType == "CreateTime")
        #expect(c.consumerGroup == "payments-app")
        #expect(c.errorClass == "org.springframework.kafka.listener.ListenerExecutionFailedException")
        #expect(c.causeClass == "java.lang.IllegalStateException")
        #expect(c.message == "Listener failed; amount 12.50 exceeds limit")
        #expect(!c.isKeyError)
        #expect(c.problems.isEmpty)
    }

    @Test func springNegativeAndLargeValuesAreBigEndianSigned() {
        let c = DLQContext.decode(record: DLQFixtures.springRecord(partitionBytes: [0, 0, 1, 0], offsetBytes: be64(Int64.max)))
        #expect(c.originalPartition == 256)
        #expect(c.originalOffset == Int64.max)
    }

    @Test func malformedSpringPartitionIsNotedAndDecimalFallbackUsed() {
        let c = DLQContext.decode(record: DLQFixtures.springRecord(partitionBytes: Array("12".utf8) + [0x20]))
        #expect(c.originalPartition == 12)
        #expect(c.problems == ["kafka_dlt-original-partition: expected 4 bytes, got 3; read as the decimal string \"12\""])
    }

    @Test func malformedSpringBinaryIsNotedWithoutGuessing() {
        let c = DLQContext.decode(record: DLQFixtures.springRecord(partitionBytes: [0, 0, 2], offsetBytes: [1, 2, 3, 4]))
        #expect(c.originalPartition == nil)
        #expect(c.originalOffset == nil)
        #expect(c.problems == ["kafka_dlt-original-partition: expected 4 bytes, got 3",
                               "kafka_dlt-original-offset: expected 8 bytes, got 4"])
        #expect(c.originalTopic == "payments") // the rest is still decoded
    }

    @Test func springKeyException() {
        let r = Record(topic: "t-dlt", partition: 0, offset: 0, timestamp: 0, key: [0xFF], value: nil, headers: [
            RecordHeader("kafka_dlt-original-topic", string: "t"),
            RecordHeader("kafka_dlt-key-exception-fqcn", string: "org.apache.kafka.common.errors.SerializationException"),
            RecordHeader("kafka_dlt-key-exception-message", string: "bad key"),
        ])
        let c = DLQContext.decode(record: r)
        #expect(c.isKeyError)
        #expect(c.errorClass == "org.apache.kafka.common.errors.SerializationException")
        #expect(c.message == "bad key")
    }

    @Test func decodesStreamsContext() {
        let r = Record(topic: "app-dlq", partition: 0, offset: 3, timestamp: 0, key: nil, value: nil, headers: [
            RecordHeader("__streams.errors.exception", string: "org.apache.kafka.common.errors.SerializationException: Size of data received is not 4"),
            RecordHeader("__streams.errors.topic", string: "clicks"),
            RecordHeader("__streams.errors.partition", string: "1"),
            RecordHeader("__streams.errors.offset", string: "99"),
        ])
        let c = DLQContext.decode(record: r)
        #expect(c.family == .streams)
        #expect(c.errorClass == "org.apache.kafka.common.errors.SerializationException")
        #expect(c.message == "Size of data received is not 4")
        #expect(c.originDescription == "clicks/1/99")
    }

    @Test func customMapping() {
        let mapping = DLQHeaderMapping(originalTopic: "x-origin-topic", originalPartition: "x-origin-partition",
                                       originalOffset: "x-origin-offset", errorClass: "x-error-type",
                                       errorMessage: "x-error", stackTrace: "x-trace")
        let r = Record(topic: "errors", partition: 0, offset: 1, timestamp: 0, key: nil, value: nil, headers: [
            RecordHeader("x-origin-topic", string: "invoices"),
            RecordHeader("x-origin-partition", be32(4)),
            RecordHeader("x-origin-offset", string: "77"),
            RecordHeader("x-error-type", string: "ValidationError"),
            RecordHeader("x-error", string: "missing field customer"),
        ])
        let c = DLQContext.decode(record: r, mapping: mapping)
        #expect(c.family == .custom)
        #expect(c.originDescription == "invoices/4/77")
        #expect(c.errorClass == "ValidationError")
        #expect(c.message == "missing field customer")
        #expect(DLQContext.isErrorHeader("x-error", mapping: mapping))
        #expect(!DLQContext.isErrorHeader("x-error"))
        // Without the mapping the same record has no context.
        #expect(DLQContext.decode(record: r).family == .none)
    }

    @Test func mappingRoundTripsThroughJSON() throws {
        let m = DLQHeaderMapping(originalTopic: "a", errorMessage: "b")
        let data = try JSONEncoder().encode(m)
        #expect(String(decoding: data, as: UTF8.self).contains("\"original_topic\""))
        #expect(try JSONDecoder().decode(DLQHeaderMapping.self, from: data) == m)
    }

    @Test func recordWithoutContext() {
        let r = Record(topic: "dlq", partition: 0, offset: 0, timestamp: 0, key: nil, value: Array("v".utf8),
                       headers: [RecordHeader("trace-id", string: "1")])
        let c = DLQContext.decode(record: r)
        #expect(c == DLQContext())
        #expect(c.family == .none)
    }

    @Test func guessesOriginalTopicFromSpringNames() {
        #expect(DLQContext.guessOriginalTopic(dlqTopic: "orders-dlt") == "orders")
        #expect(DLQContext.guessOriginalTopic(dlqTopic: "orders.DLT") == "orders")
        #expect(DLQContext.guessOriginalTopic(dlqTopic: "dlq-orders-sink") == nil)
        #expect(DLQContext.guessOriginalTopic(dlqTopic: "-dlt") == nil)
    }

    @Test(arguments: [
        ("__connect.errors.topic", true), ("__streams.errors.message", true), ("kafka_dlt-original-offset", true),
        ("retry_topic-attempts", true), ("kafkaops.replay.source", true), ("trace-id", false), ("__connect", false),
    ] as [(String, Bool)])
    func errorHeaders(name: String, isError: Bool) {
        #expect(DLQContext.isErrorHeader(name) == isError)
    }
}

@Suite struct DLQSummaryTests {
    @Test(arguments: [
        ("offset 123 failed", "offset <n> failed"),
        ("Record 550e8400-e29b-41d4-a716-446655440000 rejected", "Record <uuid> rejected"),
        ("bad byte 0x1F at pos 17", "bad byte <hex> at pos <n>"),
        ("digest deadbeef01 mismatch", "digest <hex> mismatch"),
        ("field 'customer' is missing", "field <str> is missing"),
        ("value \"abc\" can't be parsed", "value <str> can't be parsed"),
        ("amount 12.50 exceeds 10.0.0.7", "amount <n> exceeds <n>"),
        ("first line\nsecond 42", "first line"),
        ("deadline exceeded", "deadline exceeded"),
    ] as [(String, String)])
    func normalisesMessages(message: String, pattern: String) {
        #expect(DLQSummary.normalize(message) == pattern)
    }

    @Test func groupsByClassAndPatternAndByOriginalTopic() {
        var records: [Record] = []
        var contexts: [DLQContext] = []
        for i in 0..<5 {
            let r = DLQFixtures.connectRecord(offset: Int64(10 + i), message: "Failed at offset \(1000 + i)")
            records.append(r); contexts.append(DLQContext.decode(record: r))
        }
        let s = DLQFixtures.springRecord()
        records.append(s); contexts.append(DLQContext.decode(record: s))
        let bare = Record(topic: "dlq", partition: 0, offset: 99, timestamp: 5, key: nil, value: nil)
        records.append(bare); contexts.append(DLQContext.decode(record: bare))

        let summary = DLQSummary.build(records: records, contexts: contexts)
        #expect(summary.total == 7)
        #expect(summary.withoutContext == 1)
        #expect(summary.byError.count == 3)
        let top = summary.byError[0]
        #expect(top.count == 5)
        #expect(top.errorClass == "org.apache.kafka.connect.errors.DataException")
        #expect(top.pattern == "Failed at offset <n>")
        #expect(top.example == "Failed at offset 1000")
        #expect(top.firstOffset == 10 && top.lastOffset == 14)
        #expect(top.originalTopics == ["orders": 5])
        #expect(summary.byTopic.map(\.originalTopic) == ["orders", "payments", nil])
        #expect(summary.byTopic[0].minOriginalOffset == 1042)
        #expect(summary.families[.connect] == 5)
        #expect(summary.byError.contains { $0.pattern == "(no error context)" && $0.count == 1 })
    }

    @Test func summarisesOneHundredThousandRecordsQuickly() {
        var builder = DLQSummaryBuilder()
        let classes = ["a.B", "c.D", "e.F", "g.H"]
        var input: [(Record, DLQContext)] = []
        input.reserveCapacity(100_000)
        for i in 0..<100_000 {
            let r = Record(topic: "dlq", partition: Int32(i % 3), offset: Int64(i), timestamp: Int64(i), key: nil, value: nil)
            let c = DLQContext(family: .connect, originalTopic: "t\(i % 7)", originalOffset: Int64(i),
                               errorClass: classes[i % 4], message: "record \(i) failed: key 'k\(i)'")
            input.append((r, c))
        }
        do { // speed: scripts/bench.sh measures it, tests do not time it
            for (r, c) in input { builder.add(record: r, context: c) }
        }
        let s = builder.summary
        #expect(s.total == 100_000)
        #expect(s.byError.count == 4)
        #expect(s.byError.allSatisfy { $0.count == 25_000 && $0.pattern == "record <n> failed: key <str>" })
        #expect(s.byTopic.count == 7)
    }
}
