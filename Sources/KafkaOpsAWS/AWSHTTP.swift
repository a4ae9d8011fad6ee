import Foundation
import KafkaOpsCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public struct AWSHTTPResponse: Sendable {
    public var status: Int
    public var body: Data
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP call with a hard deadline: the credential chain runs on librdkafka's background
/// thread, which may wait for it, but never for long.
public protocol AWSHTTPClient: Sendable {
    func send(method: String, url: URL, headers: [(String, String)], body: Data?, timeout: TimeInterval) throws -> AWSHTTPResponse
}

/// URLSession (FoundationNetworking on Linux), one ephemeral session per call, no caching, no cookies.
public struct URLSessionHTTPClient: AWSHTTPClient {
    public init() {}

    public func send(method: String, url: URL, headers: [(String, String)], body: Data?, timeout: TimeInterval) throws
        -> AWSHTTPResponse {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpCookieStorage = nil
        config.urlCache = nil
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.httpBody = body
        let box = Locked<Result<AWSHTTPResponse, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                box.set(.failure(error))
            } else {
                box.set(.success(AWSHTTPResponse(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data ?? Data())))
            }
            done.signal()
        }
        task.resume()
        // The session's own timeouts should end the call; this bounds it whatever they do.
        if done.wait(timeout: .now() + timeout + 0.5) == .timedOut {
            task.cancel()
            throw AWSAuthError("no answer from \(Self.origin(url)) within \(Self.seconds(timeout))")
        }
        switch box.value {
        case .success(let r): return r
        case .failure(let e):
            let ns = e as NSError
            if ns.domain == NSURLErrorDomain && ns.code == NSURLErrorTimedOut {
                throw AWSAuthError("no answer from \(Self.origin(url)) within \(Self.seconds(timeout))")
            }
            throw AWSAuthError("cannot reach \(Self.origin(url)): \(ns.localizedDescription)")
        case nil: throw AWSAuthError("no answer from \(Self.origin(url))")
        }
    }

    /// scheme://host:port, never a path or query (which may hold a token).
    static func origin(_ url: URL) -> String {
        "\(url.scheme ?? "http")://\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")"
    }

    static func seconds(_ t: TimeInterval) -> String {
        t == t.rounded() ? "\(Int(t)) s" : String(format: "%.1f s", t)
    }
}
