import Foundation
import KafkaOpsCore
import CRdKafka

/// A continuation that is resumed exactly once, by whoever comes first
/// (the result, the deadline, a connection failure or cancellation).
final class OneShot<T: Sendable>: Sendable {
    private let continuation: Locked<CheckedContinuation<T, Error>?>

    init(_ c: CheckedContinuation<T, Error>) { continuation = Locked(c) }

    func resume(_ result: Result<T, Error>) {
        let c = continuation.withLock { c in defer { c = nil }; return c }
        c?.resume(with: result)
    }
}

/// Set when a call has been answered some other way, so blocking work can stop early.
final class CallControl: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }
}

/// The calls in flight on one admin handle, keyed by the token passed as the admin opaque.
final class PendingCalls: @unchecked Sendable {
    struct Entry {
        let deadline: Deadline
        let what: String
        let control: CallControl
        /// Parses the admin result event; runs on the poller thread while the event is alive.
        let onEvent: ((OpaquePointer) -> Void)?
        let onFail: (ClusterError) -> Void
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]
    private var cancelled: Set<Int> = []
    private var next = 1

    func reserve() -> Int {
        lock.withLock { defer { next += 1 }; return next }
    }

    /// Registers a call; false (after failing it) when it was cancelled before it got here.
    func register(_ token: Int, _ entry: Entry) -> Bool {
        let wasCancelled = lock.withLock { () -> Bool in
            if cancelled.remove(token) != nil { return true }
            entries[token] = entry
            return false
        }
        if wasCancelled {
            entry.control.stop()
            entry.onFail(ClusterError(.cancelled, "\(entry.what) was cancelled"))
        }
        return !wasCancelled
    }

    func take(_ token: Int) -> Entry? {
        lock.withLock { entries.removeValue(forKey: token) }
    }

    func cancel(_ token: Int) {
        let e = lock.withLock { () -> Entry? in
            if let e = entries.removeValue(forKey: token) { return e }
            cancelled.insert(token)
            return nil
        }
        if let e {
            e.control.stop()
            e.onFail(ClusterError(.cancelled, "\(e.what) was cancelled"))
        }
    }

    /// Fails a call with the error `make` builds for it.
    func fail(_ token: Int, _ make: (Entry) -> ClusterError) {
        if let e = take(token) {
            e.control.stop()
            e.onFail(make(e))
        }
    }

    func failAll(_ make: (Entry) -> ClusterError) {
        let all = lock.withLock { () -> [Entry] in
            defer { entries.removeAll() }
            return Array(entries.values)
        }
        for e in all { e.control.stop(); e.onFail(make(e)) }
    }

    func expire(_ make: (Entry) -> ClusterError) {
        let now = ContinuousClock.now
        let due = lock.withLock { () -> [Entry] in
            let keys = entries.filter { $0.value.deadline.instant <= now }.map(\.key)
            return keys.compactMap { entries.removeValue(forKey: $0) }
        }
        for e in due { e.control.stop(); e.onFail(make(e)) }
    }

    var nearestDeadline: Deadline? {
        lock.withLock { entries.values.map(\.deadline).min { $0.instant < $1.instant } }
    }

    var isEmpty: Bool { lock.withLock { entries.isEmpty } }
}

/// The admin side of a connection: one warm handle, one result queue and one thread that
/// reads admin results (and serves error callbacks) for every call in flight.
final class AdminRuntime: @unchecked Sendable {
    let handle: RdKafkaHandle
    let results: RdKafkaQueue
    let pending = PendingCalls()
    let context: ErrorContext
    /// Blocking librdkafka calls (metadata, consumers, producer flushes) run here, never on the caller's thread.
    static let blockingQueue = DispatchQueue(label: "kafkaops.librdkafka.blocking", qos: .userInitiated,
                                             attributes: .concurrent)

    private let lock = NSLock()
    private var stopped = false
    private var everAnswered = false
    /// The latest connection-level error librdkafka reported, to explain a timeout.
    private var lastConnectionError: ClusterError?
    private let exited = DispatchSemaphore(value: 0)
    private var poller: Thread?

    /// The connection's TLS settings, to explain a TLS failure in the profile's words.
    let tls: ConnectionSettings.TLS?

    init(settings: ConnectionSettings, context: ErrorContext) throws {
        self.context = context
        self.tls = settings.tls
        handle = try RdKafkaHandle(.producer, properties: RdKafkaProperties.admin(settings),
                                   verbose: settings.verbose, context: context,
                                   tokenSource: RdKafkaProperties.tokenSource(settings))
        results = RdKafkaQueue(handle)
        handle.callbacks.onError { [weak self] code, reason in self?.clientError(code, reason) }
        let thread = Thread { [self] in self.pollLoop() }
        thread.name = "kafkaops-admin-poller"
        lock.withLock { poller = thread }
        thread.start()
    }

