import Foundation
import KafkaOpsCore
import TestSupport
import Testing
@testable import KafkaOpsTUI

/// Issue 25, points 2 and 3 (console): the ACL screen, a topic's config screen (with an edit through the
/// change pipeline) and a broker's config screen (read-only), at 80x24. Their rows are read by a job off the
/// main actor (`Effect.loadScreen`); the tests run that read as the program would and feed its result back.
@Suite struct AclsAndConfigsScreenTests {
    func state(readOnly: Bool = false, protected: Bool = false, audit: MemoryChangeLog = MemoryChangeLog()) async throws -> ConsoleState {
        var s = loadedState(try await fakeSnapshot(), readOnly: readOnly)
        s.operations = OperationSettings(protected: protected, bootstrap: "kafka-1:9092", openChangeLog: { audit })
        s.operations.readOnly = readOnly
        return s
    }

    /// Runs the screen reads among `effects` against `client`, as `ConsoleProgram` does, and takes their results.
    func load(_ s: inout ConsoleState, _ effects: [Effect], client: any ClusterClient = FakeCluster()) async {
        for case .loadScreen(let screen, let connection) in effects {
            let r = await ScreenLoads.load(screen, client: client, deadline: .after(.seconds(5)))
            _ = s.update(.screenLoaded(screen, connection: connection, r))
        }
    }

    /// `:topic NAME`, then `c`: the topic's config screen, read from `client`.
    func openConfigs(_ s: inout ConsoleState, of topic: String, client: any ClusterClient) async {
        s.press(.char(":")); s.type("topic \(topic)"); s.press(.enter)
        await load(&s, s.press(.char("c")), client: client)
    }

