import Foundation

/// How an executed change is known to have happened.
public enum ChangeConfirmation: Sendable, Hashable {
    /// The cluster answered that it was made.
    case answered
    /// The answer was lost (no answer after the request was sent), so the cluster was read again:
    /// the change is there (`applied`) or not. `detail` says what was read.
    case readBack(applied: Bool, detail: String)
    /// The answer was lost and the cluster could not be read again within the timeout.
    case unknown(String)

    /// Only a change the cluster confirmed exits 0: with a lost answer the operator must know, even
    /// when the read-back found it applied.
    public var isAnswered: Bool { self == .answered }

    /// Whether the change is there: nil when that is unknown.
    public var isApplied: Bool? {
        switch self {
        case .answered: return true
        case .readBack(let applied, _): return applied
        case .unknown: return nil
        }
    }

    /// "applied", "unknown: no answer to the request ... after it was sent; read back: applied (...)".
    public func result(lost: ClusterError?) -> String {
        let why = lost.map { "no answer to the request (\($0.description)) after it was sent" } ?? ""
        switch self {
        case .answered: return "ok"
        case .readBack(let applied, let detail): return "unknown: \(why); read back: \(applied ? "applied" : "not applied") (\(detail))"
        case .unknown(let readFailure): return "unknown: \(why); not read back: \(readFailure)"
        }
    }

    /// One line for the operator.
    public func line(_ what: String, lost: ClusterError?) -> String {
        switch self {
        case .answered: return "\(what): done"
        case .readBack(let applied, let detail):
            return "the outcome was unknown (no answer after the request was sent); read back: \(what) \(applied ? "was applied" : "was NOT applied") (\(detail))"
        case .unknown(let why):
            return "the outcome is UNKNOWN: no answer after the request was sent, and the cluster could not be read again (\(why)); check before retrying"
        }
    }
}

/// Reading the cluster again after a change whose answer was lost.
public enum ReadBack {
    /// `read` asked again (backing off from 0.2 s to 2 s) until it answers or `budget` is spent: a broker
    /// that stopped answering may answer again within it. The last error's description when it never did.
    public static func retrying<T: Sendable>(budget: Duration, _ read: (Deadline) async throws -> T) async -> Result<T, ReadBackFailed> {
        let deadline = Deadline.after(budget)
        var pause = Duration.milliseconds(200)
        var lastError = "no time left to read it back"
        while !deadline.hasPassed {
            do {
                return .success(try await read(deadline))
            } catch {
                lastError = String(describing: error)
            }
            let wait = min(pause, deadline.remaining)
            if wait <= .zero { break }
            try? await Task.sleep(for: wait)
            pause = min(pause * 2, .seconds(2))
        }
        return .failure(ReadBackFailed(description: lastError))
    }
}

public struct ReadBackFailed: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

extension ChangeExecution where Outcome == ChangeConfirmation {
    /// The one shape of a single-request change: answered is "ok"; an answer lost after the request may have
    /// been sent (`LostAnswer`) is read back (`readBack`) and recorded as unknown with what was read; any
    /// other error proves nothing changed and is thrown (recorded as failed).
    public static func confirming(details: JSONValue = .null, _ send: () async throws -> Void,
                                  readBack: () async -> ChangeConfirmation) async throws -> Self {
        do {
            try await send()
            return ChangeExecution(.answered, result: "ok", details: details)
        } catch {
            guard let lost = LostAnswer.of(error) else { throw error }
            let c = await readBack()
            return ChangeExecution(c, result: c.result(lost: lost), details: details)
        }
    }
}

/// The one rule for a change request that failed: did the failure prove that nothing changed? Only a
/// refusal does: the cluster's own answer saying no (topic exists, policy, not authorised, an unknown group,
/// a broker error code in its answer) or a refusal before anything was sent (invalid, unsupported,
/// read-only). Anything else may have come after the request was sent: a timeout, a connection closed or
/// cut (librdkafka's `_TRANSPORT`), a timeout after an earlier connection error (reported as that error), a
/// TLS or SASL failure on a reconnect, the client shutting down, an error with no code. Then the change
/// may have been made, and its outcome is unknown: read it back, never record it as failed.
public enum LostAnswer {
    /// Kinds whose error proves that the change was not made.
    static let refusals: Set<ClusterError.Kind> = [
        .authorization, .unknownTopic, .unknownGroup, .unknownPartition, .topicExists, .invalidRequest,
        .policyViolation, .groupNotEmpty, .changedSincePlan, .readOnly, .unsupported, .configuration,
    ]

    /// `error` as the lost answer of a request that may have been made; nil when it proves nothing changed.
    public static func of(_ error: any Error) -> ClusterError? {
        // A change's own errors (a plan that no longer holds) come before anything is sent; a cancelled task
        // may have been cut off while its request was on the way.
        guard let e = error as? ClusterError else {
            return error is CancellationError ? ClusterError(.cancelled, "the change was cancelled while its request was on the way") : nil
        }
        if refusals.contains(e.kind) { return nil }
        // A broker's error code (librdkafka's own codes start with "_") is the cluster's answer: no change,
        // unless the answer itself is a timeout (REQUEST_TIMED_OUT: the controller may still make it).
        if e.kind == .broker, let code = e.code, !code.hasPrefix("_") { return nil }
        return e
    }
}
