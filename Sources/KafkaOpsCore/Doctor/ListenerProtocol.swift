import Foundation

/// What a broker port speaks, told from its first answer to two greetings, each on its own connection:
/// a Kafka request in plaintext (ApiVersions v0) and a TLS ClientHello. A plaintext listener answers the
/// first; a TLS listener answers the second with a TLS record (its ServerHello, or an alert). A profile
/// whose TLS setting does not match the listener otherwise only times out (a plaintext broker waits for
/// the rest of a "request" the size of the hello's first bytes) or sees the connection closed.
public enum ListenerProtocol: String, Sendable, Equatable {
    case plaintext
    case tls
    /// Neither greeting was answered as expected (closed, silent, or something else).
    case unknown

    /// The correlation id of the probe's ApiVersions request ("kops").
    public static let correlationID: UInt32 = 0x6b6f_7073

    /// ApiVersions v0 (api key 18) with a null client id, size-prefixed.
    public static let apiVersionsRequest: [UInt8] = {
        var body: [UInt8] = [0x00, 0x12, 0x00, 0x00]
        body += bigEndian(correlationID)
        body += [0xff, 0xff]
        return bigEndian(UInt32(body.count)) + body
    }()

    /// A TLS 1.2 ClientHello (TLS 1.3 servers answer it too): common ECDHE and RSA suites, the usual groups
    /// and signature algorithms. Only its answer's first bytes matter; no session is made.
    public static let clientHello: [UInt8] = {
        let suites: [UInt8] = [0xc0, 0x2f, 0xc0, 0x30, 0xc0, 0x2b, 0xc0, 0x2c, 0xcc, 0xa8, 0xcc, 0xa9,
                               0x00, 0x9c, 0x00, 0x9d, 0x00, 0x2f, 0x00, 0x35]
        func ext(_ type: UInt16, _ data: [UInt8]) -> [UInt8] { bigEndian16(type) + bigEndian16(UInt16(data.count)) + data }
        let groups: [UInt8] = [0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]
        let sigalgs: [UInt8] = [0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01, 0x02, 0x01]
        let extensions = ext(0x000a, bigEndian16(UInt16(groups.count)) + groups)
            + ext(0x000b, [0x01, 0x00])
            + ext(0x000d, bigEndian16(UInt16(sigalgs.count)) + sigalgs)
        var hello: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 0x6b, count: 32) + [0x00]
        hello += bigEndian16(UInt16(suites.count)) + suites + [0x01, 0x00]
        hello += bigEndian16(UInt16(extensions.count)) + extensions
        let handshake: [UInt8] = [0x01] + Array(bigEndian(UInt32(hello.count)).dropFirst()) + hello
        return [0x16, 0x03, 0x01] + bigEndian16(UInt16(handshake.count)) + handshake
    }()

    /// The first bytes answer the probe's ApiVersions request: a size Kafka would send, then its correlation id.
    public static func answersKafka(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8 else { return false }
        let size = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let id = bytes[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return size >= 4 && size <= 100 * 1024 * 1024 && id == correlationID
    }

    /// The first bytes are a TLS record: a handshake (22) or an alert (21), version 3.x.
    public static func answersTLS(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && (bytes[0] == 0x16 || bytes[0] == 0x15) && bytes[1] == 0x03 && bytes[2] <= 0x04
    }

    /// The verdict from the answers (nil: that greeting was not sent).
    public static func classify(kafkaAnswer: [UInt8], tlsAnswer: [UInt8]?) -> ListenerProtocol {
        if answersKafka(kafkaAnswer) { return .plaintext }
        if answersTLS(kafkaAnswer) || tlsAnswer.map(answersTLS) == true { return .tls }
        return .unknown
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    private static func bigEndian16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
}
