import CCurl
import Dispatch
import Foundation

/// One GET through libcurl (CCurl), on a Dispatch thread so no Swift concurrency thread waits on the network.
/// TLS with a CA file and a client certificate, a hard deadline over the whole call.
struct HTTPGet: Sendable {
    struct Response: Sendable { var status: Int; var body: [UInt8] }
    enum Failure: Error, Sendable { case unreachable(String), timedOut, tooLarge, outOfMemory }

    var caFile: String?
    var certFile: String?
    var keyFile: String?
    var timeout: Double
    var maxBody: Int = 16 << 20

    func get(_ url: String, headers: [String]) async throws(Failure) -> Response {
        let result: Result<Response, Failure> = await withCheckedContinuation { done in
            DispatchQueue.global().async { done.resume(returning: self.blockingGet(url, headers: headers)) }
        }
        return try result.get()
    }

    func blockingGet(_ url: String, headers: [String]) -> Result<Response, Failure> {
        var status = 0
        var body: UnsafeMutablePointer<CChar>?
        var bodyLen = 0
        var error: UnsafeMutablePointer<CChar>?
        let cHeaders = headers.map { strdup($0) }
        defer { cHeaders.forEach { free($0) } }
        let rc = cHeaders.map { UnsafePointer($0) }.withUnsafeBufferPointer { hp in
            kafkaops_http_get(url, hp.baseAddress, hp.count, caFile, certFile, keyFile, max(1, Int(timeout * 1000)), maxBody,
                              &status, &body, &bodyLen, &error)
        }
        defer { kafkaops_http_free(body); kafkaops_http_free(error) }
        let why = error.map { String(cString: $0) } ?? "unknown error"
        switch rc {
        case 0:
            let bytes = body.map { Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: bodyLen)) } ?? []
            return .success(Response(status: status, body: bytes))
        case 2: return .failure(.timedOut)
        case 3: return .failure(.tooLarge)
        case 4: return .failure(.outOfMemory)
        default: return .failure(.unreachable(why))
        }
    }
}
