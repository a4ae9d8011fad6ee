import CCurl
import Dispatch
import Foundation

/// One Alertmanager to post to, with the schema registry client's TLS and auth choices: a CA file, a client
/// certificate and key, basic auth (user and password) or a bearer token.
public struct AlertmanagerTarget: Sendable {
    public var url: String
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// "Authorization: Basic ..." or "Authorization: Bearer ..." (nil: none).
    public var authorization: String?
    public var timeout: Double

    public init(url: String, caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                authorization: String? = nil, timeout: Double = 5) {
        self.url = url; self.caFile = caFile; self.certFile = certFile; self.keyFile = keyFile
        self.authorization = authorization; self.timeout = timeout
    }

    /// `POST {url}/api/v2/alerts`.
    public var alertsURL: String {
        (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v2/alerts"
    }

    /// Posts through libcurl (CCurl, the registry client's transport), bounded by `timeout` in all, on a
    /// Dispatch thread. Nil when Alertmanager took it (2xx), else one line saying why not.
    public func post(_ body: Data) async -> String? {
        await withCheckedContinuation { done in
            DispatchQueue.global().async { done.resume(returning: self.blockingPost(body)) }
        }
    }

    func blockingPost(_ body: Data) -> String? {
        var status = 0
        var answer: UnsafeMutablePointer<CChar>?
        var answerLen = 0
        var error: UnsafeMutablePointer<CChar>?
        let headers = ["Content-Type: application/json"] + (authorization.map { ["Authorization: \($0)"] } ?? [])
        let cHeaders = headers.map { strdup($0) }
        defer { cHeaders.forEach { free($0) } }
        let send = [UInt8](body) + [0]
        let rc = send.withUnsafeBufferPointer { sp in
            cHeaders.map { UnsafePointer($0) }.withUnsafeBufferPointer { hp in
                sp.baseAddress!.withMemoryRebound(to: CChar.self, capacity: sp.count) { s in
                    kafkaops_http_post(alertsURL, hp.baseAddress, hp.count, s, body.count, caFile, certFile, keyFile,
                                       max(1, Int(timeout * 1000)), 1 << 20, &status, &answer, &answerLen, &error)
                }
            }
        }
        defer { kafkaops_http_free(answer); kafkaops_http_free(error) }
        if rc != 0 { return error.map { String(cString: $0) } ?? "no answer" }
        if (200..<300).contains(status) { return nil }
        let text = answer.map { String(cString: $0) } ?? ""
        return "HTTP \(status)" + (text.isEmpty ? "" : ": " + String(text.prefix(200)).replacingOccurrences(of: "\n", with: " "))
    }
}

/// Posts each refresh's alerts to every Alertmanager off the refresh path: the refresh hands its posts over
/// and goes on; one sender per Alertmanager sends the newest version of each alert (a resolve not yet sent
/// is kept until it is, or until a newer post of the same alert replaces it). A slow or down Alertmanager
/// delays nothing but its own posts (each bounded by the target's timeout).
public final class AlertPoster: @unchecked Sendable {
    private let lock = NSLock()
    private let targets: [AlertmanagerTarget]
    private var pending: [[[String: String]: AlertBook.Post]]
    private var sending: [Bool]
    private let report: @Sendable (String) -> Void

    public init(_ targets: [AlertmanagerTarget], report: @escaping @Sendable (String) -> Void) {
        self.targets = targets
        pending = Array(repeating: [:], count: targets.count)
        sending = Array(repeating: false, count: targets.count)
        self.report = report
    }

    public func submit(_ posts: [AlertBook.Post]) {
        for i in targets.indices {
            let start: Bool = lock.withLock {
                for p in posts { pending[i][p.alert.key] = p }
                if sending[i] || pending[i].isEmpty { return false }
                sending[i] = true
                return true
            }
            if start { Task.detached { await self.drain(i) } }
        }
    }

    private func drain(_ i: Int) async {
        while true {
            let batch: [AlertBook.Post] = lock.withLock {
                let b = Array(pending[i].values)
                pending[i] = [:]
                if b.isEmpty { sending[i] = false }
                return b
            }
            if batch.isEmpty { return }
            if let why = await targets[i].post(AlertBook.body(batch)) {
                report("alertmanager \(targets[i].url): \(why)")
                // Resolves are sent once they get through: keep those not replaced by a newer post.
                lock.withLock {
                    for p in batch where p.resolved && pending[i][p.alert.key] == nil { pending[i][p.alert.key] = p }
                    sending[i] = false
                }
                return
            }
        }
    }
}
