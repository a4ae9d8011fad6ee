import Foundation
import KafkaOpsCore
import CRdKafka

/// Callbacks librdkafka invokes on a handle, reached through the handle's opaque pointer.
/// Owned by the handle that registers it, so it outlives every callback.
final class HandleCallbacks: @unchecked Sendable {
    /// What the TLS certificate verification saw (filled only on TLS connections).
    let tls = TLSPeers()
    private let lock = NSLock()
    private var errorHandler: (@Sendable (rd_kafka_resp_err_t, String) -> Void)?
    private var deliveryHandler: ((UnsafePointer<rd_kafka_message_t>) -> Void)?
    private var logHandler: (@Sendable (String) -> Void)?
    /// SASL/OAUTHBEARER tokens (AWS MSK IAM), served by `oauthbearerRefreshCallback`.
    let tokenSource: (any OAuthBearerTokenSource)?
    private var lastTokenRefresh: TokenRefreshOutcome?

    /// The secret values set on the handle: every log line passes `Secrets.scrub` with them before it
    /// reaches a handler or stderr (librdkafka's `debug=conf` prints property values it does not redact).
    private let secrets: [String]
    /// `--verbose`: lines with no handler go to stderr (scrubbed).
    private let toStderr: Bool

    init(tokenSource: (any OAuthBearerTokenSource)? = nil, secrets: [String] = [], toStderr: Bool = false) {
        self.tokenSource = tokenSource; self.secrets = secrets; self.toStderr = toStderr
    }

    func tokenRefreshed(_ outcome: TokenRefreshOutcome) { lock.withLock { lastTokenRefresh = outcome } }
    var tokenRefresh: TokenRefreshOutcome? { lock.withLock { lastTokenRefresh } }

    /// Lines logged before `onLog` was set: librdkafka starts connecting inside rd_kafka_new, so the
    /// first lines (a fast broker's ApiVersions answer among them) can come before any handler exists.
    private var earlyLines: [String] = []
    private static let earlyLineLimit = 2_000

    /// librdkafka's log lines (facility: message), for a handle created with `logLines`; the lines
    /// logged before this call are handed over first.
    func onLog(_ h: @escaping @Sendable (String) -> Void) {
        let early: [String] = lock.withLock {
            logHandler = h
            defer { earlyLines = [] }
            return earlyLines
        }
        early.forEach(h)
    }

    func logged(_ raw: String, level: Int32 = 7) {
        let line = Secrets.scrub(raw, values: secrets)
        if toStderr {
            FileHandle.standardError.write(Data("librdkafka \(level) \(line)\n".utf8))
            return
        }
        let h: (@Sendable (String) -> Void)? = lock.withLock {
            if logHandler == nil, earlyLines.count < Self.earlyLineLimit { earlyLines.append(line) }
            return logHandler
        }
        h?(line)
    }

    func onError(_ h: @escaping @Sendable (rd_kafka_resp_err_t, String) -> Void) {
        lock.withLock { errorHandler = h }
    }

    /// Delivery reports arrive on the thread that calls rd_kafka_poll on the producer.
    func onDelivery(_ h: @escaping (UnsafePointer<rd_kafka_message_t>) -> Void) {
        lock.withLock { deliveryHandler = h }
    }

    fileprivate func error(_ code: rd_kafka_resp_err_t, _ reason: String) {
        let h = lock.withLock { errorHandler }
        h?(code, reason)
    }

    fileprivate func delivered(_ msg: UnsafePointer<rd_kafka_message_t>) {
        let h = lock.withLock { deliveryHandler }
        h?(msg)
    }
}

private func dropLog(_ rk: OpaquePointer?, _ level: Int32, _ fac: UnsafePointer<CChar>?, _ buf: UnsafePointer<CChar>?) {}

/// Hands librdkafka's log lines to the handle's `HandleCallbacks.logged` (through the handle's opaque),
/// which scrubs the secrets and passes them to `onLog`, or to stderr with `--verbose`.
private func callbackLog(_ rk: OpaquePointer?, _ level: Int32, _ fac: UnsafePointer<CChar>?, _ buf: UnsafePointer<CChar>?) {
    guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
    let f = fac.map { String(cString: $0) } ?? ""
    let b = buf.map { String(cString: $0) } ?? ""
    Unmanaged<HandleCallbacks>.fromOpaque(opaque).takeUnretainedValue().logged("\(f): \(b)", level: level)
}

private func errorCallback(_ rk: OpaquePointer?, _ err: Int32, _ reason: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let opaque else { return }
    let cb = Unmanaged<HandleCallbacks>.fromOpaque(opaque).takeUnretainedValue()
    cb.error(rd_kafka_resp_err_t(rawValue: err), reason.map { String(cString: $0) } ?? "")
}

private func deliveryCallback(_ rk: OpaquePointer?, _ msg: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let opaque, let msg else { return }
    Unmanaged<HandleCallbacks>.fromOpaque(opaque).takeUnretainedValue().delivered(msg)
}

/// One librdkafka client handle (rd_kafka_t). Destroyed with the object.
final class RdKafkaHandle: @unchecked Sendable {
    enum Kind { case producer, consumer }

    let rk: OpaquePointer
    let callbacks: HandleCallbacks
    let kind: Kind

