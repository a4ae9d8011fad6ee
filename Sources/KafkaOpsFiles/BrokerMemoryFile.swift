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
        guard let data = Self.read(path(cluster)) else { return [] }
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

    /// The bytes of the regular file at `path` (not through a link), or nil.
    static func read(_ path: String) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size < 4 << 20 else { return nil }
        var out = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fd, &buf, buf.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }
}
