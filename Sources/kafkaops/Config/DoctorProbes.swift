import Foundation
import KafkaOpsCore
import KafkaOpsKafka
#if canImport(Glibc)
import Glibc
#endif

/// The connection doctor's probes against the real network: getaddrinfo, a TCP connect with a
/// timeout, the two greetings that tell a plaintext listener from a TLS one, and librdkafka for every
/// Kafka request (metadata, API versions).
struct LiveDoctorProbes: ConnectionDoctor.Probes {
    let settings: ConnectionSettings
    let timeout: Duration

    var seconds: Double { Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18 }

    func resolve(_ host: String) async -> Result<[String], ConnectionDoctor.ProbeFailure> {
        await Self.blocking(seconds: seconds, timedOut: .failure(.init("no answer from DNS within \(Int(seconds)) s"))) {
            Self.addresses(host).map { addrs in addrs.map(\.text) }
        }
    }

    func connect(_ e: ConnectionDoctor.Endpoint) async -> Result<Void, ConnectionDoctor.ProbeFailure> {
        let s = seconds
        return await Self.blocking(seconds: s + 1, timedOut: .failure(.init("no answer within \(Int(s)) s"))) {
            Self.tcpConnect(e, seconds: s)
        }
    }

    /// A plaintext ApiVersions request, then (when that was not answered as Kafka answers) a TLS ClientHello,
    /// each on its own connection, each answer waited for at most 2 s (or the timeout, when shorter).
    func listenerProtocol(_ e: ConnectionDoctor.Endpoint) async -> ListenerProtocol {
        let s = min(seconds, 2)
        return await Self.blocking(seconds: 2 * s + 2, timedOut: .unknown) {
            let kafka = Self.firstBytes(e, send: ListenerProtocol.apiVersionsRequest, seconds: s)
            if ListenerProtocol.answersKafka(kafka) || ListenerProtocol.answersTLS(kafka) {
                return ListenerProtocol.classify(kafkaAnswer: kafka, tlsAnswer: nil)
            }
            return ListenerProtocol.classify(kafkaAnswer: kafka,
                                             tlsAnswer: Self.firstBytes(e, send: ListenerProtocol.clientHello, seconds: s))
        }
    }

    func metadata() async -> Result<ClusterMetadata, ClusterError> {
        do {
            return .success(try await KafkaClusterClient(settings: settings).metadata(deadline: .after(timeout)))
        } catch let e as ClusterError {
            return .failure(e)
        } catch {
            return .failure(ClusterError(.configuration, "cannot set up the Kafka client: \(error)"))
        }
    }

    func apiKeys() async -> Result<Set<Int>, ClusterError> {
        do {
            return .success(try await KafkaClusterClient(settings: settings).supportedApiKeys(deadline: .after(timeout)))
        } catch let e as ClusterError {
            return .failure(e)
        } catch {
            return .failure(ClusterError(.configuration, "cannot set up the Kafka client: \(error)"))
        }
    }

    // MARK: sockets

    struct Address { var family: Int32; var storage: sockaddr_storage; var length: socklen_t; var text: String }

    static func addresses(_ host: String, port: Int = 0) -> Result<[Address], ConnectionDoctor.ProbeFailure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &res)
        guard rc == 0 else { return .failure(.init(String(cString: gai_strerror(rc)))) }
        defer { freeaddrinfo(res) }
        var out: [Address] = []
        var p = res
        while let ai = p?.pointee {
            if let sa = ai.ai_addr {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { dst in
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: sa, count: Int(ai.ai_addrlen)))
                }
                var buf = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                let text = getnameinfo(sa, ai.ai_addrlen, &buf, socklen_t(buf.count), nil, 0, NI_NUMERICHOST) == 0
                    ? String(cString: buf) : "?"
                if !out.contains(where: { $0.text == text }) {
                    out.append(Address(family: ai.ai_family, storage: storage, length: ai.ai_addrlen, text: text))
                }
            }
            p = ai.ai_next
        }
        return out.isEmpty ? .failure(.init("no address")) : .success(out)
    }

    /// Connects to each address of the host in turn; the first that accepts wins.
    static func tcpConnect(_ e: ConnectionDoctor.Endpoint, seconds: Double) -> Result<Void, ConnectionDoctor.ProbeFailure> {
        openSocket(e, seconds: seconds).map { close($0) }
    }

    /// Sends `bytes` on a new connection and returns the first bytes answered (at most 16) within
    /// `seconds`: empty when the peer closed, reset or said nothing.
    static func firstBytes(_ e: ConnectionDoctor.Endpoint, send bytes: [UInt8], seconds: Double) -> [UInt8] {
        guard case .success(let fd) = openSocket(e, seconds: seconds) else { return [] }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(seconds)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            guard n < 0, errno == EAGAIN || errno == EWOULDBLOCK else { return [] }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { return [] }
        }
        var answer: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16)
        while answer.count < 8 {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = deadline.timeIntervalSinceNow
            guard left > 0, poll(&pfd, 1, Int32(max(1, left * 1000))) > 0 else { break }
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 16 - answer.count, 0) }
            if n <= 0 { break }
            answer += buf[0..<n]
        }
        return answer
    }

    /// A connected, non-blocking socket to the first address of the host that accepts.
    static func openSocket(_ e: ConnectionDoctor.Endpoint, seconds: Double) -> Result<Int32, ConnectionDoctor.ProbeFailure> {
        let addrs: [Address]
        switch addresses(e.host, port: e.port) {
        case .failure(let f): return .failure(.init("cannot resolve \(e.host): \(f.message)"))
        case .success(let a): addrs = a
        }
        var last = "no address"
        for var a in addrs {
            let fd = socket(a.family, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { last = String(cString: strerror(errno)); continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let rc = withUnsafePointer(to: &a.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, a.length) }
            }
            if rc == 0 { return .success(fd) }
            guard errno == EINPROGRESS else { last = String(cString: strerror(errno)); close(fd); continue }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let n = poll(&pfd, 1, Int32(max(1, seconds * 1000)))
            if n == 0 { last = "no answer within \(Int(seconds)) s (a firewall dropping packets?)"; close(fd); continue }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if n > 0 && err == 0 { return .success(fd) }
            last = String(cString: strerror(err != 0 ? err : errno))
            close(fd)
        }
        return .failure(.init(last))
    }

    /// Runs blocking work off the cooperative pool; gives `timedOut` if it has not finished in time
    /// (getaddrinfo cannot be cancelled: its thread finishes on its own).
    static func blocking<T: Sendable>(seconds: Double, timedOut: T, _ work: @escaping @Sendable () -> T) async -> T {
        // The first of the two (the answer, the time running out) resumes.
        let claimed = Locked(false)
        let claim: @Sendable () -> Bool = { claimed.withLock { done in defer { done = true }; return !done } }
        return await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            DispatchQueue.global().async {
                let r = work()
                if claim() { c.resume(returning: r) }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                if claim() { c.resume(returning: timedOut) }
            }
        }
    }
}
