import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on a free loopback port that answers every connection with fixed bytes
/// (an HTTP error by default) and closes it: "a port that is not Kafka".
public final class NotKafkaServer: @unchecked Sendable {
    public let port: Int
    public var address: String { "127.0.0.1:\(port)" }
    private let listener: LoopbackListener
    private let lock = NSLock()
    private var stopped = false

    public init(reply: [UInt8] = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)) throws {
        let listener = try LoopbackListener(backlog: 16)
        self.listener = listener
        self.port = listener.port
        let thread = Thread { [listener] in
            while true {
                guard let c = listener.accept() else { return }  // stopped
                var buf = [UInt8](repeating: 0, count: 512)
                _ = read(c, &buf, buf.count)
                _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
                close(c)
            }
        }
        thread.start()
    }

    public func stop() {
        let first = lock.withLock { () -> Bool in defer { stopped = true }; return !stopped }
        if first { listener.stop() }
    }

    deinit { stop() }
}
