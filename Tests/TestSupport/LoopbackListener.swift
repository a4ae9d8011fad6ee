import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on a free loopback port, shared by one accept thread and `stop()`.
///
/// The test fakes run inside the test process beside librdkafka. A socket number closed while another
/// thread may still call accept or shutdown on it can by then be one of librdkafka's own sockets (seen as
/// "Socket operation on non-socket" and "all brokers down" in unrelated tests). So `stop()` only shuts the
/// socket down, which wakes the accept thread, and the number is closed once, under the lock, by whichever
/// side finds it last in use.
public final class LoopbackListener: @unchecked Sendable {
    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var isShut = false
    private var isClosed = false

    public init(backlog: Int32) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TansuBroker.StartError(description: "socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard let port = TansuBroker.bindLoopback(fd, listenBacklog: backlog) else {
            close(fd)
            throw TansuBroker.StartError(description: "could not listen on a free loopback port")
        }
        self.fd = fd
        self.port = port
    }

    /// The next connection, or nil once stopped (the socket is then closed).
    public func accept() -> Int32? {
        while true {
            let c = Glibc.accept(fd, nil, nil)
            if c >= 0 { return c }
            if errno == EINTR || errno == ECONNABORTED { continue }
            lock.withLock {
                if !isClosed { close(fd); isClosed = true }
            }
            return nil
        }
    }

    /// Wakes the accept thread; idempotent. A listener whose thread never started is closed here.
    public func stop(threadStarted: Bool = true) {
        lock.withLock {
            guard !isClosed, !isShut else { return }
            isShut = true
            shutdown(fd, Int32(SHUT_RDWR))
            if !threadStarted { close(fd); isClosed = true }
        }
    }
}
