import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on a free loopback port that answers every connection with fixed bytes
/// (an HTTP error by default) and closes it: "a port that is not Kafka".
public final class NotKafkaServer: @unchecked Sendable {
    public let port: Int
    public var address: String { "127.0.0.1:\(port)" }
    private let fd: Int32
    private let lock = NSLock()
    private var stopped = false

    public init(reply: [UInt8] = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TansuBroker.StartError(description: "socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard let port = TansuBroker.bindLoopback(fd, listenBacklog: 16) else {
            close(fd)
            throw TansuBroker.StartError(description: "could not listen on a free port")
        }
        self.fd = fd
        self.port = port
        let thread = Thread { [fd] in
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }  // the listening socket was closed
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
        if first { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    deinit { stop() }
}
