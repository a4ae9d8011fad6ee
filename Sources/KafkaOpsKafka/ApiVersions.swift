import Foundation
import KafkaOpsCore
import CRdKafka

extension KafkaClusterClient {
    /// Whether the bootstrap broker offers OffsetDelete (API key 47).
    func supportsOffsetDelete(deadline: Deadline) async throws -> Bool {
        try await supportedApiKeys(deadline: deadline).contains(47)
    }

    /// The API keys the bootstrap broker lists in its ApiVersions answer. librdkafka has no public call for
    /// them, so a short-lived handle with `debug=feature` connects (a metadata request) and reads its own log
    /// lines, which list every API the broker supports ("ApiKey OffsetDelete (47) Versions 0..0").
    public func supportedApiKeys(deadline: Deadline) async throws -> Set<Int> {
        let ctx = ctx("ask the cluster which requests it supports")
        let settings = self.settings
        return try await runtime.blocking(ctx.operation, deadline: deadline) { _ in
            let lines = ApiVersionLines()
            let handle = try RdKafkaHandle(.producer, properties: RdKafkaProperties.admin(settings) + [("debug", "feature")],
                                           verbose: false, context: ctx, logLines: true,
                                           tokenSource: RdKafkaProperties.tokenSource(settings))
            handle.callbacks.onLog { lines.add($0) }
            defer { AdminRuntime.blockingQueue.async { withExtendedLifetime(handle) {} } }
            var md: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle.rk, 0, nil, &md, deadline.remainingMilliseconds)
            if let md { rd_kafka_metadata_destroy(md) }
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdErrorMap.map(err, nil, ctx) }
            return lines.keys
        }
    }
}

/// The API keys named in librdkafka's "ApiKey NAME (KEY) Versions MIN..MAX" log lines.
final class ApiVersionLines: @unchecked Sendable {
    private let lock = NSLock()
    private var found = Set<Int>()

    func add(_ line: String) {
        guard let v = line.range(of: ") Versions "), let open = line[..<v.lowerBound].lastIndex(of: "("),
              line.contains("ApiKey "), let key = Int(line[line.index(after: open)..<v.lowerBound]) else { return }
        _ = lock.withLock { found.insert(key) }
    }

    var keys: Set<Int> { lock.withLock { found } }
}
