import Foundation
import KafkaOpsCore
#if canImport(Glibc)
import Glibc
#endif

/// `BrokerMemory` in files: `DIRECTORY/CLUSTER-HASH.json` per cluster id, a JSON list of the brokers seen live
/// and when (under the state directory: `$XDG_STATE_HOME/kafkaops/brokers`). A hint for the display, so it
/// never fails a run: a file that cannot be read is nothing remembered, one that cannot be written is
/// skipped. Read without following a link (a regular file only); written to a new file beside it, then
/// renamed over it, so a reader never sees half a file and a link at the path is replaced, never followed.
public struct BrokerMemoryFile: BrokerMemory {
    public let directory: String
    /// A remembered time is rewritten only when older than this (not on every refresh).
    static let rewriteAfter: TimeInterval = 300
    /// Brokers kept per cluster at most.
    static let limit = 1_000

    public init(directory: String) { self.directory = directory }

    func path(_ cluster: String) -> String { directory + "/" + StateFileName.of(cluster) + ".json" }

    public func recall(cluster: String) -> [RememberedBroker] {
        // Nothing there, or not readable as the one file it names: nothing remembered.
        guard let bytes = try? RegularFile.read(path(cluster), limit: 4 << 20) else { return [] }
        let data = Data(bytes)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode([RememberedBroker].self, from: data)) ?? []
    }

    public func remember(cluster: String, live: [Broker], at time: Date) {
        let before = recall(cluster: cluster)
        var byID = Dictionary(before.map { ($0.broker.id, $0) }, uniquingKeysWith: { a, _ in a })
        var changed = false
        for b in live {
            let r = RememberedBroker(broker: b, lastSeenLive: time)
            if let old = byID[b.id], old.broker == r.broker, time.timeIntervalSince(old.lastSeenLive) < Self.rewriteAfter { continue }
            byID[b.id] = r
            changed = true
        }
        guard changed else { return }
        let kept = byID.values.sorted { $0.lastSeenLive > $1.lastSeenLive }.prefix(Self.limit).sorted { $0.broker.id < $1.broker.id }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(Array(kept)) else { return }
        write(data, to: path(cluster))
    }

    private func write(_ data: Data, to path: String) {
        do { try ExclusiveFile.makeParents(of: path, mode: 0o700) } catch { return }
        let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        guard let fd = try? RegularFile.open(temporary, .createNew, mode: 0o600) else { return }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let closed = Glibc.close(fd)
        if written == data.count && closed == 0 && rename(temporary, path) == 0 { return }
        unlink(temporary)
    }
}
