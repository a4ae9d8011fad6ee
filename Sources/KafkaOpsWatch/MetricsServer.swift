import FlyingFox
import FlyingSocks
import Foundation

/// `/metrics` and `/healthz` over FlyingFox: each request reads the published last refresh (`WatchScrape`)
/// and answers; nothing in a request waits on the cluster.
public final class MetricsServer: Sendable {
    let server: HTTPServer
    let run: Task<Void, any Error>
    /// The address it listens on, "HOST:PORT" (the port the system chose when 0 was asked).
    public let listening: String

    public struct CannotListen: Error, CustomStringConvertible { public let description: String }

    /// `staleAfter`: seconds without a refresh ending after which /healthz answers 503 (the loop is stuck).
    public static func start(host: String, port: UInt16, scrape: WatchScrape, staleAfter: Double) async throws -> MetricsServer {
        let address: any SocketAddress
        do {
            if host.contains(":") { address = try sockaddr_in6.inet6(ip6: host, port: port) }
            else { address = try sockaddr_in.inet(ip4: host == "localhost" ? "127.0.0.1" : host, port: port) }
        } catch {
            throw CannotListen(description: "--metrics-listen: '\(host)' is not an IPv4 or IPv6 address")
        }
        let server = HTTPServer(config: .init(address: address, timeout: 10, logger: .disabled))
        await server.appendRoute("GET /metrics") { request in
            let format = MetricsExposition.Format.negotiated(accept: request.headers[HTTPHeader("Accept")])
            return HTTPResponse(statusCode: .ok, headers: [.contentType: format.contentType], body: scrape.body(format))
        }
        await server.appendRoute("GET /healthz") { _ in
            guard let last = scrape.last else {
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain"], body: Data("ok: the first refresh is under way\n".utf8))
            }
            let age = Date().timeIntervalSince(last.endedAt)
            if age > staleAfter {
                return HTTPResponse(statusCode: .serviceUnavailable, headers: [.contentType: "text/plain"],
                                    body: Data("stuck: no refresh ended for \(Int(age)) s\n".utf8))
            }
            let state = last.error.map { "the last refresh failed: \($0)" } ?? "the last refresh succeeded"
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain"], body: Data("ok: \(state)\n".utf8))
        }
        let run = Task { try await server.run() }
        do {
            try await server.waitUntilListening(timeout: 5)
        } catch {
            run.cancel()
            let why: String
            if case .failure(let e) = await run.result { why = "\(e)" } else { why = "\(error)" }
            throw CannotListen(description: "cannot listen on \(host):\(port): \(why)")
        }
        var listening = "\(host):\(port)"
        switch await server.listeningAddress {
        case .ip4(let h, let p): listening = "\(h):\(p)"
        case .ip6(let h, let p): listening = "[\(h)]:\(p)"
        default: break
        }
        return MetricsServer(server: server, run: run, listening: listening)
    }

    init(server: HTTPServer, run: Task<Void, any Error>, listening: String) {
        self.server = server; self.run = run; self.listening = listening
    }

    /// Closes the listener (connections in flight get a moment to finish).
    public func stop() async {
        await server.stop(timeout: 0.3)
        run.cancel()
    }
}
