import Foundation

/// What a probe record carries (issue 16): the run it belongs to, its sequence number within its
/// partition and the time it was sent. Written as one short ASCII line, so a person reading the
/// probe topic with any tool sees what it is:
///
///     kafkaops-probe/1 <run id> <partition> <sequence> <sent, µs since the epoch>
public struct ProbePayload: Hashable, Sendable {
    public static let prefix = "kafkaops-probe/1"

    public var runID: String
    public var partition: Int32
    public var sequence: Int64
    /// Microseconds since the epoch.
    public var sentMicros: Int64

    public init(runID: String, partition: Int32, sequence: Int64, sentMicros: Int64) {
        self.runID = runID; self.partition = partition; self.sequence = sequence; self.sentMicros = sentMicros
    }

    public var bytes: [UInt8] {
        Array("\(Self.prefix) \(runID) \(partition) \(sequence) \(sentMicros)".utf8)
    }

    /// nil for anything that is not a probe record of this format (another tool's record, another
    /// version): the probe ignores what it did not write.
    public init?(bytes: [UInt8]) {
        guard bytes.count < 256, let text = String(bytes: bytes, encoding: .utf8) else { return nil }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == Self.prefix, !parts[1].isEmpty,
              let p = Int32(parts[2]), let s = Int64(parts[3]), let t = Int64(parts[4]) else { return nil }
        self.init(runID: String(parts[1]), partition: p, sequence: s, sentMicros: t)
    }

    /// A new run id: short, unique enough to tell runs apart in one topic, safe in a record.
    public static func newRunID() -> String {
        String(UUID().uuidString.lowercased().prefix(13)).replacingOccurrences(of: "-", with: "")
    }
}
