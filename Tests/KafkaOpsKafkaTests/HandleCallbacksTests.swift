import Foundation
import Testing
@testable import KafkaOpsKafka

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
