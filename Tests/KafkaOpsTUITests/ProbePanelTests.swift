import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsDemo
import TestSupport
@testable import KafkaOpsTUI

/// Issue 16, point 2: the console's probe screen (`:probe`) on the demo cluster. With broker 3
/// down, partitions whose ISR fell under min.insync.replicas show refused writes with the reason and
/// none lost; a missing probe topic is created through the checked, audited creation; a read-only
/// connection does not probe.
@Suite struct ProbePanelTests {
    static func state(_ demo: DemoCluster, readOnly: Bool = false, audit: MemoryChangeLog = MemoryChangeLog()) async throws -> ConsoleState {
        var snap = try await SnapshotLoader(client: demo).load(deadline: .seconds(60))
        snap.fetchedAt = t0
        var s = loadedState(snap, readOnly: readOnly)
        s.operations = OperationSettings(openChangeLog: { audit })
        s.operations.readOnly = readOnly
        return s
    }

    /// Runs the panel's probe job until it sent `windows` windows (or stopped), then cancels it, as
    /// closing the screen does, and delivers what it sent.
    static func runProbe(_ s: inout ConsoleState, _ effects: [Effect], client: any ClusterClient, windows: Int) async throws {
        let jobs = effects.compactMap { e -> Job? in if case .job(let j) = e { return j } else { return nil } }
        let job = try #require(jobs.first { $0.name == "probe" })
        let inbox = Inbox()
        let operations = s.operations
        let task = Task { await job.run(JobContext(client: client, timeout: testJobTimeout, operations: operations) { inbox.append($0) }) }
        let until = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < until {
            let got = inbox.value
            let done = got.filter { if case .probe(.window) = $0 { return true } else { return false } }.count >= windows
            let ended = got.contains {
                switch $0 {
                case .probe(.stopped), .probe(.missing), .probe(.confirm): return true
                default: return false
                }
            }
            if done || ended { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        await task.value
        for v in inbox.take() { _ = s.update(.panelReceived(panelID: job.panelID, value: v)) }
    }

    static func command(_ s: inout ConsoleState, _ text: String) -> [Effect] {
        _ = s.press(.char(":"))
        s.type(text)
        return s.press(.enter)
    }

    @Test func withBroker3DownTheProbeScreenShowsRefusedWritesWithTheReasonAndNoneLost() async throws {
        let clock = DemoClock.manual()
        let demo = DemoCluster(clock: clock)
        try await demo.createTopic(NewTopic(name: "probe-rf2", partitions: 3, replicationFactor: 2,
                                            configs: ["min.insync.replicas": "2"]), validateOnly: false, deadline: .seconds(10))
        clock.advance(by: 35)   // broker 3 down from 30 s to 70 s
        var s = try await Self.state(demo)
        let effects = Self.command(&s, "probe probe-rf2")
        try await Self.runProbe(&s, effects, client: demo, windows: 1)
        let text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("Probe probe-rf2"))
        #expect(text.contains("BROKER") && text.contains("REFUSED") && text.contains("LOST"))
        #expect(text.contains("NOT_ENOUGH_REPLICAS"), "\(text)")
        #expect(text.contains("min.insync.replicas") && text.contains("refused instead of being"), "the reason is explained: \(text)")
        // Every partition gets records at a low rate too (round robin across batches).
        let report = try #require((s.panels.last?.panel as? ProbePanel)?.windows.last)
        #expect(report.partitions.allSatisfy { $0.sent > 0 }, "\(report.partitions.map(\.sent))")
        #expect(text.contains("Lost: none"), "\(text)")
        for l in s.screenLines() { #expect(l.count <= 80) }
    }

    @Test func aMissingProbeTopicIsCreatedThroughTheAuditedCreation() async throws {
        let demo = DemoCluster(clock: DemoClock.manual())
        let audit = MemoryChangeLog()
        var s = try await Self.state(demo, audit: audit)
        let effects = Self.command(&s, "probe")
        try await Self.runProbe(&s, effects, client: demo, windows: 1)
        #expect(s.screenLines().joined(separator: "\n").contains("does not exist"))
        let create = s.press(.char("c"))
        let after = await s.runJobs(create, client: demo)
        #expect(audit.outcomes.map(\.action) == ["topic.create"] && audit.outcomes.first?.target == ProbeTopic.defaultName)
        try await Self.runProbe(&s, after, client: demo, windows: 1)
        let text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("acknowledged") && text.contains("Refused: none"), "\(text)")
    }

    @Test func aReadOnlyConnectionDoesNotProbe() async throws {
        let demo = DemoCluster(clock: DemoClock.manual())
        var s = try await Self.state(demo, readOnly: true)
        let effects = Self.command(&s, "probe")
        #expect(!effects.contains { if case .job = $0 { return true } else { return false } }, "nothing is sent")
        #expect(s.screenLines().joined(separator: "\n").contains("read-only connection"))
    }

    /// Issue 23 point 3 / issue 24 point 2: the console's probe run is a change (`probe.run`), with a
    /// started record before the first record is written and an outcome record when the screen closes.
    @Test func aConsoleProbeRunHasStartedAndOutcomeRecords() async throws {
        let demo = DemoCluster(clock: DemoClock.manual())
        try await demo.createTopic(NewTopic(name: ProbeTopic.defaultName, partitions: 2, replicationFactor: 1),
                                   validateOnly: false, deadline: .seconds(10))
        let audit = MemoryChangeLog()
        var s = try await Self.state(demo, audit: audit)
        try await Self.runProbe(&s, Self.command(&s, "probe"), client: demo, windows: 1)
        #expect(audit.entries.map(\.action) == ["probe.run.started", "probe.run"], "\(audit.entries.map(\.action))")
        #expect(audit.entries.allSatisfy { $0.target == ProbeTopic.defaultName })
        #expect(audit.entries.last?.result == "ok", "\(audit.results)")
    }

    /// Issue 23 point 3: the console's probe does not write into a topic that holds other records.
    @Test func theConsoleProbeRefusesABusinessTopic() async throws {
        let demo = DemoCluster(clock: DemoClock.manual())
        try await demo.createTopic(NewTopic(name: "orders-x", partitions: 1, replicationFactor: 1), validateOnly: false, deadline: .seconds(10))
        _ = try await demo.produce([OutgoingRecord(topic: "orders-x", partition: 0, key: nil, value: Array(#"{"order":1}"#.utf8))],
                                   deadline: .seconds(10))
        let before = try await demo.endOffsets([TopicPartition("orders-x", 0)], deadline: .seconds(10))
        let audit = MemoryChangeLog()
        var s = try await Self.state(demo, audit: audit)
        try await Self.runProbe(&s, Self.command(&s, "probe orders-x"), client: demo, windows: 1)
        let text = s.screenLines().joined(separator: "\n")
        #expect(text.contains("not probe records"), "\(text)")
        #expect(audit.entries.isEmpty, "nothing started: \(audit.entries.map(\.action))")
        let after = try await demo.endOffsets([TopicPartition("orders-x", 0)], deadline: .seconds(10))
        #expect(after == before, "nothing written")
    }

    /// Issue 27 point 7: on a protected profile the console's probe writes only after the topic's name is typed.
    @Test func onAProtectedProfileTheConsoleProbeAsksForTheTopicsName() async throws {
        let demo = DemoCluster(clock: DemoClock.manual())
        try await demo.createTopic(NewTopic(name: ProbeTopic.defaultName, partitions: 1, replicationFactor: 1),
                                   validateOnly: false, deadline: .seconds(10))
        let tp = TopicPartition(ProbeTopic.defaultName, 0)
        let audit = MemoryChangeLog()
        var s = try await Self.state(demo, audit: audit)
        s.operations.protected = true
        try await Self.runProbe(&s, Self.command(&s, "probe"), client: demo, windows: 1)
        #expect(s.screenLines().joined(separator: "\n").contains("Type the topic name"))
        #expect(audit.entries.isEmpty)
        #expect(try await demo.endOffsets([tp], deadline: .seconds(10))[tp] == 0, "nothing written before the name")
        #expect(s.press(.enter).isEmpty, "Enter without the name starts nothing")
        s.type(ProbeTopic.defaultName)
        let go = s.press(.enter)
        try await Self.runProbe(&s, go, client: demo, windows: 1)
        #expect(audit.entries.map(\.action) == ["probe.run.started", "probe.run"], "\(audit.entries.map(\.action))")
    }

    /// Issue 27 point 6: an extreme probe_rate is a message on the screen, not a crash.
    @Test(arguments: [1e-300, Double.infinity])
    func anExtremeProbeRateIsAMessage(_ rate: Double) async throws {
        let demo = DemoCluster(clock: DemoClock.manual())
        var s = try await Self.state(demo)
        s.operations.probeRate = rate
        let effects = Self.command(&s, "probe")
        #expect(!effects.contains { if case .job = $0 { return true } else { return false } }, "nothing is sent")
        #expect(s.screenLines().joined(separator: "\n").contains("probe_rate must be"))
    }
}
