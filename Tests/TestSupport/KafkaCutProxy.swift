import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tansu broker behind a TCP proxy that can lose the answer to one request of a given API key: a test
/// fault injector, not a Kafka client. tansu advertises the proxy's port, so every connection librdkafka
/// makes goes through it. The proxy forwards bytes both ways and reads only the request frames' length
/// prefix and the request header's api_key (the two bytes after it). Once armed, the first request with that
/// key is forwarded to the broker (so the broker acts on it), and then its answer is lost:
/// - `.cut`: the connection is closed right after (librdkafka reports `_TRANSPORT`);
/// - `.swallow`: the answer is dropped and the connection stays open, silent (the answer never comes);
/// - `.hold(seconds)`: the request itself is held that long before it goes on (a slow answer, nothing lost).
/// Starting fails loudly, like `TansuBroker`.
public final class KafkaCutProxy: @unchecked Sendable {
    /// Kafka API keys the tests cut after.
    public enum APIKey: Int16, Sendable {
        case offsetCommit = 8
        case listGroups = 16
        case createTopics = 19
        case electLeaders = 43
        case incrementalAlterConfigs = 44
    }

    public enum Loss: Sendable { case cut, swallow, hold(Double) }

    public let port: Int
    public let broker: TansuBroker
    public var bootstrap: String { "127.0.0.1:\(port)" }
    private let listener: LoopbackListener
    private let state = Mutex<State>(State())

    /// Every socket is closed by the last thread that uses it, and only after it left the set under the
    /// lock: this runs inside the test process beside librdkafka, and a number closed while another thread
    /// could still call recv, send or shutdown on it may by then be one of librdkafka's own sockets (seen as
    /// "Socket operation on non-socket" and brokers down in unrelated tests).
    struct State {
        var armed: (key: Int16, loss: Loss, skip: Int)?
        var fired = 0
        var links: [ObjectIdentifier: Link] = [:]
        var stopped = false
    }

    public static func start() async throws -> KafkaCutProxy {
        try await offThread { try KafkaCutProxy() }
    }

    public init() throws {
        var lastError = "no attempt"
        for _ in 0..<5 {
            let l: LoopbackListener
            do { l = try LoopbackListener(backlog: 64) } catch { lastError = "\(error)"; continue }
            do {
                broker = try TansuBroker(advertised: "127.0.0.1:\(l.port)")
            } catch {
                l.stop(threadStarted: false); lastError = "\(error)"; continue
            }
            self.port = l.port
            listener = l
            let thread = Thread { [self] in acceptLoop() }
            thread.name = "kafka-cut-proxy"
            thread.start()
            return
        }
        throw TansuBroker.StartError(description: "the cut proxy did not start: \(lastError)")
    }

    /// Loses the answer to the next request with `key` after `skip` more of them (once).
    public func arm(_ key: APIKey, _ loss: Loss = .cut, skip: Int = 0) {
        state.withLock { $0.armed = (key.rawValue, loss, skip) }
    }

    /// How many answers were lost so far.
    public var fired: Int { state.withLock { $0.fired } }

    /// Stops accepting and ends every link; the sockets are closed by their own threads. Idempotent.
    public func stop() {
        let first = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            s.stopped = true
            listener.stop()
            for link in s.links.values { link.shutDown() }
            return true
        }
        if first { broker.stop() }
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            guard let client = listener.accept() else { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(broker.port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) { ptr in
                ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            let link = Link(client: client, upstream: upstream)
            let stopped = state.withLock { s -> Bool in
                if !s.stopped && ok { s.links[ObjectIdentifier(link)] = link }
                return s.stopped
            }
            if !ok || stopped { close(client); if upstream >= 0 { close(upstream) }; continue }
            Thread { [self] in requests(link) }.start()
            Thread { [self] in answers(link) }.start()
        }
    }

    /// One proxied connection, served by two threads; `answerLost` is set once its answer must not reach
    /// the client. `isShut` and `threadsLeft` are guarded by the proxy's state lock.
    final class Link: @unchecked Sendable {
        let client: Int32
        let upstream: Int32
        let answerLost = Atomic<Bool>(false)
        var isShut = false
        var threadsLeft = 2
        init(client: Int32, upstream: Int32) { self.client = client; self.upstream = upstream }

        /// Wakes both threads (their recv returns 0); the numbers stay open, so stay theirs.
        func shutDown() {
            guard !isShut else { return }
            isShut = true
            shutdown(client, Int32(SHUT_RDWR)); shutdown(upstream, Int32(SHUT_RDWR))
        }
    }

    /// Client to broker, frame by frame (4-byte big-endian length, then the request: api_key first).
    private func requests(_ link: Link) {
        defer { closeLink(link) }
        while true {
            guard let header = readExactly(link.client, 4) else { return }
            let length = Int(UInt32(header[0]) << 24 | UInt32(header[1]) << 16 | UInt32(header[2]) << 8 | UInt32(header[3]))
            guard length >= 2, length < 100_000_000, let body = readExactly(link.client, length) else { return }
            let key = Int16(bitPattern: UInt16(body[0]) << 8 | UInt16(body[1]))
            let loss = state.withLock { s -> Loss? in
                guard let armed = s.armed, armed.key == key else { return nil }
                if armed.skip > 0 { s.armed?.skip -= 1; return nil }
                s.armed = nil
                s.fired += 1
                return armed.loss
            }
            switch loss {
            case .hold(let seconds): usleep(useconds_t(seconds * 1_000_000))
            // Lost from now on: the answer may come back within microseconds of the request.
            case .cut, .swallow: link.answerLost.store(true, ordering: .sequentiallyConsistent)
            case nil: break
            }
            guard writeAll(link.upstream, header + body) else { return }
            guard let loss else { continue }
            switch loss {
            case .cut:
                // Give the broker a moment to act on the request, then close both sides: no answer comes.
                usleep(200_000)
                return
            case .swallow:
                // Keep reading (and dropping) what the client sends, so the connection stays open and silent.
                while readExactly(link.client, 1) != nil {}
                return
            case .hold:
                continue
            }
        }
    }

    /// Broker to client, unless the answer is lost.
    private func answers(_ link: Link) {
        defer { closeLink(link) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(link.upstream, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            if link.answerLost.load(ordering: .sequentiallyConsistent) { continue }
            guard writeAll(link.client, Array(buffer[0..<n])) else { return }
        }
    }

    /// Called by each of the link's two threads as it ends: the first ends the connection, the last closes it.
    private func closeLink(_ link: Link) {
        state.withLock { s in
            link.shutDown()
            link.threadsLeft -= 1
            guard link.threadsLeft == 0 else { return }
            s.links[ObjectIdentifier(link)] = nil
            close(link.client); close(link.upstream)
        }
    }

    private func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + done, count - done, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            done += n
        }
        return out
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}
