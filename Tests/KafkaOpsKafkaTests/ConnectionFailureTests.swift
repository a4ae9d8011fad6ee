import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// What an operator sees when the connection settings are wrong: the precise reason, fast,
/// always within the deadline, naming the address and never a secret.
@Suite(.serialized)
struct ConnectionFailureTests {
    static func failure(_ settings: ConnectionSettings, budget: Double) async throws -> (ClusterError, Duration) {
        let client = try KafkaClusterClient(settings: settings)
        let started = ContinuousClock.now
        do {
            _ = try await client.metadata(deadline: .seconds(budget))
        } catch let e as ClusterError {
            return (e, ContinuousClock.now - started)
        }
        Issue.record("metadata succeeded with \(settings.bootstrapServers)")
        throw ClusterError(.broker, "unexpected success")
    }

    @Test func unknownHostFailsFastAsUnreachable() async throws {
        // Alone it fails in well under a second; at the start of the whole suite on two cores it took 16 s.
        // The point is that the resolve error ends it, not the deadline (nor librdkafka's own 60-300 s).
        let (e, elapsed) = try await Self.failure(ConnectionSettings(bootstrapServers: "no-such-host.invalid:9092"), budget: 60)
        #expect(e.kind == .unreachable)
        #expect(e.message.contains("no-such-host.invalid:9092"))
        #expect(e.hint != nil)
        #expect(elapsed < .seconds(30))  // well before the 60 s budget
    }

    @Test func aPortThatIsNotKafkaFailsFastAsUnreachable() async throws {
        let server = try NotKafkaServer()
        let (e, elapsed) = try await Self.failure(ConnectionSettings(bootstrapServers: server.address), budget: 15)
        #expect(e.kind == .unreachable)
        #expect(e.message.contains(server.address))
        #expect(elapsed < .seconds(10))  // well before the 15 s budget (slack for a loaded machine)
        server.stop()
    }

    @Test func saslAgainstAPlaintextListenerFailsFastAsAuthentication() async throws {
        let broker = try await TansuBroker.start()
        let secret = "correct-horse-battery"
        let (e, elapsed) = try await Self.failure(
            ConnectionSettings(bootstrapServers: broker.bootstrap, sasl: .init(mechanism: .scramSHA512, username: "ops", password: secret)),
            budget: 15)
        #expect(e.kind == .authentication)
        #expect(e.hint?.contains("check username/password and mechanism") == true)
        #expect(!e.description.contains(secret))
        #expect(elapsed < .seconds(10))  // well before the 15 s budget (slack for a loaded machine)
        broker.stop()
    }

    /// tansu never answers a TLS ClientHello on its plaintext port (Apache Kafka drops the
    /// connection), so this shows the deadline bounding a hung handshake.
    @Test func tlsAgainstAPlaintextListenerStopsAtTheDeadline() async throws {
        let broker = try await TansuBroker.start()
        let (e, elapsed) = try await Self.failure(ConnectionSettings(bootstrapServers: broker.bootstrap, tls: .init()), budget: 3)
        #expect(e.kind == .timeout || e.kind == .tls || e.kind == .unreachable)
        #expect(e.description.contains(broker.bootstrap))
        // Bounded by the 3 s deadline, not librdkafka's 60 s socket timeout (slack for a loaded CI machine).
        #expect(elapsed < .seconds(10))
        broker.stop()
    }

    @Test func produceToAnUnreachableClusterReportsEveryRecordFailedInOrder() async throws {
        let port = try TansuBroker.freePort()
        let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: "127.0.0.1:\(port)"))
        let records = (0..<3).map { OutgoingRecord(topic: "replay", partition: 0, key: nil, value: [UInt8($0)]) }
        let started = ContinuousClock.now
        let reports = try await client.produce(records, deadline: .seconds(3))
        // Bounded by the 3 s deadline, not librdkafka's 300 s message timeout (slack for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(8))
        #expect(reports.map(\.index) == [0, 1, 2])
        for r in reports {
            guard case .failure(let e) = r.result else { Issue.record("record \(r.index) reported written"); continue }
            #expect(e.kind == .unreachable || e.kind == .timeout)
            #expect(e.description.contains("127.0.0.1:\(port)") || e.kind == .timeout)
        }
    }

    /// librdkafka logs connection failures at level 3: dropped unless verbose, then on stderr.
    @Test(arguments: [false, true])
    func logLinesReachStderrOnlyWhenVerbose(verbose: Bool) async throws {
        let port = try TansuBroker.freePort()
        let captured = try await Self.capturingStderr {
            let client = try KafkaClusterClient(settings: ConnectionSettings(bootstrapServers: "127.0.0.1:\(port)", verbose: verbose))
            _ = try? await client.listGroups(deadline: .seconds(1))
        }
        // Only librdkafka's log lines ("librdkafka LEVEL FACILITY: ..."): the test runner writes its
        // own progress to the same stderr.
        let logLines = captured.split(separator: "\n").filter { line in
            line.hasPrefix("librdkafka ") && line.dropFirst("librdkafka ".count).first?.isNumber == true
        }
        #expect(logLines.isEmpty == !verbose, "captured: \(captured.prefix(500))")
        #expect(logLines.contains { $0.contains("Connection refused") } == verbose, "captured: \(captured.prefix(500))")
    }

    /// Redirects this process's stderr to a pipe while `body` runs.
    static func capturingStderr(_ body: () async throws -> Void) async throws -> String {
        let pipe = Pipe()
        let saved = dup(STDERR_FILENO)
        dup2(pipe.fileHandleForWriting.fileDescriptor, STDERR_FILENO)
        do {
            try await body()
        } catch {
            dup2(saved, STDERR_FILENO)
            close(saved)
            throw error
        }
        dup2(saved, STDERR_FILENO)
        close(saved)
        try pipe.fileHandleForWriting.close()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