    /// Stops the poller thread; pending calls fail as cancelled. Called once, by the client's deinit.
    func shutdown() {
        lock.withLock { stopped = true }
        rd_kafka_queue_yield(results.queue)
        // The last reference may be dropped on the poller thread itself; it exits on its own then.
        let thread = lock.withLock { () -> Thread? in defer { poller = nil }; return poller }
        if Thread.current !== thread { exited.wait() }
        // (poller -> closure -> self was a cycle; dropping the Thread breaks it, so the handle is destroyed.)
        pending.failAll { ClusterError(.cancelled, "\($0.what) was cancelled: the client was closed") }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func pollLoop() {
        while !isStopped {
            var wait: Int32 = 50
            if let d = pending.nearestDeadline { wait = min(wait, max(1, d.remainingMilliseconds)) }
            if let ev = rd_kafka_queue_poll(results.queue, Int32(wait)) {
                dispatch(ev)
                rd_kafka_event_destroy(ev)
            }
            // Serve error callbacks (error_cb) from the handle's main queue.
            rd_kafka_poll(handle.rk, 0)
            pending.expire { [self] e in timeoutError(e.what) }
        }
        exited.signal()
    }

    private func dispatch(_ ev: OpaquePointer) {
        let type = rd_kafka_event_type(ev)
        if type == RD_KAFKA_EVENT_ERROR {
            clientError(rd_kafka_event_error(ev), rd_kafka_event_error_string(ev).string ?? "")
            return
        }
        let token = Int(bitPattern: rd_kafka_event_opaque(ev))
        guard let entry = pending.take(token) else { return }  // answered already (deadline, cancel)
        entry.control.stop()
        if rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR_NO_ERROR { markAnswered() }
        entry.onEvent?(ev)
    }

    /// A broker answered: the connection works, so an older connection error no longer explains anything.
    func markAnswered() {
        lock.withLock {
            everAnswered = true
            lastConnectionError = nil
        }
    }

    /// error_cb: remember connection problems; fail pending calls fast when nothing can work.
    private func clientError(_ code: rd_kafka_resp_err_t, _ reason: String) {
        let isConnection = code == RD_KAFKA_RESP_ERR__TRANSPORT || code == RD_KAFKA_RESP_ERR__RESOLVE
            || RdErrorMap.isConnectionFailure(code)
        guard isConnection else { return }
        // A TLS handshake that failed for a reason the certificate verification recorded (or the
        // broker's alert names) is said in the profile's words, and fails every pending call now.
        let tlsFailure = tls.flatMap { tls in
            TLSDiagnosis.diagnose(reason: context.scrub(reason), failure: handle.callbacks.tls.lastFailure,
                                  bootstrap: context.bootstrap, caConfigured: tls.hasCA,
                                  clientCertificate: tls.hasClientCertificate, code: String(cString: rd_kafka_err2name(code)))
        }
        let mapped = tlsFailure ?? RdErrorMap.map(code, reason, context)
        let (answered, previous) = lock.withLock { () -> (Bool, ClusterError?) in
            let prev = lastConnectionError
            // Keep the most specific reason: "all brokers down" says less than "connection refused".
            if code != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || lastConnectionError == nil {
                lastConnectionError = mapped
            }
            return (everAnswered, prev)
        }
        let failNow: Bool
        switch code {
        case _ where tlsFailure != nil:
            failNow = true
        case RD_KAFKA_RESP_ERR__SSL, RD_KAFKA_RESP_ERR__AUTHENTICATION, RD_KAFKA_RESP_ERR__FATAL:
            failNow = true
        case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
            // Before the first answer this means the bootstrap list cannot be reached. Later it can
            // also follow idle disconnects, so then it only explains a timeout.
            failNow = !answered
        default:
            failNow = false
        }
        if failNow {
            let reason = code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ? (previous ?? mapped) : mapped
            pending.failAll { _ in reason }
        }
    }

    /// A timeout, explained by the last connection error when there is one, or by a TLS handshake that never
    /// reached the broker's certificate (verified connections: the verification callback sees every certificate).
    func timeoutError(_ what: String) -> ClusterError {
        let (last, answered) = lock.withLock { (lastConnectionError, everAnswered) }
        if let last {
            var e = last
            e.message = "\(what) did not answer in time; \(last.message)"
            e.isRetriable = true
            return e
        }
        if let tls, tls.verify, !answered, !handle.callbacks.tls.sawCertificate {
            return ClusterError.noTLSHandshake(what, bootstrap: context.bootstrap)
        }
        return ClusterError.timeout(what, bootstrap: context.bootstrap)
    }

    // MARK: calls

    /// Runs one admin request: `start` enqueues it (non-blocking) with the options and the result
    /// queue; `parse` reads the result event on the poller thread.
    func admin<T: Sendable>(
        _ what: String, op: rd_kafka_admin_op_t, deadline: Deadline,
        configure: (OpaquePointer) throws -> Void = { _ in },
        start: (OpaquePointer, OpaquePointer, OpaquePointer) throws -> Void,
        parse: @escaping @Sendable (OpaquePointer) throws -> T
    ) async throws -> T {
        if deadline.hasPassed { throw timeoutError(what) }
        let token = pending.reserve()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
                let box = OneShot(c)
                var ctx = context
                ctx.operation = what
                let entry = PendingCalls.Entry(
                    deadline: deadline, what: what, control: CallControl(),
                    onEvent: { ev in
                        box.resume(Result {
                            let code = rd_kafka_event_error(ev)
                            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                                throw RdErrorMap.requestFailed(code, rd_kafka_event_error_string(ev).string, ctx)
                            }
                            return try parse(ev)
                        })
                    },
                    onFail: { box.resume(.failure($0)) })
                guard pending.register(token, entry) else { return }
                guard let options = rd_kafka_AdminOptions_new(handle.rk, op) else {
                    pending.fail(token) { _ in ClusterError(.broker, "\(what): librdkafka refused the admin options") }
                    return
                }
                defer { rd_kafka_AdminOptions_destroy(options) }
                var errstr = [CChar](repeating: 0, count: 256)
                rd_kafka_AdminOptions_set_opaque(options, UnsafeMutableRawPointer(bitPattern: token))
                _ = rd_kafka_AdminOptions_set_request_timeout(options, Self.requestTimeout(op, deadline), &errstr, errstr.count)
                do {
                    try configure(options)
                    try start(handle.rk, options, results.queue)
                } catch {
                    let ce = error as? ClusterError ?? ClusterError(.invalidRequest, "\(what): \(error)")
                    pending.fail(token) { _ in ce }
                }
            }
        } onCancel: {
            pending.cancel(token)
        }
    }

    /// Admin operations librdkafka sends through its group-coordinator state machine.
    static let coordinatorOperations: [rd_kafka_admin_op_t] = [
        RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
        RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS,
        RD_KAFKA_ADMIN_OP_DELETEGROUPS,
    ]
    /// librdkafka's largest admin request timeout (one hour).
    static let longestRequestTimeoutMs: Int32 = 3_600_000

    /// The timeout librdkafka itself applies to an admin request. Normally the caller's deadline, so
    /// librdkafka gives up when we do. Not for coordinator requests: in librdkafka (2.8.0, and still 2.14.2:
    /// with this turned off, TinyTimeoutTests aborts on it) a
    /// coordinator request whose own timeout expires while it still waits for the coordinator, the
    /// coordinator then coming up, uses its freed enq-once and aborts the process
    /// (`rd_kafka_enq_once_del_source_return: Assertion 'eonce->refcnt > 0'`, SIGABRT or SIGSEGV),
    /// which `lag --timeout 0.004` hit one run in ten. So those get librdkafka's longest timeout:
    /// the caller is still answered at its deadline (`PendingCalls.expire`), and destroying the handle
    /// ends a request still waiting cleanly (as `__DESTROY`, before its timeout ever fires).
    static func requestTimeout(_ op: rd_kafka_admin_op_t, _ deadline: Deadline) -> Int32 {
        coordinatorOperations.contains(op) ? longestRequestTimeoutMs : deadline.remainingMilliseconds
    }

    /// Runs blocking librdkafka work on the blocking queue, bounded by the deadline, failed fast
    /// by connection errors and by cancellation (`control.isStopped` tells the work to stop).
    func blocking<T: Sendable>(_ what: String, deadline: Deadline,
                               _ work: @escaping @Sendable (CallControl) throws -> T) async throws -> T {
        if deadline.hasPassed { throw timeoutError(what) }
        let token = pending.reserve()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
                let box = OneShot(c)
                let control = CallControl()
                let entry = PendingCalls.Entry(deadline: deadline, what: what, control: control, onEvent: nil,
                                               onFail: { box.resume(.failure($0)) })
                guard pending.register(token, entry) else { return }
                Self.blockingQueue.async { [self] in
                    let result = Result { try work(control) }
                    if pending.take(token) != nil {
                        if case .success = result { markAnswered() }
                        box.resume(result)
                    }
                }
            }
        } onCancel: {
            pending.cancel(token)
        }
    }
}
