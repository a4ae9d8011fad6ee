import Foundation
import KafkaOpsCore
import Yams

/// The config file: named cluster profiles.
///
/// ```yaml
/// current: prod
/// clusters:
///   prod:
///     bootstrap: kafka-1.prod:9093,kafka-2.prod:9093
///     client_id: kafkaops-oncall
///     read_only: true
///     protected: true
///     tls: { ca: /etc/kafka/ca.pem, cert: ..., key: ..., verify: true }
///     sasl: { mechanism: SCRAM-SHA-512, username: ops, password_env: KAFKA_PASSWORD }
/// ```
struct ConfigFile: Decodable, Sendable {
    var current: String?
    var clusters: [String: Profile]

    enum CodingKeys: String, CodingKey, CaseIterable { case current, clusters }

    init(current: String? = nil, clusters: [String: Profile] = [:]) {
        self.current = current; self.clusters = clusters
    }

    init(from decoder: Decoder) throws {
        try KnownKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        current = try c.decodeIfPresent(String.self, forKey: .current)
        clusters = try c.decodeIfPresent([String: Profile].self, forKey: .clusters) ?? [:]
    }
}

extension ConfigFile {
    /// Parses config.yaml in time linear in its size. Decoding `clusters:` as a `[String: Profile]` looks
    /// every key up in the mapping from the start (Yams), so 20,000 profiles took minutes; here the mapping's
    /// pairs are walked once and each profile decoded from its own node. Errors keep their place
    /// (`clusters.NAME.key`, "profile NAME: key").
    static func parse(_ text: String) throws -> ConfigFile {
        guard let root = try Yams.compose(yaml: text) else { return ConfigFile() }
        guard let top = root.mapping else { return try YAMLDecoder().decode(ConfigFile.self, from: root) }
        let known = CodingKeys.allCases.map(\.rawValue)
        if let unknown = top.keys.compactMap(\.string).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: KnownKeys.message(unknown: unknown, known: known)))
        }
        var cfg = ConfigFile()
        if let current = top["current"] { cfg.current = try YAMLDecoder().decode(String?.self, from: current) }
        guard let clustersNode = top["clusters"], clustersNode.null == nil else { return cfg }
        guard let clusters = clustersNode.mapping else {
            throw DecodingError.typeMismatch([String: Profile].self, .init(codingPath: [PathKey("clusters")],
                                                                            debugDescription: "expected a mapping of profiles"))
        }
        var profiles: [String: Profile] = [:]
        profiles.reserveCapacity(clusters.count)
        for (keyNode, value) in clusters {
            let name = keyNode.string ?? ""
            do {
                profiles[name] = try YAMLDecoder().decode(Profile.self, from: value)
            } catch let e as DecodingError {
                throw Self.prefixed(e, [PathKey("clusters"), PathKey(name)])
            }
        }
        cfg.clusters = profiles
        return cfg
    }

    struct PathKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The error with `prefix` before its coding path.
    static func prefixed(_ e: DecodingError, _ prefix: [any CodingKey]) -> DecodingError {
        func ctx(_ c: DecodingError.Context) -> DecodingError.Context {
            .init(codingPath: prefix + c.codingPath, debugDescription: c.debugDescription, underlyingError: c.underlyingError)
        }
        switch e {
        case .dataCorrupted(let c): return .dataCorrupted(ctx(c))
        case .typeMismatch(let t, let c): return .typeMismatch(t, ctx(c))
        case .valueNotFound(let t, let c): return .valueNotFound(t, ctx(c))
        case .keyNotFound(let k, let c): return .keyNotFound(k, ctx(c))
        @unknown default: return e
        }
    }
}

/// A secret given as an environment variable name or a file path (or, discouraged, inline).
struct SecretRef: Sendable, Equatable {
    var env: String?
    var file: String?
    var inline: String?

    var isSet: Bool { env != nil || file != nil || inline != nil }
}
