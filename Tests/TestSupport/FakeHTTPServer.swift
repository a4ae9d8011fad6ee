import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on a free loopback port for fakes of HTTP services (the EC2 instance
/// metadata service, STS): each request goes to `handler`, its answer is written and the connection
/// closed. Every request is recorded.
public final class FakeHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]  // names lower-cased
        public var body: String
    }
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        public init(_ status: Int, _ body: String = "") { self.status = status; self.body = body }
    }

    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let listener: LoopbackListener
    private let lock = NSLock()
    private var stopped = false
    private var seen: [Request] = []

    public var requests: [Request] { lock.withLock { seen } }

    public init(_ handler: @escaping @Sendable (Request) -> Response) throws {
        let listener = try LoopbackListener(backlog: 16)
        self.listener = listener
        self.port = listener.port
        let thread = Thread { [weak self, listener] in
            while true {
                guard let c = listener.accept() else { return }
                guard let request = Self.read(c) else { close(c); continue }
                self?.lock.withLock { self?.seen.append(request) }
                let r = handler(request)
                let reason = r.status == 200 ? "OK" : "Status"
                let text = "HTTP/1.1 \(r.status) \(reason)\r\nContent-Length: \(r.body.utf8.count)\r\n"
                    + "Content-Type: text/plain\r\nConnection: close\r\n\r\n" + r.body
                _ = Array(text.utf8).withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(c)
            }
        }
        thread.start()
    }

    /// Reads one request: the head up to the blank line, then Content-Length bytes of body.
    private static func read(_ c: Int32) -> Request? {
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        func headEnd() -> Int? {
            guard data.count >= 4 else { return nil }
            for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
                return i
            }
            return nil
        }
        while headEnd() == nil {
            let n = Glibc.read(c, &buf, buf.count)
            if n <= 0 { return nil }
            data += buf[0..<n]
        }
        guard let end = headEnd() else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let first = head[0].split(separator: " ")
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(data[(end + 4)...])
        while body.count < length {
            let n = Glibc.read(c, &buf, buf.count)
            if n <= 0 { break }
            body += buf[0..<n]
        }
        return Request(method: String(first[0]), path: String(first[1]), headers: headers,
                       body: String(decoding: body, as: UTF8.self))
    }

    public func stop() {
        let first = lock.withLock { () -> Bool in defer { stopped = true }; return !stopped }
        if first { listener.stop() }
    }

    deinit { stop() }
}