    static let configs: [ConfigEntry] = [
        ConfigEntry(name: "cleanup.policy", value: "delete", source: .defaultConfig),
        ConfigEntry(name: "retention.ms", value: "86400000", source: .topic),
        ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic),
        ConfigEntry(name: "max.message.bytes", value: "1048588", source: .staticBroker),
        ConfigEntry(name: "confluent.placement.constraints.with.a.very.long.name.indeed", value: "{\"version\":1,\"replicas\":[{\"count\":3,\"constraints\":{\"rack\":\"east-1\"}}],\"observers\":[]}",
                    source: .topic),
        ConfigEntry(name: "sasl.jaas.config", value: "hunter2-should-never-show", source: .topic, isSensitive: true),
        ConfigEntry(name: "message.format.version", value: "3.0-IV1", source: .defaultConfig, isReadOnly: true),
    ]

    /// A client whose DescribeConfigs returns `configs` for every topic and broker, recording the rest.
    final class ConfigCluster: ForwardingCluster, @unchecked Sendable {
        let recording = RecordingCluster()
        var base: FakeCluster { recording.base }
        var displayName: String { "configs" }
        func topicConfigs(_ topics: [String], deadline: Deadline) async throws -> [String: [ConfigEntry]] {
            Dictionary(uniqueKeysWithValues: topics.map { ($0, AclsAndConfigsScreenTests.configs) })
        }
        func brokerConfigs(_ broker: Int32, deadline: Deadline) async throws -> [ConfigEntry] { AclsAndConfigsScreenTests.configs }
        func alterTopicConfigs(_ topic: String, set: [String: String], delete: [String], deadline: Deadline) async throws {
            if !delete.isEmpty { recording.note("delete \(topic) " + delete.sorted().joined(separator: ",")) }
            if !set.isEmpty { try await recording.alterTopicConfigs(topic, set: set, delete: delete, deadline: deadline) }
        }
    }

    // MARK: ACLs

    @Test func theAclScreenShowsKafkasWordsAt80x24() async throws {
        var s = try await state()
        let effects = s.press(.char("6"))
        #expect(s.current.screen == .acls)
        #expect(effects.contains(.loadScreen(.acls, connection: 0)))
        #expect(s.screenLines().joined().contains("loading ACLs"))
        await load(&s, effects)
        let lines = s.screenLines()
        #expect(lines.count == 24 && lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        let header = try #require(lines.first { $0.contains("PRINCIPAL") })
        for word in ["HOST", "OPERATION", "PERMISSION", "TYPE", "RESOURCE", "PATTERN"] { #expect(header.contains(word)) }
        let text = lines.joined(separator: "\n")
        #expect(text.contains("5 ACLs: 4 ALLOW, 1 DENY"))
        #expect(text.contains("DENY") && text.contains("PREFIXED") && text.contains("TRANSACTIONAL_ID"))
        // A principal from the cluster never reaches the terminal as an escape sequence; a long one is cut in the middle.
        #expect(!text.contains("\u{1b}"))
        #expect(text.contains("…"))
        let row = try #require(lines.firstIndex { $0.contains("DENY") && $0.contains("payments") })
        let x = try #require(lines[row].range(of: "DENY")).lowerBound.utf16Offset(in: lines[row])
        #expect(s.grid().role(x: x, y: row) == .critical)
    }

    @Test func anEmptyAnswerSaysWhatItMayMeanNeverNoAcls() async throws {
        var s = try await state()
        _ = s.press(.char("6"))
        _ = s.update(.screenLoaded(.acls, connection: s.connection, .success(.acls([]))))
        let text = s.screenLines().joined(separator: " ").replacingOccurrences(of: "  ", with: " ")
        for part in ["no ACLs returned: either none match,", "no authorizer", "this principal may not describe ACLs"] {
            #expect(text.contains(part), "\(text)")
        }
    }

    @Test func aclsAreOnTheHelpScreenAndTheCommandLine() async throws {
        var s = try await state()
        s.press(.char("?"))
        let help = try #require(s.current.table).rows.map { $0.cells.joined(separator: " ") }
        #expect(help.contains("6 ACLs (read-only) all"), "\(help)")
        #expect(help.contains { $0.hasPrefix(":acls ") })
        var t = try await state()
        t.press(.char(":")); t.type("acls")
        let effects = t.press(.enter)
        #expect(t.current.screen == .acls)
        #expect(effects.contains(.loadScreen(.acls, connection: 0)))
    }

    /// A read from before a `:ctx` switch is another cluster's: it is dropped.
    @Test func aclsReadFromAnEarlierConnectionAreDropped() async throws {
        var s = try await state()
        _ = s.press(.char("6"))
        s.connection += 1
        _ = s.update(.screenLoaded(.acls, connection: 0, .success(.acls(FakeCluster.acls))))
        #expect(s.current.table?.rows.isEmpty == true)
    }

    // MARK: topic configs

    @Test func aTopicsConfigsShowSourceMaskSecretsAndCutInTheMiddle() async throws {
        var s = try await state()
        s.press(.char(":")); s.type("topic orders"); s.press(.enter)
        let effects = s.press(.char("c"))
        #expect(s.current.screen == .topicConfigs("orders"))
        await load(&s, effects, client: ConfigCluster())
        let lines = s.screenLines()
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        let text = lines.joined(separator: "\n")
        #expect(text.contains("Topics › Topic orders › Configs"))
        #expect(text.contains("7 configs, 5 not at Kafka's default (listed first)"))
        #expect(!text.contains("hunter2"))
        #expect(text.contains("(sensitive)"))
        // The long name and value keep both ends.
        let long = try #require(lines.last { $0.contains("confluent.") })
        #expect(long.contains("…"))
        #expect(long.contains("indeed"))
        #expect(long.contains("observers\":[]}"))
        // Values not at Kafka's default come first, then the defaults.
        let order = try #require(s.current.table).order.map { s.current.table!.rows[$0] }.map(\.cells[2])
        #expect(order.prefix(5).allSatisfy { $0 != "default" })
        #expect(order.suffix(2) == ["default", "default"])
        // The selected config's exact source.
        #expect(text.contains("DYNAMIC_TOPIC_CONFIG") || text.contains("STATIC_BROKER_CONFIG"))
    }

    /// `e` on a topic's config goes to the change panel and through the pipeline: the change is recorded, then sent.
    @Test func anEditGoesThroughTheChangePipeline() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(audit: audit)
        let client = ConfigCluster()
        await openConfigs(&s, of: "orders", client: client)
        s.press(.char("/")); s.type("retention"); s.press(.enter)
        #expect(s.current.table?.selectedRow?.id == "retention.ms")
        s.press(.char("e"))
        let edit = try #require(s.topPanel as? ConfigEditPanel)
        #expect(edit.field.text == "86400000")
        #expect(s.screenLines().joined().contains("DYNAMIC_TOPIC_CONFIG"))
        s.press(.ctrl("u")); s.type("604800000"); s.press(.enter)
        #expect(s.topPanel is ChangePanel)
        let preview = s.screenLines().joined(separator: " ")
        #expect(preview.contains("retention.ms: 86400000 (topic)  →  604800000 (topic)"), "\(preview)")
        await s.runJobs(s.press(.char("y")), client: client)
        #expect(client.recording.calls == ["alter orders retention.ms=604800000"])
        #expect(audit.entries.map(\.action) == ["topic.alter-config.started", "topic.alter-config"])
        #expect(s.screenLines().joined(separator: " ").contains("Applied: retention.ms=604800000"))
    }

    /// Ctrl-D in the edit deletes the topic's override, through the same change panel and pipeline.
    @Test func deletingAnOverrideGoesThroughTheChangePipeline() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(audit: audit)
        let client = ConfigCluster()
        await openConfigs(&s, of: "orders", client: client)
        s.press(.char("/")); s.type("retention"); s.press(.enter)
        s.press(.char("e"))
        s.press(.ctrl("d"))
        let change = try #require(s.topPanel as? ChangePanel)
        #expect(change.title == "Delete the override of retention.ms")
        #expect(s.screenLines().joined(separator: " ").contains("--delete-config retention.ms"))
        await s.runJobs(s.press(.char("y")), client: client)
        #expect(client.recording.calls == ["delete orders retention.ms"])
        #expect(audit.entries.map(\.action) == ["topic.alter-config.started", "topic.alter-config"])
    }

    /// On a protected profile the edit asks for the topic's name, as every change does.
    @Test func anEditOnAProtectedProfileNeedsTheTypedName() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(protected: true, audit: audit)
        let client = ConfigCluster()
        await openConfigs(&s, of: "orders", client: client)
        s.press(.char("/")); s.type("retention"); s.press(.enter)
        s.press(.char("e")); s.press(.ctrl("u")); s.type("691200000"); s.press(.enter)
        #expect(s.topPanel is ChangePanel)
        let refused = await s.runJobs(s.press(.enter), client: client)
        #expect(refused.isEmpty && client.recording.calls.isEmpty && audit.entries.isEmpty)
        #expect(s.status?.text.contains("type the topic name") == true)
        s.type("orders")
        await s.runJobs(s.press(.enter), client: client)
        #expect(client.recording.calls == ["alter orders retention.ms=691200000"])
    }

    @Test func anEditIsRefusedOnAReadOnlyConnection() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(readOnly: true, audit: audit)
        let client = ConfigCluster()
        await openConfigs(&s, of: "orders", client: client)
        #expect(s.current.table?.rows.isEmpty == false)
        // The key is not registered at all on a read-only connection, nor shown in the footer.
        s.press(.char("e"))
        #expect(s.topPanel == nil)
        #expect(!(s.screenLines().last ?? "").contains("edit"))
        #expect(s.openConfigEdit().isEmpty)
        #expect(s.topPanel == nil)
        #expect(client.recording.calls.isEmpty)
        #expect(audit.entries.isEmpty)
    }

    /// Even a change panel opened before the connection became read-only is refused by the pipeline's guard.
    @Test func thePipelinesReadOnlyGuardRefusesAnEditThatGotThrough() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(audit: audit)
        let client = ConfigCluster()
        await openConfigs(&s, of: "orders", client: client)
        s.press(.char("/")); s.type("retention"); s.press(.enter)
        s.press(.char("e")); s.press(.ctrl("u")); s.type("691200000"); s.press(.enter)
        #expect(s.topPanel is ChangePanel)
        s.operations.readOnly = true
        await s.runJobs(s.press(.char("y")), client: client)
        #expect(client.recording.calls.isEmpty)
        #expect(audit.entries.isEmpty)
        #expect(s.screenLines().joined(separator: " ").contains("read-only connection"))
    }

    // MARK: broker configs

    @Test func aBrokersConfigsAreReadOnlyAt80x24() async throws {
        var s = try await state()
        s.press(.char("4"))
        let effects = s.press(.char("c"))
        #expect(s.current.screen == .brokerConfigs(1))
        await load(&s, effects, client: ConfigCluster())
        let lines = s.screenLines()
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        let text = lines.joined(separator: "\n")
        #expect(text.contains("Broker 1 configs"))
        #expect(text.contains("max.message.bytes") && text.contains("broker"))
        #expect(!text.contains("hunter2"))
        s.press(.char("e"))
        #expect(s.topPanel == nil)
        #expect(s.status?.text.contains("no such key") == true)
    }
}
