import Foundation

/// A reader that stays on a set of partitions and hands out what arrives (the probe reads its
/// records back as they are written): assigned, never subscribed, no group, nothing committed.
public protocol RecordTail: Sendable {
    /// Records that arrived since the last call, in offset order per partition; waits at most
    /// `maxWait` when there are none.
    func poll(maxWait: Duration) async throws -> [Record]
    /// Ends the reader; never waits on the network.
    func close() async
}

extension ClusterClient {
    /// A tail over bounded reads (`readRecords`), for clients without a long-lived reader. The
    /// librdkafka client overrides it with one assigned consumer.
    public func openTail(_ start: [TopicPartition: Int64], deadline: Deadline) async throws -> any RecordTail {
        ReadingTail(client: self, next: start)
    }
}

/// `openTail` over `readRecords`: each poll reads every partition from where the last one stopped.
actor ReadingTail: RecordTail {
    let client: any ClusterClient
    var next: [TopicPartition: Int64]

    init(client: any ClusterClient, next: [TopicPartition: Int64]) { self.client = client; self.next = next }

    func poll(maxWait: Duration) async throws -> [Record] {
        var out: [Record] = []
        for (tp, from) in next.sorted(by: { $0.key < $1.key }) {
            let got = try await client.readRecords(ReadRequest(topic: tp.topic, partition: tp.partition, start: .offset(from),
                                                               maxRecords: 5_000, maxBytes: 4 << 20),
                                                   deadline: .after(maxWait))
            if let last = got.last { next[tp] = last.offset + 1 }
            out += got
        }
        if out.isEmpty { try? await Task.sleep(for: min(maxWait, .milliseconds(50))) }
        return out
    }

    func close() async {}
}