    /// Builds the configuration from `properties` (see RdKafkaProperties) and creates the handle.
    /// `logLines`: librdkafka's log lines go to `callbacks.onLog` (instead of stderr or nowhere).
    /// `tokenSource`: SASL/OAUTHBEARER tokens from kafkaops (`RdKafkaProperties.tokenSource`), not librdkafka.
    init(_ kind: Kind, properties: [(String, String)], verbose: Bool, context: ErrorContext, logLines: Bool = false,
         tokenSource: (any OAuthBearerTokenSource)? = nil) throws {
        guard let conf = rd_kafka_conf_new() else {
            throw ClusterError(.configuration, "librdkafka could not allocate a configuration")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in properties {
            let r = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if r != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let why = context.scrub(errstr.cString)
                // Never echo the value: it may be a secret.
                throw ClusterError(.configuration, "invalid client property \(key): \(why)",
                                   hint: "check the profile's tls/sasl settings and its properties: section")
            }
        }
        if logLines || verbose { rd_kafka_conf_set_log_cb(conf, callbackLog) } else { rd_kafka_conf_set_log_cb(conf, dropLog) }
        rd_kafka_conf_set_error_cb(conf, errorCallback)
        if properties.contains(where: { $0.0 == "security.protocol" && $0.1.lowercased().hasSuffix("ssl") }) {
            // Records each broker's certificate (and why one was refused); keeps OpenSSL's verdict.
            _ = rd_kafka_conf_set_ssl_cert_verify_cb(conf, tlsVerifyCallback)
        }
        if kind == .producer { rd_kafka_conf_set_dr_msg_cb(conf, deliveryCallback) }
        if tokenSource != nil {
            rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, oauthbearerRefreshCallback)
            rd_kafka_conf_enable_sasl_queue(conf, 1)
        }
        let callbacks = HandleCallbacks(tokenSource: tokenSource, secrets: context.secrets, toStderr: verbose && !logLines)
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(callbacks).toOpaque())

        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        // rd_kafka_new takes ownership of conf on success only.
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            let why = context.scrub(errstr.cString)
            throw TLSDiagnosis.loadError(why)
                ?? ClusterError(.configuration, "cannot create a Kafka client: \(why)",
                                hint: "check the profile's tls/sasl settings (files must exist and be readable)")
        }
        if tokenSource != nil, let e = rd_kafka_sasl_background_callbacks_enable(rk) {
            let why = String(cString: rd_kafka_error_string(e))
            rd_kafka_error_destroy(e)
            rd_kafka_destroy(rk)
            throw ClusterError(.configuration, "cannot start the OAUTHBEARER token refresh: \(why)")
        }
        self.rk = rk
        self.callbacks = callbacks
        self.kind = kind
    }

    /// rd_kafka_destroy joins librdkafka's threads, and one can fail to end: seen with 2.14.2, a broker thread
    /// still serving after many requests with millisecond deadlines, the destroy waiting forever. Run on the
    /// releasing thread, that blocked a Swift concurrency thread for good, and with two cores every task of the
    /// process stalled (the whole test run hung; the console's would too). So the destroy runs on a thread of
    /// its own and the releasing thread waits for it at most `destroyWait`: as before when it ends (destroys
    /// do not pile up), and a destroy that hangs costs one thread and at most that wait of the caller.
    static let destroyWait: DispatchTimeInterval = .seconds(2)
    private static let destroyer = DispatchQueue(label: "kafkaops.rdkafka-destroy", attributes: .concurrent)

    deinit {
        let handle = Doomed(rk: rk), kind = self.kind, callbacks = self.callbacks
        let done = DispatchSemaphore(value: 0)
        Self.destroyer.async {
            let rk = handle.rk
            if kind == .consumer {
                rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
            } else {
                rd_kafka_destroy(rk)
            }
            // The callbacks' opaque is read by librdkafka until the destroy returns.
            withExtendedLifetime(callbacks) {}
            done.signal()
        }
        _ = done.wait(timeout: .now() + Self.destroyWait)
    }

    /// The handle's pointer on its way to the destroyer: nothing else holds it any more.
    private struct Doomed: @unchecked Sendable { let rk: OpaquePointer }
}

/// A librdkafka queue (rd_kafka_queue_t) created on a handle; keeps the handle alive.
final class RdKafkaQueue: @unchecked Sendable {
    let queue: OpaquePointer
    let handle: RdKafkaHandle

    init(_ handle: RdKafkaHandle) {
        self.handle = handle
        self.queue = rd_kafka_queue_new(handle.rk)
    }

    deinit { rd_kafka_queue_destroy(queue) }
}

/// A topic+partition list (rd_kafka_topic_partition_list_t) owned by Swift.
final class RdPartitionList {
    let list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        list = rd_kafka_topic_partition_list_new(Int32(clamping: max(1, capacity)))
    }

    convenience init(_ entries: [(TopicPartition, Int64)]) {
        self.init(capacity: entries.count)
        for (tp, offset) in entries { add(tp, offset: offset) }
    }

    func add(_ tp: TopicPartition, offset: Int64) {
        let p = rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition)
        p?.pointee.offset = offset
    }

    deinit { rd_kafka_topic_partition_list_destroy(list) }

    /// Reads (topic, partition, offset, error) out of a C list.
    static func entries(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?)
        -> [(tp: TopicPartition, offset: Int64, err: rd_kafka_resp_err_t)] {
        guard let list, let elems = list.pointee.elems else { return [] }
        var out: [(tp: TopicPartition, offset: Int64, err: rd_kafka_resp_err_t)] = []
        out.reserveCapacity(Int(list.pointee.cnt))
        for i in 0..<Int(list.pointee.cnt) {
            let e = elems[i]
            let topic = e.topic.map { String(cString: $0) } ?? ""
            out.append((TopicPartition(topic, e.partition), e.offset, e.err))
        }
        return out
    }
}

extension Optional where Wrapped == UnsafePointer<CChar> {
    var string: String? { self.map { String(cString: $0) } }
}

extension Array where Element == CChar {
    /// A NUL-terminated C buffer (librdkafka's errstr) as a String.
    var cString: String {
        let bytes = prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
